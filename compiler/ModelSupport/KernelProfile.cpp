//===- KernelProfile.cpp - Per-kernel timing of a model.so's steps --------===//
//
// See KernelProfile.h. The report's lines name each step's kernel calls as
// mnistc_gen_calls (Orchestration.cpp) lists them.
//
//===----------------------------------------------------------------------===//
#include "compiler/ModelSupport/KernelProfile.h"
#include "runtime/include/mnistc/model.h"

#include <sstream>

extern "C" {
extern const char mnistc_gen_calls[];
}

namespace mnistc::modelso {

Profile &profile() {
  static Profile *p = new Profile(); // deleted at unload
  return *p;
}

void releaseProfile() { delete &profile(); }

} // namespace mnistc::modelso

using mnistc::modelso::Profile;
using mnistc::modelso::profile;

extern "C" {

void mnistc_profile_mark(int32_t step, int32_t call) {
  Profile &p = profile();
  if (!p.on)
    return;
  if (p.deviceBuffer)
    halide_device_sync(nullptr, p.deviceBuffer);
  auto now = std::chrono::steady_clock::now();
  if (call >= 0) {
    if (p.seconds[step].size() <= size_t(call)) {
      p.seconds[step].resize(call + 1, 0.0);
      p.calls[step].resize(call + 1, 0);
    }
    p.seconds[step][call] +=
        std::chrono::duration<double>(now - p.last).count();
    ++p.calls[step][call];
  }
  p.last = now;
}

void mnistc_profile(int32_t on) {
  Profile &p = profile();
  if (on)
    p.clear();
  p.on = on != 0;
}

const char *mnistc_profile_report(void) {
  Profile &p = profile();
  static const char *names[] = {"train", "eval", "forward"};
  std::ostringstream out;
  out.precision(9);
  for (int s = 0; s < Profile::kSteps; ++s)
    out << "step " << names[s] << " " << p.steps[s] << " " << p.images[s]
        << "\n";
  std::istringstream calls(mnistc_gen_calls);
  std::string step, symbol;
  int call;
  while (calls >> step >> call >> symbol) {
    int s = step == "train" ? 0 : step == "eval" ? 1 : 2;
    bool timed = size_t(call) < p.seconds[s].size();
    out << "call " << step << " " << call << " " << symbol << " "
        << (timed ? p.calls[s][call] : 0) << " "
        << (timed ? p.seconds[s][call] : 0.0) << "\n";
  }
  p.report = out.str();
  return p.report.c_str();
}

} // extern "C"

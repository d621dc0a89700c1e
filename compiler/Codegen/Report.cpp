//===- Report.cpp - mnistc --report: a roofline table per kernel ---------===//
//
// Algorithm:
// 1. Plan the model for the target (ModelPlan.cpp), as -o would.
// 2. Read the profile, if given: the lines of mnistc_profile_report
//    (model.h) behind the header "mnistc-profile 1" and "model NAME".
//    Every call of the plan must name the kernel the profile names at the
//    same step and index, or the profile is of another model.
// 3. For each call of the train and forward steps:
//      FLOP/image  Kernel::flopsPerImage (Dense and Conv2D products);
//      bytes/image the operands' storage, each once: batch-sized buffers
//                  per image, the others (parameters, gradients, optimizer
//                  state) divided by the batch;
//      measured    seconds / calls per step; FLOPs and bytes × images /
//                  seconds.
//    The batch is the profile's (images / steps), else the fit batch_size.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/Report.h"

#include "compiler/Codegen/AutoSchedule.h"
#include "compiler/Codegen/Emit.h"
#include "compiler/Codegen/ModelPlan.h"

#include "mlir/IR/Diagnostics.h"

#include <cstdarg>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace mlir;

namespace mnistc::codegen {

namespace {

struct Timing {
  std::string symbol;
  int64_t calls = 0;
  double seconds = 0;
};

struct Profile {
  std::string model;
  int64_t steps[ModelPlan::kSteps] = {}, images[ModelPlan::kSteps] = {};
  std::map<std::pair<int, int>, Timing> calls; // (step, index)
};

/// printf into a string: the table's columns.
std::string fmt(const char *format, ...) {
  char text[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, sizeof text, format, args);
  va_end(args);
  return text;
}

int stepIndex(const std::string &name) {
  for (int s = 0; s < ModelPlan::kSteps; ++s)
    if (name == ModelPlan::stepName(s))
      return s;
  return -1;
}

/// Step 2; the error message, or "".
std::string readProfile(const std::string &path, Profile &p) {
  std::ifstream in(path);
  if (!in)
    return "cannot read the profile '" + path + "'";
  std::string line, word;
  if (!std::getline(in, line) || line != "mnistc-profile 1")
    return "'" + path + "' is not a profile of mnistrt bench --profile";
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    std::istringstream fields(line);
    fields >> word;
    std::string step;
    bool ok = true;
    if (word == "model") {
      ok = bool(fields >> p.model);
    } else if (word == "step") {
      int64_t steps, images;
      ok = bool(fields >> step >> steps >> images) && stepIndex(step) >= 0;
      if (ok) {
        p.steps[stepIndex(step)] = steps;
        p.images[stepIndex(step)] = images;
      }
    } else if (word == "call") {
      int index;
      Timing t;
      ok = bool(fields >> step >> index >> t.symbol >> t.calls >> t.seconds) &&
           stepIndex(step) >= 0;
      if (ok)
        p.calls[{stepIndex(step), index}] = t;
    } else {
      ok = false;
    }
    if (!ok)
      return "'" + path + "' line " + std::to_string(number) +
             " is not a line of a profile: " + line;
  }
  return "";
}

/// The least bytes per image a call moves: each operand's storage once.
double bytesPerImage(const ModelPlan &plan, const KernelCall &call,
                     double batch) {
  std::set<std::pair<int64_t, int64_t>> seen; // (region or arena root, offset)
  double bytes = 0;
  for (int b : call.buffers) {
    const BufferRecord &r = plan.buffers[b];
    int64_t root = r.alias >= 0 ? r.alias : b;
    bool arena = r.region == Region::Arena;
    if (!seen.insert(
                 {arena ? -1 - root : int64_t(r.region), arena ? 0 : r.offset})
             .second)
      continue;
    bytes += r.batchDim >= 0 ? double(r.bytes(1)) : r.bytes(1) / batch;
  }
  return bytes;
}

} // namespace

LogicalResult printReport(ModuleOp module, const ReportOptions &options,
                          llvm::raw_ostream &os) {
  // Step 1.
  FailureOr<Halide::Target> target = resolveTarget(module, options.target);
  if (failed(target))
    return failure();
  FailureOr<ModelPlan> plan =
      planScheduled(module, *target, options.schedule);
  if (failed(plan))
    return failure();
  auto model = *module.getOps<nn::ModelOp>().begin();

  // Step 2.
  Profile profile;
  bool measured = !options.profile.empty();
  if (measured) {
    std::string error = readProfile(options.profile, profile);
    if (error.empty() && profile.model != model.getSymName())
      error = "the profile '" + options.profile + "' is of model '" +
              profile.model + "', not '" + model.getSymName().str() + "'";
    for (int s = 0; s < ModelPlan::kSteps && error.empty(); ++s)
      for (size_t i = 0; i < plan->calls(s).size() && error.empty(); ++i) {
        auto it = profile.calls.find({s, int(i)});
        std::string here = plan->symbol(plan->calls(s)[i].kernel);
        if (it == profile.calls.end() || it->second.symbol != here)
          error = "the profile '" + options.profile +
                  "' is of other kernels (" + ModelPlan::stepName(s) +
                  " call " + std::to_string(i) + " is " + here +
                  " here); run mnistrt bench --profile again with a "
                  "model.so compiled from this file";
      }
    if (!error.empty())
      return model.emitError() << error;
  }

  // Step 3.
  os << "// Roofline of model '" << model.getSymName() << "' for "
     << target->to_string() << ": FLOPs of the Dense and Conv2D products, "
     << "and bytes every operand takes once, per image";
  if (measured)
    os << "; measured by mnistrt bench --profile";
  if (options.peakGflops > 0)
    os << "; peak " << fmt("%.1f", options.peakGflops) << " GFLOP/s";
  os << ".\n";
  for (int s : {0, 2}) {
    const std::vector<KernelCall> &calls = plan->calls(s);
    bool timed = measured && profile.steps[s] > 0;
    double batch = timed ? double(profile.images[s]) / profile.steps[s]
                         : double(fitBatchSize(model));
    os << "\n"
       << ModelPlan::stepName(s) << " step, batch " << fmt("%.1f", batch);
    if (timed)
      os << ", " << profile.steps[s] << " steps of " << profile.images[s]
         << " images";
    os << ":\n"
       << fmt("%-3s %-66s %9s %8s %6s", "#", "kernel", "MFLOP/img", "KB/img",
              "FLOP/B");
    if (timed)
      os << fmt(" %9s %8s %7s%s", "ms/step", "GFLOP/s", "GB/s",
                options.peakGflops > 0 ? "  %peak" : "");
    os << "\n";
    // One row: a call, or all of them. "-" where a kernel does no counted
    // FLOPs (it is rated by its bytes alone).
    auto row = [&](std::string index, const std::string &name, double flops,
                   double bytes, double seconds, int64_t calls) {
      os << fmt("%-3s %-66s ", index.c_str(), name.c_str())
         << (flops > 0 ? fmt("%9.3f", flops / 1e6) : fmt("%9s", "-"))
         << fmt(" %8.1f ", bytes / 1024)
         << (flops > 0 ? fmt("%6.1f", flops / bytes) : fmt("%6s", "-"));
      if (timed) {
        double rate = seconds > 0 ? profile.images[s] / seconds : 0;
        os << fmt(" %9.3f ", calls ? 1e3 * seconds / calls : 0.0)
           << (flops > 0 ? fmt("%8.1f", flops * rate / 1e9) : fmt("%8s", "-"))
           << fmt(" %7.1f", bytes * rate / 1e9);
        if (options.peakGflops > 0)
          os << (flops > 0 ? fmt(" %5.0f%%",
                                 100 * flops * rate / 1e9 / options.peakGflops)
                           : fmt(" %6s", "-"));
      }
      os << "\n";
    };
    double allFlops = 0, allBytes = 0, allSeconds = 0;
    for (size_t i = 0; i < calls.size(); ++i) {
      double flops = plan->kernels[calls[i].kernel].flopsPerImage;
      double bytes = bytesPerImage(*plan, calls[i], batch);
      const Timing &t = profile.calls[{s, int(i)}];
      row(std::to_string(i), plan->symbol(calls[i].kernel), flops, bytes,
          t.seconds, t.calls);
      allFlops += flops;
      allBytes += bytes;
      allSeconds += t.seconds;
    }
    row("", "all", allFlops, allBytes, allSeconds, profile.steps[s]);
  }
  return success();
}

} // namespace mnistc::codegen

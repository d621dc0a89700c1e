//===- compare_checkpoints.cpp - Are two runs' weights the same? ----------===//
//
// For the data-parallel tests (test/distributed/): loads two checkpoints
// of one model.so through the runtime library and compares their
// parameters and optimizer states float by float.
//
//   compare_checkpoints MODEL.so A.ckpt B.ckpt TOLERANCE
//
// TOLERANCE 0 asks for bit-identical floats. Otherwise each float of B may
// differ from A's by at most TOLERANCE x (the largest magnitude of A's
// tensor it belongs to, the parameter buffer or the state buffer), the
// scale float rounding differences grow with. Prints the largest
// difference found; exit status 0 within the tolerance, 1 beyond it, 2 if
// a file cannot be read.
//
//===----------------------------------------------------------------------===//
#include "mnistc/checkpoint.h"
#include "mnistc/model_library.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace mnistc::rt;

namespace {

struct Weights {
  std::vector<float> params, state;
};

bool load(const ModelLibrary &model, const char *path, Weights &out) {
  ModelContext ctx;
  TrainingState run;
  Status s = ctx.create(model, 1);
  if (s.ok())
    s = checkpointLoad(path, ctx, run);
  if (s.failed()) {
    std::fprintf(stderr, "compare_checkpoints: %s\n", s.message().c_str());
    return false;
  }
  const mnistc_model_info &info = model.info();
  out.params.assign(ctx.params(), ctx.params() + info.param_floats);
  out.state.assign(ctx.state(), ctx.state() + info.state_floats);
  return true;
}

/// The largest |a - b| relative to the largest |a|, or exact equality.
bool compare(const char *what, const std::vector<float> &a,
             const std::vector<float> &b, double tolerance) {
  if (tolerance == 0) {
    bool same = std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
    std::printf("%s: %s\n", what, same ? "bit-identical" : "DIFFERENT");
    return same;
  }
  double scale = 0, worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    scale = std::max(scale, std::fabs(double(a[i])));
    worst = std::max(worst, std::fabs(double(a[i]) - double(b[i])));
  }
  double relative = scale > 0 ? worst / scale : worst;
  std::printf("%s: largest difference %.3g (%.3g of the largest value)\n",
              what, worst, relative);
  return relative <= tolerance;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: compare_checkpoints MODEL.so A.ckpt B.ckpt "
                         "TOLERANCE\n");
    return 2;
  }
  ModelLibrary model;
  if (Status s = model.open(argv[1]); s.failed()) {
    std::fprintf(stderr, "compare_checkpoints: %s\n", s.message().c_str());
    return 2;
  }
  Weights a, b;
  if (!load(model, argv[2], a) || !load(model, argv[3], b))
    return 2;
  double tolerance = std::atof(argv[4]);
  bool params = compare("parameters", a.params, b.params, tolerance);
  bool state = compare("optimizer state", a.state, b.state, tolerance);
  return params && state ? 0 : 1;
}

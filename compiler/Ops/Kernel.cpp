//===- Kernel.cpp - Shared buffer declarations for the op kernels --------===//
//
// The buffer constraints every kernel relies on: static strides and extents
// where the model fixes them, a dynamic batch extent with an estimate, so
// that both the JIT and `compile_to_object` see the same dense layouts and
// Halide can drop the stride arithmetic from inner loops.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Kernel.h"

#include <algorithm>

using namespace Halide;

namespace mnistc::ops {

std::vector<std::string> Kernel::outputNames() const {
  std::vector<std::string> names;
  for (Func out : pipeline.outputs())
    for (const OutputImageParam &buffer : out.output_buffers())
      names.push_back(buffer.name());
  return names;
}

Kernel makeKernel(std::string name, Pipeline pipeline,
                  std::vector<Param<>> scalars,
                  std::vector<ImageParam> buffers,
                  const KernelTarget &target) {
  Kernel kernel{std::move(name), std::move(pipeline), {}, scalars, buffers};
  for (const Param<> &scalar : scalars)
    kernel.args.push_back(scalar);
  for (const ImageParam &buffer : buffers)
    kernel.args.push_back(buffer);
  kernel.manualSchedule = target.schedule;
  return kernel;
}

ImageParam batchMajorInput(const std::string &name, int features, Type type) {
  ImageParam in(type, 2, name);
  in.dim(0).set_bounds(0, features).set_stride(1);
  in.dim(1).set_min(0).set_stride(features);
  in.set_estimates({{0, features}, {0, kBatchEstimate}});
  return in;
}

ImageParam batchInput(const std::string &name, Type type) {
  ImageParam in(type, 1, name);
  in.dim(0).set_min(0).set_stride(1);
  in.set_estimates({{0, kBatchEstimate}});
  return in;
}

ImageParam staticInput(const std::string &name, const std::vector<int> &extents,
                       Type type) {
  ImageParam in(type, static_cast<int>(extents.size()), name);
  Region estimates;
  int stride = 1;
  for (size_t d = 0; d < extents.size(); ++d) {
    in.dim(d).set_bounds(0, extents[d]).set_stride(stride);
    estimates.push_back({0, extents[d]});
    stride *= extents[d];
  }
  in.set_estimates(estimates);
  return in;
}

ImageParam channelsLastInput(const std::string &name, int channels,
                             int spatial) {
  ImageParam in(Float(32), 3, name);
  in.dim(0).set_bounds(0, channels).set_stride(1);
  in.dim(1).set_bounds(0, spatial).set_stride(channels);
  in.dim(2).set_min(0).set_stride(channels * spatial);
  in.set_estimates({{0, channels}, {0, spatial}, {0, kBatchEstimate}});
  return in;
}

void constrainChannelsLastOutput(Func out, int channels, int spatial,
                                 Expr batch) {
  OutputImageParam buffer = out.output_buffer();
  buffer.dim(0).set_bounds(0, channels).set_stride(1);
  buffer.dim(1).set_bounds(0, spatial).set_stride(channels);
  buffer.dim(2).set_bounds(0, batch).set_stride(channels * spatial);
  out.set_estimates({{0, channels}, {0, spatial}, {0, kBatchEstimate}});
}

// Halide ties the min and extent of every Tuple element's buffer to the
// first one's (and refuses constraints on the others), so only the first
// gets bounds; all get strides.
void constrainBatchMajorOutput(Func out, int features, Expr batch) {
  std::vector<OutputImageParam> buffers = out.output_buffers();
  buffers[0].dim(0).set_bounds(0, features);
  buffers[0].dim(1).set_bounds(0, batch);
  for (OutputImageParam buffer : buffers) {
    buffer.dim(0).set_stride(1);
    buffer.dim(1).set_stride(features);
  }
  out.set_estimates({{0, features}, {0, kBatchEstimate}});
}

void constrainStaticOutput(Func out, const std::vector<int> &extents) {
  Region estimates;
  std::vector<OutputImageParam> buffers = out.output_buffers();
  for (size_t d = 0; d < extents.size(); ++d)
    buffers[0].dim(d).set_bounds(0, extents[d]);
  for (OutputImageParam buffer : buffers) {
    int stride = 1;
    for (size_t d = 0; d < extents.size(); ++d) {
      buffer.dim(d).set_stride(stride);
      stride *= extents[d];
    }
  }
  for (int extent : extents)
    estimates.push_back({0, extent});
  out.set_estimates(estimates);
}

void scheduleRowsCPU(Func out, Var f, Var n, int features,
                     const KernelTarget &target) {
  constexpr int kRowsPerTask = 16;
  if (!target.schedule)
    return;
  const int lanes = std::min(features, target.natural_vector_size<float>());
  Var fo("fo"), fi("fi"), no("no"), ni("ni");
  out.split(f, fo, fi, lanes, TailStrategy::GuardWithIf)
      .split(n, no, ni, kRowsPerTask, TailStrategy::GuardWithIf)
      .reorder(fi, fo, ni, no)
      .vectorize(fi)
      .parallel(no);
}

} // namespace mnistc::ops

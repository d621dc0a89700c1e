//===- Merge.cpp - Add, Concatenate and slice kernels --------------------===//
//
// All three are memory-bound copies or sums, scheduled like the other
// elementwise kernels: a SIMD vector over the innermost (channel or
// feature) axis, parallel over rows of the batch.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Merge.h"

#include "compiler/Codegen/Lowering.h"

#include <algorithm>

using namespace Halide;

namespace mnistc::ops {

namespace {

/// Constrains `out` to the channels-last layout, and schedules it: a
/// vector of channels per pixel, parallel over the batch.
void finishChannels(Func out, int c, int s, Expr batch, const KernelTarget &target) {
  constrainChannelsLastOutput(out, c, s, batch);
  if (!target.schedule)
    return;
  Var ch = out.args()[0], n = out.args()[2];
  const int lanes = std::min(c, target.natural_vector_size<float>());
  out.vectorize(ch, lanes, TailStrategy::GuardWithIf).parallel(n);
}

} // namespace

Kernel addForward(int features, int inputs, Activation act,
                  const KernelTarget &target) {
  std::vector<ImageParam> xs;
  for (int i = 0; i < inputs; ++i)
    xs.push_back(batchMajorInput("x" + std::to_string(i), features));
  Var f("f"), n("n");
  Func y("y");
  Expr sum = xs[0](f, n);
  for (int i = 1; i < inputs; ++i)
    sum = sum + xs[i](f, n);
  y(f, n) = activate(act, sum);
  constrainBatchMajorOutput(y, features, xs[0].dim(1).extent());
  scheduleRowsCPU(y, f, n, features, target);
  std::string name =
      "add_" + std::to_string(inputs) + "x" + std::to_string(features);
  if (act != Activation::Linear)
    name += std::string("_") + activationName(act);
  return makeKernel(name, Pipeline(y), {}, xs, target);
}

Kernel concatenateChannels(int spatial, const std::vector<int> &channels,
                           const KernelTarget &target) {
  std::vector<ImageParam> xs;
  std::string name = "concatenate_" + std::to_string(spatial);
  for (size_t i = 0; i < channels.size(); ++i) {
    xs.push_back(channelsLastInput("x" + std::to_string(i), channels[i], spatial));
    name += "_" + std::to_string(channels[i]);
  }
  // Algorithm: a chain of selects from the last input back to the first,
  // each input's index clamped into its own range.
  Var c("c"), s("s"), n("n");
  int total = 0;
  for (int ci : channels)
    total += ci;
  int offset = total - channels.back();
  Expr value = xs.back()(clamp(c - offset, 0, channels.back() - 1), s, n);
  for (int i = static_cast<int>(channels.size()) - 2; i >= 0; --i) {
    offset -= channels[i];
    value = select(c < offset + channels[i],
                   xs[i](clamp(c - offset, 0, channels[i] - 1), s, n), value);
  }
  Func y("y");
  y(c, s, n) = value;
  finishChannels(y, total, spatial, xs[0].dim(2).extent(), target);
  return makeKernel(name, Pipeline(y), {}, xs, target);
}

Kernel sliceChannels(int spatial, int channels, int offset, int count,
                     const KernelTarget &target) {
  ImageParam x = channelsLastInput("x", channels, spatial);
  Var c("c"), s("s"), n("n");
  Func y("y");
  y(c, s, n) = x(c + offset, s, n);
  finishChannels(y, count, spatial, x.dim(2).extent(), target);
  return makeKernel("slice_" + std::to_string(spatial) + "_" +
                        std::to_string(channels) + "_" +
                        std::to_string(offset) + "_" + std::to_string(count),
                    Pipeline(y), {}, {x}, target);
}

//===----------------------------------------------------------------------===//
// Lowering (NN_KernelOpInterface)
//===----------------------------------------------------------------------===//

namespace {

using namespace mlir;
using namespace mnistc::nn;
using codegen::Lowering;
using codegen::shapeOf;

/// nn.add: the forward kernel (also the sum of gradients that fan in),
/// with the activation nn-fuse-activations folded in.
struct AddKernels : KernelOp::ExternalModel<AddKernels, AddOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto add = cast<AddOp>(op);
    std::vector<int> buffers;
    for (Value in : add.getInputs())
      buffers.push_back(l.rows(in));
    buffers.push_back(l.rows(add.getOutput()));
    int features = codegen::features(add.getOutput());
    int inputs = add.getInputs().size();
    Activation act = codegen::kernelActivation(
        add.getActivation().value_or(nn::Activation::linear));
    l.call(
        [=](const KernelTarget &target) {
          return addForward(features, inputs, act, target);
        },
           {}, buffers, l.forwardSteps());
    return success();
  }
};

struct ConcatenateKernels
    : KernelOp::ExternalModel<ConcatenateKernels, ConcatenateOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto cat = cast<ConcatenateOp>(op);
    std::vector<int> buffers, channels;
    for (Value in : cat.getInputs()) {
      buffers.push_back(l.channels(in));
      channels.push_back(shapeOf(in).back());
    }
    buffers.push_back(l.channels(cat.getOutput()));
    int spatial = codegen::features(cat.getOutput()) / shapeOf(cat).back();
    l.call(
        [=](const KernelTarget &target) {
          return concatenateChannels(spatial, channels, target);
        },
           {}, buffers, l.forwardSteps());
    return success();
  }
};

/// nn.slice: one Concatenate input's gradient.
struct SliceKernels : KernelOp::ExternalModel<SliceKernels, SliceOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto slice = cast<SliceOp>(op);
    int inChannels = shapeOf(slice.getInput()).back();
    int outChannels = shapeOf(slice).back();
    int spatial = codegen::features(slice) / outChannels;
    int offset = slice.getOffset();
    l.call(
        [=](const KernelTarget &target) {
          return sliceChannels(spatial, inChannels, offset, outChannels,
                               target);
        },
           {}, {l.channels(slice.getInput()), l.channels(slice)},
           Lowering::Train);
    return success();
  }
};

} // namespace

void registerMergeKernels(MLIRContext *ctx) {
  AddOp::attachInterface<AddKernels>(*ctx);
  ConcatenateOp::attachInterface<ConcatenateKernels>(*ctx);
  SliceOp::attachInterface<SliceKernels>(*ctx);
}

} // namespace mnistc::ops

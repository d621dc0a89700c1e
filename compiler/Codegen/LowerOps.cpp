//===- LowerOps.cpp - Each training-graph op as kernel calls -------------===//
//
// Step 3 of the planner (ModelPlan.cpp): the kernel (compiler/Ops/) each
// op of nn.train becomes, in which steps it runs, and the buffers, in the
// kernel's layout, it reads and writes. The table of the mapping is in
// ModelPlan.cpp's file comment.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/Planner.h"

#include "compiler/Ops/BatchNorm.h"
#include "compiler/Ops/Dense.h"
#include "compiler/Ops/Dropout.h"
#include "compiler/Ops/L2Regularizer.h"
#include "compiler/Ops/Merge.h"
#include "compiler/Ops/SoftmaxCrossEntropy.h"

using namespace mlir;
using namespace mnistc::nn;

namespace mnistc::codegen {

LogicalResult Planner::lower(Operation &op, bool forwardPhase) {
  if (isa<LearningRateOp, BiasGradOp, SGDUpdateOp, AdamUpdateOp,
          RMSpropUpdateOp>(op))
    return success(); // fused, or handled at the end
  if (auto yield = dyn_cast<TrainYieldOp>(op)) {
    plan_.buffers[bufferFor(yield.getLoss())].role = Role::Loss;
    plan_.buffers[bufferFor(yield.getCorrect())].role = Role::Correct;
    return success();
  }
  if (auto images = dyn_cast<BatchImagesOp>(op)) {
    bufferFor(images, Region::Images);
    return success();
  }
  if (auto labels = dyn_cast<BatchLabelsOp>(op)) {
    bufferFor(labels, Region::Labels);
    return success();
  }
  if (auto p = dyn_cast<ParamOp>(op)) {
    int b = bufferFor(p, Region::Params);
    plan_.buffers[b].offset = paramOffset_.lookup(p) * 4;
    return success();
  }
  if (isa<FlattenOp, ReshapeOp>(op)) {
    buffers_[op.getResult(0)] = viewOf(op.getOperand(0),
                                       op.getResult(0).getType());
    return success();
  }
  // Forward kernels run in every step; eval and forward only need those
  // before the loss.
  bool all = forwardPhase;
  if (auto lin = dyn_cast<LinearOp>(op)) {
    auto k = cast<RankedTensorType>(lin.getKernel().getType());
    int in = k.getDimSize(0), units = k.getDimSize(1);
    int bias = lin.getBias() ? bufferFor(lin.getBias())
                             : scratch({units}); // zeros, never written
    call(ops::denseForward({in, units},
                           kernelActivation(lin.getActivation()), target_),
         {},
         {bufferFor(lin.getInput()), bufferFor(lin.getKernel()), bias,
          bufferFor(lin.getOutput())},
         true, all, all);
    return success();
  }
  if (auto conv = dyn_cast<ConvOp>(op)) {
    auto s = convShape(conv.getInput(), conv.getKernel(), conv.getStrides(),
                       conv.getPadding());
    int bias = conv.getBias() ? bufferFor(conv.getBias())
                              : scratch({s.filters});
    call(ops::conv2dForward(s, kernelActivation(conv.getActivation()),
                            target_),
         {},
         {bufferFor(conv.getInput()), bufferFor(conv.getKernel()), bias,
          bufferFor(conv.getOutput())},
         true, all, all);
    return success();
  }
  auto pool = [&](auto p, auto builder) {
    call(builder(poolShape(p.getInput(), p.getPoolSize(), p.getStrides(),
                           p.getPadding()),
                 target_),
         {}, {bufferFor(p.getInput()), bufferFor(p.getOutput())}, true, all,
         all);
    return success();
  };
  if (auto p = dyn_cast<MaxPool2DOp>(op))
    return pool(p, ops::maxPoolForward);
  if (auto p = dyn_cast<AvgPool2DOp>(op))
    return pool(p, ops::avgPoolForward);
  if (auto act = dyn_cast<ActivationOp>(op)) {
    call(ops::activationForward(features(act.getInput()),
                                kernelActivation(act.getActivation()),
                                target_),
         {}, {rows(act.getInput()), rows(act.getOutput())}, true, all, all);
    return success();
  }
  if (auto drop = dyn_cast<DropoutTrainOp>(op)) {
    // Training draws a mask; evaluation copies (rate 0 is the identity).
    ops::DropoutOptions o;
    o.rate = drop.getRate().convertToDouble();
    o.stream = static_cast<uint32_t>(drop.getStream());
    int in = rows(drop.getInput()), out = rows(drop.getOutput());
    ops::DropoutShape shape{int(features(drop.getInput()))};
    call(ops::dropoutForward(shape, o, target_), {kSeedSlot, kStepSlot, kFirstSlot},
         {in, out}, true, false, false);
    call(ops::dropoutForward(shape, ops::DropoutOptions{0.0, 0}, target_),
         {kSeedSlot, kStepSlot, kFirstSlot}, {in, out}, false, all, all);
    return success();
  }
  if (auto bn = dyn_cast<BatchNormTrainOp>(op)) {
    Value x = bn.getInput();
    int64_t c = cast<RankedTensorType>(x.getType()).getShape().back();
    ops::BatchNormShape shape{int(c), int(features(x) / c)};
    ops::BatchNormOptions o{bn.getMomentum().convertToDouble(),
                            bn.getEpsilon().convertToDouble()};
    int in = channelsView(x), out = channelsView(bn.getOutput());
    int gamma = bufferFor(bn.getGamma()), beta = bufferFor(bn.getBeta());
    int mm = bufferFor(bn.getMovingMean()),
        mv = bufferFor(bn.getMovingVariance());
    ops::Activation act = kernelActivation(bn.getActivation());
    call(ops::batchNormTrainForward(shape, o, act, target_), {},
         {in, gamma, beta, mm, mv, out, bufferFor(bn.getMean()),
          bufferFor(bn.getVariance()), mm, mv},
         true, false, false);
    call(ops::batchNormInference(shape, o, act, target_), {},
         {in, gamma, beta, mm, mv, out}, false, all, all);
    return success();
  }
  if (auto addOp = dyn_cast<AddOp>(op)) {
    std::vector<int> buffers;
    for (Value in : addOp.getInputs())
      buffers.push_back(rows(in));
    buffers.push_back(rows(addOp.getOutput()));
    call(ops::addForward(features(addOp.getOutput()),
                         addOp.getInputs().size(),
                         kernelActivation(addOp.getActivation().value_or(
                             Activation::linear)),
                         target_),
         {}, buffers, true, all, all);
    return success();
  }
  if (auto cat = dyn_cast<ConcatenateOp>(op)) {
    std::vector<int> buffers, channels;
    for (Value in : cat.getInputs()) {
      buffers.push_back(channelsView(in));
      channels.push_back(
          cast<RankedTensorType>(in.getType()).getShape().back());
    }
    buffers.push_back(channelsView(cat.getOutput()));
    int64_t c = cast<RankedTensorType>(cat.getType()).getShape().back();
    call(ops::concatenateChannels(features(cat.getOutput()) / c, channels,
                                  target_),
         {}, buffers, true, all, all);
    return success();
  }
  if (auto ce = dyn_cast<SoftmaxCrossEntropyOp>(op)) {
    int classes = cast<RankedTensorType>(ce.getLogits().getType())
                      .getDimSize(1);
    bool sparse = cast<RankedTensorType>(ce.getLabels().getType())
                      .getElementType()
                      .isInteger(32);
    int loss = bufferFor(ce.getLoss());
    int correct = bufferFor(ce.getCorrect());
    call(ops::softmaxCrossEntropy(classes,
                                  sparse ? ops::LabelKind::Sparse
                                         : ops::LabelKind::Categorical,
                                  target_),
         {},
         {bufferFor(ce.getLogits()), bufferFor(ce.getLabels()), loss,
          bufferFor(ce.getDlogits()), correct},
         true, true, false);
    int probs = add(recordOf(ce.getLogits().getType(),
                             Region::Probabilities));
    call(ops::softmaxForward(classes, target_), {},
         {bufferFor(ce.getLogits()), probs}, false, false, true);
    return success();
  }
  if (auto mse = dyn_cast<MeanSquaredErrorOp>(op)) {
    int classes = cast<RankedTensorType>(mse.getInput().getType())
                      .getDimSize(1);
    bool softmax = mse.getActivation() == Activation::softmax;
    call(ops::meanSquaredError(classes, softmax, target_), {},
         {bufferFor(mse.getInput()), bufferFor(mse.getLabels()),
          bufferFor(mse.getLoss()), bufferFor(mse.getDinput()),
          bufferFor(mse.getCorrect())},
         true, true, false);
    int probs = add(recordOf(mse.getInput().getType(),
                             Region::Probabilities));
    call(softmax ? ops::softmaxForward(classes, target_)
                 : ops::activationForward(classes, ops::Activation::Linear,
                                          target_),
         {}, {bufferFor(mse.getInput()), probs}, false, false, true);
    return success();
  }
  if (auto l2 = dyn_cast<L2PenaltyOp>(op)) {
    // In the train and eval steps: Keras reports the penalized loss.
    auto t = cast<RankedTensorType>(l2.getParam().getType());
    call(ops::l2Penalty(t.getNumElements(),
                        l2.getL2().convertToDouble(), target_),
         {},
         {bufferFor(l2.getLoss()), flat(l2.getParam(), Region::Params),
          bufferFor(l2.getResult())},
         true, true, false);
    return success();
  }
  return lowerBackward(op);
}

int Planner::flat(Value param, Region region) {
  BufferRecord r;
  r.region = region;
  r.rank = 1;
  r.extents[0] = cast<RankedTensorType>(param.getType()).getNumElements();
  r.offset = paramOffset_.lookup(param) * 4;
  return add(r);
}

LogicalResult Planner::lowerBackward(Operation &op) {
  auto trainCall = [&](ops::Kernel k, std::vector<int> scalars,
                       std::vector<int> buffers) {
    call(std::move(k), std::move(scalars), std::move(buffers), true, false,
         false);
  };
  if (auto g = dyn_cast<ActivationGradOp>(op)) {
    if (!fused(g))
      trainCall(ops::activationBackward(features(g.getGrad()),
                                        kernelActivation(g.getActivation()),
                                        target_),
                {}, {rows(g.getGrad()), rows(g.getOutput()), rows(g)});
    return success();
  }
  if (auto gk = dyn_cast<MatmulGradKernelOp>(op)) {
    auto [dy, y, act] = activationOf(gk.getGrad());
    auto shape = cast<RankedTensorType>(gk.getType()).getShape();
    trainCall(ops::denseBackwardParams({int(shape[0]), int(shape[1])}, act,
                                       target_),
              {},
              {bufferFor(dy), bufferFor(y), bufferFor(gk.getInput()),
               gradientBuffer(gk), biasGradientFor(gk.getGrad(), shape[1])});
    return success();
  }
  if (auto gi = dyn_cast<MatmulGradInputOp>(op)) {
    auto [dy, y, act] = activationOf(gi.getGrad());
    auto k = cast<RankedTensorType>(gi.getKernel().getType()).getShape();
    trainCall(ops::denseBackwardInput({int(k[0]), int(k[1])}, act, target_),
              {},
              {bufferFor(dy), bufferFor(y), bufferFor(gi.getKernel()),
               bufferFor(gi.getResult())});
    return success();
  }
  if (auto gk = dyn_cast<ConvGradKernelOp>(op)) {
    auto [dy, y, act] = activationOf(gk.getGrad());
    auto s = convShape(gk.getInput(), gk.getResult(), gk.getStrides(),
                       gk.getPadding());
    trainCall(ops::conv2dBackwardParams(s, act, target_), {},
              {bufferFor(dy), bufferFor(y), bufferFor(gk.getInput()),
               gradientBuffer(gk), biasGradientFor(gk.getGrad(), s.filters)});
    return success();
  }
  if (auto gi = dyn_cast<ConvGradInputOp>(op)) {
    auto [dy, y, act] = activationOf(gi.getGrad());
    auto s = convShape(gi.getResult(), gi.getKernel(), gi.getStrides(),
                       gi.getPadding());
    trainCall(ops::conv2dBackwardInput(s, act, target_), {},
              {bufferFor(dy), bufferFor(y), bufferFor(gi.getKernel()),
               bufferFor(gi.getResult())});
    return success();
  }
  if (auto g = dyn_cast<MaxPoolGradOp>(op)) {
    trainCall(ops::maxPoolBackward(poolShape(g.getInput(), g.getPoolSize(),
                                             g.getStrides(), g.getPadding()),
                                   kernelActivation(g.getActivation()),
                                   target_),
              {},
              {bufferFor(g.getGrad()), bufferFor(g.getInput()),
               bufferFor(g.getResult())});
    return success();
  }
  if (auto g = dyn_cast<AvgPoolGradOp>(op)) {
    trainCall(ops::avgPoolBackward(poolShape(g.getInput(), g.getPoolSize(),
                                             g.getStrides(), g.getPadding()),
                                   target_),
              {}, {bufferFor(g.getGrad()), bufferFor(g.getResult())});
    return success();
  }
  if (auto g = dyn_cast<DropoutGradOp>(op)) {
    ops::DropoutOptions o;
    o.rate = g.getRate().convertToDouble();
    o.stream = static_cast<uint32_t>(g.getStream());
    trainCall(ops::dropoutBackward({int(features(g.getGrad()))}, o, target_),
              {kSeedSlot, kStepSlot, kFirstSlot}, {rows(g.getGrad()), rows(g)});
    return success();
  }
  if (auto g = dyn_cast<BatchNormGradOp>(op)) {
    Value x = g.getInput();
    int64_t c = cast<RankedTensorType>(x.getType()).getShape().back();
    ops::BatchNormOptions o;
    o.epsilon = g.getEpsilon().convertToDouble();
    std::vector<int> buffers = {
        channelsView(g.getGrad()), channelsView(x), bufferFor(g.getGamma()),
        bufferFor(g.getMean()), bufferFor(g.getVariance())};
    if (Value y = g.getOutput())
      buffers.push_back(channelsView(y));
    buffers.insert(buffers.end(), {channelsView(g.getInputGrad()),
                                   gradientBuffer(g.getGammaGrad()),
                                   gradientBuffer(g.getBetaGrad())});
    trainCall(ops::batchNormBackward({int(c), int(features(x) / c)}, o,
                                     kernelActivation(g.getActivation()),
                                     target_),
              {}, std::move(buffers));
    return success();
  }
  if (auto l2 = dyn_cast<L2GradOp>(op)) {
    auto t = cast<RankedTensorType>(l2.getParam().getType());
    int g = flat(l2.getParam(), Region::Gradients);
    trainCall(ops::l2Gradient(t.getNumElements(),
                              l2.getL2().convertToDouble(), target_),
              {}, {flat(l2.getParam(), Region::Params), g, g});
    return success();
  }
  if (auto slice = dyn_cast<SliceOp>(op)) {
    auto in = cast<RankedTensorType>(slice.getInput().getType()).getShape();
    auto out = cast<RankedTensorType>(slice.getType()).getShape();
    trainCall(ops::sliceChannels(features(slice) / out.back(), in.back(),
                                 slice.getOffset(), out.back(), target_),
              {}, {channelsView(slice.getInput()), channelsView(slice)});
    return success();
  }
  return op.emitError() << "this layer cannot be compiled into a model.so "
                        << "yet (no kernel for '" << op.getName() << "')";
}

} // namespace mnistc::codegen

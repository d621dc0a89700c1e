//===- ModelPlan.cpp - From the training graph to kernel calls ------------===//
//
// Algorithm:
// 1. Lay out the parameters: trainable ones first, then the others, in
//    graph order, each 64-byte aligned, so the gradients form one buffer
//    shaped like the trainable parameters and one optimizer kernel updates
//    them all.
// 2. Walk nn.train in order, giving every tensor a buffer: the caller's
//    images and labels, parameters and their gradients, arena buffers for
//    activations; Flatten and Reshape are views of their input.
// 3. Map ops to kernels (compiler/Ops/):
//      nn.linear / nn.conv             dense_forward / conv2d_forward
//      nn.max_pool2d, nn.avg_pool2d    max_pool / avg_pool forward
//      nn.activation                   activation_forward
//      nn.dropout_train                dropout_forward (train), an
//                                      identity copy (eval, forward)
//      nn.batch_norm_train             batchnorm_train_forward (train,
//                                      moving statistics in place),
//                                      batchnorm_inference (eval, forward)
//      nn.add, nn.concatenate          add, concatenate (nn.add also sums
//                                      gradients that fan in)
//      nn.softmax_cross_entropy        softmax_cross_entropy (train, eval)
//                                      + softmax_forward (forward step)
//      nn.mean_squared_error           mean_squared_error (train, eval)
//                                      + softmax or copy (forward step)
//      nn.l2_penalty, nn.l2_grad       l2_penalty (train, eval),
//                                      l2_gradient (in place, train)
//      nn.matmul_grad_kernel / nn.conv_grad_kernel + nn.bias_grad of one
//      gradient                        dense / conv2d backward_params
//      nn.matmul_grad_input / nn.conv_grad_input
//                                      dense / conv2d backward_input
//      nn.activation_grad              fused into the kernels above when
//                                      they are its only readers, else
//                                      activation_backward
//      nn.*_pool2d_grad, nn.dropout_grad, nn.batch_norm_grad, nn.slice
//                                      their layer's backward kernel
//      the nn.*_update ops             one sgd/adam/rmsprop_update over
//                                      all trainable parameters
//    Kernels see buffers in their own layout: a tensor flattened past the
//    batch axis (features, n) or channels-last (C, S, n) is a view.
// 4. The forward kernels and the loss form the eval step, the forward
//    kernels and the softmax the forward step; everything the train step.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/ModelPlan.h"

#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Ops/BatchNorm.h"
#include "compiler/Ops/Dense.h"
#include "compiler/Ops/Dropout.h"
#include "compiler/Ops/L2Regularizer.h"
#include "compiler/Ops/Merge.h"
#include "compiler/Ops/Optimizers.h"
#include "compiler/Ops/Pool.h"
#include "compiler/Ops/SoftmaxCrossEntropy.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace mnistc::nn;

namespace mnistc::codegen {

std::string ModelPlan::symbol(size_t kernel) const {
  return "mnistc_k" + std::to_string(kernel) + "_" + kernels[kernel].name;
}

std::vector<int64_t> ModelPlan::table() const {
  std::vector<int64_t> words(1 + buffers.size() * kRecordWords);
  words[0] = static_cast<int64_t>(buffers.size());
  for (size_t i = 0; i < buffers.size(); ++i)
    buffers[i].write(&words[1 + i * kRecordWords]);
  return words;
}

namespace {

ops::Activation kernelActivation(Activation act) {
  switch (act) {
  case Activation::relu: return ops::Activation::Relu;
  case Activation::sigmoid: return ops::Activation::Sigmoid;
  case Activation::tanh: return ops::Activation::Tanh;
  default: return ops::Activation::Linear;
  }
}

class Planner {
public:
  Planner(ModelOp model, TrainOp train, const Halide::Target &target)
      : model_(model), train_(train), target_(target) {}

  FailureOr<ModelPlan> run() {
    layoutParams();
    bool forwardPhase = true;
    for (Operation &op : train_.getBody().front()) {
      if (isa<SoftmaxCrossEntropyOp>(op))
        forwardPhase = false;
      if (failed(lower(op, forwardPhase)))
        return failure();
    }
    if (failed(lowerUpdates()))
      return failure();
    plan_.info = describeModel(model_, train_, target_, paramOffset_,
                               paramFloats_, stateFloats_);
    return std::move(plan_);
  }

private:
  // Step 1.
  void layoutParams() {
    for (bool trainable : {true, false})
      for (auto p : train_.getBody().front().getOps<ParamOp>())
        if (p.getTrainable() == trainable) {
          // Every tensor starts 64-byte aligned (the kernels' vector
          // stores need it); the padding stays zero and its updates are 0.
          paramFloats_ = (paramFloats_ + 15) / 16 * 16;
          paramOffset_[p] = paramFloats_;
          paramFloats_ += cast<RankedTensorType>(p.getType()).getNumElements();
          if (trainable)
            trainableFloats_ = paramFloats_;
        }
  }

  // Step 2.
  BufferRecord recordOf(Type type, Region region) {
    auto t = cast<RankedTensorType>(type);
    BufferRecord r;
    r.region = region;
    r.rank = t.getRank();
    r.typeCode = t.getElementType().isF32() ? 2 : 0; // float : int
    r.typeBits = t.getElementType().getIntOrFloatBitWidth();
    for (int k = 0; k < r.rank; ++k) {
      int64_t d = t.getDimSize(r.rank - 1 - k); // Halide order
      r.extents[k] = ShapedType::isDynamic(d) ? 1 : d;
      if (ShapedType::isDynamic(d))
        r.batchDim = k;
    }
    return r;
  }
  int add(BufferRecord r) {
    plan_.buffers.push_back(r);
    return static_cast<int>(plan_.buffers.size()) - 1;
  }
  int bufferFor(Value v, Region region = Region::Arena) {
    auto it = buffers_.find(v);
    if (it != buffers_.end())
      return it->second;
    return buffers_[v] = add(recordOf(v.getType(), region));
  }
  /// A view of `source`'s storage with `type`'s shape.
  int viewOf(Value source, Type type) {
    int target = bufferFor(source);
    BufferRecord r = recordOf(type, Region::Arena);
    r.alias = plan_.buffers[target].alias >= 0 ? plan_.buffers[target].alias
                                               : target;
    return add(r);
  }
  /// The gradient buffer of a trainable parameter.
  int gradientOf(Value param) {
    BufferRecord r = recordOf(param.getType(), Region::Gradients);
    r.offset = paramOffset_.lookup(param) * 4;
    return add(r);
  }
  /// The parameter whose update consumes `grad` (directly or after its
  /// L2 term is added), if any.
  Value paramUpdatedBy(Value grad) {
    for (Operation *user : grad.getUsers()) {
      if (isa<SGDUpdateOp, AdamUpdateOp, RMSpropUpdateOp>(user))
        return user->getOperand(0);
      if (auto l2 = dyn_cast<L2GradOp>(user))
        return l2.getParam();
    }
    return nullptr;
  }

  void call(ops::Kernel kernel, std::vector<int> scalars,
            std::vector<int> buffers, bool train, bool eval, bool forward) {
    plan_.kernels.push_back(std::move(kernel));
    KernelCall c{plan_.kernels.size() - 1, std::move(scalars),
                 std::move(buffers)};
    if (train)
      plan_.train.push_back(c);
    if (eval)
      plan_.eval.push_back(c);
    if (forward)
      plan_.forward.push_back(c);
  }

  /// Whether an activation gradient is computed inside the kernels that
  /// read it (every reader is a Dense or Conv2D backward) instead of by a
  /// kernel of its own.
  static bool fused(ActivationGradOp g) {
    return llvm::all_of(g->getUsers(), [](Operation *user) {
      return isa<MatmulGradKernelOp, MatmulGradInputOp, BiasGradOp,
                 ConvGradKernelOp, ConvGradInputOp>(user);
    });
  }

  /// For a gradient dz feeding a Dense or Conv2D backward: (dy, y,
  /// activation) with dz = dy ⊙ act'(y).
  std::tuple<Value, Value, ops::Activation> activationOf(Value dz) {
    if (auto g = dz.getDefiningOp<ActivationGradOp>(); g && fused(g))
      return {g.getGrad(), g.getOutput(), kernelActivation(g.getActivation())};
    return {dz, dz, ops::Activation::Linear};
  }

  /// A scratch float buffer of static `shape` that a kernel writes and no
  /// one reads (a bias gradient of a layer without bias, ...).
  int scratch(ArrayRef<int64_t> shape) {
    return add(recordOf(
        RankedTensorType::get(shape, Float32Type::get(train_.getContext())),
        Region::Arena));
  }

  /// The gradient buffer of the parameter that `grad` updates, else its
  /// own (arena) buffer.
  int gradientBuffer(Value grad) {
    Value param = paramUpdatedBy(grad);
    return param ? gradientOf(param) : bufferFor(grad);
  }

  /// The bias gradient that shares the kernel gradient's `dz`.
  int biasGradientFor(Value dz, int64_t channels) {
    for (Operation *user : dz.getUsers())
      if (auto bg = dyn_cast<BiasGradOp>(user))
        return gradientBuffer(bg.getResult());
    return scratch({channels});
  }

  /// A view of v as the Halide buffer (`inner`..., batch): the Keras
  /// tensor flattened past its batch axis, innermost extent first.
  int viewAs(Value v, std::initializer_list<int64_t> inner) {
    int target = bufferFor(v);
    BufferRecord r;
    r.rank = static_cast<int>(inner.size()) + 1;
    int k = 0;
    for (int64_t e : inner)
      r.extents[k++] = e;
    r.batchDim = k;
    r.alias = plan_.buffers[target].alias >= 0 ? plan_.buffers[target].alias
                                               : target;
    return add(r);
  }
  static int64_t features(Value v) {
    int64_t f = 1;
    for (int64_t d : cast<RankedTensorType>(v.getType()).getShape().drop_front())
      f *= d;
    return f;
  }
  /// (features, n).
  int rows(Value v) { return viewAs(v, {features(v)}); }
  /// (C, S, n): channels last, the middle axes as S.
  int channelsView(Value v) {
    int64_t c = cast<RankedTensorType>(v.getType()).getShape().back();
    return viewAs(v, {c, features(v) / c});
  }

  static ops::Conv2DShape convShape(Value input, Value kernel,
                                    ArrayRef<int64_t> strides,
                                    Padding padding) {
    auto x = cast<RankedTensorType>(input.getType()).getShape();
    auto k = cast<RankedTensorType>(kernel.getType()).getShape();
    ops::Conv2DShape s;
    s.inH = x[1], s.inW = x[2], s.inC = x[3];
    s.kh = k[0], s.kw = k[1], s.filters = k[3];
    s.sh = strides[0], s.sw = strides[1];
    s.samePadding = padding == Padding::same;
    return s;
  }
  static ops::PoolShape poolShape(Value input, ArrayRef<int64_t> window,
                                  ArrayRef<int64_t> strides, Padding padding) {
    auto x = cast<RankedTensorType>(input.getType()).getShape();
    return {int(x[1]), int(x[2]), int(x[3]), int(window[0]), int(window[1]),
            int(strides[0]), int(strides[1]), padding == Padding::same};
  }

  // Step 3.
  LogicalResult lower(Operation &op, bool forwardPhase) {
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
    if (auto pool = dyn_cast<MaxPool2DOp>(op)) {
      call(ops::maxPoolForward(poolShape(pool.getInput(), pool.getPoolSize(),
                                         pool.getStrides(), pool.getPadding()),
                               target_),
           {}, {bufferFor(pool.getInput()), bufferFor(pool.getOutput())}, true,
           all, all);
      return success();
    }
    if (auto pool = dyn_cast<AvgPool2DOp>(op)) {
      call(ops::avgPoolForward(poolShape(pool.getInput(), pool.getPoolSize(),
                                         pool.getStrides(), pool.getPadding()),
                               target_),
           {}, {bufferFor(pool.getInput()), bufferFor(pool.getOutput())}, true,
           all, all);
      return success();
    }
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
      call(ops::dropoutForward(shape, o, target_), {kSeedSlot, kStepSlot},
           {in, out}, true, false, false);
      call(ops::dropoutForward(shape, ops::DropoutOptions{0.0, 0}, target_),
           {kSeedSlot, kStepSlot}, {in, out}, false, all, all);
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
      call(ops::batchNormTrainForward(shape, o, target_), {},
           {in, gamma, beta, mm, mv, out, bufferFor(bn.getMean()),
            bufferFor(bn.getVariance()), mm, mv},
           true, false, false);
      call(ops::batchNormInference(shape, o, target_), {},
           {in, gamma, beta, mm, mv, out}, false, all, all);
      return success();
    }
    if (auto addOp = dyn_cast<AddOp>(op)) {
      std::vector<int> buffers;
      for (Value in : addOp.getInputs())
        buffers.push_back(rows(in));
      buffers.push_back(rows(addOp.getOutput()));
      call(ops::addForward(features(addOp.getOutput()),
                           addOp.getInputs().size(), target_),
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

  /// A parameter's storage in `region` (Params or Gradients) as a flat
  /// array.
  int flat(Value param, Region region) {
    BufferRecord r;
    r.region = region;
    r.rank = 1;
    r.extents[0] = cast<RankedTensorType>(param.getType()).getNumElements();
    r.offset = paramOffset_.lookup(param) * 4;
    return add(r);
  }

  /// Step 3 for the backward ops: train step only.
  LogicalResult lowerBackward(Operation &op) {
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
                {kSeedSlot, kStepSlot}, {rows(g.getGrad()), rows(g)});
      return success();
    }
    if (auto g = dyn_cast<BatchNormGradOp>(op)) {
      Value x = g.getInput();
      int64_t c = cast<RankedTensorType>(x.getType()).getShape().back();
      ops::BatchNormOptions o;
      o.epsilon = g.getEpsilon().convertToDouble();
      trainCall(ops::batchNormBackward({int(c), int(features(x) / c)}, o,
                                       target_),
                {},
                {channelsView(g.getGrad()), channelsView(x),
                 bufferFor(g.getGamma()), bufferFor(g.getMean()),
                 bufferFor(g.getVariance()), channelsView(g.getInputGrad()),
                 gradientBuffer(g.getGammaGrad()),
                 gradientBuffer(g.getBetaGrad())});
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

  /// Step 3, the updates: one kernel over all trainable parameters.
  LogicalResult lowerUpdates() {
    Operation *first = nullptr;
    for (Operation &op : train_.getBody().front())
      if (isa<SGDUpdateOp, AdamUpdateOp, RMSpropUpdateOp>(op)) {
        if (!first)
          first = &op;
        else if (op.getName() != first->getName() ||
                 op.getAttrDictionary() != first->getAttrDictionary())
          return op.emitError() << "all parameters must share one optimizer";
      }
    if (!first)
      return success();
    int count = static_cast<int>(trainableFloats_);
    auto flat = [&](Region region, int64_t offset) {
      BufferRecord r;
      r.region = region;
      r.rank = 1;
      r.extents[0] = count;
      r.offset = offset;
      return add(r);
    };
    int w = flat(Region::Params, 0), g = flat(Region::Gradients, 0);
    auto slot = [&](int i) { return flat(Region::State, int64_t(i) * count * 4); };
    ops::Kernel kernel;
    std::vector<int> scalars{kLearningRateSlot}, in{w, g}, out{w};
    int slots = 0;
    if (auto sgd = dyn_cast<SGDUpdateOp>(first)) {
      ops::SGDOptions o;
      o.momentum = sgd.getMomentum().convertToDouble();
      o.nesterov = sgd.getNesterov();
      kernel = ops::sgdUpdate(count, o, target_);
      slots = o.momentum > 0;
    } else if (auto adam = dyn_cast<AdamUpdateOp>(first)) {
      ops::AdamOptions o;
      o.beta1 = adam.getBeta_1().convertToDouble();
      o.beta2 = adam.getBeta_2().convertToDouble();
      o.epsilon = adam.getEpsilon().convertToDouble();
      kernel = ops::adamUpdate(count, o, target_);
      scalars.push_back(kStepSlot);
      slots = 2;
    } else {
      auto rms = cast<RMSpropUpdateOp>(first);
      ops::RMSpropOptions o;
      o.rho = rms.getRho().convertToDouble();
      o.momentum = rms.getMomentum().convertToDouble();
      o.epsilon = rms.getEpsilon().convertToDouble();
      kernel = ops::rmspropUpdate(count, o, target_);
      slots = o.momentum > 0 ? 2 : 1;
    }
    for (int i = 0; i < slots; ++i) {
      int s = slot(i);
      in.push_back(s);
      out.push_back(s);
    }
    stateFloats_ = int64_t(slots) * count;
    in.insert(in.end(), out.begin(), out.end());
    call(std::move(kernel), scalars, in, true, false, false);
    return success();
  }

  ModelOp model_;
  TrainOp train_;
  Halide::Target target_;
  ModelPlan plan_;
  llvm::DenseMap<Value, int> buffers_;
  llvm::DenseMap<Value, int64_t> paramOffset_; // in floats
  int64_t paramFloats_ = 0, trainableFloats_ = 0, stateFloats_ = 0;
};

} // namespace

FailureOr<ModelPlan> planModel(ModuleOp module, const Halide::Target &target) {
  auto model = *module.getOps<ModelOp>().begin();
  auto train = *module.getOps<TrainOp>().begin();
  return Planner(model, train, target).run();
}

} // namespace mnistc::codegen

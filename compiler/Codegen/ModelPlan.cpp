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
//      nn.linear                       dense_forward
//      nn.softmax_cross_entropy        softmax_cross_entropy (train, eval)
//                                      + softmax_forward (forward step)
//      nn.matmul_grad_kernel + nn.bias_grad of one gradient
//                                      dense_backward_params
//      nn.matmul_grad_input            dense_backward_input
//      nn.activation_grad              fused into the two above
//      the nn.*_update ops             one sgd/adam/rmsprop_update over
//                                      all trainable parameters
// 4. The forward kernels and the loss form the eval step, the forward
//    kernels and the softmax the forward step; everything the train step.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/ModelPlan.h"

#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Ops/Dense.h"
#include "compiler/Ops/Optimizers.h"
#include "compiler/Ops/SoftmaxCrossEntropy.h"
#include "runtime/include/mnistc/model.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

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

/// Keras's fans (KERAS_SEMANTICS §5) of a parameter of `shape`.
std::pair<int64_t, int64_t> fans(ArrayRef<int64_t> shape) {
  if (shape.size() == 2)
    return {shape[0], shape[1]};
  if (shape.size() == 4)
    return {shape[0] * shape[1] * shape[2], shape[0] * shape[1] * shape[3]};
  return {shape.empty() ? 1 : shape[0], shape.empty() ? 1 : shape[0]};
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
    writeInfo();
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
  /// The parameter whose update consumes `grad`, if any.
  Value paramUpdatedBy(Value grad) {
    for (Operation *user : grad.getUsers())
      if (isa<SGDUpdateOp, AdamUpdateOp, RMSpropUpdateOp>(user))
        return user->getOperand(0);
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

  /// For a gradient dz feeding a Dense backward: (dy, y, activation).
  std::tuple<Value, Value, ops::Activation> activationOf(Value dz) {
    if (auto g = dz.getDefiningOp<ActivationGradOp>())
      return {g.getGrad(), g.getOutput(), kernelActivation(g.getActivation())};
    return {dz, dz, ops::Activation::Linear};
  }

  // Step 3.
  LogicalResult lower(Operation &op, bool forwardPhase) {
    if (isa<LearningRateOp, ActivationGradOp, BiasGradOp, TrainYieldOp,
            SGDUpdateOp, AdamUpdateOp, RMSpropUpdateOp>(op))
      return success(); // fused, or handled at the end
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
    if (auto lin = dyn_cast<LinearOp>(op)) {
      auto k = cast<RankedTensorType>(lin.getKernel().getType());
      int in = k.getDimSize(0), units = k.getDimSize(1);
      int bias = lin.getBias() ? bufferFor(lin.getBias())
                               : add(recordOf(
                                     RankedTensorType::get(
                                         {units}, Float32Type::get(
                                                      op.getContext())),
                                     Region::Arena)); // zeros, never written
      call(ops::denseForward({in, units},
                             kernelActivation(lin.getActivation()), target_),
           {},
           {bufferFor(lin.getInput()), bufferFor(lin.getKernel()), bias,
            bufferFor(lin.getOutput())},
           true, forwardPhase, forwardPhase);
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
      plan_.buffers[loss].role = Role::Loss;
      plan_.buffers[correct].role = Role::Correct;
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
    if (auto gk = dyn_cast<MatmulGradKernelOp>(op)) {
      auto [dy, y, act] = activationOf(gk.getGrad());
      auto shape = cast<RankedTensorType>(gk.getType()).getShape();
      Value kernelParam = paramUpdatedBy(gk.getResult());
      int dW = kernelParam ? gradientOf(kernelParam) : bufferFor(gk);
      int db = -1;
      for (Operation *user : gk.getGrad().getUsers())
        if (auto bg = dyn_cast<BiasGradOp>(user))
          if (Value biasParam = paramUpdatedBy(bg.getResult()))
            db = gradientOf(biasParam);
      if (db < 0) // no bias: the kernel still writes one, into scratch
        db = add(recordOf(RankedTensorType::get(
                              {shape[1]}, Float32Type::get(op.getContext())),
                          Region::Arena));
      call(ops::denseBackwardParams({int(shape[0]), int(shape[1])}, act,
                                    target_),
           {}, {bufferFor(dy), bufferFor(y), bufferFor(gk.getInput()), dW, db},
           true, false, false);
      return success();
    }
    if (auto gi = dyn_cast<MatmulGradInputOp>(op)) {
      auto [dy, y, act] = activationOf(gi.getGrad());
      auto k = cast<RankedTensorType>(gi.getKernel().getType()).getShape();
      call(ops::denseBackwardInput({int(k[0]), int(k[1])}, act, target_), {},
           {bufferFor(dy), bufferFor(y), bufferFor(gi.getKernel()),
            bufferFor(gi.getResult())},
           true, false, false);
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

  void writeInfo() {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << "abi " << MNISTC_ABI_VERSION << "\n";
    os << "name " << model_.getSymName() << "\n";
    os << "target " << target_.to_string() << "\n";
    auto input = *model_.getBody().front().getOps<InputOp>().begin();
    os << "input " << input.getShape().size();
    for (int64_t d : input.getShape())
      os << " " << d;
    auto out = cast<RankedTensorType>(model_.getOutputOp().getValue().getType());
    DictionaryAttr compile = model_.getCompileAttr();
    StringRef loss = compile.getAs<StringAttr>("loss").getValue();
    os << "\nclasses " << out.getDimSize(1) << " "
       << (loss == "sparse_categorical_crossentropy") << "\n";
    os << "sizes " << paramFloats_ << " " << stateFloats_ << "\n";
    auto opt = compile.getAs<DictionaryAttr>("optimizer");
    os << "optimizer " << opt.getAs<StringAttr>("name").getValue() << " "
       << opt.getAs<FloatAttr>("learning_rate").getValueAsDouble() << "\n";
    os << "loss " << loss << "\n";
    DictionaryAttr fit = model_.getFitAttr();
    auto i64 = [&](StringRef k, int64_t d) {
      auto a = fit ? fit.getAs<IntegerAttr>(k) : nullptr;
      return a ? a.getInt() : d;
    };
    auto vs = fit ? fit.getAs<FloatAttr>("validation_split") : nullptr;
    auto shuffle = fit ? fit.getAs<BoolAttr>("shuffle") : nullptr;
    os << "fit " << i64("batch_size", 32) << " " << i64("epochs", 1) << " "
       << (vs ? vs.getValueAsDouble() : 0.0) << " "
       << (shuffle ? shuffle.getValue() : true) << " " << i64("seed", -1)
       << "\n";
    if (Attribute cb = fit ? fit.get("callbacks") : nullptr)
      os << "callbacks " << cb << "\n";
    for (auto p : train_.getBody().front().getOps<ParamOp>()) {
      auto t = cast<RankedTensorType>(p.getType());
      auto [fanIn, fanOut] = fans(t.getShape());
      os << "param " << p.getLayer() << " " << p.getParam() << " "
         << stringifyInitializer(p.getInitializer()) << " "
         << p.getTrainable() << " " << fanIn << " " << fanOut << " "
         << paramOffset_.lookup(p) << " " << t.getNumElements() << " "
         << t.getRank();
      for (int64_t d : t.getShape())
        os << " " << d;
      os << "\n";
    }
    plan_.info = os.str();
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

//===- Autodiff.cpp - The nn-autodiff pass --------------------------------===//
//
// Builds the training graph of each nn.model (algorithm in Passes.td). The
// pass only orders the work; what each layer does forward and backward is
// its GradientOp rule, which lives next to the layer's kernels in
// compiler/Ops/.
//
//===----------------------------------------------------------------------===//
#include "compiler/Transforms/Passes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace mnistc::nn {
#define GEN_PASS_DEF_NNAUTODIFF
#include "compiler/Transforms/Passes.h.inc"
} // namespace mnistc::nn

using namespace mlir;
using namespace mnistc::nn;

namespace {

/// One layer of the forward pass, as the backward pass needs it.
struct Step {
  GradientOp rule;
  SmallVector<Value> inputs;
  SmallVector<Value> params;
  Value output;
};

class TrainingGraphBuilder {
public:
  explicit TrainingGraphBuilder(ModelOp model)
      : model_(model), b_(model->getContext()) {}

  LogicalResult build() {
    DictionaryAttr compile = model_.getCompileAttr();
    StringAttr loss = compile ? compile.getAs<StringAttr>("loss") : nullptr;
    DictionaryAttr optimizer =
        compile ? compile.getAs<DictionaryAttr>("optimizer") : nullptr;
    if (!loss || !optimizer)
      return model_.emitError() << "model '" << model_.getSymName()
                                << "' has no compile settings to train with";
    bool crossentropy = loss.getValue().ends_with("crossentropy");
    if (!crossentropy && loss.getValue() != "mean_squared_error")
      return model_.emitError() << "the loss '" << loss.getValue()
                                << "' cannot be trained yet; use "
                                << "sparse_categorical_crossentropy";
    bool sparse = loss.getValue() == "sparse_categorical_crossentropy";
    // The last layer's softmax is fused into the loss: crossentropy takes
    // logits, and mean squared error applies the softmax itself.
    Value out = model_.getOutputOp().getValue();
    Operation *last = out.getDefiningOp();
    auto lastAct = last->getAttrOfType<ActivationAttr>("activation");
    bool fuseSoftmax =
        crossentropy || (lastAct && lastAct.getValue() == Activation::softmax);

    // Step 1.
    b_.setInsertionPointAfter(model_);
    auto train = b_.create<TrainOp>(
        model_.getLoc(), FlatSymbolRefAttr::get(model_.getSymNameAttr()));
    b_.setInsertionPointToEnd(b_.createBlock(&train.getBody()));
    Location loc = model_.getLoc();
    auto outType = cast<RankedTensorType>(out.getType());
    Type labelsType =
        sparse ? RankedTensorType::get({ShapedType::kDynamic},
                                       b_.getI32Type())
               : Type(outType);
    Value labels = b_.create<BatchLabelsOp>(loc, labelsType);
    Value lr = b_.create<LearningRateOp>(loc, b_.getF32Type());

    // Step 2.
    for (Operation &op : model_.getBody().front()) {
      if (auto input = dyn_cast<InputOp>(op)) {
        values_[input] =
            b_.create<BatchImagesOp>(op.getLoc(), input.getType());
        continue;
      }
      if (isa<OutputOp>(op))
        continue;
      if (failed(forward(op, fuseSoftmax && &op == last)))
        return failure();
    }

    // Step 3.
    Value logits = values_.lookup(out);
    auto f32 = RankedTensorType::get({}, b_.getF32Type());
    auto i32 = RankedTensorType::get({}, b_.getI32Type());
    Value lossValue, correct;
    if (crossentropy) {
      auto ce = b_.create<SoftmaxCrossEntropyOp>(
          last->getLoc(), f32, i32, logits.getType(), logits, labels);
      grads_[logits] = ce.getDlogits();
      lossValue = ce.getLoss(), correct = ce.getCorrect();
    } else {
      auto mse = b_.create<MeanSquaredErrorOp>(
          last->getLoc(), f32, i32, logits.getType(), logits, labels,
          ActivationAttr::get(b_.getContext(), fuseSoftmax
                                                   ? Activation::softmax
                                                   : Activation::linear));
      grads_[logits] = mse.getDinput();
      lossValue = mse.getLoss(), correct = mse.getCorrect();
    }

    // Step 4.
    for (Step &s : llvm::reverse(steps_))
      backward(s);

    // Step 5.
    for (Value param : params_) {
      Value grad = paramGrads_.lookup(param);
      if (!grad)
        continue;
      if (FloatAttr l2 = l2_.lookup(param)) {
        Location at = param.getLoc();
        grad = b_.create<L2GradOp>(at, grad.getType(), param, grad, l2);
        lossValue = b_.create<L2PenaltyOp>(at, lossValue, param, l2);
      }
      if (failed(update(param, grad, lr, optimizer)))
        return failure();
    }
    b_.create<TrainYieldOp>(loc, lossValue, correct);
    return success();
  }

private:
  LogicalResult forward(Operation &op, bool producesLogits) {
    auto rule = dyn_cast<GradientOp>(op);
    auto layer = cast<LayerOp>(op);
    if (!rule)
      return op.emitError() << layer.getLayerClass()
                            << " layers cannot be trained yet";
    Step s{rule, {}, {}, {}};
    for (Value v : op.getOperands())
      s.inputs.push_back(values_.lookup(v));
    for (const ParamInfo &p : layer.getParameters()) {
      auto type = RankedTensorType::get(p.shape, b_.getF32Type());
      Value param = b_.create<ParamOp>(
          op.getLoc(), type, layer.getLayerName(), p.name,
          *symbolizeInitializer(p.initializer), p.trainable);
      s.params.push_back(param);
      params_.push_back(param);
    }
    // kernel_regularizer=l2(λ) regularizes the first parameter, the kernel.
    if (auto l2 = op.getAttrOfType<FloatAttr>("kernel_l2");
        l2 && l2.getValueAsDouble() != 0 && !s.params.empty())
      l2_[s.params.front()] = l2;
    s.output = rule.buildTrainingForward(b_, s.inputs, s.params,
                                         producesLogits);
    if (!s.output)
      return failure();
    values_[op.getResult(0)] = s.output;
    // The output needs a gradient when it depends on a parameter.
    bool requires = llvm::any_of(s.inputs, [&](Value v) {
      return requiresGrad_.contains(v);
    }) || llvm::any_of(layer.getParameters(),
                       [](const ParamInfo &p) { return p.trainable; });
    if (requires)
      requiresGrad_.insert(s.output);
    // A layer that vanished into the loss (a final softmax Activation)
    // passes its input through and has no backward of its own.
    if (s.output != s.inputs.front())
      steps_.push_back(std::move(s));
    return success();
  }

  void backward(Step &s) {
    Value outGrad = grads_.lookup(s.output);
    if (!outGrad)
      return;
    SmallVector<bool> need;
    for (Value in : s.inputs)
      need.push_back(requiresGrad_.contains(in));
    SmallVector<Value> inGrads, pGrads;
    s.rule.buildBackward(b_, s.inputs, s.params, s.output, outGrad, need,
                         inGrads, pGrads);
    for (auto [in, g] : llvm::zip(s.inputs, inGrads)) {
      if (!g)
        continue;
      Value &sum = grads_[in];
      sum = sum ? b_.create<AddOp>(g.getLoc(), g.getType(),
                                   ValueRange{sum, g},
                                   b_.getStringAttr("gradient_sum"),
                                   /*activation=*/nullptr)
                      .getResult()
                : g;
    }
    for (auto [p, g] : llvm::zip(s.params, pGrads))
      if (cast<ParamOp>(p.getDefiningOp()).getTrainable())
        paramGrads_[p] = g;
  }

  LogicalResult update(Value param, Value grad, Value lr,
                       DictionaryAttr opt) {
    StringRef name = opt.getAs<StringAttr>("name").getValue();
    auto f = [&](StringRef key) { return opt.getAs<FloatAttr>(key); };
    Location loc = param.getLoc();
    if (name == "SGD")
      b_.create<SGDUpdateOp>(loc, param, grad, lr, f("momentum"),
                             opt.getAs<BoolAttr>("nesterov"));
    else if (name == "Adam")
      b_.create<AdamUpdateOp>(loc, param, grad, lr, f("beta_1"), f("beta_2"),
                              f("epsilon"));
    else if (name == "RMSprop")
      b_.create<RMSpropUpdateOp>(loc, param, grad, lr, f("rho"),
                                 f("momentum"), f("epsilon"));
    else
      return model_.emitError() << "optimizer '" << name
                                << "' cannot be trained yet";
    return success();
  }

  ModelOp model_;
  OpBuilder b_;
  llvm::DenseMap<Value, Value> values_; // nn.model value -> training value
  llvm::DenseMap<Value, Value> grads_;  // training value -> its gradient
  llvm::DenseSet<Value> requiresGrad_;  // depends on a trainable parameter
  SmallVector<Step> steps_;
  SmallVector<Value> params_;               // in forward order
  llvm::DenseMap<Value, Value> paramGrads_; // trainable param -> gradient
  llvm::DenseMap<Value, FloatAttr> l2_;     // kernel -> its L2 factor
};

struct NNAutodiffPass
    : mnistc::nn::impl::NNAutodiffBase<NNAutodiffPass> {
  void runOnOperation() override {
    for (ModelOp model :
         llvm::make_early_inc_range(getOperation().getOps<ModelOp>()))
      if (failed(TrainingGraphBuilder(model).build()))
        return signalPassFailure();
  }
};

} // namespace

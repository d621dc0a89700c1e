//===- BatchNormLayer.cpp - BatchNormalization: DSL entry, training -------===//
//
// The DSL entry of BatchNormalization (arguments in Keras's order, Keras's
// defaults) with how MLIRGen builds its nn op, and the gradient rule.
//
// BatchNormalization in a training graph: forward `nn.batch_norm_train`,
// which normalizes with the batch statistics, returns them for the
// backward, and moves the (non-trainable) moving statistics towards them;
// backward `nn.batch_norm_grad`, through the batch statistics, gives the
// gradients w.r.t. the input, gamma and beta. The moving statistics get no
// gradient: they are parameters only in that they are saved with the model.
//
//===----------------------------------------------------------------------===//
#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Frontend/ArgSpecs.h"
#include "compiler/Frontend/LayerBuilder.h"
#include "compiler/Ops/GradientRules.h"

using namespace mlir;

namespace mnistc::nn {

using mlir::Value; // not the DSL's mnistc::Value

namespace {

mlir::Value buildBatchNorm(LayerBuilder &l) {
  return l.create<BatchNormOp>(l.input(), l.name, l.i64("axis"),
                               l.f64("momentum"), l.f64("epsilon"));
}

/// No activation: nn-fuse-activations may fold one in later.
ActivationAttr linear(Operation *op) {
  return ActivationAttr::get(op->getContext(), Activation::linear);
}

struct BatchNormGradient
    : public GradientOp::ExternalModel<BatchNormGradient, BatchNormOp> {
  // params: gamma, beta, moving_mean, moving_variance (getParameters order).
  Value buildTrainingForward(Operation *op, OpBuilder &b, ValueRange inputs,
                             ValueRange params, bool) const {
    auto bn = cast<BatchNormOp>(op);
    Type stat = params[0].getType();
    return b
        .create<BatchNormTrainOp>(op->getLoc(), inputs[0].getType(), stat,
                                  stat, inputs[0], params[0], params[1],
                                  params[2], params[3], bn.getMomentumAttr(),
                                  bn.getEpsilonAttr(), linear(op))
        .getOutput();
  }

  void buildBackward(Operation *op, OpBuilder &b, ValueRange inputs,
                     ValueRange params, Value output, Value outputGrad,
                     ArrayRef<bool> needInputGrads,
                     SmallVectorImpl<Value> &inputGrads,
                     SmallVectorImpl<Value> &paramGrads) const {
    auto train = output.getDefiningOp<BatchNormTrainOp>();
    auto grad = b.create<BatchNormGradOp>(
        op->getLoc(), inputs[0].getType(), params[0].getType(),
        params[0].getType(), outputGrad, inputs[0], params[0],
        train.getMean(), train.getVariance(), /*output=*/Value(),
        train.getEpsilonAttr(), linear(op));
    // The kernel computes dx with the parameter gradients; it is simply
    // not read when the input needs none.
    inputGrads.push_back(needInputGrads[0] ? grad.getInputGrad() : Value());
    paramGrads.append({grad.getGammaGrad(), grad.getBetaGrad(), Value(),
                       Value()});
  }
};

} // namespace

void registerBatchNormGradients(MLIRContext *ctx) {
  BatchNormOp::attachInterface<BatchNormGradient>(*ctx);
}

} // namespace mnistc::nn

namespace mnistc {

void addBatchNormLayers(std::vector<CallSpec> &t) {
  using namespace argspecs;
  t.push_back({"BatchNormalization", CallKind::Layer, "batch_normalization",
               {opt("axis", ArgType::Int, Value::integer(-1)),
                opt("momentum", ArgType::UnitInterval, Value::real(0.99)),
                opt("epsilon", ArgType::PositiveFloat, Value::real(1e-3)),
                nameArg()},
               false, nn::buildBatchNorm});
}

} // namespace mnistc

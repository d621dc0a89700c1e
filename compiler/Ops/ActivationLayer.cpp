//===- ActivationLayer.cpp - Activation: its DSL entry and how it trains -===//
//
// The DSL entry of Activation (arguments in Keras's order, Keras's
// defaults) with how MLIRGen builds its nn op, and the gradient rule.
//
// The Activation layer, without parameters; its training forward is the
// layer itself. Backward: nn.activation_grad from the output; a final
// softmax feeding a crossentropy loss vanishes into the loss (its forward
// returns its input).
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

mlir::Value buildActivation(LayerBuilder &l) {
  return l.create<ActivationOp>(l.input(), l.name, l.activation("activation"));
}

struct ActivationGradient
    : public GradientOp::ExternalModel<ActivationGradient, ActivationOp> {
  Value buildTrainingForward(Operation *op, OpBuilder &b, ValueRange inputs,
                             ValueRange, bool logits) const {
    Activation act = cast<ActivationOp>(op).getActivation();
    if (act == Activation::softmax && logits)
      return inputs[0];
    if (act == Activation::softmax) {
      op->emitError() << "a softmax Activation layer can only be trained as "
                      << "the last layer of a crossentropy model";
      return nullptr;
    }
    return cloneWithInputs(op, b, inputs);
  }
  void buildBackward(Operation *op, OpBuilder &b, ValueRange inputs,
                     ValueRange, Value output, Value outputGrad,
                     ArrayRef<bool> needInputGrads,
                     SmallVectorImpl<Value> &inputGrads,
                     SmallVectorImpl<Value> &) const {
    Activation act = cast<ActivationOp>(op).getActivation();
    if (!needInputGrads[0])
      inputGrads.push_back(Value());
    else if (act == Activation::linear)
      inputGrads.push_back(outputGrad);
    else
      inputGrads.push_back(b.create<ActivationGradOp>(
          op->getLoc(), outputGrad.getType(), output, outputGrad, act));
  }
};

} // namespace

void registerActivationGradients(MLIRContext *ctx) {
  ActivationOp::attachInterface<ActivationGradient>(*ctx);
}

} // namespace mnistc::nn

namespace mnistc {

void addActivationLayers(std::vector<CallSpec> &t) {
  using namespace argspecs;
  t.push_back({"Activation", CallKind::Layer, "activation",
               {req("activation", ArgType::Activation), nameArg()}, false,
               nn::buildActivation});
}

} // namespace mnistc

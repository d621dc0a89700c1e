//===- ShapeGradients.cpp - How Flatten, Reshape and Activation train -----===//
//
// Layers without parameters whose training forward is the layer itself:
//   Flatten, Reshape   backward: reshape the gradient to the input's shape
//                      (both are views: no data moves)
//   Activation         backward: nn.activation_grad from the output;
//                      a final softmax feeding a crossentropy loss vanishes
//                      into the loss (its forward returns its input).
//
//===----------------------------------------------------------------------===//
#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Ops/GradientRules.h"

using namespace mlir;

namespace mnistc::nn {
namespace {

/// The gradient reshaped back to the input's shape (batch axis kept).
Value reshapeTo(OpBuilder &b, Location loc, Value grad, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  return b.create<ReshapeOp>(loc, type, grad, "gradient_reshape",
                             b.getDenseI64ArrayAttr(type.getShape().drop_front()));
}

template <typename ViewOp>
struct ViewGradient
    : public GradientOp::ExternalModel<ViewGradient<ViewOp>, ViewOp> {
  Value buildTrainingForward(Operation *op, OpBuilder &b, ValueRange inputs,
                             ValueRange, bool) const {
    return cloneWithInputs(op, b, inputs);
  }
  void buildBackward(Operation *op, OpBuilder &b, ValueRange inputs,
                     ValueRange, Value, Value outputGrad,
                     ArrayRef<bool> needInputGrads,
                     SmallVectorImpl<Value> &inputGrads,
                     SmallVectorImpl<Value> &) const {
    inputGrads.push_back(needInputGrads[0]
                             ? reshapeTo(b, op->getLoc(), outputGrad, inputs[0])
                             : Value());
  }
};

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
          op->getLoc(), outputGrad.getType(), output, outputGrad,
          ActivationAttr::get(op->getContext(), act)));
  }
};

} // namespace

void registerShapeGradients(MLIRContext *ctx) {
  FlattenOp::attachInterface<ViewGradient<FlattenOp>>(*ctx);
  ReshapeOp::attachInterface<ViewGradient<ReshapeOp>>(*ctx);
  ActivationOp::attachInterface<ActivationGradient>(*ctx);
}

} // namespace mnistc::nn

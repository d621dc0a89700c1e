//===- ShapeLayer.cpp - Flatten and Reshape: DSL entries and training ---===//
//
// The DSL entries of Flatten and Reshape (arguments in Keras's order, Keras's
// defaults) with how MLIRGen builds their nn op, and the gradient rule.
//
// Layers that only reshape, without parameters; their training forward is
// the layer itself. Backward: reshape the gradient to the input's shape
// (both are views: no data moves).
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

mlir::Value buildFlatten(LayerBuilder &l) {
  return l.create<FlattenOp>(l.input(), l.name);
}
mlir::Value buildReshape(LayerBuilder &l) {
  return l.create<ReshapeOp>(l.input(), l.name, l.ints("target_shape"));
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
                             ? reshapeGradient(
                                   b, op->getLoc(), outputGrad,
                                   cast<RankedTensorType>(inputs[0].getType()))
                             : Value());
  }
};

} // namespace

void registerShapeGradients(MLIRContext *ctx) {
  FlattenOp::attachInterface<ViewGradient<FlattenOp>>(*ctx);
  ReshapeOp::attachInterface<ViewGradient<ReshapeOp>>(*ctx);
}

} // namespace mnistc::nn

namespace mnistc {

void addShapeLayers(std::vector<CallSpec> &t) {
  using namespace argspecs;
  t.push_back({"Flatten", CallKind::Layer, "flatten", {nameArg()}, false,
               nn::buildFlatten});
  t.push_back({"Reshape", CallKind::Layer, "reshape",
               {req("target_shape", ArgType::ReshapeTarget), nameArg()}, false,
               nn::buildReshape});
}

} // namespace mnistc

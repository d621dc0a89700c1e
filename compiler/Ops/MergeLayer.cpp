//===- MergeLayer.cpp - Add and Concatenate: DSL entries and training -----===//
//
// The DSL entries of Add and Concatenate (arguments in Keras's order, Keras's
// defaults) with how MLIRGen builds their nn op, and the gradient rule.
//
// Layers that merge several tensors; their training forward is the layer
// itself. Backward, from the gradient dy of the output:
//   Add          every input receives dy unchanged (no op); where one
//                value feeds several layers, nn-autodiff sums the
//                gradients that come back (fan-in)
//   Concatenate  input i receives its own channels of dy, nn.slice at the
//                input's channel offset; only the channel (last) axis
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

mlir::Value buildAdd(LayerBuilder &l) {
  return l.create<AddOp>(l.inputs, l.name, /*activation=*/nullptr);
}
mlir::Value buildConcatenate(LayerBuilder &l) {
  return l.create<ConcatenateOp>(l.inputs, l.name, l.i64("axis"));
}

struct AddGradient : public GradientOp::ExternalModel<AddGradient, AddOp> {
  Value buildTrainingForward(Operation *op, OpBuilder &b, ValueRange inputs,
                             ValueRange, bool) const {
    return cloneWithInputs(op, b, inputs);
  }
  void buildBackward(Operation *, OpBuilder &, ValueRange, ValueRange, Value,
                     Value outputGrad, ArrayRef<bool> needInputGrads,
                     SmallVectorImpl<Value> &inputGrads,
                     SmallVectorImpl<Value> &) const {
    for (bool need : needInputGrads)
      inputGrads.push_back(need ? outputGrad : Value());
  }
};

struct ConcatenateGradient
    : public GradientOp::ExternalModel<ConcatenateGradient, ConcatenateOp> {
  Value buildTrainingForward(Operation *op, OpBuilder &b, ValueRange inputs,
                             ValueRange, bool) const {
    auto concat = cast<ConcatenateOp>(op);
    int64_t rank = cast<RankedTensorType>(concat.getType()).getRank();
    int64_t axis = concat.getAxis();
    if (axis != -1 && axis != rank - 1) {
      op->emitError() << "Concatenate can only be trained on the channel "
                      << "(last) axis; use axis=-1";
      return nullptr;
    }
    return cloneWithInputs(op, b, inputs);
  }
  void buildBackward(Operation *op, OpBuilder &b, ValueRange inputs,
                     ValueRange, Value, Value outputGrad,
                     ArrayRef<bool> needInputGrads,
                     SmallVectorImpl<Value> &inputGrads,
                     SmallVectorImpl<Value> &) const {
    int64_t offset = 0;
    for (auto [in, need] : llvm::zip(inputs, needInputGrads)) {
      auto type = cast<RankedTensorType>(in.getType());
      inputGrads.push_back(need ? b.create<SliceOp>(op->getLoc(), type,
                                                    outputGrad, offset)
                                      .getResult()
                                : Value());
      offset += type.getShape().back();
    }
  }
};

} // namespace

void registerMergeGradients(MLIRContext *ctx) {
  AddOp::attachInterface<AddGradient>(*ctx);
  ConcatenateOp::attachInterface<ConcatenateGradient>(*ctx);
}

} // namespace mnistc::nn

namespace mnistc {

void addMergeLayers(std::vector<CallSpec> &t) {
  using namespace argspecs;
  t.push_back({"Add", CallKind::Layer, "add", {nameArg()}, true, nn::buildAdd});
  t.push_back({"Concatenate", CallKind::Layer, "concatenate",
               {opt("axis", ArgType::Int, Value::integer(-1)), nameArg()},
               true, nn::buildConcatenate});
}

} // namespace mnistc

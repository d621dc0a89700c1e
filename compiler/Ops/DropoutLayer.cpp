//===- DropoutLayer.cpp - Dropout: its DSL entry and how it trains -------===//
//
// The DSL entry of Dropout (arguments in Keras's order, Keras's
// defaults) with how MLIRGen builds its nn op, and the gradient rule.
//
// Dropout in a training graph: forward `nn.dropout_train`, which draws a
// keep mask from the run's seed, the step and the element index, keyed
// also by `stream`: the layer's position among the model's Dropout layers
// (so no two layers share a mask), or, for a layer given `seed=`, the seed
// with the top bit set (so two layers with one seed share a mask, and
// never with an unseeded layer). Backward `nn.dropout_grad` redraws the
// same mask: y = keep·x/(1 − rate) gives dx = keep·dy/(1 − rate). A rate
// of 0 is the identity and leaves no op.
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

mlir::Value buildDropout(LayerBuilder &l) {
  const auto &seed = l.call.arg("seed");
  return l.create<DropoutOp>(
      l.input(), l.name, l.f64("rate"),
      seed.isNone() ? IntegerAttr() : l.b.getI64IntegerAttr(seed.i));
}

/// The layer's Philox stream (see the file comment).
int64_t streamOf(DropoutOp op) {
  if (std::optional<uint64_t> seed = op.getSeed())
    return int64_t(0x80000000u | (*seed & 0x7fffffffu));
  int64_t index = 0;
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode())
    index += isa<DropoutOp>(prev);
  return index;
}

struct DropoutGradient
    : public GradientOp::ExternalModel<DropoutGradient, DropoutOp> {
  Value buildTrainingForward(Operation *op, OpBuilder &b, ValueRange inputs,
                             ValueRange, bool) const {
    auto dropout = cast<DropoutOp>(op);
    if (dropout.getRate().isZero())
      return inputs[0];
    return b.create<DropoutTrainOp>(op->getLoc(), inputs[0].getType(),
                                    inputs[0], dropout.getRateAttr(),
                                    b.getI64IntegerAttr(streamOf(dropout)));
  }

  void buildBackward(Operation *op, OpBuilder &b, ValueRange, ValueRange,
                     Value output, Value outputGrad,
                     ArrayRef<bool> needInputGrads,
                     SmallVectorImpl<Value> &inputGrads,
                     SmallVectorImpl<Value> &) const {
    auto train = output.getDefiningOp<DropoutTrainOp>();
    inputGrads.push_back(
        needInputGrads[0]
            ? b.create<DropoutGradOp>(op->getLoc(), outputGrad.getType(),
                                      outputGrad, train.getRateAttr(),
                                      train.getStreamAttr())
                  .getResult()
            : Value());
  }
};

} // namespace

void registerDropoutGradients(MLIRContext *ctx) {
  DropoutOp::attachInterface<DropoutGradient>(*ctx);
}

} // namespace mnistc::nn

namespace mnistc {

void addDropoutLayers(std::vector<CallSpec> &t) {
  using namespace argspecs;
  t.push_back({"Dropout", CallKind::Layer, "dropout",
               {req("rate", ArgType::Fraction),
                opt("seed", ArgType::OptionalInt, Value::none()), nameArg()},
               false, nn::buildDropout});
}

} // namespace mnistc

//===- PoolLayer.cpp - MaxPooling2D and AveragePooling2D: DSL entries, training ===//
//
// The DSL entries of MaxPooling2D and AveragePooling2D (arguments in Keras's order, Keras's
// defaults) with how MLIRGen builds their nn op, and the gradient rule.
//
// Pooling has no parameters; its training forward is the layer itself.
// Backward, from the gradient dy of its output:
//   max      nn.max_pool2d_grad: each window's dy goes to the window's
//            first maximum (row-major window order), recomputed from the
//            forward's input, so nothing is stored between the passes
//   average  nn.avg_pool2d_grad: each window's dy is spread evenly over
//            its non-padded cells
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

/// strides None is pool_size (Keras).
template <typename PoolOp>
mlir::Value buildPool(LayerBuilder &l) {
  const auto &strides = l.call.arg("strides");
  return l.create<PoolOp>(l.input(), l.name, l.ints("pool_size"),
                          strides.isNone() ? l.ints("pool_size")
                                           : l.ints(strides),
                          l.padding("padding"));
}

template <typename PoolOp, typename GradOp>
struct PoolGradient
    : public GradientOp::ExternalModel<PoolGradient<PoolOp, GradOp>, PoolOp> {
  Value buildTrainingForward(Operation *op, OpBuilder &b, ValueRange inputs,
                             ValueRange, bool) const {
    return cloneWithInputs(op, b, inputs);
  }

  void buildBackward(Operation *op, OpBuilder &b, ValueRange inputs,
                     ValueRange, Value, Value outputGrad,
                     ArrayRef<bool> needInputGrads,
                     SmallVectorImpl<Value> &inputGrads,
                     SmallVectorImpl<Value> &) const {
    auto pool = cast<PoolOp>(op);
    inputGrads.push_back(
        needInputGrads[0]
            ? b.create<GradOp>(op->getLoc(), inputs[0].getType(), inputs[0],
                               outputGrad, pool.getPoolSize(),
                               pool.getStrides(), pool.getPadding())
                  .getResult()
            : Value());
  }
};

} // namespace

void registerPoolGradients(MLIRContext *ctx) {
  MaxPool2DOp::attachInterface<PoolGradient<MaxPool2DOp, MaxPoolGradOp>>(*ctx);
  AvgPool2DOp::attachInterface<PoolGradient<AvgPool2DOp, AvgPoolGradOp>>(*ctx);
}

} // namespace mnistc::nn

namespace mnistc {

void addPoolLayers(std::vector<CallSpec> &t) {
  using namespace argspecs;
  auto args = [] {
    return std::vector<ArgSpec>{
        opt("pool_size", ArgType::Pair, Value::pair(2, 2)),
        opt("strides", ArgType::OptionalPair, Value::none()), paddingArg(),
        nameArg()};
  };
  t.push_back({"MaxPooling2D", CallKind::Layer, "max_pooling2d", args(), false,
               nn::buildPool<nn::MaxPool2DOp>});
  t.push_back({"AveragePooling2D", CallKind::Layer, "average_pooling2d",
               args(), false, nn::buildPool<nn::AvgPool2DOp>});
}

} // namespace mnistc

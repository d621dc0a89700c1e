//===- PoolLayer.cpp - The pooling layers: DSL entries and training -----===//
//
// The DSL entries of the pooling layers (arguments in Keras's order,
// Keras's defaults), how MLIRGen builds their nn ops, and their gradient
// rules. Pooling has no parameters. MaxPooling2D and AveragePooling2D
// train as themselves; backward, from the gradient dy of the output:
//   max      nn.max_pool2d_grad: each window's dy goes to the window's
//            first maximum (row-major window order), recomputed from the
//            forward's input, so nothing is stored between the passes
//   average  nn.avg_pool2d_grad: each window's dy is spread evenly over
//            its non-padded cells
// The global poolings train as the pooling of one window the size of the
// image (valid, stride = window), so they share those kernels and
// gradients, then, without keepdims, a view as (batch, C); backward, dy
// viewed as (batch, 1, 1, C), then that pooling's gradient.
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

template <typename GlobalPoolOp>
mlir::Value buildGlobalPool(LayerBuilder &l) {
  return l.create<GlobalPoolOp>(l.input(), l.name, l.boolean("keepdims"));
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

/// The global pooling GlobalPoolOp as the PoolOp of one window.
template <typename GlobalPoolOp, typename PoolOp, typename GradOp>
struct GlobalPoolGradient
    : public GradientOp::ExternalModel<
          GlobalPoolGradient<GlobalPoolOp, PoolOp, GradOp>, GlobalPoolOp> {
  /// (H, W) of the image x.
  static SmallVector<int64_t, 2> window(Value x) {
    auto shape = cast<RankedTensorType>(x.getType()).getShape();
    return {shape[1], shape[2]};
  }
  /// (batch, 1, 1, C) for the image x.
  static RankedTensorType pooledType(Value x) {
    auto t = cast<RankedTensorType>(x.getType());
    return RankedTensorType::get({ShapedType::kDynamic, 1, 1, t.getDimSize(3)},
                                 t.getElementType());
  }

  Value buildTrainingForward(Operation *op, OpBuilder &b, ValueRange inputs,
                             ValueRange, bool) const {
    auto global = cast<GlobalPoolOp>(op);
    Value x = inputs[0];
    SmallVector<int64_t, 2> w = window(x);
    RankedTensorType type = pooledType(x);
    Value pooled = b.create<PoolOp>(op->getLoc(), type, x, global.getName(),
                                    w, w, Padding::valid);
    if (global.getKeepdims())
      return pooled;
    return b.create<ReshapeOp>(op->getLoc(), global.getType(), pooled,
                               global.getNameAttr(),
                               b.getDenseI64ArrayAttr({type.getDimSize(3)}));
  }

  void buildBackward(Operation *op, OpBuilder &b, ValueRange inputs,
                     ValueRange, Value, Value outputGrad,
                     ArrayRef<bool> needInputGrads,
                     SmallVectorImpl<Value> &inputGrads,
                     SmallVectorImpl<Value> &) const {
    if (!needInputGrads[0]) {
      inputGrads.push_back(Value());
      return;
    }
    Value x = inputs[0], dy = outputGrad;
    if (!cast<GlobalPoolOp>(op).getKeepdims())
      dy = reshapeGradient(b, op->getLoc(), dy, pooledType(x));
    SmallVector<int64_t, 2> w = window(x);
    inputGrads.push_back(b.create<GradOp>(op->getLoc(), x.getType(), x, dy,
                                          w, w, Padding::valid));
  }
};

} // namespace

void registerPoolGradients(MLIRContext *ctx) {
  MaxPool2DOp::attachInterface<PoolGradient<MaxPool2DOp, MaxPoolGradOp>>(*ctx);
  AvgPool2DOp::attachInterface<PoolGradient<AvgPool2DOp, AvgPoolGradOp>>(*ctx);
  GlobalAvgPool2DOp::attachInterface<
      GlobalPoolGradient<GlobalAvgPool2DOp, AvgPool2DOp, AvgPoolGradOp>>(*ctx);
  GlobalMaxPool2DOp::attachInterface<
      GlobalPoolGradient<GlobalMaxPool2DOp, MaxPool2DOp, MaxPoolGradOp>>(*ctx);
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
  // keras/src/layers/pooling/global_average_pooling2d.py (and
  // global_max_pooling2d.py): data_format (always channels-last here),
  // keepdims.
  auto globalArgs = [] {
    return std::vector<ArgSpec>{opt("keepdims", ArgType::Bool,
                                    Value::boolean(false)),
                                nameArg()};
  };
  t.push_back({"GlobalAveragePooling2D", CallKind::Layer,
               "global_average_pooling2d", globalArgs(), false,
               nn::buildGlobalPool<nn::GlobalAvgPool2DOp>});
  t.push_back({"GlobalMaxPooling2D", CallKind::Layer, "global_max_pooling2d",
               globalArgs(), false,
               nn::buildGlobalPool<nn::GlobalMaxPool2DOp>});
}

} // namespace mnistc

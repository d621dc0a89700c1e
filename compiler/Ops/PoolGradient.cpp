//===- PoolGradient.cpp - How MaxPooling2D and AveragePooling2D train ----===//
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
#include "compiler/Ops/GradientRules.h"

using namespace mlir;

namespace mnistc::nn {
namespace {

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

//===- DenseLayer.cpp - Dense: its DSL entry and how it trains -----------===//
//
// The DSL entry of Dense (arguments in Keras's order, Keras's
// defaults) with how MLIRGen builds its nn op, and the gradient rule.
//
// Dense in a training graph: forward `nn.linear` (activation(x·W + b));
// backward, from the gradient dy of its output y:
//   dz = dy · act'(y)          nn.activation_grad (skipped for linear)
//   dW = xᵀ · dz               nn.matmul_grad_kernel
//   db = Σ_batch dz            nn.bias_grad
//   dx = dz · Wᵀ               nn.matmul_grad_input (only when needed)
// When Dense feeds a crossentropy loss its softmax is left out: the loss
// returns d loss / d logits directly.
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

mlir::Value buildDense(LayerBuilder &l) {
  return l.create<DenseOp>(l.input(), l.name, l.i64("units"),
                           l.activation("activation"), l.boolean("use_bias"),
                           l.initializer("kernel_initializer"),
                           l.initializer("bias_initializer"),
                           l.l2("kernel_regularizer"));
}

struct DenseGradient
    : public GradientOp::ExternalModel<DenseGradient, DenseOp> {
  Value buildTrainingForward(Operation *op, OpBuilder &b, ValueRange inputs,
                             ValueRange params, bool logits) const {
    auto dense = cast<DenseOp>(op);
    Activation act = dense.getActivation();
    if (act == Activation::softmax && !logits) {
      op->emitError() << "a softmax Dense layer can only be trained as the "
                      << "last layer of a crossentropy model";
      return nullptr;
    }
    if (logits && act == Activation::softmax)
      act = Activation::linear;
    Value bias = params.size() > 1 ? params[1] : Value();
    return b.create<LinearOp>(op->getLoc(), dense.getType(), inputs[0],
                              params[0], bias,
                              ActivationAttr::get(op->getContext(), act));
  }

  void buildBackward(Operation *op, OpBuilder &b, ValueRange inputs,
                     ValueRange params, Value output, Value outputGrad,
                     ArrayRef<bool> needInputGrads,
                     SmallVectorImpl<Value> &inputGrads,
                     SmallVectorImpl<Value> &paramGrads) const {
    Location loc = op->getLoc();
    Activation act = output.getDefiningOp<LinearOp>().getActivation();
    Value dz = outputGrad;
    if (act != Activation::linear)
      dz = b.create<ActivationGradOp>(loc, outputGrad.getType(), output,
                                      outputGrad, act);
    paramGrads.push_back(b.create<MatmulGradKernelOp>(
        loc, params[0].getType(), inputs[0], dz));
    if (params.size() > 1)
      paramGrads.push_back(
          b.create<BiasGradOp>(loc, params[1].getType(), dz));
    inputGrads.push_back(needInputGrads[0]
                             ? b.create<MatmulGradInputOp>(
                                   loc, inputs[0].getType(), dz, params[0])
                                   .getResult()
                             : Value());
  }
};

} // namespace

void registerDenseGradients(MLIRContext *ctx) {
  DenseOp::attachInterface<DenseGradient>(*ctx);
}

} // namespace mnistc::nn

namespace mnistc {

void addDenseLayers(std::vector<CallSpec> &t) {
  using namespace argspecs;
  t.push_back({"Dense", CallKind::Layer, "dense",
               kernelLayerArgs({req("units", ArgType::PositiveInt)}),
               false, nn::buildDense});
}

} // namespace mnistc

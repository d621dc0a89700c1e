//===- Conv2DLayer.cpp - Conv2D: its DSL entry and how it trains ---------===//
//
// The DSL entry of Conv2D (arguments in Keras's order, Keras's
// defaults) with how MLIRGen builds its nn op, and the gradient rule.
//
// Conv2D in a training graph: forward `nn.conv` (activation(conv(x, W) +
// b)); backward, from the gradient dy of its output y:
//   dz = dy · act'(y)          nn.activation_grad (skipped for linear)
//   dW = x ⋆ dz                nn.conv_grad_kernel (correlation over the
//                              batch and every output pixel)
//   db = Σ_{batch,pixels} dz   nn.bias_grad
//   dx = dz ⊛ Wᵀ               nn.conv_grad_input (only when needed)
// The code generator fuses dz into the kernels that read it.
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

mlir::Value buildConv2D(LayerBuilder &l) {
  return l.create<Conv2DOp>(l.input(), l.name, l.i64("filters"),
                            l.ints("kernel_size"), l.ints("strides"),
                            l.padding("padding"), l.activation("activation"),
                            l.boolean("use_bias"),
                            l.initializer("kernel_initializer"),
                            l.initializer("bias_initializer"),
                            l.l2("kernel_regularizer"));
}

struct Conv2DGradient
    : public GradientOp::ExternalModel<Conv2DGradient, Conv2DOp> {
  Value buildTrainingForward(Operation *op, OpBuilder &b, ValueRange inputs,
                             ValueRange params, bool) const {
    auto conv = cast<Conv2DOp>(op);
    if (conv.getActivation() == Activation::softmax) {
      op->emitError() << "a Conv2D layer with a softmax activation cannot "
                      << "be trained; add a Dense softmax layer after it";
      return nullptr;
    }
    Value bias = params.size() > 1 ? params[1] : Value();
    return b.create<ConvOp>(op->getLoc(), conv.getType(), inputs[0],
                            params[0], bias, conv.getStridesAttr(),
                            conv.getPaddingAttr(), conv.getActivationAttr());
  }

  void buildBackward(Operation *op, OpBuilder &b, ValueRange inputs,
                     ValueRange params, Value output, Value outputGrad,
                     ArrayRef<bool> needInputGrads,
                     SmallVectorImpl<Value> &inputGrads,
                     SmallVectorImpl<Value> &paramGrads) const {
    Location loc = op->getLoc();
    auto conv = output.getDefiningOp<ConvOp>();
    Activation act = conv.getActivation();
    Value dz = outputGrad;
    if (act != Activation::linear)
      dz = b.create<ActivationGradOp>(loc, outputGrad.getType(), output,
                                      outputGrad, act);
    paramGrads.push_back(b.create<ConvGradKernelOp>(
        loc, params[0].getType(), inputs[0], dz, conv.getStridesAttr(),
        conv.getPaddingAttr()));
    if (params.size() > 1)
      paramGrads.push_back(
          b.create<BiasGradOp>(loc, params[1].getType(), dz));
    inputGrads.push_back(
        needInputGrads[0]
            ? b.create<ConvGradInputOp>(loc, inputs[0].getType(), dz,
                                        params[0], conv.getStridesAttr(),
                                        conv.getPaddingAttr())
                  .getResult()
            : Value());
  }
};

} // namespace

void registerConv2DGradients(MLIRContext *ctx) {
  Conv2DOp::attachInterface<Conv2DGradient>(*ctx);
}

} // namespace mnistc::nn

namespace mnistc {

void addConv2DLayers(std::vector<CallSpec> &t) {
  using namespace argspecs;
  t.push_back({"Conv2D", CallKind::Layer, "conv2d",
               kernelLayerArgs(
                   {req("filters", ArgType::PositiveInt),
                    req("kernel_size", ArgType::Pair),
                    opt("strides", ArgType::Pair, Value::pair(1, 1)),
                    paddingArg()}),
               false, nn::buildConv2D});
}

} // namespace mnistc

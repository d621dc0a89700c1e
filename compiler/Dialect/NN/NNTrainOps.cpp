//===- NNTrainOps.cpp - Verifiers of the training graph's ops -------------===//
//
// Shape rules of the ops in NNTrainOps.td, in the same order. The batch
// dimension is dynamic; every other dimension must agree exactly.
//
//===----------------------------------------------------------------------===//
#include "compiler/Dialect/NN/NNDialect.h"

using namespace mlir;
using namespace mnistc::nn;

static ArrayRef<int64_t> dims(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}

/// Requires `v` to be a ranked tensor of `rank` dimensions.
static LogicalResult checkRank(Operation *op, Value v, int64_t rank,
                               StringRef what) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t || t.getRank() != rank)
    return op->emitOpError() << what << " must be a rank-" << rank
                             << " tensor, found " << v.getType();
  return success();
}

static LogicalResult checkDim(Operation *op, int64_t have, int64_t want,
                              StringRef what) {
  if (ShapedType::isDynamic(have) || ShapedType::isDynamic(want) ||
      have == want)
    return success();
  return op->emitOpError() << what << " is " << have << ", expected " << want;
}

LogicalResult LinearOp::verify() {
  if (failed(checkRank(*this, getInput(), 2, "input")) ||
      failed(checkRank(*this, getKernel(), 2, "kernel")) ||
      failed(checkRank(*this, getOutput(), 2, "output")))
    return failure();
  ArrayRef<int64_t> in = dims(getInput()), k = dims(getKernel()),
                    out = dims(getOutput());
  if (failed(checkDim(*this, k[0], in[1], "kernel rows")) ||
      failed(checkDim(*this, out[1], k[1], "output width")) ||
      failed(checkDim(*this, out[0], in[0], "output batch")))
    return failure();
  if (Value bias = getBias())
    if (failed(checkRank(*this, bias, 1, "bias")) ||
        failed(checkDim(*this, dims(bias)[0], k[1], "bias length")))
      return failure();
  if (getActivation() == Activation::softmax)
    return emitOpError() << "softmax is fused into the loss; a training "
                         << "graph's linear ops use linear, relu, sigmoid "
                         << "or tanh";
  return success();
}

LogicalResult SoftmaxCrossEntropyOp::verify() {
  if (failed(checkRank(*this, getLogits(), 2, "logits")) ||
      failed(checkRank(*this, getDlogits(), 2, "dlogits")))
    return failure();
  if (getLogits().getType() != getDlogits().getType())
    return emitOpError() << "dlogits must have the logits' type";
  auto labels = cast<RankedTensorType>(getLabels().getType());
  bool sparse = labels.getElementType().isInteger(32);
  if (sparse ? labels.getRank() != 1
             : labels != getLogits().getType())
    return emitOpError() << "labels must be class indices (tensor<?xi32>) "
                         << "or one-hot rows of the logits' type";
  return success();
}

LogicalResult ActivationGradOp::verify() {
  if (getActivation() == Activation::softmax ||
      getActivation() == Activation::linear)
    return emitOpError() << "takes relu, sigmoid or tanh (linear needs no "
                         << "gradient op, softmax is fused into the loss)";
  return success();
}

LogicalResult MatmulGradInputOp::verify() {
  if (failed(checkRank(*this, getGrad(), 2, "grad")) ||
      failed(checkRank(*this, getKernel(), 2, "kernel")) ||
      failed(checkRank(*this, getResult(), 2, "result")))
    return failure();
  ArrayRef<int64_t> g = dims(getGrad()), k = dims(getKernel()),
                    r = dims(getResult());
  return success(succeeded(checkDim(*this, g[1], k[1], "grad width")) &&
                 succeeded(checkDim(*this, r[1], k[0], "result width")) &&
                 succeeded(checkDim(*this, r[0], g[0], "result batch")));
}

LogicalResult MatmulGradKernelOp::verify() {
  if (failed(checkRank(*this, getInput(), 2, "input")) ||
      failed(checkRank(*this, getGrad(), 2, "grad")) ||
      failed(checkRank(*this, getResult(), 2, "result")))
    return failure();
  ArrayRef<int64_t> in = dims(getInput()), g = dims(getGrad()),
                    r = dims(getResult());
  if (!cast<RankedTensorType>(getResult().getType()).hasStaticShape())
    return emitOpError() << "result must have the kernel's static shape";
  return success(succeeded(checkDim(*this, r[0], in[1], "result rows")) &&
                 succeeded(checkDim(*this, r[1], g[1], "result width")));
}

LogicalResult BiasGradOp::verify() {
  if (failed(checkRank(*this, getGrad(), 2, "grad")) ||
      failed(checkRank(*this, getResult(), 1, "result")))
    return failure();
  return checkDim(*this, dims(getResult())[0], dims(getGrad())[1],
                  "result length");
}

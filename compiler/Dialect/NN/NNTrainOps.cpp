//===- NNTrainOps.cpp - Verifiers of the training graph's ops -------------===//
//
// Shape rules of the ops in NNTrainOps.td, in the same order. The batch
// dimension is dynamic; every other dimension must agree exactly. At the
// end, the backward ops that take in the activation gradient next to them
// (NN_AbsorbsActivationGradOpInterface, for nn-fuse-activations).
//
//===----------------------------------------------------------------------===//
#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Support/WindowGeometry.h"

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

/// The rank of `v`, or -1 when unranked.
static int64_t rankOf(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t ? t.getRank() : -1;
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

LogicalResult MeanSquaredErrorOp::verify() {
  if (failed(checkRank(*this, getInput(), 2, "input")))
    return failure();
  if (getInput().getType() != getDinput().getType() ||
      getInput().getType() != getLabels().getType())
    return emitOpError() << "labels and dinput must have the input's type "
                         << "(one-hot rows)";
  if (getActivation() != Activation::softmax &&
      getActivation() != Activation::linear)
    return emitOpError() << "applies softmax or linear; other activations "
                         << "stay in their layer";
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
  if (rankOf(getGrad()) < 2)
    return emitOpError() << "grad must have a batch and a channel axis";
  if (failed(checkRank(*this, getResult(), 1, "result")))
    return failure();
  return checkDim(*this, dims(getResult())[0], dims(getGrad()).back(),
                  "result length");
}

/// The output extent of one window axis (WindowGeometry.h).
static int64_t windowOut(int64_t in, int64_t k, int64_t s, Padding padding) {
  if (ShapedType::isDynamic(in))
    return in;
  return mnistc::windowAxis(in, k, s, padding == Padding::same).out;
}

/// Checks that `out` (batch, oh, ow, c) is what a window of `window` at
/// `strides` over `in` (batch, h, w, ·) gives.
static LogicalResult checkWindow(Operation *op, Value in, Value out,
                                 ArrayRef<int64_t> window,
                                 ArrayRef<int64_t> strides, Padding padding,
                                 StringRef what) {
  if (failed(checkRank(op, in, 4, "input")) ||
      failed(checkRank(op, out, 4, what)))
    return failure();
  if (window.size() != 2 || strides.size() != 2 || strides[0] < 1 ||
      strides[1] < 1 || window[0] < 1 || window[1] < 1)
    return op->emitOpError() << "window and strides must be positive pairs";
  ArrayRef<int64_t> i = dims(in), o = dims(out);
  std::string height = (what + " height").str(), width = (what + " width").str();
  return success(
      succeeded(checkDim(op, o[1],
                         windowOut(i[1], window[0], strides[0], padding),
                         height)) &&
      succeeded(checkDim(op, o[2],
                         windowOut(i[2], window[1], strides[1], padding),
                         width)));
}

/// The (kh, kw) of a rank-4 conv kernel, after checking its rank.
static FailureOr<SmallVector<int64_t>> kernelWindow(Operation *op, Value k) {
  if (failed(checkRank(op, k, 4, "kernel")))
    return failure();
  return SmallVector<int64_t>{dims(k)[0], dims(k)[1]};
}

LogicalResult ConvOp::verify() {
  auto window = kernelWindow(*this, getKernel());
  if (failed(window) ||
      failed(checkWindow(*this, getInput(), getOutput(), *window,
                         getStrides(), getPadding(), "output")))
    return failure();
  ArrayRef<int64_t> k = dims(getKernel());
  if (failed(checkDim(*this, k[2], dims(getInput())[3], "kernel depth")) ||
      failed(checkDim(*this, dims(getOutput())[3], k[3], "output channels")))
    return failure();
  if (Value bias = getBias())
    if (failed(checkRank(*this, bias, 1, "bias")) ||
        failed(checkDim(*this, dims(bias)[0], k[3], "bias length")))
      return failure();
  if (getActivation() == Activation::softmax)
    return emitOpError() << "softmax cannot be fused into a convolution";
  return success();
}

LogicalResult ConvGradInputOp::verify() {
  auto window = kernelWindow(*this, getKernel());
  return success(succeeded(window) &&
                 succeeded(checkWindow(*this, getResult(), getGrad(), *window,
                                       getStrides(), getPadding(), "grad")));
}

LogicalResult ConvGradKernelOp::verify() {
  auto window = kernelWindow(*this, getResult());
  return success(succeeded(window) &&
                 succeeded(checkWindow(*this, getInput(), getGrad(), *window,
                                       getStrides(), getPadding(), "grad")));
}

LogicalResult MaxPoolGradOp::verify() {
  if (getActivation() == Activation::softmax)
    return emitOpError() << "cannot take the gradient through softmax";
  if (getInput().getType() != getResult().getType())
    return emitOpError() << "result must have the input's type";
  return checkWindow(*this, getInput(), getGrad(), getPoolSize(),
                     getStrides(), getPadding(), "grad");
}

LogicalResult AvgPoolGradOp::verify() {
  if (getInput().getType() != getResult().getType())
    return emitOpError() << "result must have the input's type";
  return checkWindow(*this, getInput(), getGrad(), getPoolSize(),
                     getStrides(), getPadding(), "grad");
}

/// A (…, C) activation and its (C) statistics.
static LogicalResult checkChannels(Operation *op, Value x, Value stat) {
  if (rankOf(x) < 2)
    return op->emitOpError() << "input must have a batch and a channel axis";
  if (failed(checkRank(op, stat, 1, "statistics")))
    return failure();
  return checkDim(op, dims(stat)[0], dims(x).back(), "channel count");
}

LogicalResult BatchNormTrainOp::verify() {
  if (getActivation() == Activation::softmax)
    return emitOpError() << "cannot apply softmax to its output";
  return checkChannels(*this, getInput(), getGamma());
}

LogicalResult BatchNormGradOp::verify() {
  if (getActivation() == Activation::softmax)
    return emitOpError() << "cannot take the gradient through softmax";
  bool activated = getActivation() != Activation::linear;
  if (activated != bool(getOutput()))
    return emitOpError() << (activated ? "needs the forward's output to "
                                         "take the activation's gradient"
                                       : "takes an output only with an "
                                         "activation");
  if (getOutput() && getOutput().getType() != getInput().getType())
    return emitOpError() << "output must have the input's type";
  return checkChannels(*this, getInput(), getGamma());
}

LogicalResult SliceOp::verify() {
  int64_t rank = rankOf(getInput());
  if (rank < 2 || rankOf(getResult()) != rank)
    return emitOpError() << "input and result must have one rank, at least 2";
  ArrayRef<int64_t> in = dims(getInput()), out = dims(getResult());
  for (int64_t d = 0; d + 1 < rank; ++d)
    if (failed(checkDim(*this, out[d], in[d], "axis")))
      return failure();
  int64_t offset = getOffset(), c = out.back();
  if (offset < 0 || ShapedType::isDynamic(c) || offset + c > in.back())
    return emitOpError() << "channels [" << offset << ", " << offset + c
                         << ") are outside the input's " << in.back();
  return success();
}

//===----------------------------------------------------------------------===//
// NN_AbsorbsActivationGradOpInterface
//===----------------------------------------------------------------------===//

/// The gradient of the activation whose output the pooling read: the
/// pooling backward already reads that output.
bool MaxPoolGradOp::absorbActivationGrad() {
  if (!getResult().hasOneUse() || getActivation() != Activation::linear)
    return false;
  auto d = dyn_cast<ActivationGradOp>(*getResult().user_begin());
  if (!d || d.getGrad() != getResult() || d.getOutput() != getInput())
    return false;
  setActivation(d.getActivation());
  (*this)->setLoc(FusedLoc::get(getContext(), {getLoc(), d->getLoc()}));
  d.getResult().replaceAllUsesWith(getResult());
  d.erase();
  return true;
}

/// The gradient of the activation folded into the forward batch norm:
/// this op takes the activation's gradient and output instead.
bool BatchNormGradOp::absorbActivationGrad() {
  auto d = getGrad().getDefiningOp<ActivationGradOp>();
  if (!d || !d->hasOneUse() || getActivation() != Activation::linear)
    return false;
  auto bn = d.getOutput().getDefiningOp<BatchNormTrainOp>();
  if (!bn || bn.getActivation() != d.getActivation())
    return false;
  getGradMutable().assign(d.getGrad());
  getOutputMutable().assign(d.getOutput());
  setActivation(d.getActivation());
  (*this)->setLoc(FusedLoc::get(getContext(), {getLoc(), d->getLoc()}));
  d.erase();
  return true;
}

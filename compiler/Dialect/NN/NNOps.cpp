//===- NNOps.cpp - Verifiers, shape inference and parameters of nn ops ----===//
//
// For every op, in NNOps.td order:
//  - `checkAttrs`: the attribute rules (positive sizes, rates in range);
//  - `computeShape`: the output shape from the ranked operand shapes, with
//    an error a beginner understands when the shapes do not fit;
//  - `getParameters` for layers that own weights.
// `inferShapes()` (the ShapeInference interface) and `verify()` are both
// built from these two functions, so the rules live in one place.
// Shapes in messages are printed the Keras way: (None, 26, 26, 32).
//
//===----------------------------------------------------------------------===//
#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Support/WindowGeometry.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

using namespace mlir;
using namespace mnistc::nn;

using Shape = SmallVector<int64_t>;

// The helpers live in the dialect's namespace so the templates below find
// each op's checkAttrs/computeShape by argument-dependent lookup.
namespace mnistc::nn {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// "(None, 26, 26, 32)" for tensor<?x26x26x32xf32>.
static std::string kerasShape(ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    s += i ? ", " : "";
    s += ShapedType::isDynamic(shape[i]) ? "None" : std::to_string(shape[i]);
  }
  return s + (shape.size() == 1 ? ",)" : ")");
}

static std::string pair(ArrayRef<int64_t> v) {
  return "(" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ")";
}

static Shape shapeOf(Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  return Shape(t.getShape());
}

static bool allRanked(TypeRange types) {
  return llvm::all_of(types, [](Type t) { return isa<RankedTensorType>(t); });
}

static RankedTensorType tensorOf(MLIRContext *ctx, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

/// The signed value of an I64Attr. ODS returns I64Attr values as uint64_t,
/// so `axis = -1` would compare and print as 18446744073709551615.
static int64_t signedOf(IntegerAttr attr) { return attr.getInt(); }

static LogicalResult checkPositive(Operation *op, StringRef what,
                                   ArrayRef<int64_t> values) {
  for (int64_t v : values)
    if (v <= 0)
      return op->emitError() << what << " must be positive, found " << v;
  return success();
}

static LogicalResult checkPair(Operation *op, StringRef what,
                               ArrayRef<int64_t> values) {
  if (values.size() != 2)
    return op->emitError() << what << " must have 2 entries (height, width), "
                           << "found " << values.size();
  return checkPositive(op, what, values);
}

/// kernel_l2 is a finite factor >= 0 (NaN fails every comparison, so the
/// test is written to reject it).
static LogicalResult checkL2(Operation *op, const APFloat &l2) {
  double v = l2.convertToDouble();
  if (!(v >= 0) || !std::isfinite(v))
    return op->emitError() << "kernel_l2 must be a finite number >= 0, found "
                           << v;
  return success();
}

/// The spatial output size of a window op (WindowGeometry.h).
static int64_t windowOut(int64_t in, int64_t window, int64_t stride,
                         Padding padding) {
  return mnistc::windowAxis(in, window, stride, padding == Padding::same).out;
}

/// Requires a 4-D (batch, H, W, C) input for `layer`.
static LogicalResult checkImage(Operation *op, StringRef layer,
                                ArrayRef<int64_t> in) {
  if (in.size() == 4)
    return success();
  InFlightDiagnostic d = op->emitError()
                         << layer << " expects a 4-D input (batch, height, "
                         << "width, channels) but gets " << kerasShape(in);
  if (in.size() == 2)
    d << "; add Reshape((28, 28, 1)) before it or give the model "
      << "input(shape=(28, 28, 1))";
  if (in.size() == 3)
    d << "; images need a channel axis: add Reshape((" << in[1] << ", "
      << in[2] << ", 1)) before it or give the model input(shape=(" << in[1]
      << ", " << in[2] << ", 1))";
  return d;
}

/// Output shape of conv/pool windows over a 4-D input.
static FailureOr<Shape> windowShape(Operation *op, StringRef layer,
                                    StringRef windowName, ArrayRef<int64_t> in,
                                    ArrayRef<int64_t> window,
                                    ArrayRef<int64_t> strides, Padding padding,
                                    int64_t channels) {
  if (failed(checkImage(op, layer, in)))
    return failure();
  if (padding == Padding::valid && (window[0] > in[1] || window[1] > in[2]))
    return op->emitError() << windowName << " " << pair(window)
                           << " is larger than the " << in[1] << "x" << in[2]
                           << " input " << kerasShape(in)
                           << "; use padding=\"same\" or a smaller "
                           << windowName;
  return Shape{ShapedType::kDynamic,
               windowOut(in[1], window[0], strides[0], padding),
               windowOut(in[2], window[1], strides[1], padding), channels};
}

/// The size of the last axis of `v` (features or channels), or dynamic
/// before shape inference.
static int64_t lastDim(Value v) {
  if (auto t = dyn_cast<RankedTensorType>(v.getType()))
    return t.getShape().back();
  return ShapedType::kDynamic;
}

/// The parameters of Dense and Conv2D: a kernel and, with use_bias, a bias
/// of `units` entries.
template <typename OpT>
static SmallVector<ParamInfo> kernelAndBias(OpT op, Shape kernel,
                                            int64_t units) {
  SmallVector<ParamInfo> params{
      {"kernel", std::move(kernel), true,
       stringifyInitializer(op.getKernelInitializer()).str()}};
  if (op.getUseBias())
    params.push_back({"bias", {units}, true,
                      stringifyInitializer(op.getBiasInitializer()).str()});
  return params;
}

/// inferShapes() for any op: attribute rules, then computeShape.
template <typename OpT>
static LogicalResult inferFrom(OpT op) {
  if (failed(checkAttrs(op)) || !allRanked(op->getOperandTypes()))
    return failure();
  FailureOr<Shape> shape = computeShape(op);
  if (failed(shape))
    return failure();
  op->getResult(0).setType(tensorOf(op->getContext(), *shape));
  return success();
}

/// verify() for any op: attribute rules, then, once shapes are known, the
/// result type must be the inferred one.
template <typename OpT>
static LogicalResult verifyFrom(OpT op) {
  if (failed(checkAttrs(op)))
    return failure();
  if (!allRanked(op->getOperandTypes()) || !allRanked(op->getResultTypes()))
    return success(); // not inferred yet
  FailureOr<Shape> shape = computeShape(op);
  if (failed(shape))
    return failure();
  Type expected = tensorOf(op->getContext(), *shape);
  if (op->getResult(0).getType() != expected)
    return op->emitOpError() << "result type " << op->getResult(0).getType()
                             << " does not match the inferred type "
                             << expected;
  return success();
}

#define NN_SHAPE_METHODS(OpT)                                                  \
  LogicalResult OpT::inferShapes() { return inferFrom(*this); }                \
  LogicalResult OpT::verify() { return verifyFrom(*this); }

//===----------------------------------------------------------------------===//
// ModelOp
//===----------------------------------------------------------------------===//

OutputOp ModelOp::getOutputOp() {
  return cast<OutputOp>(getBody().front().getTerminator());
}

/// The activation a layer ends in, if it has one: its `activation`.
static std::optional<Activation> activationOf(Operation *op) {
  if (auto a = op->getAttrOfType<ActivationAttr>("activation"))
    return a.getValue();
  return std::nullopt;
}

LogicalResult ModelOp::verifyRegions() {
  Block &body = getBody().front();
  unsigned inputs = 0;
  llvm::StringMap<Operation *> names;
  for (Operation &op : body) {
    inputs += isa<InputOp>(op);
    auto layer = dyn_cast<LayerOp>(op);
    if (!layer)
      continue;
    auto [it, inserted] = names.try_emplace(layer.getLayerName(), &op);
    if (!inserted) {
      InFlightDiagnostic d = op.emitError()
                             << "duplicate layer name '" << layer.getLayerName()
                             << "'; give each layer its own name";
      d.attachNote(it->second->getLoc()) << "first used here";
      return d;
    }
  }
  if (inputs != 1)
    return emitOpError() << "must have exactly one nn.input, found " << inputs;

  Value out = getOutputOp().getValue();
  if (auto t = dyn_cast<RankedTensorType>(out.getType()); t && t.getRank() != 2)
    return getOutputOp().emitError()
           << "the model's output must be (batch, classes) but is "
           << kerasShape(t.getShape())
           << "; end the model with Flatten() and Dense(10, "
           << "activation=\"softmax\")";

  StringRef loss;
  if (auto compile = getCompileAttr())
    if (auto l = compile.getAs<StringAttr>("loss"))
      loss = l.getValue();
  if (!loss.ends_with("crossentropy"))
    return success();
  Operation *last = out.getDefiningOp();
  for (Operation &op : body) {
    std::optional<Activation> act = activationOf(&op);
    if (&op == last && act != Activation::softmax)
      return op.emitError()
             << "the loss '" << loss << "' expects probabilities, but the "
             << "last layer '" << cast<LayerOp>(op).getLayerName()
             << "' has no softmax; use activation=\"softmax\" in it";
    if (&op != last && act == Activation::softmax)
      return op.emitError()
             << "softmax must be the last layer's activation when the loss "
             << "is '" << loss << "'; '" << cast<LayerOp>(op).getLayerName()
             << "' is not the last layer";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// InputOp
//===----------------------------------------------------------------------===//

static LogicalResult checkAttrs(InputOp op) {
  if (op.getShape().empty())
    return op.emitError() << "input shape must not be empty";
  return checkPositive(op, "input shape entries", op.getShape());
}
static FailureOr<Shape> computeShape(InputOp op) {
  Shape s{ShapedType::kDynamic};
  s.append(op.getShape().begin(), op.getShape().end());
  return s;
}
NN_SHAPE_METHODS(InputOp)

//===----------------------------------------------------------------------===//
// DenseOp
//===----------------------------------------------------------------------===//

static LogicalResult checkAttrs(DenseOp op) {
  if (failed(checkPositive(op, "units", signedOf(op.getUnitsAttr()))))
    return failure();
  return checkL2(op, op.getKernelL2());
}
static FailureOr<Shape> computeShape(DenseOp op) {
  Shape in = shapeOf(op.getInput());
  if (in.size() != 2) {
    InFlightDiagnostic d = op.emitError()
                           << "Dense expects a 2-D input (batch, features) "
                           << "but gets " << kerasShape(in);
    if (in.size() > 2)
      d << "; add Flatten() before it";
    return d;
  }
  return Shape{ShapedType::kDynamic, signedOf(op.getUnitsAttr())};
}
NN_SHAPE_METHODS(DenseOp)

SmallVector<ParamInfo> DenseOp::getParameters() {
  int64_t units = signedOf(getUnitsAttr());
  return kernelAndBias(*this, {lastDim(getInput()), units}, units);
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

static LogicalResult checkAttrs(Conv2DOp op) {
  if (failed(checkPositive(op, "filters", signedOf(op.getFiltersAttr()))) ||
      failed(checkPair(op, "kernel_size", op.getKernelSize())) ||
      failed(checkPair(op, "strides", op.getStrides())))
    return failure();
  return checkL2(op, op.getKernelL2());
}
static FailureOr<Shape> computeShape(Conv2DOp op) {
  return windowShape(op, "Conv2D", "kernel_size", shapeOf(op.getInput()),
                     op.getKernelSize(), op.getStrides(), op.getPadding(),
                     signedOf(op.getFiltersAttr()));
}
NN_SHAPE_METHODS(Conv2DOp)

SmallVector<ParamInfo> Conv2DOp::getParameters() {
  int64_t filters = signedOf(getFiltersAttr());
  return kernelAndBias(*this,
                       {getKernelSize()[0], getKernelSize()[1],
                        lastDim(getInput()), filters},
                       filters);
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

static LogicalResult checkAttrs(BatchNormOp op) {
  // Written so that NaN fails each range test.
  double m = op.getMomentum().convertToDouble();
  if (!(m >= 0 && m <= 1))
    return op.emitError() << "momentum must be in [0, 1], found " << m;
  double eps = op.getEpsilon().convertToDouble();
  if (!(eps > 0) || !std::isfinite(eps))
    return op.emitError() << "epsilon must be positive, found " << eps;
  return success();
}
static FailureOr<Shape> computeShape(BatchNormOp op) {
  Shape in = shapeOf(op.getInput());
  int64_t rank = in.size();
  int64_t axis = signedOf(op.getAxisAttr());
  if (axis != -1 && axis != rank - 1)
    return op.emitError() << "BatchNormalization normalizes the channel axis "
                          << "only: axis must be -1 (or " << rank - 1
                          << "), found " << axis;
  return in;
}
NN_SHAPE_METHODS(BatchNormOp)

SmallVector<ParamInfo> BatchNormOp::getParameters() {
  int64_t c = lastDim(getInput());
  return {{"gamma", {c}, true, "ones"},
          {"beta", {c}, true, "zeros"},
          {"moving_mean", {c}, false, "zeros"},
          {"moving_variance", {c}, false, "ones"}};
}

//===----------------------------------------------------------------------===//
// MaxPool2DOp, AvgPool2DOp
//===----------------------------------------------------------------------===//

template <typename PoolOp>
static LogicalResult checkPoolAttrs(PoolOp op) {
  if (failed(checkPair(op, "pool_size", op.getPoolSize())))
    return failure();
  return checkPair(op, "strides", op.getStrides());
}
template <typename PoolOp>
static FailureOr<Shape> computePoolShape(PoolOp op) {
  Shape in = shapeOf(op.getInput());
  int64_t channels = in.empty() ? 0 : in.back();
  return windowShape(op, op.getLayerClass(), "pool_size", in,
                     op.getPoolSize(), op.getStrides(), op.getPadding(),
                     channels);
}
static LogicalResult checkAttrs(MaxPool2DOp op) { return checkPoolAttrs(op); }
static LogicalResult checkAttrs(AvgPool2DOp op) { return checkPoolAttrs(op); }
static FailureOr<Shape> computeShape(MaxPool2DOp op) {
  return computePoolShape(op);
}
static FailureOr<Shape> computeShape(AvgPool2DOp op) {
  return computePoolShape(op);
}
NN_SHAPE_METHODS(MaxPool2DOp)
NN_SHAPE_METHODS(AvgPool2DOp)

//===----------------------------------------------------------------------===//
// GlobalAvgPool2DOp, GlobalMaxPool2DOp
//===----------------------------------------------------------------------===//

template <typename GlobalPoolOp>
static FailureOr<Shape> computeGlobalPoolShape(GlobalPoolOp op) {
  Shape in = shapeOf(op.getInput());
  if (failed(checkImage(op, op.getLayerClass(), in)))
    return failure();
  if (op.getKeepdims())
    return Shape{ShapedType::kDynamic, 1, 1, in[3]};
  return Shape{ShapedType::kDynamic, in[3]};
}
static LogicalResult checkAttrs(GlobalAvgPool2DOp) { return success(); }
static FailureOr<Shape> computeShape(GlobalAvgPool2DOp op) {
  return computeGlobalPoolShape(op);
}
static LogicalResult checkAttrs(GlobalMaxPool2DOp) { return success(); }
static FailureOr<Shape> computeShape(GlobalMaxPool2DOp op) {
  return computeGlobalPoolShape(op);
}
NN_SHAPE_METHODS(GlobalAvgPool2DOp)
NN_SHAPE_METHODS(GlobalMaxPool2DOp)

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

static LogicalResult checkAttrs(FlattenOp) { return success(); }
static FailureOr<Shape> computeShape(FlattenOp op) {
  Shape in = shapeOf(op.getInput());
  int64_t n = 1;
  for (int64_t d : ArrayRef<int64_t>(in).drop_front())
    n *= d;
  return Shape{ShapedType::kDynamic, n};
}
NN_SHAPE_METHODS(FlattenOp)

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

static LogicalResult checkAttrs(ReshapeOp op) {
  ArrayRef<int64_t> target = op.getTargetShape();
  if (target.empty())
    return op.emitError() << "target_shape must not be empty";
  if (llvm::count(target, -1) > 1)
    return op.emitError() << "target_shape may contain -1 only once";
  for (int64_t d : target)
    if (d == 0 || d < -1)
      return op.emitError() << "target_shape entries must be positive (or "
                            << "one -1), found " << d;
  return success();
}
static FailureOr<Shape> computeShape(ReshapeOp op) {
  Shape in = shapeOf(op.getInput());
  int64_t have = 1, known = 1;
  for (int64_t d : ArrayRef<int64_t>(in).drop_front())
    have *= d;
  Shape out{ShapedType::kDynamic};
  for (int64_t d : op.getTargetShape()) {
    out.push_back(d);
    if (d != -1)
      known *= d;
  }
  auto *hole = llvm::find(out, -1);
  if (hole != out.end() && have % known == 0)
    *hole = have / known;
  if (hole != out.end() ? have % known != 0 : known != have) {
    Shape target{ShapedType::kDynamic};
    target.append(op.getTargetShape().begin(), op.getTargetShape().end());
    return op.emitError() << "cannot reshape " << kerasShape(in) << " ("
                          << have << " values per sample) into "
                          << kerasShape(target);
  }
  return out;
}
NN_SHAPE_METHODS(ReshapeOp)

//===----------------------------------------------------------------------===//
// DropoutOp
//===----------------------------------------------------------------------===//

static LogicalResult checkAttrs(DropoutOp op) {
  double r = op.getRate().convertToDouble();
  if (!(r >= 0 && r < 1)) // NaN fails too
    return op.emitError() << "rate must be in [0, 1), found " << r;
  return success();
}
static FailureOr<Shape> computeShape(DropoutOp op) {
  return shapeOf(op.getInput());
}
NN_SHAPE_METHODS(DropoutOp)

//===----------------------------------------------------------------------===//
// ActivationOp
//===----------------------------------------------------------------------===//

static LogicalResult checkAttrs(ActivationOp) { return success(); }
static FailureOr<Shape> computeShape(ActivationOp op) {
  return shapeOf(op.getInput());
}
NN_SHAPE_METHODS(ActivationOp)

//===----------------------------------------------------------------------===//
// AddOp, ConcatenateOp
//===----------------------------------------------------------------------===//

static LogicalResult checkMerge(Operation *op, StringRef layer) {
  if (op->getNumOperands() < 2)
    return op->emitError() << layer << " needs at least 2 inputs, found "
                           << op->getNumOperands();
  return success();
}

static LogicalResult checkAttrs(AddOp op) { return checkMerge(op, "Add"); }
static FailureOr<Shape> computeShape(AddOp op) {
  Shape first = shapeOf(op.getInputs()[0]);
  for (auto [i, v] : llvm::enumerate(op.getInputs()))
    if (shapeOf(v) != first)
      return op.emitError()
             << "Add needs inputs of one shape, but input 1 is "
             << kerasShape(first) << " and input " << i + 1 << " is "
             << kerasShape(shapeOf(v));
  return first;
}
NN_SHAPE_METHODS(AddOp)

static LogicalResult checkAttrs(ConcatenateOp op) {
  return checkMerge(op, "Concatenate");
}
static FailureOr<Shape> computeShape(ConcatenateOp op) {
  Shape out = shapeOf(op.getInputs()[0]);
  int64_t rank = out.size();
  int64_t given = signedOf(op.getAxisAttr());
  int64_t axis = given < 0 ? given + rank : given;
  if (axis <= 0 || axis >= rank)
    return op.emitError() << "Concatenate axis " << given
                          << " is out of range for inputs of rank " << rank
                          << " (the batch axis 0 cannot be joined)";
  out[axis] = 0;
  for (auto [i, v] : llvm::enumerate(op.getInputs())) {
    Shape s = shapeOf(v);
    bool fits = static_cast<int64_t>(s.size()) == rank;
    for (int64_t d = 1; fits && d < rank; ++d)
      fits = d == axis || s[d] == out[d];
    if (!fits)
      return op.emitError()
             << "Concatenate on axis " << given
             << " needs inputs that match on every other axis, but input "
             << i + 1 << " is " << kerasShape(s) << " and input 1 is "
             << kerasShape(shapeOf(op.getInputs()[0]));
    out[axis] += s[axis];
  }
  return out;
}
NN_SHAPE_METHODS(ConcatenateOp)

} // namespace mnistc::nn

#define GET_OP_CLASSES
#include "compiler/Dialect/NN/NNOps.cpp.inc"

//===- ShapeInference.cpp - The nn-shape-inference pass -------------------===//
//
// Drives the ShapeInference op interface over a model body; the algorithm
// is documented in Passes.td. Each op's own rules live in NNOps.cpp; the
// limit on one tensor's size, which no layer may pass, lives here.
//
//===----------------------------------------------------------------------===//
#include "compiler/Transforms/Passes.h"
#include "compiler/Support/Sizes.h"

#include <cstdio>

namespace mnistc::nn {
#define GEN_PASS_DEF_NNSHAPEINFERENCE
#include "compiler/Transforms/Passes.h.inc"
} // namespace mnistc::nn

using namespace mlir;
using namespace mnistc;
using namespace mnistc::nn;

namespace {

/// The most values one tensor may hold: Halide 14 addresses a buffer with
/// signed 32-bit byte offsets, so a float32 tensor stops short of 2 GiB.
constexpr int64_t kMaxTensorValues = (int64_t(1) << 31) / 4 - 1;

/// The product of the static dimensions (the batch is left out), in double
/// so that no shape overflows it.
double staticValues(llvm::ArrayRef<int64_t> shape) {
  double n = 1;
  for (int64_t d : shape)
    if (!ShapedType::isDynamic(d))
      n *= double(d);
  return n;
}

/// Fails, at the layer, when its output (per image) or one of its
/// parameter tensors holds more than kMaxTensorValues.
LogicalResult checkTensorSizes(Operation &op) {
  auto layer = dyn_cast<LayerOp>(op);
  auto tooLarge = [&](const std::string &what, double values) {
    char huge[32];
    std::snprintf(huge, sizeof huge, "%.3g", values);
    std::string count = values < 9e18 ? grouped(int64_t(values)) : huge;
    InFlightDiagnostic d = op.emitError();
    if (layer)
      d << layer.getLayerClass() << " '" << layer.getLayerName() << "' ";
    d << "would have " << what << " of " << count << " values ("
      << memorySize(4 * values) << "); one tensor holds at most "
      << grouped(kMaxTensorValues) << " ("
      << memorySize(4.0 * kMaxTensorValues) << "), so make the layer smaller";
    return failure();
  };
  if (layer)
    for (const ParamInfo &p : layer.getParameters())
      if (double n = staticValues(p.shape); n > kMaxTensorValues)
        return tooLarge("a " + p.name, n);
  for (Type t : op.getResultTypes())
    if (auto ranked = dyn_cast<RankedTensorType>(t))
      if (double n = staticValues(ranked.getShape()); n > kMaxTensorValues)
        return tooLarge("an output per image", n);
  return success();
}

struct NNShapeInferencePass
    : mnistc::nn::impl::NNShapeInferenceBase<NNShapeInferencePass> {
  void runOnOperation() override {
    bool failedAny = false;
    for (Operation &op : getOperation().getBody().front()) {
      auto shaped = dyn_cast<ShapeInference>(op);
      if (!shaped)
        continue;
      bool inputsKnown = llvm::all_of(op.getOperandTypes(), [](Type t) {
        return isa<RankedTensorType>(t);
      });
      if (!inputsKnown) { // fed by an op that already failed
        failedAny = true;
        continue;
      }
      if (failed(shaped.inferShapes()))
        failedAny = true;
      else if (failed(checkTensorSizes(op))) {
        failedAny = true;
        for (Value result : op.getResults()) // its users are skipped
          result.setType(UnrankedTensorType::get(
              cast<ShapedType>(result.getType()).getElementType()));
      }
    }
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace

//===- ShapeInference.cpp - The nn-shape-inference pass -------------------===//
//
// Drives the ShapeInference op interface over a model body; the algorithm
// is documented in Passes.td. Each op's own rules live in NNOps.cpp.
//
//===----------------------------------------------------------------------===//
#include "compiler/Transforms/Passes.h"

namespace mnistc::nn {
#define GEN_PASS_DEF_NNSHAPEINFERENCE
#include "compiler/Transforms/Passes.h.inc"
} // namespace mnistc::nn

using namespace mlir;
using namespace mnistc::nn;

namespace {
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
    }
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace

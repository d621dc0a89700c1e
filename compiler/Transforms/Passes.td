//===- Passes.td - Passes over the nn dialect -----------------------------===//
//
// Every pass is declared here, runs alone in mnistc-opt, and is tested with
// lit + FileCheck.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_NN_PASSES
#define MNISTC_NN_PASSES

include "mlir/Pass/PassBase.td"

def NNShapeInference : Pass<"nn-shape-inference", "::mnistc::nn::ModelOp"> {
  let summary = "Infer every layer's output shape";
  let description = [{
    Algorithm:
    1. Walk the model body in order (it is a DAG in topological order).
    2. For each op implementing ShapeInference whose operands are all
       ranked, call `inferShapes()`, which sets the result type or emits a
       located error.
    3. Ops fed by a failed op are skipped, so one mistake is reported once.
    4. The pass fails if any op failed.
    Result types written as `tensor<*xf32>` become ranked tensors with a
    dynamic batch dimension, e.g. `tensor<?x26x26x32xf32>`.
  }];
}

#endif

//===- Frontend.h - The front half of mnistc in one call ------------------===//
//
// lowerTo runs Sema, MLIRGen, nn-shape-inference and the verifier on a
// parsed module, and nn-autodiff when the training graph is asked for. MLIR's diagnostics are routed into the DSL's
// DiagnosticEngine so shape errors look exactly like syntax errors: file,
// line, column, the quoted line and a caret under the layer.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_FRONTEND_FRONTEND_H
#define MNISTC_COMPILER_FRONTEND_FRONTEND_H

#include "dsl/AST.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mnistc {

/// How far lowerTo goes.
enum class Stage {
  NN,    // the verified, shape-inferred nn.model
  Train, // and its training graph, nn.train (nn-autodiff)
};

/// Returns the module at `stage`, or null after errors (already reported
/// through `diags`). Stage::Train needs the gradient rules registered in
/// `context` (compiler/Ops/GradientRules.h).
mlir::OwningOpRef<mlir::ModuleOp> lowerTo(mlir::MLIRContext &context,
                                          const dsl::Module &module,
                                          dsl::DiagnosticEngine &diags,
                                          Stage stage);

} // namespace mnistc

#endif

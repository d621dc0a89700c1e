//===- Frontend.h - The front half of mnistc in one call ------------------===//
//
// lowerToNN runs Sema, MLIRGen, nn-shape-inference and the verifier on a
// parsed module. MLIR's diagnostics are routed into the DSL's
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

/// Returns the verified, shape-inferred nn module, or null after errors
/// (already reported through `diags`).
mlir::OwningOpRef<mlir::ModuleOp> lowerToNN(mlir::MLIRContext &context,
                                            const dsl::Module &module,
                                            dsl::DiagnosticEngine &diags);

} // namespace mnistc

#endif

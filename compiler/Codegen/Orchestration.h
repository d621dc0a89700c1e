//===- Orchestration.h - Step functions as an object file -----------------===//
//
// Emits the per-model half of model.so that is not a kernel: the step
// functions mnistc_gen_train / eval / forward (and gradients / update, the
// train step in two halves), which call the kernels of a
// ModelPlan in order, plus the model description (mnistc_gen_info) and
// the buffer table (mnistc_gen_buffers). They are built in MLIR's LLVM
// dialect, translated to LLVM IR and compiled to a position-independent
// object for the host.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_ORCHESTRATION_H
#define MNISTC_COMPILER_CODEGEN_ORCHESTRATION_H

#include "compiler/Codegen/ModelPlan.h"

#include <string>

namespace mnistc::codegen {

/// The orchestration as an LLVM-dialect module (printed by
/// --emit=orchestration).
mlir::OwningOpRef<mlir::ModuleOp>
buildOrchestration(mlir::MLIRContext &context, const ModelPlan &plan);

/// Compiles it to an object at `path`; on failure returns false and sets
/// `error`.
bool emitOrchestrationObject(const ModelPlan &plan, const std::string &path,
                             std::string &error);

} // namespace mnistc::codegen

#endif

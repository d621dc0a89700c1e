//===- Emit.h - From a training graph to model.so -------------------------===//
//
// The back end in one call: plan the kernels (ModelPlan), compile each
// Halide pipeline to an object for the target, add Halide's runtime once
// and the orchestration object, and link them with the model support
// library into a shared library with the system's C++ compiler driver. The
// result is written atomically: the old file stays until the new one is
// complete.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_EMIT_H
#define MNISTC_COMPILER_CODEGEN_EMIT_H

#include "Halide.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace mnistc::codegen {

/// The CUDA capabilities Halide 14 generates PTX for, and the default.
constexpr const char *kCudaCapabilities =
    "sm_30, sm_32, sm_35, sm_50, sm_61, sm_70, sm_75, sm_80 and sm_86";
constexpr const char *kDefaultCudaCapability = "sm_80";

/// Halide's feature for a capability ("sm_80"), if Halide 14 has one.
std::optional<Halide::Target::Feature> cudaCapability(const std::string &sm);

struct EmitOptions {
  std::string output;           // the model.so to write
  std::string target = "host";  // "host", "cuda[-sm_XX]" or a Halide target
  std::string schedule = "manual"; // or "auto:<autoscheduler>" (AutoSchedule.h)
  std::string objectDir;        // keep the objects here ("" = temporary)
  std::string supportLibrary;   // libmnistc_model_support.a
  std::string summary;          // mnistc_model_summary()'s text
  int64_t memoryLimit = 0;      // bytes a context may need (0: this
                                // machine's memory; MemoryCheck.h)
};

/// Step 1 of every back-end path: "host" (this machine's features),
/// "cuda" or "cuda-sm_XX" (this machine's features for the host code, CUDA
/// kernels for capability sm_XX, default kDefaultCudaCapability), or a
/// Halide target string; an error at the module otherwise.
mlir::FailureOr<Halide::Target> resolveTarget(mlir::ModuleOp module,
                                              const std::string &name);

/// Prints a back-end stage of the model for `target`: "kernels" (every
/// kernel call of each step with its buffers), "memory-plan" (MemoryPlan.h),
/// "stmt" (each kernel's lowered Halide statement), "orchestration" (the
/// step functions in MLIR's LLVM dialect), or "ptx" (each kernel's CUDA
/// PTX; CUDA targets only).
mlir::LogicalResult printStage(mlir::ModuleOp module, const std::string &stage,
                               const std::string &target,
                               const std::string &schedule,
                               llvm::raw_ostream &os);

/// Builds the shared library; errors are reported through the module's
/// diagnostics (located at the op that cannot be lowered) or, for tool
/// failures, as an unlocated error.
mlir::LogicalResult emitSharedLibrary(mlir::ModuleOp module,
                                      const EmitOptions &options);

} // namespace mnistc::codegen

#endif

//===- Passes.h - Passes over the nn dialect ------------------------------===//
//
// Declarations generated from Passes.td, and registration for mnistc-opt.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_TRANSFORMS_PASSES_H
#define MNISTC_COMPILER_TRANSFORMS_PASSES_H

#include "compiler/Dialect/NN/NNDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mnistc::nn {

#define GEN_PASS_DECL
#include "compiler/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Transforms/Passes.h.inc"

} // namespace mnistc::nn

#endif

//===- KernelLowerings.cpp - Every op kind's kernel lowering --------------===//
//
// registerKernelLowerings (Lowering.h): a dialect extension that calls the
// registerXKernels of each op kind in OpKinds.def.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/Lowering.h"

namespace mnistc::ops {
#define OP_KIND(X) void register##X##Kernels(mlir::MLIRContext *ctx);
#define TRAINING_KIND(X) OP_KIND(X)
#include "compiler/Ops/OpKinds.def"
} // namespace mnistc::ops

void mnistc::codegen::registerKernelLowerings(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, nn::NNDialect *) {
#define OP_KIND(X) ops::register##X##Kernels(ctx);
#define TRAINING_KIND(X) OP_KIND(X)
#include "compiler/Ops/OpKinds.def"
  });
}

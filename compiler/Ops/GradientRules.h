//===- GradientRules.h - Attaching each layer's training rules ------------===//
//
// The GradientOp interface (NNInterfaces.td) is implemented as external
// models, one per trainable layer, each in the compiler/Ops/ file of its
// op. registerGradientRules adds them to a registry; every tool that
// builds training graphs calls it before loading the nn dialect.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_GRADIENTRULES_H
#define MNISTC_COMPILER_OPS_GRADIENTRULES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/IRMapping.h"

namespace mnistc::nn {

/// The training forward of a layer that is its own training op: `op`
/// cloned with its operands replaced by `inputs`; returns its result.
inline mlir::Value cloneWithInputs(mlir::Operation *op, mlir::OpBuilder &b,
                                   mlir::ValueRange inputs) {
  mlir::IRMapping map;
  map.map(op->getOperands(), inputs);
  return b.clone(*op, map)->getResult(0);
}

void registerGradientRules(mlir::DialectRegistry &registry);

// One per op file.
void registerDenseGradient(mlir::MLIRContext *ctx);
void registerShapeGradients(mlir::MLIRContext *ctx);
void registerConv2DGradient(mlir::MLIRContext *ctx);
void registerPoolGradients(mlir::MLIRContext *ctx);
void registerDropoutGradient(mlir::MLIRContext *ctx);
void registerBatchNormGradient(mlir::MLIRContext *ctx);
void registerMergeGradients(mlir::MLIRContext *ctx);

} // namespace mnistc::nn

#endif

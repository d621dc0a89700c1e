//===- GradientRules.h - Attaching each layer's training rules ------------===//
//
// The GradientOp interface (NNInterfaces.td) is implemented as external
// models, one per layer, each in its op kind's compiler/Ops/XLayer.cpp
// (OpKinds.def). registerGradientRules adds them to a registry; every tool
// that builds training graphs calls it before loading the nn dialect.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_GRADIENTRULES_H
#define MNISTC_COMPILER_OPS_GRADIENTRULES_H

#include "compiler/Dialect/NN/NNDialect.h"

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

/// The gradient `grad` viewed in `type`'s shape (batch axis kept): the
/// backward of a layer that only reshapes.
inline mlir::Value reshapeGradient(mlir::OpBuilder &b, mlir::Location loc,
                                   mlir::Value grad,
                                   mlir::RankedTensorType type) {
  return b.create<ReshapeOp>(
      loc, type, grad, "gradient_reshape",
      b.getDenseI64ArrayAttr(type.getShape().drop_front()));
}

void registerGradientRules(mlir::DialectRegistry &registry);

} // namespace mnistc::nn

#endif

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

} // namespace mnistc::nn

#endif

//===- MLIRGen.h - Checked layer graph to the nn dialect ------------------===//
//
// Emits one nn op per LayerNode inside an nn.model, each at the
// FileLineColLoc of the DSL line that wrote it, and the compile/fit
// sections as dictionary attributes. Result types are left unranked
// (tensor<*xf32>); the nn-shape-inference pass fills them in.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_FRONTEND_MLIRGEN_H
#define MNISTC_COMPILER_FRONTEND_MLIRGEN_H

#include "compiler/Frontend/Sema.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mnistc {

mlir::OwningOpRef<mlir::ModuleOp> mlirGen(mlir::MLIRContext &context,
                                          const ModelGraph &graph,
                                          const std::string &filename);

} // namespace mnistc

#endif

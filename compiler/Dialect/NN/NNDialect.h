//===- NNDialect.h - The nn dialect, its enums and ops --------------------===//
//
// The one header users of the nn dialect include: the dialect class, the
// enum attributes (activation, padding, initializer), the op interfaces and
// the ops, all generated from the .td files beside it.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_DIALECT_NN_NNDIALECT_H
#define MNISTC_COMPILER_DIALECT_NN_NNDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "compiler/Dialect/NN/NNDialect.h.inc"
#include "compiler/Dialect/NN/NNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "compiler/Dialect/NN/NNAttrs.h.inc"

namespace mnistc::nn {
/// One parameter tensor of a layer (NN_LayerOpInterface::getParameters).
struct ParamInfo {
  std::string name;                 // "kernel", "bias", "gamma", ...
  llvm::SmallVector<int64_t> shape; // Keras layout, e.g. (kh, kw, cin, cout)
  bool trainable = true;
  std::string initializer;          // "glorot_uniform", "zeros", "ones"
  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};
} // namespace mnistc::nn

namespace mnistc::nn {
/// NN_AppliesActivation (NNDialect.td).
template <typename ConcreteType>
class AppliesActivation
    : public mlir::OpTrait::TraitBase<ConcreteType, AppliesActivation> {};
/// NN_ReadsActivationGrad (NNDialect.td).
template <typename ConcreteType>
class ReadsActivationGrad
    : public mlir::OpTrait::TraitBase<ConcreteType, ReadsActivationGrad> {};
/// NN_OptimizerUpdate (NNDialect.td).
template <typename ConcreteType>
class OptimizerUpdate
    : public mlir::OpTrait::TraitBase<ConcreteType, OptimizerUpdate> {};
} // namespace mnistc::nn

namespace mnistc::codegen {
class Lowering; // compiler/Codegen/Lowering.h: NN_KernelOpInterface's planner
} // namespace mnistc::codegen

#include "compiler/Dialect/NN/NNInterfaces.h.inc"

#define GET_OP_CLASSES
#include "compiler/Dialect/NN/NNOps.h.inc"

#endif

//===- NNDialect.cpp - Registration of the nn dialect ---------------------===//
//
// Registers the ops and attributes generated from ODS and holds the
// generated definitions of the dialect, its enums, attributes and
// interfaces. The ops themselves (verifiers, shape inference) live in
// NNOps.cpp.
//
//===----------------------------------------------------------------------===//
#include "compiler/Dialect/NN/NNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mnistc::nn;

#include "compiler/Dialect/NN/NNDialect.cpp.inc"
#include "compiler/Dialect/NN/NNEnums.cpp.inc"
#include "compiler/Dialect/NN/NNInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "compiler/Dialect/NN/NNAttrs.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "compiler/Dialect/NN/NNOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "compiler/Dialect/NN/NNAttrs.cpp.inc"
      >();
}

//===- Summary.h - Keras-style model summary ------------------------------===//
//
// `mnistc --summary`: the table Keras's model.summary() prints (layer and
// type, output shape, parameter count, and for graphs the inputs each layer
// is connected to), then total, trainable and non-trainable parameters with
// their size in memory.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_FRONTEND_SUMMARY_H
#define MNISTC_COMPILER_FRONTEND_SUMMARY_H

#include "compiler/Dialect/NN/NNDialect.h"
#include "llvm/Support/raw_ostream.h"

namespace mnistc {

/// Prints the summary of a shape-inferred model.
void printSummary(nn::ModelOp model, llvm::raw_ostream &os);

} // namespace mnistc

#endif

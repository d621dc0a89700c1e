//===- GradientRules.cpp - Every layer kind's gradient rule ---------------===//
//
// registerGradientRules (GradientRules.h): a dialect extension that calls
// the registerXGradients of each op kind in OpKinds.def.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/GradientRules.h"

#include "compiler/Dialect/NN/NNDialect.h"

namespace mnistc::nn {

#define OP_KIND(X) void register##X##Gradients(mlir::MLIRContext *ctx);
#include "compiler/Ops/OpKinds.def"

void registerGradientRules(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, NNDialect *) {
#define OP_KIND(X) register##X##Gradients(ctx);
#include "compiler/Ops/OpKinds.def"
  });
}

} // namespace mnistc::nn

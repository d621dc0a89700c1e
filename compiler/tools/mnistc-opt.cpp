//===- mnistc-opt.cpp - Run nn dialect passes on .mlir files --------------===//
//
// mlir-opt with the nn dialect and mnistc's passes registered: every pass
// runs alone on textual IR, and `-verify-diagnostics` checks verifier
// messages, so lit tests can exercise each stage without the DSL.
//
//===----------------------------------------------------------------------===//
#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Ops/GradientRules.h"
#include "compiler/Transforms/Passes.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<mnistc::nn::NNDialect>();
  mnistc::nn::registerGradientRules(registry);
  mnistc::nn::registerNNPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "mnistc-opt: nn dialect passes\n", registry));
}

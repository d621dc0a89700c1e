//===- Frontend.cpp - The front half of mnistc in one call ----------------===//
//
// Algorithm of lowerTo:
// 1. Sema: AST -> ModelGraph (stops here on errors).
// 2. MLIRGen: ModelGraph -> nn.model with unranked result types.
// 3. nn-shape-inference, then the verifier (which also checks model-level
//    rules such as softmax placement); both report through the bridge,
//    which drops MLIR's "see current operation" dumps (the user wrote no
//    MLIR) and an error both stages find (a bad attribute) the second time.
// 4. For Stage::Train, nn-autodiff builds nn.train beside nn.model and
//    nn-fuse-activations folds Activation layers into the ops before them;
//    the pass manager verifies the result.
//
//===----------------------------------------------------------------------===//
#include "compiler/Frontend/Frontend.h"

#include "compiler/Frontend/DiagnosticBridge.h"

#include "compiler/Frontend/MLIRGen.h"
#include "compiler/Frontend/Sema.h"
#include "compiler/Transforms/Passes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include <map>

using namespace mlir;

namespace mnistc {


OwningOpRef<ModuleOp> lowerTo(MLIRContext &context, const dsl::Module &module,
                              dsl::DiagnosticEngine &diags, Stage stage) {
  // Step 1.
  std::optional<ModelGraph> graph = analyze(module, diags);
  if (!graph)
    return nullptr;
  // Step 2.
  OwningOpRef<ModuleOp> nn = mlirGen(context, *graph, diags.file().name());
  // Step 3.
  context.printOpOnDiagnostic(false);
  std::map<std::pair<int, int>, int> lengths;
  for (const LayerNode &n : graph->nodes)
    lengths[{n.loc.line, n.loc.col}] = n.loc.len;
  DiagnosticBridge bridge(context, diags, std::move(lengths));
  PassManager pm(&context, ModuleOp::getOperationName());
  pm.enableVerifier(false); // verified below, once, whatever the pass did
  pm.addNestedPass<nn::ModelOp>(nn::createNNShapeInference());
  bool inferred = succeeded(pm.run(*nn));
  bool verified = succeeded(verify(*nn));
  if (!inferred || !verified || diags.hadError())
    return nullptr;
  if (stage == Stage::NN)
    return nn;
  // Step 4.
  PassManager train(&context, ModuleOp::getOperationName());
  train.addPass(nn::createNNAutodiff());
  train.addNestedPass<nn::TrainOp>(nn::createNNFuseActivations());
  if (failed(train.run(*nn)) || diags.hadError())
    return nullptr;
  return nn;
}

} // namespace mnistc

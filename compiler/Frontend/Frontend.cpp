//===- Frontend.cpp - The front half of mnistc in one call ----------------===//
//
// Algorithm of lowerTo:
// 1. Sema: AST -> ModelGraph (stops here on errors).
// 2. MLIRGen: ModelGraph -> nn.model with unranked result types.
// 3. nn-shape-inference, then the verifier (which also checks model-level
//    rules such as softmax placement); both report through the bridge,
//    which drops MLIR's "see current operation" dumps (the user wrote no
//    MLIR) and an error both stages find (a bad attribute) the second time.
// 4. For Stage::Train, nn-autodiff builds nn.train beside nn.model; the
//    pass manager verifies its result.
//
//===----------------------------------------------------------------------===//
#include "compiler/Frontend/Frontend.h"

#include "compiler/Frontend/MLIRGen.h"
#include "compiler/Frontend/Sema.h"
#include "compiler/Transforms/Passes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include <map>
#include <set>
#include <tuple>

using namespace mlir;

namespace mnistc {

namespace {
/// Forwards MLIR diagnostics located in the DSL file to `diags`, with the
/// underline as long as the layer name the op came from.
class DiagnosticBridge {
public:
  DiagnosticBridge(MLIRContext &ctx, const ModelGraph &graph,
                   dsl::DiagnosticEngine &diags)
      : handler_(&ctx, [this](Diagnostic &d) { return forward(d); }),
        diags_(diags) {
    for (const LayerNode &n : graph.nodes)
      lengths_[{n.loc.line, n.loc.col}] = n.loc.len;
  }

private:
  LogicalResult forward(Diagnostic &d) {
    if (d.getSeverity() == DiagnosticSeverity::Error) {
      std::tuple<int, int, std::string> key{-1, -1, d.str()};
      if (auto fl = d.getLocation()->findInstanceOf<FileLineColLoc>())
        key = {fl.getLine(), fl.getColumn(), d.str()};
      if (!seen_.insert(key).second)
        return success(); // already reported, with its notes
    }
    report(d, d.getSeverity() == DiagnosticSeverity::Error
                  ? dsl::Severity::Error
              : d.getSeverity() == DiagnosticSeverity::Warning
                  ? dsl::Severity::Warning
                  : dsl::Severity::Note);
    for (Diagnostic &note : d.getNotes())
      report(note, dsl::Severity::Note);
    return success();
  }
  void report(Diagnostic &d, dsl::Severity sev) {
    dsl::Loc at;
    if (auto fl = d.getLocation()->findInstanceOf<FileLineColLoc>()) {
      at = dsl::Loc{static_cast<int>(fl.getLine()),
                    static_cast<int>(fl.getColumn()), 1};
      auto it = lengths_.find({at.line, at.col});
      if (it != lengths_.end())
        at.len = it->second;
    }
    diags_.report(sev, at, d.str());
  }

  ScopedDiagnosticHandler handler_;
  dsl::DiagnosticEngine &diags_;
  std::map<std::pair<int, int>, int> lengths_;
  std::set<std::tuple<int, int, std::string>> seen_;
};
} // namespace

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
  DiagnosticBridge bridge(context, *graph, diags);
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
  if (failed(train.run(*nn)) || diags.hadError())
    return nullptr;
  return nn;
}

} // namespace mnistc

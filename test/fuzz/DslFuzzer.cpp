//===- DslFuzzer.cpp - Fuzz target: the DSL front end ----------------------===//
//
// Any byte string given to mnistc as a model file goes through the whole
// front end: lexed, parsed, checked by Sema, lowered to the nn dialect,
// shape-inferred, verified and differentiated into the training graph
// (mnistc --emit=train). The diagnostics go to a string that is thrown
// away; what is checked is that nothing crashes, hangs or trips a
// sanitizer, and that the front end either reports an error or returns a
// module, never neither. Seeds: examples/*.dsl and every lit input
// (scripts/fuzz.sh); regressions: test/fuzz/corpus/dsl/.
//
//===----------------------------------------------------------------------===//
#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Frontend/Frontend.h"
#include "compiler/Ops/GradientRules.h"
#include "dsl/Parser.h"

#include "mlir/IR/MLIRContext.h"

#include <cstdlib>
#include <memory>
#include <sstream>

namespace {

/// One context serves many inputs (making one costs more than most inputs
/// do); it is replaced now and then, since it keeps every attribute and
/// type it ever saw.
mlir::MLIRContext &context() {
  static std::unique_ptr<mlir::MLIRContext> ctx;
  static unsigned uses = 0;
  if (!ctx || ++uses % 1000 == 0) {
    mlir::DialectRegistry registry;
    mnistc::nn::registerGradientRules(registry);
    ctx = std::make_unique<mlir::MLIRContext>(
        registry, mlir::MLIRContext::Threading::DISABLED);
    ctx->getOrLoadDialect<mnistc::nn::NNDialect>();
  }
  return *ctx;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace mnistc;
  dsl::SourceFile file("fuzz.dsl",
                       std::string(reinterpret_cast<const char *>(data), size));
  std::ostringstream out;
  dsl::DiagnosticEngine diags(file, out);
  dsl::Module ast = dsl::parse(file, diags);
  if (diags.hadError())
    return 0;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      lowerTo(context(), ast, diags, Stage::Train);
  if (!module && !diags.hadError())
    std::abort();
  return 0;
}

//===- DslFuzzer.cpp - Fuzz target: the DSL front end ----------------------===//
//
// Any byte string given to mnistc as a model file: lexed, parsed and checked
// by Sema, the steps that see the user's text before MLIR does. The
// diagnostics go to a string that is thrown away; what is checked is that
// nothing crashes, hangs or trips a sanitizer, and that an input without
// errors yields a model graph. Seeds: examples/*.dsl and every lit input
// (scripts/fuzz.sh); regressions: test/fuzz/regressions/dsl/.
//
//===----------------------------------------------------------------------===//
#include "compiler/Frontend/Sema.h"
#include "dsl/Parser.h"

#include <cstdlib>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace mnistc;
  dsl::SourceFile file("fuzz.dsl",
                       std::string(reinterpret_cast<const char *>(data), size));
  std::ostringstream out;
  dsl::DiagnosticEngine diags(file, out);
  dsl::Module ast = dsl::parse(file, diags);
  if (diags.hadError())
    return 0;
  std::optional<ModelGraph> graph = analyze(ast, diags);
  // Sema either reports an error or returns a graph: never neither.
  if (!graph && !diags.hadError())
    std::abort();
  return 0;
}

//===- Sema.h - From syntax to a checked layer graph ----------------------===//
//
// Sema gives the AST its meaning: which calls are layers, which tensors
// feed them, what the compile/fit sections say. Its output, ModelGraph, is a
// list of layers in dependency order with checked arguments; MLIRGen turns
// it into the nn dialect. Sema reports unknown layers, bad arguments,
// undefined or unused names, cycles and misplaced statements; shapes are
// checked later, by the nn ops' own shape inference.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_FRONTEND_SEMA_H
#define MNISTC_COMPILER_FRONTEND_SEMA_H

#include "compiler/Frontend/Catalog.h"
#include "dsl/AST.h"

#include <optional>

namespace mnistc {

struct LayerNode {
  const CallSpec *spec;
  Value call;              // checked arguments, defaults filled in
  std::string name;        // given by name=..., or Keras's default name
  dsl::Loc loc;            // the layer's name in the source
  std::vector<int> inputs; // indices of earlier nodes
};

struct ModelGraph {
  std::string name;
  dsl::Loc loc;
  bool functional = false;
  std::vector<LayerNode> nodes; // in dependency order; nodes[0] is the input
  int output = -1;
  Value compile; // a Call of the "compile" section
  Value fit;     // a Call of the "fit" section
};

/// Checks the module; returns nullopt if any error was reported.
std::optional<ModelGraph> analyze(const dsl::Module &module,
                                  dsl::DiagnosticEngine &diags);

} // namespace mnistc

#endif

//===- Catalog.h - What every DSL call accepts ----------------------------===//
//
// The single table of the language's vocabulary: each layer, optimizer,
// callback, regularizer and section (compile, fit) with its arguments in
// Keras's positional order, their types, whether they are required, and
// their Keras defaults. Each layer's entry, with how its nn op is built,
// lives in its op kind's compiler/Ops/XLayer.cpp (the kinds are listed in
// compiler/Ops/OpKinds.def). Sema checks calls against it; docs/dsl.md
// mirrors it.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_FRONTEND_CATALOG_H
#define MNISTC_COMPILER_FRONTEND_CATALOG_H

#include "compiler/Frontend/Value.h"

#include <string>
#include <vector>

namespace mlir {
class Value;
} // namespace mlir

namespace mnistc {

class LayerBuilder;
/// Builds a layer's nn op (LayerBuilder.h); returns its result.
using BuildLayer = mlir::Value (*)(LayerBuilder &);

enum class ArgType {
  PositiveInt,   // 1, 2, ...
  NonNegativeInt,
  Int,
  OptionalInt,   // an integer or None
  Float,         // any number
  PositiveFloat,
  Fraction,      // [0, 1): dropout rate, validation_split
  UnitInterval,  // [0, 1]: momentum
  OptionalFloat, // a number or None
  Bool,
  String,        // any string
  Choice,        // one of ArgSpec::choices
  Pair,          // n or (h, w), positive
  OptionalPair,  // Pair or None
  Shape,         // (d1, ...), positive
  ReshapeTarget, // (d1, ...), positive or one -1
  Activation,    // an activation name or None
  Initializer,   // an initializer name or call: "he_normal", HeNormal()
  Regularizer,   // l2(0.01), "l2" or None
  Optimizer,     // "adam" or Adam(...)
  Loss,          // a loss name
  Metrics,       // ["accuracy"]
  Callbacks,     // [EarlyStopping(...), ...]
  Monitor,       // "val_loss", "loss", "accuracy", "val_accuracy"
};

struct ArgSpec {
  std::string name;
  ArgType type;
  bool required = false;
  Value defaultValue;
  std::vector<std::string> choices; // for Choice
};

enum class CallKind { Layer, Input, Optimizer, Callback, Regularizer,
                      Initializer, Section };

struct CallSpec {
  std::string name;      // "Conv2D"
  CallKind kind;
  std::string snakeName; // Keras's default layer name stem: "conv2d"
  std::vector<ArgSpec> args;
  /// Layers: how many tensors they take (0 for inputs, 2+ for merges).
  bool multiInput = false;
  /// Layers: how MLIRGen builds the nn op.
  BuildLayer build = nullptr;
};

/// Looks a call up by name and kind ("Dense" as a layer); null if absent.
/// Optimizer and initializer names also match their lower-case strings.
const CallSpec *findCall(const std::string &name, CallKind kind);
/// Every name of a kind, for "did you mean" and error messages.
std::vector<std::string> callNames(CallKind kind);
/// Any call with this name, whatever its kind (for "X is an optimizer").
const CallSpec *findAnyCall(const std::string &name);

const std::vector<std::string> &activationNames();
const std::vector<std::string> &initializerNames();
const std::vector<std::string> &lossNames();
const std::vector<std::string> &metricNames();
const std::vector<std::string> &monitorNames();

/// "a positive integer", "one of 'valid', 'same'", ... for messages.
std::string describe(const ArgSpec &spec);
const char *describe(CallKind kind);

} // namespace mnistc

#endif

//===- Catalog.cpp - What every DSL call accepts --------------------------===//
//
// The vocabulary table (see Catalog.h). Defaults are Keras 3's, from the
// classes named in ../shared/docs/KERAS_SEMANTICS.md.
//
//===----------------------------------------------------------------------===//
#include "compiler/Frontend/Catalog.h"

#include "compiler/Frontend/ArgSpecs.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace mnistc {

// The layers of each op kind, in compiler/Ops/XLayer.cpp.
#define OP_KIND(X) void add##X##Layers(std::vector<CallSpec> &table);
#include "compiler/Ops/OpKinds.def"

namespace {

using namespace argspecs;
using T = ArgType;
using V = Value;

const std::vector<CallSpec> &catalog() {
  static const std::vector<CallSpec> table = [] {
    std::vector<std::string> modes{"auto", "min", "max"};
    std::vector<CallSpec> t;
    // Inputs.
    t.push_back({"Input", CallKind::Input, "input_layer",
                 {req("shape", T::Shape), nameArg()}});
    t.push_back({"input", CallKind::Input, "input_layer",
                 {req("shape", T::Shape), nameArg()}});
    // Layers, each op kind's (compiler/Ops/OpKinds.def).
#define OP_KIND(X) add##X##Layers(t);
#include "compiler/Ops/OpKinds.def"
    // Optimizers (keras/src/optimizers).
    t.push_back({"SGD", CallKind::Optimizer, "sgd",
                 {opt("learning_rate", T::PositiveFloat, V::real(0.01)),
                  opt("momentum", T::UnitInterval, V::real(0.0)),
                  opt("nesterov", T::Bool, V::boolean(false))}});
    t.push_back({"Adam", CallKind::Optimizer, "adam",
                 {opt("learning_rate", T::PositiveFloat, V::real(0.001)),
                  opt("beta_1", T::Fraction, V::real(0.9)),
                  opt("beta_2", T::Fraction, V::real(0.999)),
                  opt("epsilon", T::PositiveFloat, V::real(1e-7))}});
    t.push_back({"RMSprop", CallKind::Optimizer, "rmsprop",
                 {opt("learning_rate", T::PositiveFloat, V::real(0.001)),
                  opt("rho", T::Fraction, V::real(0.9)),
                  opt("momentum", T::UnitInterval, V::real(0.0)),
                  opt("epsilon", T::PositiveFloat, V::real(1e-7))}});
    // Regularizers and initializers written as calls.
    t.push_back({"l2", CallKind::Regularizer, "l2",
                 {opt("l2", T::PositiveFloat, V::real(0.01))}});
    t.push_back({"L2", CallKind::Regularizer, "l2",
                 {opt("l2", T::PositiveFloat, V::real(0.01))}});
    for (auto [name, snake] :
         {std::pair{"GlorotUniform", "glorot_uniform"},
          std::pair{"GlorotNormal", "glorot_normal"},
          std::pair{"HeUniform", "he_uniform"},
          std::pair{"HeNormal", "he_normal"}, std::pair{"Zeros", "zeros"},
          std::pair{"Ones", "ones"}})
      t.push_back({name, CallKind::Initializer, snake, {}});
    // Callbacks (keras/src/callbacks).
    t.push_back({"EarlyStopping", CallKind::Callback, "early_stopping",
                 {opt("monitor", T::Monitor, V::str("val_loss")),
                  opt("min_delta", T::Float, V::real(0.0)),
                  opt("patience", T::NonNegativeInt, V::integer(0)),
                  opt("verbose", T::NonNegativeInt, V::integer(0)),
                  choice("mode", modes, "auto"),
                  opt("baseline", T::OptionalFloat, V::none()),
                  opt("restore_best_weights", T::Bool, V::boolean(false)),
                  opt("start_from_epoch", T::NonNegativeInt, V::integer(0))}});
    t.push_back({"ReduceLROnPlateau", CallKind::Callback, "reduce_lr_on_plateau",
                 {opt("monitor", T::Monitor, V::str("val_loss")),
                  opt("factor", T::Fraction, V::real(0.1)),
                  opt("patience", T::NonNegativeInt, V::integer(10)),
                  opt("verbose", T::NonNegativeInt, V::integer(0)),
                  choice("mode", modes, "auto"),
                  opt("min_delta", T::Float, V::real(1e-4)),
                  opt("cooldown", T::NonNegativeInt, V::integer(0)),
                  opt("min_lr", T::Float, V::real(0.0))}});
    t.push_back({"ModelCheckpoint", CallKind::Callback, "model_checkpoint",
                 {req("filepath", T::String),
                  opt("monitor", T::Monitor, V::str("val_loss")),
                  opt("verbose", T::NonNegativeInt, V::integer(0)),
                  opt("save_best_only", T::Bool, V::boolean(false)),
                  opt("save_weights_only", T::Bool, V::boolean(false)),
                  choice("mode", modes, "auto")}});
    t.push_back({"CSVLogger", CallKind::Callback, "csv_logger",
                 {req("filename", T::String),
                  opt("separator", T::String, V::str(",")),
                  opt("append", T::Bool, V::boolean(false))}});
    t.push_back({"TensorBoard", CallKind::Callback, "tensorboard",
                 {opt("log_dir", T::String, V::str("logs")),
                  choice("update_freq", {"epoch", "batch"}, "epoch")}});
    // Sections.
    t.push_back({"compile", CallKind::Section, "compile",
                 {opt("optimizer", T::Optimizer, V::str("rmsprop")),
                  req("loss", T::Loss),
                  opt("metrics", T::Metrics, V::list())}});
    t.push_back({"fit", CallKind::Section, "fit",
                 {opt("batch_size", T::PositiveInt, V::integer(32)),
                  opt("epochs", T::PositiveInt, V::integer(1)),
                  opt("verbose", T::NonNegativeInt, V::integer(1)),
                  opt("validation_split", T::Fraction, V::real(0.0)),
                  opt("shuffle", T::Bool, V::boolean(true)),
                  opt("seed", T::OptionalInt, V::none()),
                  opt("callbacks", T::Callbacks, V::list())}});
    return t;
  }();
  return table;
}

std::string lower(std::string s) {
  for (char &c : s)
    c = std::tolower(static_cast<unsigned char>(c));
  return s;
}

} // namespace

const CallSpec *findCall(const std::string &name, CallKind kind) {
  for (const CallSpec &c : catalog())
    if (c.kind == kind && c.name == name)
      return &c;
  // Keras accepts optimizer strings in any case ("Adam", "adam").
  if (kind == CallKind::Optimizer)
    for (const CallSpec &c : catalog())
      if (c.kind == kind && lower(c.name) == lower(name))
        return &c;
  return nullptr;
}

const CallSpec *findAnyCall(const std::string &name) {
  for (const CallSpec &c : catalog())
    if (c.name == name)
      return &c;
  return nullptr;
}

std::vector<std::string> callNames(CallKind kind) {
  std::vector<std::string> names;
  for (const CallSpec &c : catalog())
    if (c.kind == kind)
      names.push_back(c.name);
  return names;
}

const std::vector<std::string> &activationNames() {
  static const std::vector<std::string> v{"linear", "relu", "sigmoid", "tanh",
                                          "softmax"};
  return v;
}
const std::vector<std::string> &initializerNames() {
  static const std::vector<std::string> v{"glorot_uniform", "glorot_normal",
                                          "he_uniform",     "he_normal",
                                          "zeros",          "ones"};
  return v;
}
const std::vector<std::string> &lossNames() {
  static const std::vector<std::string> v{"sparse_categorical_crossentropy",
                                          "categorical_crossentropy",
                                          "mean_squared_error"};
  return v;
}
const std::vector<std::string> &metricNames() {
  static const std::vector<std::string> v{"accuracy"};
  return v;
}
const std::vector<std::string> &monitorNames() {
  static const std::vector<std::string> v{"val_loss", "val_accuracy", "loss",
                                          "accuracy"};
  return v;
}

static std::string oneOf(const std::vector<std::string> &names) {
  std::string s = "one of ";
  for (size_t i = 0; i < names.size(); ++i)
    s += (i ? ", " : "") + ("\"" + names[i] + "\"");
  return s;
}

std::string describe(const ArgSpec &spec) {
  switch (spec.type) {
  case T::PositiveInt: return "a positive integer";
  case T::NonNegativeInt: return "an integer >= 0";
  case T::Int: return "an integer";
  case T::OptionalInt: return "an integer or None";
  case T::Float: return "a number";
  case T::PositiveFloat: return "a positive number";
  case T::Fraction: return "a number in [0, 1)";
  case T::UnitInterval: return "a number in [0, 1]";
  case T::OptionalFloat: return "a number or None";
  case T::Bool: return "True or False";
  case T::String: return "a string";
  case T::Choice: return oneOf(spec.choices);
  case T::Pair: return "a positive integer or a tuple of 2 positive integers";
  case T::OptionalPair:
    return "a positive integer, a tuple of 2 positive integers or None";
  case T::Shape: return "a tuple of positive integers, e.g. (28, 28, 1)";
  case T::ReshapeTarget:
    return "a tuple of positive integers (one may be -1), e.g. (28, 28, 1)";
  case T::Activation: return oneOf(activationNames()) + " or None";
  case T::Initializer:
    return oneOf(initializerNames()) + ", or a call such as HeNormal()";
  case T::Regularizer: return "l2(factor), \"l2\" or None";
  case T::Optimizer:
    return "an optimizer: \"sgd\", \"adam\", \"rmsprop\" or a call such as "
           "Adam(learning_rate=0.001)";
  case T::Loss: return oneOf(lossNames());
  case T::Metrics: return "a list of metrics, e.g. [\"accuracy\"]";
  case T::Callbacks:
    return "a list of callbacks, e.g. [EarlyStopping(patience=3)]";
  case T::Monitor: return oneOf(monitorNames());
  }
  return "a value";
}

const char *describe(CallKind kind) {
  switch (kind) {
  case CallKind::Layer: return "layer";
  case CallKind::Input: return "input";
  case CallKind::Optimizer: return "optimizer";
  case CallKind::Callback: return "callback";
  case CallKind::Regularizer: return "regularizer";
  case CallKind::Initializer: return "initializer";
  case CallKind::Section: return "section";
  }
  return "call";
}

} // namespace mnistc

//===- ArgSpecs.h - Shorthands for writing a call's arguments ---*- C++ -*-===//
//
// How the catalog (Catalog.cpp) and each op kind's layer entry
// (compiler/Ops/XLayer.cpp) write a call's argument list: required and
// optional arguments with their Keras defaults, choices, and the argument
// groups several layers share.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_FRONTEND_ARGSPECS_H
#define MNISTC_COMPILER_FRONTEND_ARGSPECS_H

#include "compiler/Frontend/Catalog.h"

namespace mnistc::argspecs {

inline ArgSpec req(std::string name, ArgType type) {
  return ArgSpec{std::move(name), type, true, Value::none(), {}};
}
inline ArgSpec opt(std::string name, ArgType type, Value def) {
  return ArgSpec{std::move(name), type, false, std::move(def), {}};
}
inline ArgSpec choice(std::string name, std::vector<std::string> choices,
                      std::string def) {
  return ArgSpec{std::move(name), ArgType::Choice, false,
                 Value::str(std::move(def)), std::move(choices)};
}
/// Every layer's last argument.
inline ArgSpec nameArg() { return opt("name", ArgType::String, Value::none()); }

/// The arguments of a layer with a kernel and a bias (Dense, Conv2D):
/// its own `leading` ones, then Keras's activation, use_bias,
/// initializers, regularizer and name.
inline std::vector<ArgSpec> kernelLayerArgs(std::vector<ArgSpec> leading) {
  leading.insert(
      leading.end(),
      {opt("activation", ArgType::Activation, Value::none()),
       opt("use_bias", ArgType::Bool, Value::boolean(true)),
       opt("kernel_initializer", ArgType::Initializer,
           Value::str("glorot_uniform")),
       opt("bias_initializer", ArgType::Initializer, Value::str("zeros")),
       opt("kernel_regularizer", ArgType::Regularizer, Value::none()),
       nameArg()});
  return leading;
}

/// Keras's `padding` of convolutions and pooling.
inline ArgSpec paddingArg() {
  return choice("padding", {"valid", "same"}, "valid");
}

} // namespace mnistc::argspecs

#endif

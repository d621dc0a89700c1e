//===- LayerBuilder.h - What a layer's build function is given --*- C++ -*-===//
//
// MLIRGen hands each layer's CallSpec::build (in its op kind's
// compiler/Ops/XLayer.cpp) a LayerBuilder: the builder at the layer's
// place, the layer's checked call and its input tensors, and the
// conversions of checked argument values into the nn dialect's
// attributes. Sema has already checked every argument, so nothing here can
// fail on user input.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_FRONTEND_LAYERBUILDER_H
#define MNISTC_COMPILER_FRONTEND_LAYERBUILDER_H

#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Frontend/Catalog.h"

namespace mnistc {

class LayerBuilder {
public:
  LayerBuilder(mlir::OpBuilder &b, mlir::Location loc, mlir::StringAttr name,
               const Value &call, mlir::ArrayRef<mlir::Value> inputs)
      : b(b), loc(loc), name(name), call(call), inputs(inputs) {}

  /// Creates the layer's op: result type unranked (nn-shape-inference
  /// sets it), then `args...` (its operands and attributes after that).
  template <typename OpT, typename... Args>
  mlir::Value create(Args &&...args) {
    return b.create<OpT>(loc, mlir::UnrankedTensorType::get(b.getF32Type()),
                         std::forward<Args>(args)...);
  }

  /// The layer's input (its only one).
  mlir::Value input() const { return inputs[0]; }

  // The named argument of the call as an attribute.
  mlir::IntegerAttr i64(const char *arg) {
    return b.getI64IntegerAttr(call.arg(arg).i);
  }
  mlir::FloatAttr f64(const char *arg) {
    return b.getF64FloatAttr(call.arg(arg).f);
  }
  mlir::BoolAttr boolean(const char *arg) {
    return b.getBoolAttr(call.arg(arg).b);
  }
  mlir::DenseI64ArrayAttr ints(const Value &v) {
    return b.getDenseI64ArrayAttr(v.ints);
  }
  mlir::DenseI64ArrayAttr ints(const char *arg) { return ints(call.arg(arg)); }
  /// None is linear.
  nn::ActivationAttr activation(const char *arg) {
    const Value &v = call.arg(arg);
    return nn::ActivationAttr::get(
        b.getContext(),
        v.isNone() ? nn::Activation::linear : *nn::symbolizeActivation(v.s));
  }
  nn::InitializerAttr initializer(const char *arg) {
    return nn::InitializerAttr::get(
        b.getContext(), *nn::symbolizeInitializer(call.arg(arg).s));
  }
  nn::PaddingAttr padding(const char *arg) {
    return nn::PaddingAttr::get(b.getContext(),
                                *nn::symbolizePadding(call.arg(arg).s));
  }
  /// A regularizer's factor; None is 0.
  mlir::FloatAttr l2(const char *arg) {
    const Value &v = call.arg(arg);
    return b.getF64FloatAttr(v.isNone() ? 0.0 : v.f);
  }

  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::StringAttr name;                   // the layer's, "dense_1"
  const Value &call;                       // the checked call
  mlir::ArrayRef<mlir::Value> inputs;
};

} // namespace mnistc

#endif // MNISTC_COMPILER_FRONTEND_LAYERBUILDER_H

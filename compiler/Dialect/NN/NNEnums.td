//===- NNEnums.td - Enumerated layer settings -----------------------------===//
//
// Keras settings that take one of a few strings (activation, padding,
// initializer) as typed enum attributes: `#nn<activation relu>`.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_NN_ENUMS
#define MNISTC_NN_ENUMS

include "compiler/Dialect/NN/NNDialect.td"
include "mlir/IR/EnumAttr.td"

def NN_ActivationKind : I32EnumAttr<"Activation", "an activation function", [
    I32EnumAttrCase<"linear", 0>, I32EnumAttrCase<"relu", 1>,
    I32EnumAttrCase<"sigmoid", 2>, I32EnumAttrCase<"tanh", 3>,
    I32EnumAttrCase<"softmax", 4>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mnistc::nn";
}
def NN_ActivationAttr : EnumAttr<NN_Dialect, NN_ActivationKind, "activation">;

def NN_PaddingKind : I32EnumAttr<"Padding", "a padding mode", [
    I32EnumAttrCase<"valid", 0>, I32EnumAttrCase<"same", 1>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mnistc::nn";
}
def NN_PaddingAttr : EnumAttr<NN_Dialect, NN_PaddingKind, "padding">;

def NN_InitializerKind : I32EnumAttr<"Initializer", "a weight initializer", [
    I32EnumAttrCase<"glorot_uniform", 0>, I32EnumAttrCase<"glorot_normal", 1>,
    I32EnumAttrCase<"he_uniform", 2>, I32EnumAttrCase<"he_normal", 3>,
    I32EnumAttrCase<"zeros", 4>, I32EnumAttrCase<"ones", 5>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mnistc::nn";
}
def NN_InitializerAttr
    : EnumAttr<NN_Dialect, NN_InitializerKind, "initializer">;

#endif

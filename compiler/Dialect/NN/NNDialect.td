//===- NNDialect.td - The nn dialect --------------------------------------===//
//
// The nn dialect: one op per Keras layer kind, inside an `nn.model` graph.
// It is the inference graph the front end produces: static shapes with a
// dynamic batch dimension, every op located at the DSL line that wrote it.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_NN_DIALECT
#define MNISTC_NN_DIALECT

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::mnistc::nn";
  let summary = "Keras-style neural network layers as MLIR operations.";
  let description = [{
    The `nn` dialect holds a model as its user wrote it: one op per layer
    (`nn.dense`, `nn.conv2d`, `nn.max_pool2d`, ...) with the layer's Keras
    configuration as attributes, inside an `nn.model` op that also carries
    the `compile(...)` and `fit(...)` settings. Tensors are channels-last
    (`tensor<?xHxWxCxf32>`) with a dynamic batch dimension. Parameters are
    implied by the layers (see `NN_LayerOpInterface`); later stages make
    them explicit.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, traits>;

// Fusion as a property of ops (nn-fuse-activations reads these; the C++
// traits are in NNDialect.h).
// The op's kernel applies its `activation` attribute to its first result,
// so a following Activation layer can be folded into it.
def NN_AppliesActivation : NativeOpTrait<"AppliesActivation"> {
  let cppNamespace = "::mnistc::nn";
}
// The op's kernel can apply an activation's derivative to its `grad`
// operand as it reads it, so an nn.activation_grad that only such ops read
// needs no kernel of its own.
def NN_ReadsActivationGrad : NativeOpTrait<"ReadsActivationGrad"> {
  let cppNamespace = "::mnistc::nn";
}

// An optimizer's update of one trainable parameter (`param`, operand 0)
// from its gradient (operand 1). Every parameter's update is the same op
// with the same attributes; the planner lowers them together, as one
// kernel over the flat parameter buffer, through the first one's
// NN_KernelOpInterface model (compiler/Codegen/Lowering.h, update()).
def NN_OptimizerUpdate : NativeOpTrait<"OptimizerUpdate"> {
  let cppNamespace = "::mnistc::nn";
}

#endif

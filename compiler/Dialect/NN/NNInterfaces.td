//===- NNInterfaces.td - Shape inference and layer description ------------===//
//
// The op interfaces:
//  - NN_ShapeInferenceOpInterface computes an op's result type from its
//    operands and attributes (the nn-shape-inference pass drives it);
//  - NN_LayerOpInterface describes the layer the op came from: its Keras
//    class, its name, and the parameter tensors it owns (for --summary and
//    the parameter table of model.so);
//  - NN_GradientOpInterface builds a layer's training forward and backward;
//  - NN_KernelOpInterface turns a training-graph op into kernel calls.
// The last two are external models, attached in each op kind's files in
// compiler/Ops/.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_NN_INTERFACES
#define MNISTC_NN_INTERFACES

include "mlir/IR/OpBase.td"

def NN_ShapeInferenceOpInterface : OpInterface<"ShapeInference"> {
  let cppNamespace = "::mnistc::nn";
  let description = [{
    Infers the op's result type from its (ranked) operand types and its
    attributes. On a shape error it emits a located error and fails; the
    result type is then left as it was.
  }];
  let methods = [
    InterfaceMethod<"Infers and sets the result type.", "::mlir::LogicalResult",
                    "inferShapes">,
  ];
}

def NN_LayerOpInterface : OpInterface<"LayerOp"> {
  let cppNamespace = "::mnistc::nn";
  let description = [{
    Describes the Keras layer an op stands for.
  }];
  let methods = [
    InterfaceMethod<"The Keras class name, e.g. `Dense`.", "::llvm::StringRef",
                    "getLayerClass", (ins), [{}],
                    [{ return $_op.getKerasClass(); }]>,
    InterfaceMethod<"The parameter tensors this layer owns, in Keras order.",
                    "::llvm::SmallVector<::mnistc::nn::ParamInfo>",
                    "getParameters", (ins), [{}], [{ return {}; }]>,
  ];
  let extraSharedClassDeclaration = [{
    /// The layer's name (`dense_1`), as Keras would name it.
    ::llvm::StringRef getLayerName() {
      return ::mlir::cast<::mlir::StringAttr>($_op->getAttr("name"))
          .getValue();
    }
  }];
}

def NN_GradientOpInterface : OpInterface<"GradientOp"> {
  let cppNamespace = "::mnistc::nn";
  let description = [{
    How a layer trains: the ops of its forward pass in a training graph and
    the ops of its backward pass. Implemented as external models next to
    each op's kernels (compiler/Ops/), attached when the training passes
    are registered; a layer without it cannot be trained yet.
  }];
  let methods = [
    InterfaceMethod<[{
        Emits the training forward on `inputs` (the layer's input tensors
        in the training graph) and `params` (its nn.param values, in
        getParameters() order). With `logits`, a final softmax is left out
        because the loss fuses it. Returns the output.
      }], "::mlir::Value", "buildTrainingForward",
      (ins "::mlir::OpBuilder &":$b, "::mlir::ValueRange":$inputs,
           "::mlir::ValueRange":$params, "bool":$logits)>,
    InterfaceMethod<[{
        Emits the backward: from the forward's `inputs`, `params`, `output`
        and the gradient `outputGrad`, appends to `inputGrads` one gradient
        per input (a null Value where `needInputGrads` is false) and to
        `paramGrads` one per parameter.
      }], "void", "buildBackward",
      (ins "::mlir::OpBuilder &":$b, "::mlir::ValueRange":$inputs,
           "::mlir::ValueRange":$params, "::mlir::Value":$output,
           "::mlir::Value":$outputGrad,
           "::llvm::ArrayRef<bool>":$needInputGrads,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$inputGrads,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$paramGrads)>,
  ];
}

def NN_AbsorbsActivationGradOpInterface
    : OpInterface<"AbsorbsActivationGrad"> {
  let cppNamespace = "::mnistc::nn";
  let description = [{
    A backward op whose kernel can also compute the gradient of the
    activation next to it in the training graph (nn-fuse-activations,
    step 2): the op says which `nn.activation_grad` it can take in and
    takes it, so the pass names no op.
  }];
  let methods = [
    InterfaceMethod<[{
        Folds the `nn.activation_grad` next to this op into it, if this op
        can compute it: takes its activation (and operands), makes its
        readers read this op and erases it. Returns whether it did.
      }], "bool", "absorbActivationGrad">,
  ];
}

def NN_KernelOpInterface : OpInterface<"KernelOp"> {
  let cppNamespace = "::mnistc::nn";
  let description = [{
    The kernels a training-graph op becomes in a model.so: each call's
    Halide kernel (compiler/Ops/), the steps it runs in, and the buffers it
    reads and writes, asked of the planner (compiler/Codegen/Lowering.h).
    Implemented as external models in the op kind's kernel file in
    compiler/Ops/, attached by registerKernelLowerings; an op without it
    cannot be compiled into a model.so.
  }];
  let methods = [
    InterfaceMethod<[{
        Adds the op's kernel calls to the plan through `lowering`; emits a
        located error and fails if the op cannot be compiled.
      }], "::mlir::LogicalResult", "lowerToKernels",
      (ins "::mnistc::codegen::Lowering &":$lowering)>,
  ];
}

#endif

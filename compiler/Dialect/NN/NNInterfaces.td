//===- NNInterfaces.td - Shape inference and layer description ------------===//
//
// Two op interfaces shared by every layer op:
//  - NN_ShapeInferenceOpInterface computes an op's result type from its
//    operands and attributes (the nn-shape-inference pass drives it);
//  - NN_LayerOpInterface describes the layer the op came from: its Keras
//    class, its name, and the parameter tensors it owns (for --summary and,
//    later, the parameter table of model.so).
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

#endif

//===- NNOps.td - One op per Keras layer ----------------------------------===//
//
// Every layer the DSL accepts is one op here, with its Keras settings as
// attributes. Each op has a summary, a description with an example, a
// verifier, and shape inference (NN_ShapeInferenceOpInterface); the C++
// side (NNOps.cpp) follows the same order.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_NN_OPS
#define MNISTC_NN_OPS

include "compiler/Dialect/NN/NNDialect.td"
include "compiler/Dialect/NN/NNEnums.td"
include "compiler/Dialect/NN/NNInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def NN_Tensor : TensorOf<[F32]>;

// A layer op: pure, shape-inferred, described by NN_LayerOpInterface.
// `kerasClass` is the Keras class name shown by --summary.
class NN_LayerOp<string mnemonic, string kerasClass, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits,
          [Pure, DeclareOpInterfaceMethods<NN_ShapeInferenceOpInterface>])> {
  let extraClassDeclaration = [{
    static ::llvm::StringRef getKerasClass() { return "}] # kerasClass # [{"; }
  }];
  let hasVerifier = 1;
}

// Layers that own parameters implement getParameters().
defvar NN_HasParams = DeclareOpInterfaceMethods<NN_LayerOpInterface,
                                                ["getParameters"]>;

//===----------------------------------------------------------------------===//
// Graph structure
//===----------------------------------------------------------------------===//

def NN_ModelOp : NN_Op<"model", [Symbol, IsolatedFromAbove, SingleBlock,
                                 NoRegionArguments]> {
  let summary = "A model: a graph of layers with its training settings";
  let description = [{
    Holds the layer graph of one model in a single block that ends with
    `nn.output`. `compile` carries the optimizer, loss and metrics of the
    DSL's `compile(...)`; `fit` carries `fit(...)` (batch size, epochs,
    validation split, shuffle, seed, callbacks), every Keras default filled
    in.

    Example:
    ```mlir
    nn.model @mlp attributes {compile = {loss = "sparse_categorical_crossentropy", ...}} {
      %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
      %1 = nn.dense %0 {name = "dense", units = 10 : i64, ...} : tensor<?x784xf32> -> tensor<?x10xf32>
      nn.output %1 : tensor<?x10xf32>
    }
    ```
    The verifier checks that the output is a `(batch, classes)` tensor and,
    for a crossentropy loss, that softmax is the model's last activation and
    appears nowhere else.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       OptionalAttr<DictionaryAttr>:$compile,
                       OptionalAttr<DictionaryAttr>:$fit);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The nn.output that ends the body.
    OutputOp getOutputOp();
  }];
}

def NN_OutputOp : NN_Op<"output", [Terminator, HasParent<"ModelOp">, Pure]> {
  let summary = "The model's output (Keras Model(outputs=...))";
  let description = [{
    Ends an `nn.model` body and names the tensor the model produces.

    Example:
    ```mlir
    nn.output %5 : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

def NN_InputOp : NN_LayerOp<"input", "InputLayer", [NN_LayerOpInterface]> {
  let summary = "The model input (Keras Input / input(shape=...))";
  let description = [{
    Produces the batch of input images. `shape` excludes the batch
    dimension, which stays dynamic.

    Example:
    ```mlir
    %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name, DenseI64ArrayAttr:$shape);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat = "attr-dict `:` type($output)";
}

//===----------------------------------------------------------------------===//
// Layers with parameters
//===----------------------------------------------------------------------===//

def NN_DenseOp : NN_LayerOp<"dense", "Dense", [NN_HasParams]> {
  let summary = "Fully connected layer (Keras Dense)";
  let description = [{
    `output = activation(input · kernel + bias)` on the last axis. The input
    must be 2-D `(batch, features)`; use `nn.flatten` first for images.
    Owns `kernel` (features, units) and, with `use_bias`, `bias` (units).
    `kernel_l2` is the L2 regularization factor (0 = none).

    Example:
    ```mlir
    %1 = nn.dense %0 {name = "dense", units = 512 : i64,
                      activation = #nn<activation relu>, use_bias = true,
                      kernel_initializer = #nn<initializer glorot_uniform>,
                      bias_initializer = #nn<initializer zeros>,
                      kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<?x512xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, StrAttr:$name, I64Attr:$units,
                       NN_ActivationAttr:$activation, BoolAttr:$use_bias,
                       NN_InitializerAttr:$kernel_initializer,
                       NN_InitializerAttr:$bias_initializer,
                       F64Attr:$kernel_l2);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($output)";
}

def NN_Conv2DOp : NN_LayerOp<"conv2d", "Conv2D", [NN_HasParams]> {
  let summary = "2-D convolution, channels last (Keras Conv2D)";
  let description = [{
    Convolves a `(batch, H, W, C)` input with `filters` kernels of
    `kernel_size` (kh, kw) at `strides` (sh, sw), `valid` or `same` padding
    (Keras geometry: 'same' puts the extra padding bottom/right), then adds
    the bias and applies the activation. Owns `kernel` (kh, kw, C, filters)
    and, with `use_bias`, `bias` (filters).

    Example:
    ```mlir
    %1 = nn.conv2d %0 {name = "conv2d", filters = 32 : i64,
                       kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>,
                       padding = #nn<padding valid>, activation = #nn<activation relu>,
                       use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>,
                       bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64}
         : tensor<?x28x28x1xf32> -> tensor<?x26x26x32xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, StrAttr:$name, I64Attr:$filters,
                       DenseI64ArrayAttr:$kernel_size,
                       DenseI64ArrayAttr:$strides, NN_PaddingAttr:$padding,
                       NN_ActivationAttr:$activation, BoolAttr:$use_bias,
                       NN_InitializerAttr:$kernel_initializer,
                       NN_InitializerAttr:$bias_initializer,
                       F64Attr:$kernel_l2);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($output)";
}

def NN_BatchNormOp : NN_LayerOp<"batch_norm", "BatchNormalization",
                                [NN_HasParams]> {
  let summary = "Batch normalization over the channel axis (Keras BatchNormalization)";
  let description = [{
    Normalizes each channel (the last axis: `axis` must be -1 or the
    index of the last axis) with the batch statistics in
    training and the moving statistics in evaluation, then scales by `gamma`
    and shifts by `beta`. Owns `gamma`, `beta` (trainable) and
    `moving_mean`, `moving_variance` (not trainable), each (channels).

    Example:
    ```mlir
    %2 = nn.batch_norm %1 {name = "batch_normalization", axis = -1 : i64, momentum = 0.99 : f64,
                           epsilon = 1.0e-03 : f64}
         : tensor<?x28x28x6xf32> -> tensor<?x28x28x6xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, StrAttr:$name, I64Attr:$axis,
                       F64Attr:$momentum, F64Attr:$epsilon);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($output)";
}

//===----------------------------------------------------------------------===//
// Layers without parameters
//===----------------------------------------------------------------------===//

class NN_Pool2DOp<string mnemonic, string kerasClass, string what>
    : NN_LayerOp<mnemonic, kerasClass, [NN_LayerOpInterface]> {
  let summary = "2-D " # what # " pooling, channels last (Keras " # kerasClass # ")";
  let description = [{
    Pools `pool_size` (ph, pw) windows at `strides` (sh, sw) with `valid` or
    `same` padding. 'valid' drops rows and columns a window does not cover
    (7 -> 3 for a 2x2 pool).

    Example:
    ```mlir
    %2 = nn.}] # mnemonic # [{ %1 {name = "pool", pool_size = array<i64: 2, 2>,
                       strides = array<i64: 2, 2>, padding = #nn<padding valid>}
         : tensor<?x26x26x32xf32> -> tensor<?x13x13x32xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, StrAttr:$name,
                       DenseI64ArrayAttr:$pool_size,
                       DenseI64ArrayAttr:$strides, NN_PaddingAttr:$padding);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($output)";
}

def NN_MaxPool2DOp : NN_Pool2DOp<"max_pool2d", "MaxPooling2D", "max">;
def NN_AvgPool2DOp : NN_Pool2DOp<"avg_pool2d", "AveragePooling2D", "average">;

class NN_GlobalPool2DOp<string mnemonic, string kerasClass, string what>
    : NN_LayerOp<mnemonic, kerasClass, [NN_LayerOpInterface]> {
  let summary = "The " # what # " of each channel over the whole image "
                "(Keras " # kerasClass # ")";
  let description = [{
    (batch, H, W, C) to (batch, C), or to (batch, 1, 1, C) with `keepdims`.
    In a training graph it is the 2-D pooling of one H x W window (valid,
    stride H x W), then, without `keepdims`, a view as (batch, C)
    (compiler/Ops/PoolLayer.cpp).

    Example:
    ```mlir
    %3 = nn.}] # mnemonic # [{ %2 {name = "pool", keepdims = false}
         : tensor<?x7x7x64xf32> -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, StrAttr:$name, BoolAttr:$keepdims);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($output)";
}

def NN_GlobalAvgPool2DOp : NN_GlobalPool2DOp<"global_avg_pool2d",
                                             "GlobalAveragePooling2D", "mean">;
def NN_GlobalMaxPool2DOp : NN_GlobalPool2DOp<"global_max_pool2d",
                                             "GlobalMaxPooling2D", "maximum">;

def NN_FlattenOp : NN_LayerOp<"flatten", "Flatten", [NN_LayerOpInterface]> {
  let summary = "Flattens all but the batch axis (Keras Flatten)";
  let description = [{
    Row-major over (H, W, C), as Keras does for channels-last data. A view:
    no data moves.

    Example:
    ```mlir
    %3 = nn.flatten %2 {name = "flatten"} : tensor<?x5x5x64xf32> -> tensor<?x1600xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, StrAttr:$name);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($output)";
}

def NN_ReshapeOp : NN_LayerOp<"reshape", "Reshape", [NN_LayerOpInterface]> {
  let summary = "Reshapes all but the batch axis (Keras Reshape)";
  let description = [{
    `target_shape` excludes the batch axis; one entry may be -1 and is then
    inferred. The element count must not change.

    Example:
    ```mlir
    %1 = nn.reshape %0 {name = "reshape", target_shape = array<i64: 28, 28, 1>}
         : tensor<?x784xf32> -> tensor<?x28x28x1xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, StrAttr:$name,
                       DenseI64ArrayAttr:$target_shape);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($output)";
}

def NN_DropoutOp : NN_LayerOp<"dropout", "Dropout", [NN_LayerOpInterface]> {
  let summary = "Inverted dropout in training, identity otherwise (Keras Dropout)";
  let description = [{
    In training keeps each element with probability `1 - rate` and scales it
    by `1 / (1 - rate)`; in evaluation and prediction it is the identity.
    `seed`, when set, keys the layer's random stream.

    Example:
    ```mlir
    %2 = nn.dropout %1 {name = "dropout", rate = 5.0e-01 : f64}
         : tensor<?x128xf32> -> tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, StrAttr:$name, F64Attr:$rate,
                       OptionalAttr<I64Attr>:$seed);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($output)";
}

def NN_ActivationOp : NN_LayerOp<"activation", "Activation",
                                 [NN_LayerOpInterface]> {
  let summary = "An activation function as a layer (Keras Activation)";
  let description = [{
    Applies `activation` elementwise (softmax: over the last axis).

    Example:
    ```mlir
    %2 = nn.activation %1 {name = "activation", activation = #nn<activation relu>}
         : tensor<?x28x28x6xf32> -> tensor<?x28x28x6xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, StrAttr:$name,
                       NN_ActivationAttr:$activation);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($output)";
}

def NN_AddOp : NN_LayerOp<"add", "Add", [NN_LayerOpInterface,
                                          NN_AppliesActivation]> {
  let summary = "Elementwise sum of tensors of one shape (Keras Add)";
  let description = [{
    Adds two or more tensors of identical shape, e.g. a residual connection.
    In a training graph, nn-fuse-activations may set `activation` (the
    Activation layer that followed), which is then applied to the sum.

    Example:
    ```mlir
    %4 = nn.add %1, %3 {name = "add"} : tensor<?x28x28x16xf32>, tensor<?x28x28x16xf32>
         -> tensor<?x28x28x16xf32>
    ```
  }];
  let arguments = (ins Variadic<NN_Tensor>:$inputs, StrAttr:$name,
                       OptionalAttr<NN_ActivationAttr>:$activation);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$inputs attr-dict `:` type($inputs) `->` type($output)";
}

def NN_ConcatenateOp : NN_LayerOp<"concatenate", "Concatenate",
                                  [NN_LayerOpInterface]> {
  let summary = "Joins tensors along an axis (Keras Concatenate)";
  let description = [{
    Concatenates two or more tensors along `axis` (default -1, the channel
    axis); every other dimension must match. Axis 0 (batch) is not allowed.

    Example:
    ```mlir
    %4 = nn.concatenate %1, %3 {name = "concatenate", axis = -1 : i64}
         : tensor<?x28x28x8xf32>, tensor<?x28x28x16xf32> -> tensor<?x28x28x24xf32>
    ```
  }];
  let arguments = (ins Variadic<NN_Tensor>:$inputs, StrAttr:$name,
                       I64Attr:$axis);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat =
      "$inputs attr-dict `:` type($inputs) `->` type($output)";
}

// The training graph's ops, built by nn-autodiff.
include "compiler/Dialect/NN/NNTrainOps.td"

#endif

//===- NNTrainOps.td - The training graph ---------------------------------===//
//
// Ops of the training graph that the nn-autodiff pass builds from an
// nn.model: explicit parameters, the forward pass at kernel granularity,
// the fused softmax + crossentropy loss, the backward ops, and one
// optimizer update per parameter (NNUpdateOps.td), inside an nn.train op. Each op maps to a
// generated kernel (or a part of a fused one) in the lowering to Halide.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_NN_TRAIN_OPS
#define MNISTC_NN_TRAIN_OPS

include "compiler/Dialect/NN/NNDialect.td"
include "compiler/Dialect/NN/NNEnums.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Structure and inputs
//===----------------------------------------------------------------------===//

def NN_TrainOp : NN_Op<"train", [IsolatedFromAbove, SingleBlock,
                                 NoRegionArguments]> {
  let summary = "One training step of a model";
  let description = [{
    The training graph of the nn.model that `model` names: read a batch,
    run the forward pass, compute the loss and its gradient, run the
    backward pass, and update every trainable parameter. Ends with
    `nn.train_yield` of the batch's mean loss and number of correct
    predictions. Built by the nn-autodiff pass; `mnistc --emit=train`
    prints it.

    Example:
    ```mlir
    nn.train @mlp {
      %0 = nn.batch_images : tensor<?x784xf32>
      ...
      nn.train_yield %loss, %correct : tensor<f32>, tensor<i32>
    }
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$model);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$model attr-dict-with-keyword $body";
}

def NN_TrainYieldOp : NN_Op<"train_yield", [Terminator, HasParent<"TrainOp">,
                                            Pure]> {
  let summary = "The results of a training step";
  let description = [{
    Ends an `nn.train` body with the batch's mean loss and its number of
    correct predictions.

    Example:
    ```mlir
    nn.train_yield %loss, %correct : tensor<f32>, tensor<i32>
    ```
  }];
  let arguments = (ins 0DTensorOf<[F32]>:$loss, 0DTensorOf<[I32]>:$correct);
  let assemblyFormat =
      "$loss `,` $correct attr-dict `:` type($loss) `,` type($correct)";
}

def NN_BatchImagesOp : NN_Op<"batch_images", [Pure]> {
  let summary = "The images of the current batch";
  let description = [{
    The batch the runtime hands to a step, in the model's input shape.

    Example:
    ```mlir
    %0 = nn.batch_images : tensor<?x28x28x1xf32>
    ```
  }];
  let results = (outs NN_Tensor:$images);
  let assemblyFormat = "attr-dict `:` type($images)";
}

def NN_BatchLabelsOp : NN_Op<"batch_labels", [Pure]> {
  let summary = "The labels of the current batch";
  let description = [{
    Class indices (`tensor<?xi32>`) for a sparse crossentropy loss, or
    one-hot rows (`tensor<?xCxf32>`) for a categorical one.

    Example:
    ```mlir
    %1 = nn.batch_labels : tensor<?xi32>
    ```
  }];
  let results = (outs AnyTypeOf<[TensorOf<[I32]>, NN_Tensor]>:$labels);
  let assemblyFormat = "attr-dict `:` type($labels)";
}

def NN_LearningRateOp : NN_Op<"learning_rate", [Pure]> {
  let summary = "The learning rate, a runtime argument of each step";
  let description = [{
    Callbacks such as ReduceLROnPlateau change it between steps, so it is
    an argument of the step, not a constant of the model.

    Example:
    ```mlir
    %lr = nn.learning_rate : f32
    ```
  }];
  let results = (outs F32:$value);
  let assemblyFormat = "attr-dict `:` type($value)";
}

def NN_ParamOp : NN_Op<"param", [Pure]> {
  let summary = "A parameter tensor of a layer";
  let description = [{
    Names one parameter buffer of the model (`layer`/`param`, e.g.
    `dense/kernel`) with its Keras initializer. Trainable parameters get an
    optimizer update in the same step.

    Example:
    ```mlir
    %2 = nn.param {layer = "dense", param = "kernel",
                   initializer = #nn<initializer glorot_uniform>,
                   trainable = true} : tensor<784x512xf32>
    ```
  }];
  let arguments = (ins StrAttr:$layer, StrAttr:$param,
                       NN_InitializerAttr:$initializer, BoolAttr:$trainable);
  let results = (outs AnyStaticShapeTensor:$value);
  let assemblyFormat = "attr-dict `:` type($value)";
}

//===----------------------------------------------------------------------===//
// Forward and loss
//===----------------------------------------------------------------------===//

def NN_LinearOp : NN_Op<"linear", [Pure, NN_AppliesActivation]> {
  let summary = "activation(input · kernel + bias), the forward of Dense";
  let description = [{
    `input` is (batch, in), `kernel` (in, units), `bias` (units) when
    present. In a training graph that ends in softmax + crossentropy, the
    last Dense has `activation = linear`: its output are the logits the
    fused loss takes.

    Example:
    ```mlir
    %3 = nn.linear %0, %1, %2 {activation = #nn<activation relu>}
         : (tensor<?x784xf32>, tensor<784x512xf32>, tensor<512xf32>) -> tensor<?x512xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$kernel,
                       Optional<NN_Tensor>:$bias,
                       NN_ActivationAttr:$activation);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $kernel (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NN_ConvOp : NN_Op<"conv", [Pure, NN_AppliesActivation]> {
  let summary = "activation(conv(input, kernel) + bias), the forward of Conv2D";
  let description = [{
    Channels-last 2-D convolution: `input` (batch, H, W, C), `kernel`
    (kh, kw, C, filters), `bias` (filters) when present, with the layer's
    `strides` and `padding` (Keras geometry).

    Example:
    ```mlir
    %3 = nn.conv %0, %1, %2 {strides = array<i64: 1, 1>, padding = #nn<padding valid>,
                             activation = #nn<activation relu>}
         : (tensor<?x28x28x1xf32>, tensor<3x3x1x32xf32>, tensor<32xf32>) -> tensor<?x26x26x32xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$kernel,
                       Optional<NN_Tensor>:$bias,
                       DenseI64ArrayAttr:$strides, NN_PaddingAttr:$padding,
                       NN_ActivationAttr:$activation);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $kernel (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NN_DropoutTrainOp : NN_Op<"dropout_train", [Pure,
                                                 SameOperandsAndResultType]> {
  let summary = "The training forward of Dropout: a fresh keep mask per step";
  let description = [{
    Keeps each element with probability `1 - rate`, scaling it by
    `1 / (1 - rate)`. The mask is drawn from Philox keyed by the run's seed,
    the step and the element, plus `stream` (the layer's index) so two
    layers never share a mask; `nn.dropout_grad` with the same `stream`
    redraws the same mask. In evaluation the op is the identity.

    Example:
    ```mlir
    %4 = nn.dropout_train %3 {rate = 5.0e-01 : f64, stream = 0 : i64} : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, F64Attr:$rate, I64Attr:$stream);
  let results = (outs NN_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

def NN_BatchNormTrainOp : NN_Op<"batch_norm_train", [NN_AppliesActivation,
    AllTypesMatch<["input", "output"]>,
    AllTypesMatch<["gamma", "beta", "moving_mean", "moving_variance", "mean",
                   "variance"]>]> {
  let summary = "The training forward of BatchNormalization";
  let description = [{
    Normalizes each channel (last axis) with the batch's mean and biased
    variance, then scales by `gamma` and shifts by `beta`; returns the
    output and the batch statistics (for the backward). Updates
    `moving_mean` and `moving_variance` in place with `momentum`
    (`m·moving + (1 − m)·batch`); in evaluation the layer normalizes with
    the moving statistics instead. `activation` (linear unless
    nn-fuse-activations folded the Activation layer that followed) is
    applied to the output, in training and in evaluation.

    Example:
    ```mlir
    %y, %mean, %var = nn.batch_norm_train %1, %g, %b, %mm, %mv
        {momentum = 9.900000e-01 : f64, epsilon = 1.000000e-03 : f64}
        : tensor<?x28x28x6xf32>, tensor<6xf32> -> tensor<?x28x28x6xf32>, tensor<6xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$gamma, NN_Tensor:$beta,
                       NN_Tensor:$moving_mean, NN_Tensor:$moving_variance,
                       F64Attr:$momentum, F64Attr:$epsilon,
                       DefaultValuedAttr<NN_ActivationAttr,
                                         "::mnistc::nn::Activation::linear">:$activation);
  let results = (outs NN_Tensor:$output, NN_Tensor:$mean,
                      NN_Tensor:$variance);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta `,` $moving_mean `,` $moving_variance
    attr-dict `:` type($input) `,` type($gamma) `->` type($output) `,`
    type($mean)
  }];
  let hasVerifier = 1;
}

def NN_SoftmaxCrossEntropyOp : NN_Op<"softmax_cross_entropy", [Pure]> {
  let summary = "Fused, numerically stable softmax + crossentropy and its gradient";
  let description = [{
    From logits (batch, C) and labels (sparse indices or one-hot rows)
    computes, with a log-sum-exp that never overflows: the mean loss over
    the batch, the number of rows whose first arg-max equals the label,
    and the gradient of the mean loss w.r.t. the logits,
    `(softmax(logits) - onehot(labels)) / batch`.

    Example:
    ```mlir
    %loss, %correct, %dlogits = nn.softmax_cross_entropy %5, %1
        : tensor<?x10xf32>, tensor<?xi32> -> tensor<f32>, tensor<i32>, tensor<?x10xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$logits,
                       AnyTypeOf<[TensorOf<[I32]>, NN_Tensor]>:$labels);
  let results = (outs 0DTensorOf<[F32]>:$loss, 0DTensorOf<[I32]>:$correct,
                      NN_Tensor:$dlogits);
  let assemblyFormat = [{
    $logits `,` $labels attr-dict `:` type($logits) `,` type($labels) `->`
    type($loss) `,` type($correct) `,` type($dlogits)
  }];
  let hasVerifier = 1;
}

def NN_MeanSquaredErrorOp : NN_Op<"mean_squared_error", [Pure]> {
  let summary = "Mean squared error on the model's output, with its gradient";
  let description = [{
    `input` is the last layer's output before `activation` (softmax, which
    the loss applies itself, or linear: the output as it is). With
    p = activation(input) and one-hot `labels` t: the loss is the mean of
    (p − t)² over the batch and the classes, `correct` the number of rows
    whose first arg-max of p equals that of t, and `dinput` the gradient of
    the loss w.r.t. `input` (through the softmax when there is one).

    Example:
    ```mlir
    %loss, %correct, %dinput = nn.mean_squared_error %5, %1 {activation = #nn<activation softmax>}
        : tensor<?x10xf32>, tensor<?x10xf32> -> tensor<f32>, tensor<i32>, tensor<?x10xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$labels,
                       NN_ActivationAttr:$activation);
  let results = (outs 0DTensorOf<[F32]>:$loss, 0DTensorOf<[I32]>:$correct,
                      NN_Tensor:$dinput);
  let assemblyFormat = [{
    $input `,` $labels attr-dict `:` type($input) `,` type($labels) `->`
    type($loss) `,` type($correct) `,` type($dinput)
  }];
  let hasVerifier = 1;
}

def NN_L2PenaltyOp : NN_Op<"l2_penalty", [Pure,
                                          AllTypesMatch<["loss", "result"]>]> {
  let summary = "The loss plus an L2 kernel regularizer's penalty";
  let description = [{
    `loss + l2 · Σ param²`, as Keras adds a layer's `kernel_regularizer`
    to the loss it reports.

    Example:
    ```mlir
    %11 = nn.l2_penalty %loss, %2 {l2 = 1.000000e-02 : f64} : tensor<f32>, tensor<784x512xf32>
    ```
  }];
  let arguments = (ins 0DTensorOf<[F32]>:$loss, NN_Tensor:$param, F64Attr:$l2);
  let results = (outs 0DTensorOf<[F32]>:$result);
  let assemblyFormat =
      "$loss `,` $param attr-dict `:` type($loss) `,` type($param)";
}

//===----------------------------------------------------------------------===//
// Backward
//===----------------------------------------------------------------------===//

def NN_ActivationGradOp : NN_Op<"activation_grad", [Pure,
                                                    SameOperandsAndResultType]> {
  let summary = "The gradient through an elementwise activation";
  let description = [{
    `grad` times the activation's derivative, written in terms of the
    activation's OUTPUT: relu `output > 0`, sigmoid `output (1 - output)`,
    tanh `1 - output²`. Softmax is never differentiated alone (it is fused
    into the loss); linear needs no op. `fused` (set by nn-fuse-activations
    when every reader has the NN_ReadsActivationGrad trait): the readers'
    kernels compute it as they read `grad` and `output`, and it gets no
    kernel of its own.

    Example:
    ```mlir
    %7 = nn.activation_grad %3, %6 {activation = #nn<activation relu>} : tensor<?x512xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$output, NN_Tensor:$grad,
                       NN_ActivationAttr:$activation, UnitAttr:$fused);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$output `,` $grad attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def NN_MatmulGradInputOp : NN_Op<"matmul_grad_input",
                                 [Pure, NN_ReadsActivationGrad]> {
  let summary = "grad · kernelᵀ: the gradient of Dense w.r.t. its input";
  let description = [{
    Example:
    ```mlir
    %8 = nn.matmul_grad_input %7, %4 : tensor<?x10xf32>, tensor<512x10xf32> -> tensor<?x512xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$grad, NN_Tensor:$kernel);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat =
      "$grad `,` $kernel attr-dict `:` type($grad) `,` type($kernel) `->` type($result)";
  let hasVerifier = 1;
}

def NN_MatmulGradKernelOp : NN_Op<"matmul_grad_kernel",
                                 [Pure, NN_ReadsActivationGrad]> {
  let summary = "inputᵀ · grad: the gradient of Dense w.r.t. its kernel";
  let description = [{
    Sums over the batch, so the result has the kernel's static shape.

    Example:
    ```mlir
    %9 = nn.matmul_grad_kernel %3, %7 : tensor<?x512xf32>, tensor<?x10xf32> -> tensor<512x10xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$grad);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat =
      "$input `,` $grad attr-dict `:` type($input) `,` type($grad) `->` type($result)";
  let hasVerifier = 1;
}

def NN_BiasGradOp : NN_Op<"bias_grad", [Pure, NN_ReadsActivationGrad]> {
  let summary = "The gradient w.r.t. a bias: grad summed over all but the last axis";
  let description = [{
    Sums over the batch and, for a convolution's (batch, H, W, C) gradient,
    over every pixel too: the result has the last axis' length.

    Example:
    ```mlir
    %10 = nn.bias_grad %7 : tensor<?x10xf32> -> tensor<10xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$grad);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$grad attr-dict `:` type($grad) `->` type($result)";
  let hasVerifier = 1;
}

def NN_ConvGradInputOp : NN_Op<"conv_grad_input",
                                 [Pure, NN_ReadsActivationGrad]> {
  let summary = "The gradient of Conv2D w.r.t. its input (a transposed convolution)";
  let description = [{
    From the gradient w.r.t. the convolution's pre-activation output; the
    result has the input's type. Input cells no window reads get 0.

    Example:
    ```mlir
    %8 = nn.conv_grad_input %7, %1 {strides = array<i64: 1, 1>, padding = #nn<padding valid>}
         : tensor<?x26x26x32xf32>, tensor<3x3x1x32xf32> -> tensor<?x28x28x1xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$grad, NN_Tensor:$kernel,
                       DenseI64ArrayAttr:$strides, NN_PaddingAttr:$padding);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat =
      "$grad `,` $kernel attr-dict `:` type($grad) `,` type($kernel) `->` type($result)";
  let hasVerifier = 1;
}

def NN_ConvGradKernelOp : NN_Op<"conv_grad_kernel",
                                 [Pure, NN_ReadsActivationGrad]> {
  let summary = "The gradient of Conv2D w.r.t. its kernel";
  let description = [{
    Correlates the (zero-padded) input with the gradient, summed over the
    batch and every output pixel; the result has the kernel's shape.

    Example:
    ```mlir
    %9 = nn.conv_grad_kernel %0, %7 {strides = array<i64: 1, 1>, padding = #nn<padding valid>}
         : tensor<?x28x28x1xf32>, tensor<?x26x26x32xf32> -> tensor<3x3x1x32xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$grad,
                       DenseI64ArrayAttr:$strides, NN_PaddingAttr:$padding);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat =
      "$input `,` $grad attr-dict `:` type($input) `,` type($grad) `->` type($result)";
  let hasVerifier = 1;
}

class NN_PoolGradOp<string mnemonic, string what, string routing,
                    string extra = "", dag extraArgs = (ins),
                    list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat([Pure], traits)> {
  let summary = "The gradient of " # what # " pooling w.r.t. its input";
  let description = [{
    `input` is the pooling layer's input, `grad` the gradient w.r.t. its
    output; the result has the input's type. }] # routing # extra # [{

    Example:
    ```mlir
    %6 = nn.}] # mnemonic # [{ %3, %5 {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                              padding = #nn<padding valid>}
         : tensor<?x26x26x32xf32>, tensor<?x13x13x32xf32> -> tensor<?x26x26x32xf32>
    ```
  }];
  let arguments = !con((ins NN_Tensor:$input, NN_Tensor:$grad,
                            DenseI64ArrayAttr:$pool_size,
                            DenseI64ArrayAttr:$strides,
                            NN_PaddingAttr:$padding),
                       extraArgs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat =
      "$input `,` $grad attr-dict `:` type($input) `,` type($grad) `->` type($result)";
  let hasVerifier = 1;
}

def NN_MaxPoolGradOp : NN_PoolGradOp<"max_pool2d_grad", "max",
    "Each window's gradient goes to its first maximum in row-major window "
    "order (ties resolved deterministically).",
    " With an `activation` other than linear (set by nn-fuse-activations "
    "when `input` is that activation's output), the result is then taken "
    "through the activation's gradient, as `nn.activation_grad` of `input` "
    "would.",
    (ins DefaultValuedAttr<NN_ActivationAttr,
                           "::mnistc::nn::Activation::linear">:$activation),
    [DeclareOpInterfaceMethods<NN_AbsorbsActivationGradOpInterface>]>;
def NN_AvgPoolGradOp : NN_PoolGradOp<"avg_pool2d_grad", "average",
    "Each window's gradient is spread evenly over its non-padded cells.">;

def NN_DropoutGradOp : NN_Op<"dropout_grad", [Pure, SameOperandsAndResultType]> {
  let summary = "The gradient through Dropout: the same mask, the same scale";
  let description = [{
    Redraws the keep mask of the `nn.dropout_train` with the same `rate`
    and `stream` in the same step.

    Example:
    ```mlir
    %9 = nn.dropout_grad %8 {rate = 5.0e-01 : f64, stream = 0 : i64} : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$grad, F64Attr:$rate, I64Attr:$stream);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$grad attr-dict `:` type($result)";
}

def NN_BatchNormGradOp : NN_Op<"batch_norm_grad", [Pure,
    DeclareOpInterfaceMethods<NN_AbsorbsActivationGradOpInterface>,
    AllTypesMatch<["grad", "input", "input_grad"]>,
    AllTypesMatch<["gamma", "mean", "variance", "gamma_grad", "beta_grad"]>]> {
  let summary = "The gradient of BatchNormalization through the batch statistics";
  let description = [{
    From the output gradient, the forward's input, `gamma` and the batch
    statistics of `nn.batch_norm_train`: the gradients w.r.t. the input,
    `gamma` and `beta`. With an `activation` other than linear (set by
    nn-fuse-activations), `grad` is the gradient of the activation's
    output and `output` that output (the forward's): the op first takes
    the gradient through the activation, as `nn.activation_grad` would.

    Example:
    ```mlir
    %dx, %dg, %db = nn.batch_norm_grad %7, %1, %g, %mean, %var {epsilon = 1.000000e-03 : f64}
        : tensor<?x28x28x6xf32>, tensor<6xf32> -> tensor<?x28x28x6xf32>, tensor<6xf32>
    %dx2, %dg2, %db2 = nn.batch_norm_grad %8, %1, %g, %mean, %var output %y : tensor<?x28x28x6xf32>
        {activation = #nn<activation relu>, epsilon = 1.000000e-03 : f64}
        : tensor<?x28x28x6xf32>, tensor<6xf32> -> tensor<?x28x28x6xf32>, tensor<6xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$grad, NN_Tensor:$input, NN_Tensor:$gamma,
                       NN_Tensor:$mean, NN_Tensor:$variance,
                       Optional<NN_Tensor>:$output, F64Attr:$epsilon,
                       DefaultValuedAttr<NN_ActivationAttr,
                                         "::mnistc::nn::Activation::linear">:$activation);
  let results = (outs NN_Tensor:$input_grad, NN_Tensor:$gamma_grad,
                      NN_Tensor:$beta_grad);
  let assemblyFormat = [{
    $grad `,` $input `,` $gamma `,` $mean `,` $variance
    (`output` $output^ `:` type($output))? attr-dict `:`
    type($grad) `,` type($gamma) `->` type($input_grad) `,` type($gamma_grad)
  }];
  let hasVerifier = 1;
}

def NN_SliceOp : NN_Op<"slice", [Pure]> {
  let summary = "A run of channels (last axis) of a tensor: the gradient of Concatenate";
  let description = [{
    Channels `[offset, offset + result channels)` of `input`; every other
    axis is kept.

    Example:
    ```mlir
    %9 = nn.slice %8 {offset = 8 : i64} : tensor<?x28x28x24xf32> -> tensor<?x28x28x16xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, I64Attr:$offset);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NN_L2GradOp : NN_Op<"l2_grad", [Pure, AllTypesMatch<["param", "grad", "result"]>]> {
  let summary = "A kernel's gradient plus its L2 regularizer's: grad + 2·l2·param";
  let description = [{
    Example:
    ```mlir
    %12 = nn.l2_grad %2, %9 {l2 = 1.000000e-02 : f64} : tensor<784x512xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$param, NN_Tensor:$grad, F64Attr:$l2);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$param `,` $grad attr-dict `:` type($result)";
}

include "compiler/Dialect/NN/NNUpdateOps.td"

#endif

// RUN: mnistc-opt %s -split-input-file -verify-diagnostics

// Every rule of the nn verifiers (compiler/Dialect/NN/NNOps.cpp), in
// NNOps.td order, one case per split: the attribute rules (checkAttrs,
// checked always), the shape rules (computeShape, checked by the verifier
// once operand and result types are ranked; on unranked results the
// nn-shape-inference pass reports them, see shape-inference.mlir), the
// result type against the inferred one, and the model-level rules of
// nn.model. Layer ops are written at module level where the model rules
// do not matter.

// nn.input: the shape excludes the batch axis and must not be empty.
// expected-error @+1 {{input shape must not be empty}}
%0 = nn.input {name = "input_layer", shape = array<i64>} : tensor<?xf32>

// -----

// nn.input: every entry of the shape is positive.
// expected-error @+1 {{input shape entries must be positive, found 0}}
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 0, 1>} : tensor<?x28x0x1xf32>

// -----

// expected-error @+1 {{input shape entries must be positive, found -3}}
%0 = nn.input {name = "input_layer", shape = array<i64: -3>} : tensor<?x3xf32>

// -----

// nn.input: the result is (None, *shape); the batch axis stays dynamic.
// expected-error @+1 {{'nn.input' op result type 'tensor<1x784xf32>' does not match the inferred type 'tensor<?x784xf32>'}}
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<1x784xf32>

// -----

// expected-error @+1 {{'nn.input' op result type 'tensor<?x28x28xf32>' does not match the inferred type 'tensor<?x28x28x1xf32>'}}
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28xf32>

// -----

// Only f32 tensors (ODS type constraint).
// expected-error @+1 {{'nn.input' op result #0 must be tensor of 32-bit float values, but got 'tensor<?x4xi32>'}}
%0 = nn.input {name = "input_layer", shape = array<i64: 4>} : tensor<?x4xi32>

// -----

// Enum attributes reject unknown spellings and other enums.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+2 {{expected ::mnistc::nn::Activation to be one of: linear, relu, sigmoid, tanh, softmax}}
// expected-error @+1 {{failed to parse NN_ActivationAttr parameter 'value'}}
%1 = nn.activation %0 {name = "a", activation = #nn<activation gelu>} : tensor<?x784xf32> -> tensor<?x784xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{'nn.activation' op attribute 'activation' failed to satisfy constraint: an activation function}}
%1 = nn.activation %0 {name = "a", activation = #nn<padding same>} : tensor<?x784xf32> -> tensor<?x784xf32>

// -----

// nn.dense: units must be positive.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{units must be positive, found 0}}
%1 = nn.dense %0 {name = "dense", units = 0 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{units must be positive, found -10}}
%1 = nn.dense %0 {name = "dense", units = -10 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<*xf32>

// -----

// nn.dense: kernel_l2 is a finite factor >= 0 (NaN included).
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{kernel_l2 must be a finite number >= 0, found -1.000000e-03}}
%1 = nn.dense %0 {name = "dense", units = 10 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = -1.0e-3 : f64} : tensor<?x784xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{kernel_l2 must be a finite number >= 0, found nan}}
%1 = nn.dense %0 {name = "dense", units = 10 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0x7FF8000000000000 : f64} : tensor<?x784xf32> -> tensor<*xf32>

// -----

// nn.dense: a 4-D input needs Flatten first.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{Dense expects a 2-D input (batch, features) but gets (None, 28, 28, 1); add Flatten() before it}}
%1 = nn.dense %0 {name = "dense", units = 10 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x28x28x1xf32> -> tensor<?x10xf32>

// -----

// nn.dense: the result is (None, units).
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{'nn.dense' op result type 'tensor<?x11xf32>' does not match the inferred type 'tensor<?x10xf32>'}}
%1 = nn.dense %0 {name = "dense", units = 10 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<?x11xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{'nn.dense' op result type 'tensor<32x10xf32>' does not match the inferred type 'tensor<?x10xf32>'}}
%1 = nn.dense %0 {name = "dense", units = 10 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<32x10xf32>

// -----

// nn.conv2d: filters must be positive.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{filters must be positive, found 0}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 0 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

// nn.conv2d: kernel_size is a pair of positive sizes.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{kernel_size must have 2 entries (height, width), found 1}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{kernel_size must have 2 entries (height, width), found 3}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{kernel_size must be positive, found 0}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 0>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

// nn.conv2d: strides is a pair of positive steps.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{strides must have 2 entries (height, width), found 0}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{strides must be positive, found -1}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: -1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

// nn.conv2d: kernel_l2 is >= 0.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{kernel_l2 must be a finite number >= 0, found -5.000000e-01}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = -0.5 : f64} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

// nn.conv2d: a flat input gets a hint to reshape it.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{Conv2D expects a 4-D input (batch, height, width, channels) but gets (None, 784); add Reshape((28, 28, 1)) before it or give the model input(shape=(28, 28, 1))}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<?x26x26x8xf32>

// -----

// nn.conv2d: a 3-D input gets no reshape hint.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28>} : tensor<?x28x28xf32>
// expected-error @+1 {{Conv2D expects a 4-D input (batch, height, width, channels) but gets (None, 28, 28)}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x28x28xf32> -> tensor<?x26x26x8xf32>

// -----

// nn.conv2d: with 'valid' padding the kernel must fit in the input.
%0 = nn.input {name = "input_layer", shape = array<i64: 4, 4, 1>} : tensor<?x4x4x1xf32>
// expected-error @+1 {{kernel_size (5, 3) is larger than the 4x4 input (None, 4, 4, 1); use padding="same" or a smaller kernel_size}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 5, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x4x4x1xf32> -> tensor<?x0x2x8xf32>

// -----

// nn.conv2d: the result follows the Keras rules (valid: (28-3)/2+1 = 13).
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{'nn.conv2d' op result type 'tensor<?x14x14x8xf32>' does not match the inferred type 'tensor<?x13x13x8xf32>'}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x28x28x1xf32> -> tensor<?x14x14x8xf32>

// -----

// nn.conv2d: 'same' keeps ceil(28/3) = 10.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{'nn.conv2d' op result type 'tensor<?x9x9x8xf32>' does not match the inferred type 'tensor<?x10x10x8xf32>'}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 3, 3>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x28x28x1xf32> -> tensor<?x9x9x8xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{kernel_l2 must be a finite number >= 0, found INF}}
%1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0x7FF0000000000000 : f64} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

// nn.batch_norm: momentum is in [0, 1].
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{momentum must be in [0, 1], found 1.5}}
%1 = nn.batch_norm %0 {name = "bn", axis = -1 : i64, momentum = 1.5 : f64, epsilon = 1.0e-3 : f64} : tensor<?x28x28x1xf32> -> tensor<?x28x28x1xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{momentum must be in [0, 1], found -1.000000e-01}}
%1 = nn.batch_norm %0 {name = "bn", axis = -1 : i64, momentum = -0.1 : f64, epsilon = 1.0e-3 : f64} : tensor<?x28x28x1xf32> -> tensor<?x28x28x1xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{momentum must be in [0, 1], found nan}}
%1 = nn.batch_norm %0 {name = "bn", axis = -1 : i64, momentum = 0x7FF8000000000000 : f64, epsilon = 1.0e-3 : f64} : tensor<?x28x28x1xf32> -> tensor<?x28x28x1xf32>

// -----

// nn.batch_norm: epsilon is positive.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{epsilon must be positive, found 0}}
%1 = nn.batch_norm %0 {name = "bn", axis = -1 : i64, momentum = 0.99 : f64, epsilon = 0.0 : f64} : tensor<?x28x28x1xf32> -> tensor<?x28x28x1xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{epsilon must be positive, found -1.000000e-03}}
%1 = nn.batch_norm %0 {name = "bn", axis = -1 : i64, momentum = 0.99 : f64, epsilon = -1.0e-3 : f64} : tensor<?x28x28x1xf32> -> tensor<?x28x28x1xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{epsilon must be positive, found INF}}
%1 = nn.batch_norm %0 {name = "bn", axis = -1 : i64, momentum = 0.99 : f64, epsilon = 0x7FF0000000000000 : f64} : tensor<?x28x28x1xf32> -> tensor<?x28x28x1xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{epsilon must be positive, found nan}}
%1 = nn.batch_norm %0 {name = "bn", axis = -1 : i64, momentum = 0.99 : f64, epsilon = 0x7FF8000000000000 : f64} : tensor<?x28x28x1xf32> -> tensor<?x28x28x1xf32>

// -----

// nn.batch_norm: only the channel axis (-1 or rank - 1) is normalized.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{BatchNormalization normalizes the channel axis only: axis must be -1 (or 3), found 1}}
%1 = nn.batch_norm %0 {name = "bn", axis = 1 : i64, momentum = 0.99 : f64, epsilon = 1.0e-3 : f64} : tensor<?x28x28x1xf32> -> tensor<?x28x28x1xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{BatchNormalization normalizes the channel axis only: axis must be -1 (or 3), found -2}}
%1 = nn.batch_norm %0 {name = "bn", axis = -2 : i64, momentum = 0.99 : f64, epsilon = 1.0e-3 : f64} : tensor<?x28x28x1xf32> -> tensor<?x28x28x1xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{BatchNormalization normalizes the channel axis only: axis must be -1 (or 1), found 0}}
%1 = nn.batch_norm %0 {name = "bn", axis = 0 : i64, momentum = 0.99 : f64, epsilon = 1.0e-3 : f64} : tensor<?x784xf32> -> tensor<?x784xf32>

// -----

// nn.batch_norm: the result has the input shape.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{'nn.batch_norm' op result type 'tensor<?x28x28x2xf32>' does not match the inferred type 'tensor<?x28x28x1xf32>'}}
%1 = nn.batch_norm %0 {name = "bn", axis = -1 : i64, momentum = 0.99 : f64, epsilon = 1.0e-3 : f64} : tensor<?x28x28x1xf32> -> tensor<?x28x28x2xf32>

// -----

// nn.max_pool2d: pool_size and strides are pairs of positive sizes.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{pool_size must have 2 entries (height, width), found 1}}
%1 = nn.max_pool2d %0 {name = "pool", pool_size = array<i64: 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{pool_size must be positive, found 0}}
%1 = nn.max_pool2d %0 {name = "pool", pool_size = array<i64: 0, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{strides must have 2 entries (height, width), found 3}}
%1 = nn.max_pool2d %0 {name = "pool", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2, 2>, padding = #nn<padding valid>} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{strides must be positive, found 0}}
%1 = nn.max_pool2d %0 {name = "pool", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 0>, padding = #nn<padding valid>} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

// nn.max_pool2d: the input is an image.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{MaxPooling2D expects a 4-D input (batch, height, width, channels) but gets (None, 784); add Reshape((28, 28, 1)) before it}}
%1 = nn.max_pool2d %0 {name = "pool", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<?x784xf32> -> tensor<?x392xf32>

// -----

// nn.max_pool2d: with 'valid' padding the window must fit.
%0 = nn.input {name = "input_layer", shape = array<i64: 3, 8, 4>} : tensor<?x3x8x4xf32>
// expected-error @+1 {{pool_size (4, 2) is larger than the 3x8 input (None, 3, 8, 4); use padding="same" or a smaller pool_size}}
%1 = nn.max_pool2d %0 {name = "pool", pool_size = array<i64: 4, 2>, strides = array<i64: 1, 1>, padding = #nn<padding valid>} : tensor<?x3x8x4xf32> -> tensor<?x0x7x4xf32>

// -----

// nn.max_pool2d: 'same' padding lets the window overhang: ceil(3/2) = 2.
%0 = nn.input {name = "input_layer", shape = array<i64: 3, 8, 4>} : tensor<?x3x8x4xf32>
// expected-error @+1 {{'nn.max_pool2d' op result type 'tensor<?x1x4x4xf32>' does not match the inferred type 'tensor<?x2x4x4xf32>'}}
%1 = nn.max_pool2d %0 {name = "pool", pool_size = array<i64: 4, 2>, strides = array<i64: 2, 2>, padding = #nn<padding same>} : tensor<?x3x8x4xf32> -> tensor<?x1x4x4xf32>

// -----

// nn.max_pool2d: 7 -> 3 for a 2x2 valid pool (the last row is dropped).
%0 = nn.input {name = "input_layer", shape = array<i64: 7, 7, 4>} : tensor<?x7x7x4xf32>
// expected-error @+1 {{'nn.max_pool2d' op result type 'tensor<?x4x4x4xf32>' does not match the inferred type 'tensor<?x3x3x4xf32>'}}
%1 = nn.max_pool2d %0 {name = "pool", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<?x7x7x4xf32> -> tensor<?x4x4x4xf32>

// -----

// nn.avg_pool2d: pool_size and strides are pairs of positive sizes.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{pool_size must have 2 entries (height, width), found 1}}
%1 = nn.avg_pool2d %0 {name = "pool", pool_size = array<i64: 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{pool_size must be positive, found 0}}
%1 = nn.avg_pool2d %0 {name = "pool", pool_size = array<i64: 0, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{strides must have 2 entries (height, width), found 3}}
%1 = nn.avg_pool2d %0 {name = "pool", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2, 2>, padding = #nn<padding valid>} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{strides must be positive, found 0}}
%1 = nn.avg_pool2d %0 {name = "pool", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 0>, padding = #nn<padding valid>} : tensor<?x28x28x1xf32> -> tensor<*xf32>

// -----

// nn.avg_pool2d: the input is an image.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{AveragePooling2D expects a 4-D input (batch, height, width, channels) but gets (None, 784); add Reshape((28, 28, 1)) before it}}
%1 = nn.avg_pool2d %0 {name = "pool", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<?x784xf32> -> tensor<?x392xf32>

// -----

// nn.avg_pool2d: with 'valid' padding the window must fit.
%0 = nn.input {name = "input_layer", shape = array<i64: 3, 8, 4>} : tensor<?x3x8x4xf32>
// expected-error @+1 {{pool_size (4, 2) is larger than the 3x8 input (None, 3, 8, 4); use padding="same" or a smaller pool_size}}
%1 = nn.avg_pool2d %0 {name = "pool", pool_size = array<i64: 4, 2>, strides = array<i64: 1, 1>, padding = #nn<padding valid>} : tensor<?x3x8x4xf32> -> tensor<?x0x7x4xf32>

// -----

// nn.avg_pool2d: 'same' padding lets the window overhang: ceil(3/2) = 2.
%0 = nn.input {name = "input_layer", shape = array<i64: 3, 8, 4>} : tensor<?x3x8x4xf32>
// expected-error @+1 {{'nn.avg_pool2d' op result type 'tensor<?x1x4x4xf32>' does not match the inferred type 'tensor<?x2x4x4xf32>'}}
%1 = nn.avg_pool2d %0 {name = "pool", pool_size = array<i64: 4, 2>, strides = array<i64: 2, 2>, padding = #nn<padding same>} : tensor<?x3x8x4xf32> -> tensor<?x1x4x4xf32>

// -----

// nn.avg_pool2d: 7 -> 3 for a 2x2 valid pool (the last row is dropped).
%0 = nn.input {name = "input_layer", shape = array<i64: 7, 7, 4>} : tensor<?x7x7x4xf32>
// expected-error @+1 {{'nn.avg_pool2d' op result type 'tensor<?x4x4x4xf32>' does not match the inferred type 'tensor<?x3x3x4xf32>'}}
%1 = nn.avg_pool2d %0 {name = "pool", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<?x7x7x4xf32> -> tensor<?x4x4x4xf32>

// -----

// nn.flatten: the result is (None, H*W*C).
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{'nn.flatten' op result type 'tensor<?x28x28xf32>' does not match the inferred type 'tensor<?x784xf32>'}}
%1 = nn.flatten %0 {name = "flatten"} : tensor<?x28x28x1xf32> -> tensor<?x28x28xf32>

// -----

// nn.reshape: target_shape must not be empty.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{target_shape must not be empty}}
%1 = nn.reshape %0 {name = "reshape", target_shape = array<i64>} : tensor<?x784xf32> -> tensor<*xf32>

// -----

// nn.reshape: at most one -1.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{target_shape may contain -1 only once}}
%1 = nn.reshape %0 {name = "reshape", target_shape = array<i64: -1, 28, -1>} : tensor<?x784xf32> -> tensor<*xf32>

// -----

// nn.reshape: entries are positive or -1.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{target_shape entries must be positive (or one -1), found 0}}
%1 = nn.reshape %0 {name = "reshape", target_shape = array<i64: 28, 0>} : tensor<?x784xf32> -> tensor<*xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{target_shape entries must be positive (or one -1), found -2}}
%1 = nn.reshape %0 {name = "reshape", target_shape = array<i64: -2, 392>} : tensor<?x784xf32> -> tensor<*xf32>

// -----

// nn.reshape: the element count is kept.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{cannot reshape (None, 784) (784 values per sample) into (None, 28, 27)}}
%1 = nn.reshape %0 {name = "reshape", target_shape = array<i64: 28, 27>} : tensor<?x784xf32> -> tensor<?x28x27xf32>

// -----

// nn.reshape: -1 must divide evenly.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{cannot reshape (None, 784) (784 values per sample) into (None, -1, 5)}}
%1 = nn.reshape %0 {name = "reshape", target_shape = array<i64: -1, 5>} : tensor<?x784xf32> -> tensor<?x156x5xf32>

// -----

// nn.reshape: the result is the target with -1 filled in.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{'nn.reshape' op result type 'tensor<?x28x28x1xf32>' does not match the inferred type 'tensor<?x28x28xf32>'}}
%1 = nn.reshape %0 {name = "reshape", target_shape = array<i64: 28, -1>} : tensor<?x784xf32> -> tensor<?x28x28x1xf32>

// -----

// nn.dropout: rate is in [0, 1).
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{rate must be in [0, 1), found 1}}
%1 = nn.dropout %0 {name = "dropout", rate = 1.0 : f64} : tensor<?x784xf32> -> tensor<?x784xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{rate must be in [0, 1), found -5.000000e-01}}
%1 = nn.dropout %0 {name = "dropout", rate = -0.5 : f64} : tensor<?x784xf32> -> tensor<?x784xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{rate must be in [0, 1), found nan}}
%1 = nn.dropout %0 {name = "dropout", rate = 0x7FF8000000000000 : f64} : tensor<?x784xf32> -> tensor<?x784xf32>

// -----

// nn.dropout: the result has the input shape.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{'nn.dropout' op result type 'tensor<?x10xf32>' does not match the inferred type 'tensor<?x784xf32>'}}
%1 = nn.dropout %0 {name = "dropout", rate = 0.5 : f64} : tensor<?x784xf32> -> tensor<?x10xf32>

// -----

// nn.activation: the result has the input shape.
%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// expected-error @+1 {{'nn.activation' op result type 'tensor<?x784xf32>' does not match the inferred type 'tensor<?x28x28x1xf32>'}}
%1 = nn.activation %0 {name = "activation", activation = #nn<activation relu>} : tensor<?x28x28x1xf32> -> tensor<?x784xf32>

// -----

// nn.add: at least two inputs.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{Add needs at least 2 inputs, found 1}}
%1 = nn.add %0 {name = "add"} : tensor<?x784xf32> -> tensor<?x784xf32>

// -----

// expected-error @+1 {{Add needs at least 2 inputs, found 0}}
%1 = "nn.add"() <{name = "add"}> : () -> tensor<*xf32>

// -----

// nn.add: every input has the shape of the first.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
%1 = nn.dense %0 {name = "dense", units = 10 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<?x10xf32>
// expected-error @+1 {{Add needs inputs of one shape, but input 1 is (None, 784) and input 3 is (None, 10)}}
%2 = nn.add %0, %0, %1 {name = "add"} : tensor<?x784xf32>, tensor<?x784xf32>, tensor<?x10xf32> -> tensor<?x784xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
%1 = nn.flatten %0 {name = "flatten"} : tensor<?x28x28x1xf32> -> tensor<?x784xf32>
// expected-error @+1 {{Add needs inputs of one shape, but input 1 is (None, 28, 28, 1) and input 2 is (None, 784)}}
%2 = nn.add %0, %1 {name = "add"} : tensor<?x28x28x1xf32>, tensor<?x784xf32> -> tensor<?x28x28x1xf32>

// -----

// nn.add: the result has the common shape.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{'nn.add' op result type 'tensor<?x1568xf32>' does not match the inferred type 'tensor<?x784xf32>'}}
%1 = nn.add %0, %0 {name = "add"} : tensor<?x784xf32>, tensor<?x784xf32> -> tensor<?x1568xf32>

// -----

// nn.concatenate: at least two inputs.
%0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 4>} : tensor<?x8x8x4xf32>
// expected-error @+1 {{Concatenate needs at least 2 inputs, found 1}}
%1 = nn.concatenate %0 {name = "concatenate", axis = -1 : i64} : tensor<?x8x8x4xf32> -> tensor<?x8x8x4xf32>

// -----

// nn.concatenate: the batch axis cannot be joined.
%0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 4>} : tensor<?x8x8x4xf32>
// expected-error @+1 {{Concatenate axis 0 is out of range for inputs of rank 4 (the batch axis 0 cannot be joined)}}
%2 = nn.concatenate %0, %0 {name = "concatenate", axis = 0 : i64} : tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32> -> tensor<?x8x8x4xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 4>} : tensor<?x8x8x4xf32>
// expected-error @+1 {{Concatenate axis -4 is out of range for inputs of rank 4 (the batch axis 0 cannot be joined)}}
%2 = nn.concatenate %0, %0 {name = "concatenate", axis = -4 : i64} : tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32> -> tensor<?x8x8x4xf32>

// -----

// nn.concatenate: the axis is within the rank.
%0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 4>} : tensor<?x8x8x4xf32>
// expected-error @+1 {{Concatenate axis 4 is out of range for inputs of rank 4 (the batch axis 0 cannot be joined)}}
%2 = nn.concatenate %0, %0 {name = "concatenate", axis = 4 : i64} : tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32> -> tensor<?x8x8x4xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 4>} : tensor<?x8x8x4xf32>
// expected-error @+1 {{Concatenate axis -5 is out of range for inputs of rank 4 (the batch axis 0 cannot be joined)}}
%2 = nn.concatenate %0, %0 {name = "concatenate", axis = -5 : i64} : tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32> -> tensor<?x8x8x4xf32>

// -----

// nn.concatenate: every other axis matches.
%0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 4>} : tensor<?x8x8x4xf32>
%1 = nn.max_pool2d %0 {name = "pool", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<?x8x8x4xf32> -> tensor<?x4x4x4xf32>
// expected-error @+1 {{Concatenate on axis -1 needs inputs that match on every other axis, but input 2 is (None, 4, 4, 4) and input 1 is (None, 8, 8, 4)}}
%2 = nn.concatenate %0, %1 {name = "concatenate", axis = -1 : i64} : tensor<?x8x8x4xf32>, tensor<?x4x4x4xf32> -> tensor<?x8x8x4xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 4>} : tensor<?x8x8x4xf32>
%1 = nn.flatten %0 {name = "flatten"} : tensor<?x8x8x4xf32> -> tensor<?x256xf32>
// expected-error @+1 {{Concatenate on axis 3 needs inputs that match on every other axis, but input 2 is (None, 256) and input 1 is (None, 8, 8, 4)}}
%2 = nn.concatenate %0, %1 {name = "concatenate", axis = 3 : i64} : tensor<?x8x8x4xf32>, tensor<?x256xf32> -> tensor<?x8x8x4xf32>

// -----

// nn.concatenate: the joined axis is the sum of the inputs.
%0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 4>} : tensor<?x8x8x4xf32>
// expected-error @+1 {{'nn.concatenate' op result type 'tensor<?x8x8x4xf32>' does not match the inferred type 'tensor<?x8x8x8xf32>'}}
%2 = nn.concatenate %0, %0 {name = "concatenate", axis = -1 : i64} : tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32> -> tensor<?x8x8x4xf32>

// -----

%0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 4>} : tensor<?x8x8x4xf32>
// expected-error @+1 {{'nn.concatenate' op result type 'tensor<?x8x8x8xf32>' does not match the inferred type 'tensor<?x8x16x4xf32>'}}
%2 = nn.concatenate %0, %0 {name = "concatenate", axis = 2 : i64} : tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32> -> tensor<?x8x8x8xf32>

// -----

// nn.model: exactly one nn.input.
// expected-error @+1 {{'nn.model' op must have exactly one nn.input, found 0}}
nn.model @no_input {
  %0 = builtin.unrealized_conversion_cast to tensor<?x10xf32>
  nn.output %0 : tensor<?x10xf32>
}

// -----

// expected-error @+1 {{'nn.model' op must have exactly one nn.input, found 2}}
nn.model @two_inputs {
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
  %1 = nn.input {name = "input_layer_1", shape = array<i64: 784>} : tensor<?x784xf32>
  %2 = nn.add %0, %1 {name = "add"} : tensor<?x784xf32>, tensor<?x784xf32> -> tensor<?x784xf32>
  nn.output %2 : tensor<?x784xf32>
}

// -----

// nn.model: the output is (batch, classes).
nn.model @image_out {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
  // expected-error @+1 {{the model's output must be (batch, classes) but is (None, 28, 28, 1); end the model with Flatten() and Dense(10, activation="softmax")}}
  nn.output %0 : tensor<?x28x28x1xf32>
}

// -----

// nn.model: the last layer of a crossentropy model ends in softmax.
nn.model @no_softmax attributes {compile = {loss = "sparse_categorical_crossentropy"}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
  // expected-error @+1 {{the loss 'sparse_categorical_crossentropy' expects probabilities, but the last layer 'dense' has no softmax; use activation="softmax" in it}}
  %1 = nn.dense %0 {name = "dense", units = 10 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<?x10xf32>
  nn.output %1 : tensor<?x10xf32>
}

// -----

// nn.model: the last layer is the one nn.output names, not the block's last op.
nn.model @dropout_last attributes {compile = {loss = "categorical_crossentropy"}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
  // expected-error @+1 {{the loss 'categorical_crossentropy' expects probabilities, but the last layer 'dropout' has no softmax}}
  %1 = nn.dropout %0 {name = "dropout", rate = 0.5 : f64} : tensor<?x784xf32> -> tensor<?x784xf32>
  %2 = nn.flatten %1 {name = "flatten"} : tensor<?x784xf32> -> tensor<?x784xf32>
  nn.output %1 : tensor<?x784xf32>
}

// -----

// nn.model: softmax appears nowhere but the last layer.
nn.model @early_softmax attributes {compile = {loss = "sparse_categorical_crossentropy"}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
  // expected-error @+1 {{softmax must be the last layer's activation when the loss is 'sparse_categorical_crossentropy'; 'dense' is not the last layer}}
  %1 = nn.dense %0 {name = "dense", units = 64 : i64, activation = #nn<activation softmax>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<?x64xf32>
  %2 = nn.dense %1 {name = "dense_1", units = 10 : i64, activation = #nn<activation softmax>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x64xf32> -> tensor<?x10xf32>
  nn.output %2 : tensor<?x10xf32>
}

// -----

// nn.model: the Activation layer counts as an activation too.
nn.model @softmax_activation attributes {compile = {loss = "binary_crossentropy"}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
  // expected-error @+1 {{softmax must be the last layer's activation when the loss is 'binary_crossentropy'; 'activation' is not the last layer}}
  %1 = nn.activation %0 {name = "activation", activation = #nn<activation softmax>} : tensor<?x784xf32> -> tensor<?x784xf32>
  %2 = nn.dense %1 {name = "dense", units = 10 : i64, activation = #nn<activation softmax>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<?x10xf32>
  nn.output %2 : tensor<?x10xf32>
}

// -----

// nn.model: layer names are unique; the note points at the first use.
nn.model @dup {
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
  // expected-note @+1 {{first used here}}
  %1 = nn.dense %0 {name = "dense", units = 64 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x784xf32> -> tensor<?x64xf32>
  // expected-error @+1 {{duplicate layer name 'dense'; give each layer its own name}}
  %2 = nn.dense %1 {name = "dense", units = 10 : i64, activation = #nn<activation softmax>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x64xf32> -> tensor<?x10xf32>
  nn.output %2 : tensor<?x10xf32>
}

// -----

// nn.model: nn.input has a layer name like any other layer.
nn.model @dup_input {
  // expected-note @+1 {{first used here}}
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
  // expected-error @+1 {{duplicate layer name 'input_layer'; give each layer its own name}}
  %1 = nn.flatten %0 {name = "input_layer"} : tensor<?x784xf32> -> tensor<?x784xf32>
  nn.output %1 : tensor<?x784xf32>
}

// -----

// nn.model: its body ends with nn.output.
nn.model @no_output {
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
  // expected-error @+1 {{block with no terminator}}
  %1 = nn.flatten %0 {name = "flatten"} : tensor<?x784xf32> -> tensor<?x784xf32>
}

// -----

// nn.model: the body is one non-empty block.
// expected-error @+1 {{expects a non-empty block}}
nn.model @empty {
}

// -----

// nn.output lives in an nn.model.
%0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// expected-error @+1 {{'nn.output' op expects parent op 'nn.model'}}
nn.output %0 : tensor<?x784xf32>

// RUN: mnistc-opt %s -split-input-file -verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(nn.model(nn-shape-inference))'

// Errors of the nn-shape-inference pass: on IR whose results are
// tensor<*xf32> the verifier cannot check shapes, so the pass reports
// them, each at the op that cannot take its input, once.

// A failed op leaves its result unranked; the ops it feeds are skipped, so
// the mistake is reported once (no error from the second Dense, nor from
// the model verifier, which does not run after a failed pass).
nn.model @m attributes {compile = {loss = "sparse_categorical_crossentropy"}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<*xf32>
  %1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  // expected-error @+1 {{Dense expects a 2-D input (batch, features) but gets (None, 26, 26, 8); add Flatten() before it}}
  %2 = nn.dense %1 {name = "dense", units = 64 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %3 = nn.dense %2 {name = "dense_1", units = 10 : i64, activation = #nn<activation softmax>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  nn.output %3 : tensor<*xf32>
}

// -----

// Independent branches are each inferred: two mistakes, two errors, and
// nothing from the Add that joins them.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 4>} : tensor<*xf32>
  // expected-error @+1 {{kernel_size (9, 9) is larger than the 8x8 input (None, 8, 8, 4); use padding="same" or a smaller kernel_size}}
  %1 = nn.conv2d %0 {name = "conv2d", filters = 4 : i64, kernel_size = array<i64: 9, 9>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  // expected-error @+1 {{BatchNormalization normalizes the channel axis only: axis must be -1 (or 3), found 2}}
  %2 = nn.batch_norm %0 {name = "batch_normalization", axis = 2 : i64, momentum = 0.99 : f64, epsilon = 1.0e-3 : f64} : tensor<*xf32> -> tensor<*xf32>
  %3 = nn.conv2d %0 {name = "conv2d_1", filters = 4 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %4 = nn.add %1, %2, %3 {name = "add"} : tensor<*xf32>, tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  %5 = nn.flatten %4 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  nn.output %5 : tensor<*xf32>
}

// -----

// Pooling a flat input.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<*xf32>
  // expected-error @+1 {{MaxPooling2D expects a 4-D input (batch, height, width, channels) but gets (None, 784); add Reshape((28, 28, 1)) before it or give the model input(shape=(28, 28, 1))}}
  %1 = nn.max_pool2d %0 {name = "max_pooling2d", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<*xf32> -> tensor<*xf32>
  %2 = nn.flatten %1 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  nn.output %2 : tensor<*xf32>
}

// -----

// A window that shrinks the image below the next kernel: 7 -> 3 by the
// pool, then a 4x4 'valid' convolution no longer fits.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 7, 7, 1>} : tensor<*xf32>
  %1 = nn.avg_pool2d %0 {name = "average_pooling2d", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<*xf32> -> tensor<*xf32>
  // expected-error @+1 {{kernel_size (4, 4) is larger than the 3x3 input (None, 3, 3, 1); use padding="same" or a smaller kernel_size}}
  %2 = nn.conv2d %1 {name = "conv2d", filters = 4 : i64, kernel_size = array<i64: 4, 4>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %3 = nn.flatten %2 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  nn.output %3 : tensor<*xf32>
}

// -----

// Reshape to a different element count.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<*xf32>
  // expected-error @+1 {{cannot reshape (None, 28, 28, 1) (784 values per sample) into (None, 14, 14, 2)}}
  %1 = nn.reshape %0 {name = "reshape", target_shape = array<i64: 14, 14, 2>} : tensor<*xf32> -> tensor<*xf32>
  nn.output %1 : tensor<*xf32>
}

// -----

// Reshape with -1 that does not divide.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 10>} : tensor<*xf32>
  // expected-error @+1 {{cannot reshape (None, 10) (10 values per sample) into (None, 3, -1)}}
  %1 = nn.reshape %0 {name = "reshape", target_shape = array<i64: 3, -1>} : tensor<*xf32> -> tensor<*xf32>
  nn.output %1 : tensor<*xf32>
}

// -----

// Add of two shapes.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<*xf32>
  %1 = nn.conv2d %0 {name = "conv2d", filters = 16 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %2 = nn.conv2d %0 {name = "conv2d_1", filters = 16 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  // expected-error @+1 {{Add needs inputs of one shape, but input 1 is (None, 26, 26, 16) and input 2 is (None, 28, 28, 16)}}
  %3 = nn.add %1, %2 {name = "add"} : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  %4 = nn.flatten %3 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  nn.output %4 : tensor<*xf32>
}

// -----

// Concatenate of images of two sizes on the channel axis.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<*xf32>
  %1 = nn.max_pool2d %0 {name = "max_pooling2d", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<*xf32> -> tensor<*xf32>
  // expected-error @+1 {{Concatenate on axis -1 needs inputs that match on every other axis, but input 2 is (None, 14, 14, 1) and input 1 is (None, 28, 28, 1)}}
  %2 = nn.concatenate %0, %1 {name = "concatenate", axis = -1 : i64} : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  %3 = nn.flatten %2 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  nn.output %3 : tensor<*xf32>
}

// -----

// Concatenate of tensors of two ranks.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 4, 4, 1>} : tensor<*xf32>
  %1 = nn.flatten %0 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  // expected-error @+1 {{Concatenate on axis 1 needs inputs that match on every other axis, but input 2 is (None, 4, 4, 1) and input 1 is (None, 16)}}
  %2 = nn.concatenate %1, %0 {name = "concatenate", axis = 1 : i64} : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  nn.output %2 : tensor<*xf32>
}

// -----

// Concatenate on the batch axis.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 16>} : tensor<*xf32>
  // expected-error @+1 {{Concatenate axis -2 is out of range for inputs of rank 2 (the batch axis 0 cannot be joined)}}
  %1 = nn.concatenate %0, %0 {name = "concatenate", axis = -2 : i64} : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  nn.output %1 : tensor<*xf32>
}

// -----

// Conv2D on a 3-D tensor.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28>} : tensor<*xf32>
  // expected-error @+1 {{Conv2D expects a 4-D input (batch, height, width, channels) but gets (None, 28, 28)}}
  %1 = nn.conv2d %0 {name = "conv2d", filters = 4 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %2 = nn.flatten %1 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  nn.output %2 : tensor<*xf32>
}

// -----

// The pass succeeds; the verifier that runs after it then checks the model
// rules that need the inferred types: here the output is not 2-D.
nn.model @m {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<*xf32>
  %1 = nn.conv2d %0 {name = "conv2d", filters = 4 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  // expected-error @+1 {{the model's output must be (batch, classes) but is (None, 26, 26, 4)}}
  nn.output %1 : tensor<*xf32>
}

// RUN: mnistc-opt %s --pass-pipeline='builtin.module(nn.model(nn-shape-inference))' | FileCheck %s
// RUN: mnistc-opt %s --pass-pipeline='builtin.module(nn.model(nn-shape-inference))' \
// RUN:   | mnistc-opt --pass-pipeline='builtin.module(nn.model(nn-shape-inference))' | FileCheck %s
// RUN: mnistc-opt %s --pass-pipeline='builtin.module(nn.model(nn-shape-inference))' \
// RUN:   | FileCheck %s --check-prefix=BATCH

// nn-shape-inference on IR as MLIRGen writes it: every result is
// tensor<*xf32>. The pass gives each one its Keras output shape, with the
// batch axis left dynamic (`?`). Window sizes follow Keras:
//   valid: out = floor((in - k) / s) + 1      same: out = ceil(in / s)
// The second RUN line checks that the pass is idempotent on its own output,
// the third that no type is left unranked and no batch axis is static.

// BATCH-NOT: tensor<*
// BATCH-NOT: tensor<{{[0-9]}}

// Convolutions, valid and same, odd and even kernels, stride 1, 2 and 3.
// CHECK-LABEL: nn.model @conv
// CHECK:      %[[IN:.*]] = nn.input {{.*}} : tensor<?x28x28x1xf32>
// (28 - 3) / 1 + 1 = 26
// CHECK-NEXT: nn.conv2d %[[IN]] {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x26x26x32xf32>
// floor((28 - 4) / 2) + 1 = 13; an even kernel at stride 2
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x13x13x8xf32>
// floor((28 - 3) / 2) + 1 = 13
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x13x13x8xf32>
// same, stride 1: 28
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x28x28x16xf32>
// same, stride 2, even kernel: ceil(28 / 2) = 14
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x14x14x4xf32>
// same, stride 3: ceil(28 / 3) = 10
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x10x10x4xf32>
// rectangular kernel and strides, valid: ((28 - 2) / 1 + 1, (28 - 4) / 3 + 1) = (27, 9)
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x27x9x2xf32>
// rectangular, same: (ceil(28 / 1), ceil(28 / 3)) = (28, 10)
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x28x10x2xf32>
// a kernel as large as the input, valid: 1x1
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x1x1x5xf32>
// a kernel larger than the input is fine with same padding: ceil(28 / 2) = 14
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x14x14x5xf32>
// CHECK-NEXT: nn.flatten {{.*}} : tensor<?x14x14x5xf32> -> tensor<?x980xf32>
// CHECK-NEXT: nn.output %{{.*}} : tensor<?x980xf32>
nn.model @conv {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<*xf32>
  %1 = nn.conv2d %0 {name = "conv2d", filters = 32 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %2 = nn.conv2d %0 {name = "conv2d_1", filters = 8 : i64, kernel_size = array<i64: 4, 4>, strides = array<i64: 2, 2>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %3 = nn.conv2d %0 {name = "conv2d_2", filters = 8 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %4 = nn.conv2d %0 {name = "conv2d_3", filters = 16 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %5 = nn.conv2d %0 {name = "conv2d_4", filters = 4 : i64, kernel_size = array<i64: 4, 4>, strides = array<i64: 2, 2>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %6 = nn.conv2d %0 {name = "conv2d_5", filters = 4 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 3, 3>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %7 = nn.conv2d %0 {name = "conv2d_6", filters = 2 : i64, kernel_size = array<i64: 2, 4>, strides = array<i64: 1, 3>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %8 = nn.conv2d %0 {name = "conv2d_7", filters = 2 : i64, kernel_size = array<i64: 2, 4>, strides = array<i64: 1, 3>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %9 = nn.conv2d %0 {name = "conv2d_8", filters = 5 : i64, kernel_size = array<i64: 28, 28>, strides = array<i64: 1, 1>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %10 = nn.conv2d %0 {name = "conv2d_9", filters = 5 : i64, kernel_size = array<i64: 30, 30>, strides = array<i64: 2, 2>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %11 = nn.flatten %10 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  nn.output %11 : tensor<*xf32>
}

// Odd input sizes: 27 -> conv 2x2/2 valid 13 -> conv 2x2/2 same 7.
// CHECK-LABEL: nn.model @odd
// CHECK:      nn.input {{.*}} : tensor<?x27x27x3xf32>
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x27x27x3xf32> -> tensor<?x13x13x6xf32>
// CHECK-NEXT: nn.conv2d {{.*}} : tensor<?x13x13x6xf32> -> tensor<?x7x7x6xf32>
nn.model @odd {
  %0 = nn.input {name = "input_layer", shape = array<i64: 27, 27, 3>} : tensor<*xf32>
  %1 = nn.conv2d %0 {name = "conv2d", filters = 6 : i64, kernel_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %2 = nn.conv2d %1 {name = "conv2d_1", filters = 6 : i64, kernel_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %3 = nn.flatten %2 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  nn.output %3 : tensor<*xf32>
}

// Pooling: 7 -> 3 for a 2x2 valid pool (the last row and column are
// dropped), 7 -> 4 with same padding, overlapping windows, the channel
// count unchanged.
// CHECK-LABEL: nn.model @pool
// CHECK:      nn.input {{.*}} : tensor<?x7x7x5xf32>
// CHECK-NEXT: nn.max_pool2d {{.*}} : tensor<?x7x7x5xf32> -> tensor<?x3x3x5xf32>
// CHECK-NEXT: nn.avg_pool2d {{.*}} : tensor<?x7x7x5xf32> -> tensor<?x3x3x5xf32>
// CHECK-NEXT: nn.max_pool2d {{.*}} : tensor<?x7x7x5xf32> -> tensor<?x4x4x5xf32>
// CHECK-NEXT: nn.avg_pool2d {{.*}} : tensor<?x7x7x5xf32> -> tensor<?x4x4x5xf32>
// 3x3 windows at stride 1: (7 - 3) / 1 + 1 = 5
// CHECK-NEXT: nn.max_pool2d {{.*}} : tensor<?x7x7x5xf32> -> tensor<?x5x5x5xf32>
// 3x3 windows at stride 2: (7 - 3) / 2 + 1 = 3; rectangular 1x7 at (1, 7): (7, 1)
// CHECK-NEXT: nn.avg_pool2d {{.*}} : tensor<?x7x7x5xf32> -> tensor<?x3x3x5xf32>
// CHECK-NEXT: nn.max_pool2d {{.*}} : tensor<?x7x7x5xf32> -> tensor<?x7x1x5xf32>
// CHECK-NEXT: nn.max_pool2d {{.*}} : tensor<?x3x3x5xf32> -> tensor<?x1x1x5xf32>
// CHECK-NEXT: nn.flatten {{.*}} : tensor<?x1x1x5xf32> -> tensor<?x5xf32>
nn.model @pool {
  %0 = nn.input {name = "input_layer", shape = array<i64: 7, 7, 5>} : tensor<*xf32>
  %1 = nn.max_pool2d %0 {name = "max_pooling2d", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<*xf32> -> tensor<*xf32>
  %2 = nn.avg_pool2d %0 {name = "average_pooling2d", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<*xf32> -> tensor<*xf32>
  %3 = nn.max_pool2d %0 {name = "max_pooling2d_1", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding same>} : tensor<*xf32> -> tensor<*xf32>
  %4 = nn.avg_pool2d %0 {name = "average_pooling2d_1", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding same>} : tensor<*xf32> -> tensor<*xf32>
  %5 = nn.max_pool2d %0 {name = "max_pooling2d_2", pool_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding valid>} : tensor<*xf32> -> tensor<*xf32>
  %6 = nn.avg_pool2d %0 {name = "average_pooling2d_2", pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<*xf32> -> tensor<*xf32>
  %7 = nn.max_pool2d %0 {name = "max_pooling2d_3", pool_size = array<i64: 1, 7>, strides = array<i64: 1, 7>, padding = #nn<padding valid>} : tensor<*xf32> -> tensor<*xf32>
  %8 = nn.max_pool2d %1 {name = "max_pooling2d_4", pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = #nn<padding valid>} : tensor<*xf32> -> tensor<*xf32>
  %9 = nn.flatten %8 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  nn.output %9 : tensor<*xf32>
}

// Flatten, Reshape (with -1 in any position), Dense, Dropout, Activation
// and BatchNormalization.
// CHECK-LABEL: nn.model @reshape
// CHECK:      nn.input {{.*}} : tensor<?x784xf32>
// CHECK-NEXT: nn.reshape {{.*}} : tensor<?x784xf32> -> tensor<?x28x28x1xf32>
// CHECK-NEXT: nn.reshape {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x28x28x1xf32>
// CHECK-NEXT: nn.reshape {{.*}} : tensor<?x28x28x1xf32> -> tensor<?x7x112xf32>
// CHECK-NEXT: nn.reshape {{.*}} : tensor<?x7x112xf32> -> tensor<?x784xf32>
// CHECK-NEXT: nn.batch_norm {{.*}} : tensor<?x784xf32> -> tensor<?x784xf32>
// CHECK-NEXT: nn.reshape {{.*}} : tensor<?x784xf32> -> tensor<?x4x7x28xf32>
// CHECK-NEXT: nn.batch_norm {{.*}} : tensor<?x4x7x28xf32> -> tensor<?x4x7x28xf32>
// CHECK-NEXT: nn.activation {{.*}} : tensor<?x4x7x28xf32> -> tensor<?x4x7x28xf32>
// CHECK-NEXT: nn.dropout {{.*}} : tensor<?x4x7x28xf32> -> tensor<?x4x7x28xf32>
// CHECK-NEXT: nn.flatten {{.*}} : tensor<?x4x7x28xf32> -> tensor<?x784xf32>
// CHECK-NEXT: nn.dense {{.*}} : tensor<?x784xf32> -> tensor<?x128xf32>
// CHECK-NEXT: nn.flatten {{.*}} : tensor<?x128xf32> -> tensor<?x128xf32>
// CHECK-NEXT: nn.dense {{.*}} : tensor<?x128xf32> -> tensor<?x10xf32>
// CHECK-NEXT: nn.output %{{.*}} : tensor<?x10xf32>
nn.model @reshape attributes {compile = {loss = "sparse_categorical_crossentropy"}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<*xf32>
  %1 = nn.reshape %0 {name = "reshape", target_shape = array<i64: 28, 28, 1>} : tensor<*xf32> -> tensor<*xf32>
  %2 = nn.reshape %1 {name = "reshape_1", target_shape = array<i64: 28, -1, 1>} : tensor<*xf32> -> tensor<*xf32>
  %3 = nn.reshape %2 {name = "reshape_2", target_shape = array<i64: 7, -1>} : tensor<*xf32> -> tensor<*xf32>
  %4 = nn.reshape %3 {name = "reshape_3", target_shape = array<i64: -1>} : tensor<*xf32> -> tensor<*xf32>
  %5 = nn.batch_norm %4 {name = "batch_normalization", axis = -1 : i64, momentum = 0.99 : f64, epsilon = 1.0e-3 : f64} : tensor<*xf32> -> tensor<*xf32>
  %6 = nn.reshape %5 {name = "reshape_4", target_shape = array<i64: -1, 7, 28>} : tensor<*xf32> -> tensor<*xf32>
  %7 = nn.batch_norm %6 {name = "batch_normalization_1", axis = 3 : i64, momentum = 0.99 : f64, epsilon = 1.0e-3 : f64} : tensor<*xf32> -> tensor<*xf32>
  %8 = nn.activation %7 {name = "activation", activation = #nn<activation tanh>} : tensor<*xf32> -> tensor<*xf32>
  %9 = nn.dropout %8 {name = "dropout", rate = 0.25 : f64} : tensor<*xf32> -> tensor<*xf32>
  %10 = nn.flatten %9 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  %11 = nn.dense %10 {name = "dense", units = 128 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %12 = nn.flatten %11 {name = "flatten_1"} : tensor<*xf32> -> tensor<*xf32>
  %13 = nn.dense %12 {name = "dense_1", units = 10 : i64, activation = #nn<activation softmax>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  nn.output %13 : tensor<*xf32>
}

// Merges: Add keeps the common shape; Concatenate sums the joined axis
// (the channel axis by default, any non-batch axis when asked).
// CHECK-LABEL: nn.model @merge
// CHECK:      %[[X:.*]] = nn.input {{.*}} : tensor<?x28x28x1xf32>
// CHECK-NEXT: %[[A:.*]] = nn.conv2d %[[X]] {{.*}} -> tensor<?x28x28x16xf32>
// CHECK-NEXT: %[[B:.*]] = nn.conv2d %[[A]] {{.*}} -> tensor<?x28x28x16xf32>
// CHECK-NEXT: %[[S:.*]] = nn.add %[[A]], %[[B]] {name = "add"} : tensor<?x28x28x16xf32>, tensor<?x28x28x16xf32> -> tensor<?x28x28x16xf32>
// CHECK-NEXT: nn.add %[[A]], %[[B]], %[[S]] {{.*}} -> tensor<?x28x28x16xf32>
// CHECK-NEXT: nn.concatenate %[[X]], %[[A]], %[[B]] {{.*}} : tensor<?x28x28x1xf32>, tensor<?x28x28x16xf32>, tensor<?x28x28x16xf32> -> tensor<?x28x28x33xf32>
// CHECK-NEXT: nn.concatenate %[[A]], %[[B]] {{.*}} -> tensor<?x56x28x16xf32>
// CHECK-NEXT: nn.concatenate %[[A]], %[[B]] {{.*}} -> tensor<?x28x56x16xf32>
// CHECK-NEXT: nn.concatenate %{{.*}}, %{{.*}} {{.*}} : tensor<?x28x28x33xf32>, tensor<?x28x28x16xf32> -> tensor<?x28x28x49xf32>
// CHECK-NEXT: nn.flatten {{.*}} -> tensor<?x38416xf32>
// CHECK-NEXT: nn.concatenate {{.*}} : tensor<?x38416xf32>, tensor<?x38416xf32> -> tensor<?x76832xf32>
// CHECK-NEXT: nn.output %{{.*}} : tensor<?x76832xf32>
nn.model @merge {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<*xf32>
  %1 = nn.conv2d %0 {name = "conv2d", filters = 16 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %2 = nn.conv2d %1 {name = "conv2d_1", filters = 16 : i64, kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = #nn<padding same>, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  %3 = nn.add %1, %2 {name = "add"} : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  %4 = nn.add %1, %2, %3 {name = "add_1"} : tensor<*xf32>, tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  %5 = nn.concatenate %0, %1, %2 {name = "concatenate", axis = -1 : i64} : tensor<*xf32>, tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  %6 = nn.concatenate %1, %2 {name = "concatenate_1", axis = 1 : i64} : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  %7 = nn.concatenate %1, %2 {name = "concatenate_2", axis = -2 : i64} : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  %8 = nn.concatenate %5, %4 {name = "concatenate_3", axis = 3 : i64} : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  %9 = nn.flatten %8 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  %10 = nn.concatenate %9, %9 {name = "concatenate_4", axis = -1 : i64} : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  nn.output %10 : tensor<*xf32>
}

// Types already ranked are recomputed, not trusted: the pass replaces what
// is there (here, already correct) and fills in what is not.
// CHECK-LABEL: nn.model @partial
// CHECK:      nn.input {{.*}} : tensor<?x4x4x2xf32>
// CHECK-NEXT: nn.flatten {{.*}} : tensor<?x4x4x2xf32> -> tensor<?x32xf32>
// CHECK-NEXT: nn.dense {{.*}} : tensor<?x32xf32> -> tensor<?x3xf32>
nn.model @partial {
  %0 = nn.input {name = "input_layer", shape = array<i64: 4, 4, 2>} : tensor<?x4x4x2xf32>
  %1 = nn.flatten %0 {name = "flatten"} : tensor<?x4x4x2xf32> -> tensor<*xf32>
  %2 = nn.dense %1 {name = "dense", units = 3 : i64, activation = #nn<activation relu>, use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  nn.output %2 : tensor<*xf32>
}

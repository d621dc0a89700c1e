// RUN: mnistc-opt %s -split-input-file --pass-pipeline='builtin.module(nn.train(nn-fuse-activations))' | FileCheck %s
// The pass alone on a training graph as nn-autodiff builds it: Conv2D,
// BatchNormalization + relu, MaxPooling2D, BatchNormalization + tanh,
// Flatten + sigmoid, Dense + tanh, a linear Activation, a softmax Dense.
// Forward, both batch norms and the Dense take their Activation; the
// linear one vanishes; the sigmoid after Flatten has nothing to fold
// into. Backward, the relu's gradient goes into the max-pooling gradient
// (which reads the relu's output), the tanh's into the batch norm
// gradient (with that output as an operand); the Dense's tanh gradient,
// read only by the Dense backward ops, is marked fused into their kernels,
// and the sigmoid's, read by the Flatten's gradient, is not.

nn.train @fuse {
  %0 = nn.batch_labels : tensor<?xi32>
  %1 = nn.learning_rate : f32
  %2 = nn.batch_images : tensor<?x4x4x2xf32>
  %3 = nn.param {initializer = #nn<initializer glorot_uniform>, layer = "conv2d", param = "kernel", trainable = true} : tensor<3x3x2x2xf32>
  %4 = nn.param {initializer = #nn<initializer zeros>, layer = "conv2d", param = "bias", trainable = true} : tensor<2xf32>
  %5 = nn.conv %2, %3, %4 {activation = #nn<activation linear>, padding = #nn<padding same>, strides = array<i64: 1, 1>} : (tensor<?x4x4x2xf32>, tensor<3x3x2x2xf32>, tensor<2xf32>) -> tensor<?x4x4x2xf32>
  %6 = nn.param {initializer = #nn<initializer ones>, layer = "batch_normalization", param = "gamma", trainable = true} : tensor<2xf32>
  %7 = nn.param {initializer = #nn<initializer zeros>, layer = "batch_normalization", param = "beta", trainable = true} : tensor<2xf32>
  %8 = nn.param {initializer = #nn<initializer zeros>, layer = "batch_normalization", param = "moving_mean", trainable = false} : tensor<2xf32>
  %9 = nn.param {initializer = #nn<initializer ones>, layer = "batch_normalization", param = "moving_variance", trainable = false} : tensor<2xf32>
  %output, %mean, %variance = nn.batch_norm_train %5, %6, %7, %8, %9 {epsilon = 1.000000e-03 : f64, momentum = 0.98999999999999999 : f64} : tensor<?x4x4x2xf32>, tensor<2xf32> -> tensor<?x4x4x2xf32>, tensor<2xf32>
  %10 = nn.activation %output {activation = #nn<activation relu>, name = "activation"} : tensor<?x4x4x2xf32> -> tensor<?x4x4x2xf32>
  %11 = nn.max_pool2d %10 {name = "max_pooling2d", padding = #nn<padding valid>, pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<?x4x4x2xf32> -> tensor<?x2x2x2xf32>
  %12 = nn.param {initializer = #nn<initializer ones>, layer = "batch_normalization_1", param = "gamma", trainable = true} : tensor<2xf32>
  %13 = nn.param {initializer = #nn<initializer zeros>, layer = "batch_normalization_1", param = "beta", trainable = true} : tensor<2xf32>
  %14 = nn.param {initializer = #nn<initializer zeros>, layer = "batch_normalization_1", param = "moving_mean", trainable = false} : tensor<2xf32>
  %15 = nn.param {initializer = #nn<initializer ones>, layer = "batch_normalization_1", param = "moving_variance", trainable = false} : tensor<2xf32>
  %output_0, %mean_1, %variance_2 = nn.batch_norm_train %11, %12, %13, %14, %15 {epsilon = 1.000000e-03 : f64, momentum = 0.98999999999999999 : f64} : tensor<?x2x2x2xf32>, tensor<2xf32> -> tensor<?x2x2x2xf32>, tensor<2xf32>
  %16 = nn.activation %output_0 {activation = #nn<activation tanh>, name = "activation_1"} : tensor<?x2x2x2xf32> -> tensor<?x2x2x2xf32>
  %17 = nn.flatten %16 {name = "flatten"} : tensor<?x2x2x2xf32> -> tensor<?x8xf32>
  %18 = nn.activation %17 {activation = #nn<activation sigmoid>, name = "activation_2"} : tensor<?x8xf32> -> tensor<?x8xf32>
  %19 = nn.param {initializer = #nn<initializer glorot_uniform>, layer = "dense", param = "kernel", trainable = true} : tensor<8x3xf32>
  %20 = nn.param {initializer = #nn<initializer zeros>, layer = "dense", param = "bias", trainable = true} : tensor<3xf32>
  %21 = nn.linear %18, %19, %20 {activation = #nn<activation linear>} : (tensor<?x8xf32>, tensor<8x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %22 = nn.activation %21 {activation = #nn<activation tanh>, name = "activation_3"} : tensor<?x3xf32> -> tensor<?x3xf32>
  %23 = nn.activation %22 {activation = #nn<activation linear>, name = "activation_4"} : tensor<?x3xf32> -> tensor<?x3xf32>
  %24 = nn.param {initializer = #nn<initializer glorot_uniform>, layer = "dense_1", param = "kernel", trainable = true} : tensor<3x2xf32>
  %25 = nn.param {initializer = #nn<initializer zeros>, layer = "dense_1", param = "bias", trainable = true} : tensor<2xf32>
  %26 = nn.linear %23, %24, %25 {activation = #nn<activation linear>} : (tensor<?x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %loss, %correct, %dlogits = nn.softmax_cross_entropy %26, %0 : tensor<?x2xf32>, tensor<?xi32> -> tensor<f32>, tensor<i32>, tensor<?x2xf32>
  %27 = nn.matmul_grad_kernel %23, %dlogits : tensor<?x3xf32>, tensor<?x2xf32> -> tensor<3x2xf32>
  %28 = nn.bias_grad %dlogits : tensor<?x2xf32> -> tensor<2xf32>
  %29 = nn.matmul_grad_input %dlogits, %24 : tensor<?x2xf32>, tensor<3x2xf32> -> tensor<?x3xf32>
  %30 = nn.activation_grad %22, %29 {activation = #nn<activation tanh>} : tensor<?x3xf32>
  %31 = nn.matmul_grad_kernel %18, %30 : tensor<?x8xf32>, tensor<?x3xf32> -> tensor<8x3xf32>
  %32 = nn.bias_grad %30 : tensor<?x3xf32> -> tensor<3xf32>
  %33 = nn.matmul_grad_input %30, %19 : tensor<?x3xf32>, tensor<8x3xf32> -> tensor<?x8xf32>
  %34 = nn.activation_grad %18, %33 {activation = #nn<activation sigmoid>} : tensor<?x8xf32>
  %35 = nn.reshape %34 {name = "gradient_reshape", target_shape = array<i64: 2, 2, 2>} : tensor<?x8xf32> -> tensor<?x2x2x2xf32>
  %36 = nn.activation_grad %16, %35 {activation = #nn<activation tanh>} : tensor<?x2x2x2xf32>
  %input_grad, %gamma_grad, %beta_grad = nn.batch_norm_grad %36, %11, %12, %mean_1, %variance_2 {epsilon = 1.000000e-03 : f64} : tensor<?x2x2x2xf32>, tensor<2xf32> -> tensor<?x2x2x2xf32>, tensor<2xf32>
  %37 = nn.max_pool2d_grad %10, %input_grad {padding = #nn<padding valid>, pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<?x4x4x2xf32>, tensor<?x2x2x2xf32> -> tensor<?x4x4x2xf32>
  %38 = nn.activation_grad %10, %37 {activation = #nn<activation relu>} : tensor<?x4x4x2xf32>
  %input_grad_3, %gamma_grad_4, %beta_grad_5 = nn.batch_norm_grad %38, %5, %6, %mean, %variance {epsilon = 1.000000e-03 : f64} : tensor<?x4x4x2xf32>, tensor<2xf32> -> tensor<?x4x4x2xf32>, tensor<2xf32>
  %39 = nn.conv_grad_kernel %2, %input_grad_3 {padding = #nn<padding same>, strides = array<i64: 1, 1>} : tensor<?x4x4x2xf32>, tensor<?x4x4x2xf32> -> tensor<3x3x2x2xf32>
  %40 = nn.bias_grad %input_grad_3 : tensor<?x4x4x2xf32> -> tensor<2xf32>
  nn.sgd_update %3, %39, %1 {momentum = 0.000000e+00 : f64, nesterov = false} : tensor<3x3x2x2xf32>
  nn.sgd_update %4, %40, %1 {momentum = 0.000000e+00 : f64, nesterov = false} : tensor<2xf32>
  nn.sgd_update %6, %gamma_grad_4, %1 {momentum = 0.000000e+00 : f64, nesterov = false} : tensor<2xf32>
  nn.sgd_update %7, %beta_grad_5, %1 {momentum = 0.000000e+00 : f64, nesterov = false} : tensor<2xf32>
  nn.sgd_update %12, %gamma_grad, %1 {momentum = 0.000000e+00 : f64, nesterov = false} : tensor<2xf32>
  nn.sgd_update %13, %beta_grad, %1 {momentum = 0.000000e+00 : f64, nesterov = false} : tensor<2xf32>
  nn.sgd_update %19, %31, %1 {momentum = 0.000000e+00 : f64, nesterov = false} : tensor<8x3xf32>
  nn.sgd_update %20, %32, %1 {momentum = 0.000000e+00 : f64, nesterov = false} : tensor<3xf32>
  nn.sgd_update %24, %27, %1 {momentum = 0.000000e+00 : f64, nesterov = false} : tensor<3x2xf32>
  nn.sgd_update %25, %28, %1 {momentum = 0.000000e+00 : f64, nesterov = false} : tensor<2xf32>
  nn.train_yield %loss, %correct : tensor<f32>, tensor<i32>
}

// CHECK-LABEL: nn.train @fuse {
// CHECK:       %[[CONV:.*]] = nn.conv {{.*}} {activation = #nn<activation linear>
// CHECK:       %[[Y:.*]], %[[MEAN:.*]], %[[VAR:.*]] = nn.batch_norm_train %[[CONV]], {{.*}} {activation = #nn<activation relu>, epsilon
// CHECK-NEXT:  %[[POOL:.*]] = nn.max_pool2d %[[Y]]
// CHECK:       %[[Y2:.*]], %[[MEAN2:.*]], %[[VAR2:.*]] = nn.batch_norm_train %[[POOL]], {{.*}} {activation = #nn<activation tanh>, epsilon
// CHECK-NEXT:  %[[FLAT:.*]] = nn.flatten %[[Y2]]
// CHECK-NEXT:  %[[SIG:.*]] = nn.activation %[[FLAT]] {activation = #nn<activation sigmoid>
// CHECK:       %[[TANH:.*]] = nn.linear %[[SIG]], {{.*}} {activation = #nn<activation tanh>}
// CHECK-NOT:   nn.activation %
// CHECK:       nn.linear %[[TANH]],
// CHECK:       nn.activation_grad %[[TANH]], {{.*}} {activation = #nn<activation tanh>, fused}
// CHECK:       nn.activation_grad %[[SIG]], {{.*}} {activation = #nn<activation sigmoid>}
// CHECK-NEXT:  %[[DFLAT:.*]] = nn.reshape
// CHECK-NEXT:  %[[DPOOL:.*]], %{{.*}}, %{{.*}} = nn.batch_norm_grad %[[DFLAT]], %[[POOL]], %{{.*}}, %[[MEAN2]], %[[VAR2]] output %[[Y2]] : tensor<?x2x2x2xf32> {activation = #nn<activation tanh>, epsilon
// CHECK-NEXT:  %[[DY:.*]] = nn.max_pool2d_grad %[[Y]], %[[DPOOL]] {activation = #nn<activation relu>,
// CHECK-NEXT:  nn.batch_norm_grad %[[DY]], %[[CONV]], %{{.*}}, %[[MEAN]], %[[VAR]] {epsilon
// CHECK-NOT:   nn.activation_grad
// CHECK:       nn.train_yield

// -----

// A Dense output that two Activation layers read stays unfused: applying
// either in the Dense's kernel would change what the other reads.
nn.train @shared {
  %labels = nn.batch_labels : tensor<?xi32>
  %x = nn.batch_images : tensor<?x3xf32>
  %w = nn.param {initializer = #nn<initializer glorot_uniform>, layer = "dense", param = "kernel", trainable = true} : tensor<3x2xf32>
  %y = nn.linear %x, %w {activation = #nn<activation linear>} : (tensor<?x3xf32>, tensor<3x2xf32>) -> tensor<?x2xf32>
  %a = nn.activation %y {activation = #nn<activation relu>, name = "a"} : tensor<?x2xf32> -> tensor<?x2xf32>
  %b = nn.activation %y {activation = #nn<activation tanh>, name = "b"} : tensor<?x2xf32> -> tensor<?x2xf32>
  %s = nn.add %a, %b {name = "add"} : tensor<?x2xf32>, tensor<?x2xf32> -> tensor<?x2xf32>
  %loss, %correct, %d = nn.softmax_cross_entropy %s, %labels : tensor<?x2xf32>, tensor<?xi32> -> tensor<f32>, tensor<i32>, tensor<?x2xf32>
  nn.train_yield %loss, %correct : tensor<f32>, tensor<i32>
}

// CHECK-LABEL: nn.train @shared {
// CHECK:       %[[Y:.*]] = nn.linear {{.*}} {activation = #nn<activation linear>}
// CHECK-NEXT:  nn.activation %[[Y]] {activation = #nn<activation relu>
// CHECK-NEXT:  nn.activation %[[Y]] {activation = #nn<activation tanh>

// -----

// Add + relu: the sum is activated in the Add's kernel.
nn.train @residual {
  %labels = nn.batch_labels : tensor<?xi32>
  %x = nn.batch_images : tensor<?x2xf32>
  %s = nn.add %x, %x {name = "add"} : tensor<?x2xf32>, tensor<?x2xf32> -> tensor<?x2xf32>
  %a = nn.activation %s {activation = #nn<activation relu>, name = "activation"} : tensor<?x2xf32> -> tensor<?x2xf32>
  %loss, %correct, %d = nn.softmax_cross_entropy %a, %labels : tensor<?x2xf32>, tensor<?xi32> -> tensor<f32>, tensor<i32>, tensor<?x2xf32>
  nn.train_yield %loss, %correct : tensor<f32>, tensor<i32>
}

// CHECK-LABEL: nn.train @residual {
// CHECK:       %[[SUM:.*]] = nn.add %{{.*}}, %{{.*}} {activation = #nn<activation relu>, name = "add"}
// CHECK-NEXT:  nn.softmax_cross_entropy %[[SUM]],

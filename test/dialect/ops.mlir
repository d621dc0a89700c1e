// RUN: mnistc-opt %s | mnistc-opt | FileCheck %s
// RUN: mnistc-opt %s --mlir-print-op-generic | mnistc-opt | FileCheck %s
// RUN: mnistc-opt %s --emit-bytecode | mnistc-opt | FileCheck %s
// RUN: mnistc-opt %s --verify-roundtrip | FileCheck %s

// Round trip of every nn op through the custom assembly format, the generic
// form and bytecode: each op, each enum attribute kind and each optional
// attribute parses, verifies and prints back unchanged.

// CHECK-LABEL: nn.model @mlp
// CHECK-SAME: attributes {compile = {loss = "sparse_categorical_crossentropy", metrics = ["accuracy"], optimizer = {beta_1 = 9.000000e-01 : f64, beta_2 = 0.99899999999999999 : f64, epsilon = 9.9999999999999995E-8 : f64, learning_rate = 1.000000e-03 : f64, name = "Adam"}}
// CHECK-SAME: fit = {batch_size = 128 : i64, callbacks = [{monitor = "val_loss", name = "EarlyStopping", patience = 3 : i64}], epochs = 5 : i64, shuffle = true, validation_split = 1.000000e-01 : f64, verbose = 1 : i64}} {
// CHECK-NEXT:   %[[IN:.*]] = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
// CHECK-NEXT:   %[[D0:.*]] = nn.dense %[[IN]] {activation = #nn<activation relu>, bias_initializer = #nn<initializer zeros>, kernel_initializer = #nn<initializer he_normal>, kernel_l2 = 1.000000e-03 : f64, name = "dense", units = 512 : i64, use_bias = true} : tensor<?x784xf32> -> tensor<?x512xf32>
// CHECK-NEXT:   %[[DR:.*]] = nn.dropout %[[D0]] {name = "dropout", rate = 2.000000e-01 : f64, seed = 42 : i64} : tensor<?x512xf32> -> tensor<?x512xf32>
// CHECK-NEXT:   %[[D1:.*]] = nn.dense %[[DR]] {activation = #nn<activation softmax>, bias_initializer = #nn<initializer ones>, kernel_initializer = #nn<initializer glorot_normal>, kernel_l2 = 0.000000e+00 : f64, name = "dense_1", units = 10 : i64, use_bias = false} : tensor<?x512xf32> -> tensor<?x10xf32>
// CHECK-NEXT:   nn.output %[[D1]] : tensor<?x10xf32>
// CHECK-NEXT: }
nn.model @mlp attributes {
    compile = {loss = "sparse_categorical_crossentropy", metrics = ["accuracy"],
               optimizer = {name = "Adam", learning_rate = 1.0e-3 : f64,
                            beta_1 = 0.9 : f64, beta_2 = 0.999 : f64,
                            epsilon = 1.0e-7 : f64}},
    fit = {batch_size = 128 : i64, epochs = 5 : i64, verbose = 1 : i64,
           validation_split = 0.1 : f64, shuffle = true,
           callbacks = [{name = "EarlyStopping", monitor = "val_loss",
                         patience = 3 : i64}]}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 784>} : tensor<?x784xf32>
  %1 = nn.dense %0 {name = "dense", units = 512 : i64,
                    activation = #nn<activation relu>, use_bias = true,
                    kernel_initializer = #nn<initializer he_normal>,
                    bias_initializer = #nn<initializer zeros>,
                    kernel_l2 = 1.0e-3 : f64} : tensor<?x784xf32> -> tensor<?x512xf32>
  %2 = nn.dropout %1 {name = "dropout", rate = 0.2 : f64, seed = 42 : i64}
       : tensor<?x512xf32> -> tensor<?x512xf32>
  %3 = nn.dense %2 {name = "dense_1", units = 10 : i64,
                    activation = #nn<activation softmax>, use_bias = false,
                    kernel_initializer = #nn<initializer glorot_normal>,
                    bias_initializer = #nn<initializer ones>,
                    kernel_l2 = 0.0 : f64} : tensor<?x512xf32> -> tensor<?x10xf32>
  nn.output %3 : tensor<?x10xf32>
}

// A model without compile/fit settings prints no `attributes` keyword.
// CHECK-LABEL: nn.model @bare {
// CHECK-NEXT:   nn.input {name = "input_layer", shape = array<i64: 4>} : tensor<?x4xf32>
// CHECK-NEXT:   nn.output
nn.model @bare {
  %0 = nn.input {name = "input_layer", shape = array<i64: 4>} : tensor<?x4xf32>
  nn.output %0 : tensor<?x4xf32>
}

// Every image layer, every activation, padding and initializer value.
// CHECK-LABEL: nn.model @cnn
// CHECK:      nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
// CHECK:      nn.conv2d %{{.*}} {activation = #nn<activation relu>, bias_initializer = #nn<initializer zeros>, filters = 8 : i64, kernel_initializer = #nn<initializer he_uniform>, kernel_l2 = 0.000000e+00 : f64, kernel_size = array<i64: 3, 3>, name = "conv2d", padding = #nn<padding same>, strides = array<i64: 1, 1>, use_bias = true} : tensor<?x28x28x1xf32> -> tensor<?x28x28x8xf32>
// CHECK:      nn.batch_norm %{{.*}} {axis = -1 : i64, epsilon = 1.000000e-03 : f64, momentum = 0.98999999999999999 : f64, name = "batch_normalization"} : tensor<?x28x28x8xf32> -> tensor<?x28x28x8xf32>
// CHECK:      nn.activation %{{.*}} {activation = #nn<activation tanh>, name = "activation"} : tensor<?x28x28x8xf32> -> tensor<?x28x28x8xf32>
// CHECK:      nn.activation %{{.*}} {activation = #nn<activation sigmoid>, name = "activation_1"} : tensor<?x28x28x8xf32> -> tensor<?x28x28x8xf32>
// CHECK:      nn.activation %{{.*}} {activation = #nn<activation linear>, name = "activation_2"} : tensor<?x28x28x8xf32> -> tensor<?x28x28x8xf32>
// CHECK:      nn.max_pool2d %{{.*}} {name = "max_pooling2d", padding = #nn<padding valid>, pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<?x28x28x8xf32> -> tensor<?x14x14x8xf32>
// CHECK:      nn.avg_pool2d %{{.*}} {name = "average_pooling2d", padding = #nn<padding same>, pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<?x14x14x8xf32> -> tensor<?x7x7x8xf32>
// CHECK:      nn.flatten %{{.*}} {name = "flatten"} : tensor<?x7x7x8xf32> -> tensor<?x392xf32>
// CHECK:      nn.reshape %{{.*}} {name = "reshape", target_shape = array<i64: 14, 28>} : tensor<?x392xf32> -> tensor<?x14x28xf32>
// CHECK:      nn.reshape %{{.*}} {name = "reshape_1", target_shape = array<i64: -1>} : tensor<?x14x28xf32> -> tensor<?x392xf32>
// CHECK:      nn.dense %{{.*}} {{{.*}}kernel_initializer = #nn<initializer zeros>{{.*}}} : tensor<?x392xf32> -> tensor<?x10xf32>
// CHECK:      nn.output %{{.*}} : tensor<?x10xf32>
nn.model @cnn attributes {compile = {loss = "mean_squared_error", metrics = [],
                                     optimizer = {name = "SGD", learning_rate = 0.01 : f64,
                                                  momentum = 0.0 : f64, nesterov = false}},
                          fit = {batch_size = 32 : i64, epochs = 1 : i64, seed = 7 : i64}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
  %1 = nn.conv2d %0 {name = "conv2d", filters = 8 : i64,
                     kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>,
                     padding = #nn<padding same>, activation = #nn<activation relu>,
                     use_bias = true, kernel_initializer = #nn<initializer he_uniform>,
                     bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64}
       : tensor<?x28x28x1xf32> -> tensor<?x28x28x8xf32>
  %2 = nn.batch_norm %1 {name = "batch_normalization", axis = -1 : i64,
                         momentum = 0.99 : f64, epsilon = 1.0e-3 : f64}
       : tensor<?x28x28x8xf32> -> tensor<?x28x28x8xf32>
  %3 = nn.activation %2 {name = "activation", activation = #nn<activation tanh>}
       : tensor<?x28x28x8xf32> -> tensor<?x28x28x8xf32>
  %4 = nn.activation %3 {name = "activation_1", activation = #nn<activation sigmoid>}
       : tensor<?x28x28x8xf32> -> tensor<?x28x28x8xf32>
  %5 = nn.activation %4 {name = "activation_2", activation = #nn<activation linear>}
       : tensor<?x28x28x8xf32> -> tensor<?x28x28x8xf32>
  %6 = nn.max_pool2d %5 {name = "max_pooling2d", pool_size = array<i64: 2, 2>,
                         strides = array<i64: 2, 2>, padding = #nn<padding valid>}
       : tensor<?x28x28x8xf32> -> tensor<?x14x14x8xf32>
  %7 = nn.avg_pool2d %6 {name = "average_pooling2d", pool_size = array<i64: 3, 3>,
                         strides = array<i64: 2, 2>, padding = #nn<padding same>}
       : tensor<?x14x14x8xf32> -> tensor<?x7x7x8xf32>
  %8 = nn.flatten %7 {name = "flatten"} : tensor<?x7x7x8xf32> -> tensor<?x392xf32>
  %9 = nn.reshape %8 {name = "reshape", target_shape = array<i64: 14, 28>}
       : tensor<?x392xf32> -> tensor<?x14x28xf32>
  %10 = nn.reshape %9 {name = "reshape_1", target_shape = array<i64: -1>}
       : tensor<?x14x28xf32> -> tensor<?x392xf32>
  %11 = nn.dense %10 {name = "dense", units = 10 : i64,
                      activation = #nn<activation linear>, use_bias = true,
                      kernel_initializer = #nn<initializer zeros>,
                      bias_initializer = #nn<initializer zeros>,
                      kernel_l2 = 0.0 : f64} : tensor<?x392xf32> -> tensor<?x10xf32>
  nn.output %11 : tensor<?x10xf32>
}

// Merge layers take a variadic operand list; Add and Concatenate of three.
// CHECK-LABEL: nn.model @merge
// CHECK:      %[[X:.*]] = nn.input
// CHECK:      %[[A:.*]] = nn.conv2d %[[X]]
// CHECK:      %[[B:.*]] = nn.conv2d %[[X]]
// CHECK:      %[[S:.*]] = nn.add %[[A]], %[[B]], %[[A]] {name = "add"} : tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32> -> tensor<?x8x8x4xf32>
// CHECK:      %[[C:.*]] = nn.concatenate %[[S]], %[[X]], %[[B]] {axis = -1 : i64, name = "concatenate"} : tensor<?x8x8x4xf32>, tensor<?x8x8x2xf32>, tensor<?x8x8x4xf32> -> tensor<?x8x8x10xf32>
// CHECK:      nn.concatenate %{{.*}}, %{{.*}} {axis = 1 : i64, name = "concatenate_1"} : tensor<?x8x8x10xf32>, tensor<?x8x8x10xf32> -> tensor<?x16x8x10xf32>
nn.model @merge {
  %0 = nn.input {name = "input_layer", shape = array<i64: 8, 8, 2>} : tensor<?x8x8x2xf32>
  %1 = nn.conv2d %0 {name = "conv2d", filters = 4 : i64,
                     kernel_size = array<i64: 1, 1>, strides = array<i64: 1, 1>,
                     padding = #nn<padding valid>, activation = #nn<activation relu>,
                     use_bias = true, kernel_initializer = #nn<initializer glorot_uniform>,
                     bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64}
       : tensor<?x8x8x2xf32> -> tensor<?x8x8x4xf32>
  %2 = nn.conv2d %0 {name = "conv2d_1", filters = 4 : i64,
                     kernel_size = array<i64: 3, 3>, strides = array<i64: 1, 1>,
                     padding = #nn<padding same>, activation = #nn<activation linear>,
                     use_bias = false, kernel_initializer = #nn<initializer glorot_uniform>,
                     bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64}
       : tensor<?x8x8x2xf32> -> tensor<?x8x8x4xf32>
  %3 = nn.add %1, %2, %1 {name = "add"}
       : tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32> -> tensor<?x8x8x4xf32>
  %4 = nn.concatenate %3, %0, %2 {name = "concatenate", axis = -1 : i64}
       : tensor<?x8x8x4xf32>, tensor<?x8x8x2xf32>, tensor<?x8x8x4xf32> -> tensor<?x8x8x10xf32>
  %5 = nn.concatenate %4, %4 {name = "concatenate_1", axis = 1 : i64}
       : tensor<?x8x8x10xf32>, tensor<?x8x8x10xf32> -> tensor<?x16x8x10xf32>
  %6 = nn.flatten %5 {name = "flatten"} : tensor<?x16x8x10xf32> -> tensor<?x1280xf32>
  nn.output %6 : tensor<?x1280xf32>
}

// Before shape inference, results may be unranked; the verifier accepts
// them and the printer keeps them.
// CHECK-LABEL: nn.model @unranked
// CHECK:      nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<*xf32>
// CHECK:      nn.flatten %{{.*}} {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
// CHECK:      nn.dense %{{.*}} : tensor<*xf32> -> tensor<*xf32>
// CHECK:      nn.output %{{.*}} : tensor<*xf32>
nn.model @unranked attributes {compile = {loss = "sparse_categorical_crossentropy"}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<*xf32>
  %1 = nn.flatten %0 {name = "flatten"} : tensor<*xf32> -> tensor<*xf32>
  %2 = nn.dense %1 {name = "dense", units = 10 : i64,
                    activation = #nn<activation softmax>, use_bias = true,
                    kernel_initializer = #nn<initializer glorot_uniform>,
                    bias_initializer = #nn<initializer zeros>,
                    kernel_l2 = 0.0 : f64} : tensor<*xf32> -> tensor<*xf32>
  nn.output %2 : tensor<*xf32>
}

// The enum attributes also stand alone, outside an op's attribute list.
// CHECK-LABEL: nn.model @enum_attrs
// CHECK-SAME: attributes {enums = [#nn<activation softmax>, #nn<padding valid>, #nn<initializer ones>]}
nn.model @enum_attrs attributes {enums = [#nn<activation softmax>, #nn<padding valid>, #nn<initializer ones>]} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 3>} : tensor<?x3xf32>
  nn.output %0 : tensor<?x3xf32>
}

// Accepted model-rule corner cases: softmax in an nn.activation as the last
// layer of a crossentropy model; batch norm with the explicit channel axis
// (rank - 1); concatenation on a positive axis.
// CHECK-LABEL: nn.model @softmax_layer
// CHECK:      nn.batch_norm %{{.*}} {axis = 1 : i64
// CHECK:      nn.concatenate %{{.*}}, %{{.*}} {axis = 1 : i64, name = "concatenate"} : tensor<?x10xf32>, tensor<?x10xf32> -> tensor<?x20xf32>
// CHECK:      nn.activation %{{.*}} {activation = #nn<activation softmax>, name = "activation"} : tensor<?x20xf32> -> tensor<?x20xf32>
nn.model @softmax_layer attributes {compile = {loss = "categorical_crossentropy"}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 10>} : tensor<?x10xf32>
  %1 = nn.batch_norm %0 {name = "batch_normalization", axis = 1 : i64,
                         momentum = 0.0 : f64, epsilon = 1.0e-5 : f64}
       : tensor<?x10xf32> -> tensor<?x10xf32>
  %2 = nn.concatenate %0, %1 {name = "concatenate", axis = 1 : i64}
       : tensor<?x10xf32>, tensor<?x10xf32> -> tensor<?x20xf32>
  %3 = nn.activation %2 {name = "activation", activation = #nn<activation softmax>}
       : tensor<?x20xf32> -> tensor<?x20xf32>
  nn.output %3 : tensor<?x20xf32>
}

// Without a crossentropy loss softmax may appear anywhere.
// CHECK-LABEL: nn.model @mse
// CHECK:      nn.activation %{{.*}} {activation = #nn<activation softmax>, name = "activation"}
// CHECK:      nn.dense %{{.*}} {activation = #nn<activation linear>
nn.model @mse attributes {compile = {loss = "mean_squared_error"}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 10>} : tensor<?x10xf32>
  %1 = nn.activation %0 {name = "activation", activation = #nn<activation softmax>}
       : tensor<?x10xf32> -> tensor<?x10xf32>
  %2 = nn.dense %1 {name = "dense", units = 1 : i64,
                    activation = #nn<activation linear>, use_bias = true,
                    kernel_initializer = #nn<initializer glorot_uniform>,
                    bias_initializer = #nn<initializer zeros>,
                    kernel_l2 = 0.0 : f64} : tensor<?x10xf32> -> tensor<?x1xf32>
  nn.output %2 : tensor<?x1xf32>
}

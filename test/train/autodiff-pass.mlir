// RUN: mnistc-opt %s --nn-autodiff | FileCheck %s
// The pass alone on textual IR: a shape-inferred nn.model with compile
// settings gets its nn.train beside it; the model is left as it was.

nn.model @tiny attributes {compile = {loss = "sparse_categorical_crossentropy", optimizer = {name = "Adam", learning_rate = 1.0e-03 : f64, beta_1 = 9.0e-01 : f64, beta_2 = 9.99e-01 : f64, epsilon = 1.0e-07 : f64}}} {
  %0 = nn.input {name = "input_layer", shape = array<i64: 3>} : tensor<?x3xf32>
  %1 = nn.dense %0 {name = "out", units = 2 : i64, activation = #nn<activation softmax>, use_bias = true, kernel_initializer = #nn<initializer he_normal>, bias_initializer = #nn<initializer zeros>, kernel_l2 = 0.0 : f64} : tensor<?x3xf32> -> tensor<?x2xf32>
  nn.output %1 : tensor<?x2xf32>
}

// CHECK:      nn.model @tiny
// CHECK:      nn.dense
// CHECK:      nn.train @tiny {
// CHECK:        nn.param {initializer = #nn<initializer he_normal>, layer = "out", param = "kernel", trainable = true} : tensor<3x2xf32>
// CHECK:        nn.linear {{.*}} {activation = #nn<activation linear>}
// CHECK:        nn.softmax_cross_entropy
// CHECK:        nn.adam_update
// CHECK:        nn.adam_update
// CHECK:        nn.train_yield

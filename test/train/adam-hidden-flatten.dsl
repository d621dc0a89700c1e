# RUN: mnistc %s --emit=train | FileCheck %s
# A Reshape between two Dense layers: its backward reshapes the gradient
# back to the Dense's output shape. Adam carries its settings.
model reshaped {
  input(shape=(8,))
  Dense(12, activation="sigmoid")
  Reshape((3, 4))
  Flatten()
  Dense(3, activation="softmax")
}
compile(optimizer=Adam(learning_rate=0.01, beta_1=0.8), loss="sparse_categorical_crossentropy")

# CHECK-LABEL: nn.train @reshaped {
# CHECK:       %[[H:.*]] = nn.linear {{.*}} {activation = #nn<activation sigmoid>}
# CHECK-NEXT:  %[[R:.*]] = nn.reshape %[[H]] {name = "reshape", target_shape = array<i64: 3, 4>} : tensor<?x12xf32> -> tensor<?x3x4xf32>
# CHECK-NEXT:  %[[F:.*]] = nn.flatten %[[R]]
# CHECK:       %[[DF:.*]] = nn.matmul_grad_input
# CHECK-NEXT:  %[[DR:.*]] = nn.reshape %[[DF]] {name = "gradient_reshape", target_shape = array<i64: 3, 4>} : tensor<?x12xf32> -> tensor<?x3x4xf32>
# CHECK-NEXT:  %[[DH:.*]] = nn.reshape %[[DR]] {name = "gradient_reshape", target_shape = array<i64: 12>} : tensor<?x3x4xf32> -> tensor<?x12xf32>
# CHECK-NEXT:  nn.activation_grad %[[H]], %[[DH]] {activation = #nn<activation sigmoid>, fused}
# CHECK:       nn.adam_update {{.*}} {beta_1 = 8.000000e-01 : f64, beta_2 = 0.99899999999999999 : f64, epsilon = 9.9999999999999995E-8 : f64} : tensor<8x12xf32>

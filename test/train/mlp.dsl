# RUN: mnistc %s --emit=train | FileCheck %s
# The training graph of the seed MLP: forward with explicit parameters, the
# last Dense producing logits for the fused softmax + crossentropy, the
# backward ops in reverse, one RMSprop update per parameter in parameter
# order, and no gradient for the images.
model mlp {
  input(shape=(784,))
  Dense(512, activation="relu")
  Dense(10, activation="softmax")
}
compile(optimizer=RMSprop(learning_rate=0.001),
        loss="sparse_categorical_crossentropy", metrics=["accuracy"])

# CHECK-LABEL: nn.train @mlp {
# CHECK-DAG:   %[[LABELS:.*]] = nn.batch_labels : tensor<?xi32>
# CHECK-DAG:   %[[LR:.*]] = nn.learning_rate : f32
# CHECK-DAG:   %[[X:.*]] = nn.batch_images : tensor<?x784xf32>
# CHECK:       %[[W0:.*]] = nn.param {initializer = #nn<initializer glorot_uniform>, layer = "dense", param = "kernel", trainable = true} : tensor<784x512xf32>
# CHECK-NEXT:  %[[B0:.*]] = nn.param {initializer = #nn<initializer zeros>, layer = "dense", param = "bias", trainable = true} : tensor<512xf32>
# CHECK-NEXT:  %[[H:.*]] = nn.linear %[[X]], %[[W0]], %[[B0]] {activation = #nn<activation relu>}
# CHECK-NEXT:  %[[W1:.*]] = nn.param {{.*}}layer = "dense_1", param = "kernel"{{.*}} : tensor<512x10xf32>
# CHECK-NEXT:  %[[B1:.*]] = nn.param {{.*}}layer = "dense_1", param = "bias"{{.*}} : tensor<10xf32>
# CHECK-NEXT:  %[[Z:.*]] = nn.linear %[[H]], %[[W1]], %[[B1]] {activation = #nn<activation linear>}
# CHECK-NEXT:  %[[LOSS:.*]], %[[CORRECT:.*]], %[[DZ:.*]] = nn.softmax_cross_entropy %[[Z]], %[[LABELS]]
# CHECK-NEXT:  %[[DW1:.*]] = nn.matmul_grad_kernel %[[H]], %[[DZ]] : tensor<?x512xf32>, tensor<?x10xf32> -> tensor<512x10xf32>
# CHECK-NEXT:  %[[DB1:.*]] = nn.bias_grad %[[DZ]] : tensor<?x10xf32> -> tensor<10xf32>
# CHECK-NEXT:  %[[DH:.*]] = nn.matmul_grad_input %[[DZ]], %[[W1]]
# CHECK-NEXT:  %[[DA:.*]] = nn.activation_grad %[[H]], %[[DH]] {activation = #nn<activation relu>, fused}
# CHECK-NEXT:  %[[DW0:.*]] = nn.matmul_grad_kernel %[[X]], %[[DA]]
# CHECK-NEXT:  %[[DB0:.*]] = nn.bias_grad %[[DA]]
# CHECK-NOT:   nn.matmul_grad_input
# CHECK-NEXT:  nn.rmsprop_update %[[W0]], %[[DW0]], %[[LR]] {epsilon = 9.9999999999999995E-8 : f64, momentum = 0.000000e+00 : f64, rho = 9.000000e-01 : f64} : tensor<784x512xf32>
# CHECK-NEXT:  nn.rmsprop_update %[[B0]], %[[DB0]], %[[LR]]
# CHECK-NEXT:  nn.rmsprop_update %[[W1]], %[[DW1]], %[[LR]]
# CHECK-NEXT:  nn.rmsprop_update %[[B1]], %[[DB1]], %[[LR]]
# CHECK-NEXT:  nn.train_yield %[[LOSS]], %[[CORRECT]] : tensor<f32>, tensor<i32>

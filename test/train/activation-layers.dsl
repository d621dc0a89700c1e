# RUN: mnistc %s --emit=train | FileCheck %s
# Flatten and Activation layers, a Dense without bias, one-hot labels, and
# SGD with Nesterov momentum. The final softmax Activation vanishes into the
# loss; the tanh Activation is folded into the Dense before it
# (nn-fuse-activations); Flatten of the images needs no gradient.
model act {
  input(shape=(28, 28, 1))
  Flatten()
  Dense(64)
  Activation("tanh")
  Dense(10, use_bias=False)
  Activation("softmax")
}
compile(optimizer=SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
        loss="categorical_crossentropy")

# CHECK-LABEL: nn.train @act {
# CHECK:       %[[LABELS:.*]] = nn.batch_labels : tensor<?x10xf32>
# CHECK:       %[[X:.*]] = nn.batch_images : tensor<?x28x28x1xf32>
# CHECK-NEXT:  %[[F:.*]] = nn.flatten %[[X]] {name = "flatten"} : tensor<?x28x28x1xf32> -> tensor<?x784xf32>
# CHECK:       %[[A:.*]] = nn.linear %[[F]], {{.*}} {activation = #nn<activation tanh>}
# CHECK-NEXT:  %[[W1:.*]] = nn.param {{.*}}layer = "dense_1", param = "kernel"
# CHECK-NEXT:  %[[Z:.*]] = nn.linear %[[A]], %[[W1]] {activation = #nn<activation linear>} : (tensor<?x64xf32>, tensor<64x10xf32>) -> tensor<?x10xf32>
# CHECK-NEXT:  {{.*}} = nn.softmax_cross_entropy %[[Z]], %[[LABELS]] : tensor<?x10xf32>, tensor<?x10xf32>
# CHECK-NOT:   nn.bias_grad %dlogits
# CHECK:       nn.activation_grad %[[A]], {{.*}} {activation = #nn<activation tanh>, fused}
# CHECK-NOT:   nn.matmul_grad_input
# CHECK-NOT:   nn.reshape
# CHECK:       nn.sgd_update {{.*}} {momentum = 9.000000e-01 : f64, nesterov = true} : tensor<784x64xf32>
# CHECK-NEXT:  nn.sgd_update {{.*}} : tensor<64xf32>
# CHECK-NEXT:  nn.sgd_update {{.*}} : tensor<64x10xf32>
# CHECK-NEXT:  nn.train_yield

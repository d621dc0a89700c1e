# RUN: mnistc %s --summary | FileCheck %s --check-prefix=SUMMARY
# RUN: mnistc %s --emit=train | FileCheck %s
# A global pooling trains as the pooling of one window the size of the
# image (valid, stride = window) and, without keepdims, a view as
# (batch, C); its gradient is that view back and the pooling's gradient.
model gp {
  input(shape=(28, 28, 1))
  Conv2D(8, kernel_size=3, strides=2, activation="relu")
  GlobalAveragePooling2D()
  Dense(10, activation="softmax")
}
compile(optimizer="sgd", loss="sparse_categorical_crossentropy")

# SUMMARY:      │ global_average_pooling2d │ (None, 8) │ 0 │
# SUMMARY-NEXT: │ (GlobalAveragePooling2D) │
# SUMMARY:      Total params: 170 (680.00 B)

# CHECK-LABEL: nn.train @gp {
# CHECK:       %[[C:.*]] = nn.conv {{.*}} -> tensor<?x13x13x8xf32>
# CHECK:       %[[P:.*]] = nn.avg_pool2d %[[C]] {name = "global_average_pooling2d", padding = #nn<padding valid>, pool_size = array<i64: 13, 13>, strides = array<i64: 13, 13>} : tensor<?x13x13x8xf32> -> tensor<?x1x1x8xf32>
# CHECK-NEXT:  %[[G:.*]] = nn.reshape %[[P]] {name = "global_average_pooling2d", target_shape = array<i64: 8>} : tensor<?x1x1x8xf32> -> tensor<?x8xf32>
# CHECK:       nn.linear %[[G]]
# CHECK:       %[[DG:.*]] = nn.matmul_grad_input
# CHECK:       %[[DP:.*]] = nn.reshape %[[DG]] {name = "gradient_reshape", target_shape = array<i64: 1, 1, 8>} : tensor<?x8xf32> -> tensor<?x1x1x8xf32>
# CHECK-NEXT:  nn.avg_pool2d_grad %[[C]], %[[DP]] {padding = #nn<padding valid>, pool_size = array<i64: 13, 13>, strides = array<i64: 13, 13>} : tensor<?x13x13x8xf32>, tensor<?x1x1x8xf32> -> tensor<?x13x13x8xf32>

# RUN: mnistc %s --summary | FileCheck %s --check-prefix=SUMMARY
# RUN: mnistc %s --emit=train | FileCheck %s
# RUN: mnistc %S/../e2e/global_max_pool.dsl --summary \
# RUN:   | FileCheck %s --check-prefix=MAX-SUMMARY
# RUN: mnistc %S/../e2e/global_max_pool.dsl --emit=train \
# RUN:   | FileCheck %s --check-prefix=MAX
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

# With keepdims the pooling's result is the layer's: no view.
# MAX-SUMMARY:      │ global_max_pooling2d │ (None, 1, 1, 4) │ 0 │
# MAX-SUMMARY-NEXT: │ (GlobalMaxPooling2D) │
# MAX-LABEL: nn.train @global_max_pool {
# MAX:       %[[X:.*]] = nn.reshape {{.*}} -> tensor<?x4x4x4xf32>
# MAX-NEXT:  %[[P:.*]] = nn.max_pool2d %[[X]] {name = "global_max_pooling2d", padding = #nn<padding valid>, pool_size = array<i64: 4, 4>, strides = array<i64: 4, 4>} : tensor<?x4x4x4xf32> -> tensor<?x1x1x4xf32>
# MAX-NEXT:  nn.flatten %[[P]] {name = "flatten"}
# MAX:       %[[DP:.*]] = nn.reshape {{.*}} {name = "gradient_reshape", target_shape = array<i64: 1, 1, 4>} : tensor<?x4xf32> -> tensor<?x1x1x4xf32>
# MAX-NEXT:  nn.max_pool2d_grad %[[X]], %[[DP]] {padding = #nn<padding valid>, pool_size = array<i64: 4, 4>, strides = array<i64: 4, 4>}

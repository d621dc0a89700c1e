# RUN: mnistc %s --emit=nn | FileCheck %s
#
# MLIRGen on a sequential model: every Keras default is filled in as an
# attribute (activation linear, use_bias, initializers, padding, strides,
# pooling strides defaulting to pool_size, batch norm settings), layers get
# Keras's default names (conv2d, conv2d_1, max_pooling2d, ...) unless given
# name=..., and regularizers and initializers written as calls become plain
# attributes. Shapes are inferred, the batch axis dynamic.

model defaults {
  input(shape=(28, 28, 1))
  Conv2D(8, 3)
  MaxPooling2D()
  AveragePooling2D(pool_size=(3, 3), strides=1, padding="same")
  Conv2D(4, (2, 2), strides=(2, 1), name="my_conv")
  Conv2D(4, kernel_size=1, padding="same", activation="tanh",
         kernel_initializer="zeros", bias_initializer="ones")
  MaxPooling2D((2, 2), (1, 1))
  MaxPooling2D(pool_size=3)
  Flatten()
  Dense(64, kernel_regularizer=l2(0.001), kernel_initializer="he_normal",
        use_bias=False)
  Dropout(0.25, seed=3)
  Dropout(rate=0.0)
  Dense(32, activation="sigmoid", kernel_initializer=HeUniform(),
        kernel_regularizer="l2")
  Dense(32, kernel_regularizer=L2(), kernel_initializer=GlorotNormal())
  BatchNormalization()
  BatchNormalization(momentum=0.9, epsilon=1e-5, name="bn")
  Activation("relu")
  Reshape((4, -1))
  Flatten(name="flat")
  Dense(10, activation="softmax", name="probs")
}
compile(loss="sparse_categorical_crossentropy")

# CHECK-LABEL: nn.model @defaults

# CHECK: %[[IN:.*]] = nn.input {name = "input_layer", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>

# An int kernel_size is a square; strides default to (1, 1), padding to valid,
# activation to linear (None).
# CHECK-NEXT: %[[C0:.*]] = nn.conv2d %[[IN]] {activation = #nn<activation linear>, bias_initializer = #nn<initializer zeros>, filters = 8 : i64, kernel_initializer = #nn<initializer glorot_uniform>, kernel_l2 = 0.000000e+00 : f64, kernel_size = array<i64: 3, 3>, name = "conv2d", padding = #nn<padding valid>, strides = array<i64: 1, 1>, use_bias = true} : tensor<?x28x28x1xf32> -> tensor<?x26x26x8xf32>

# pool_size defaults to (2, 2) and strides to pool_size.
# CHECK-NEXT: %[[P0:.*]] = nn.max_pool2d %[[C0]] {name = "max_pooling2d", padding = #nn<padding valid>, pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<?x26x26x8xf32> -> tensor<?x13x13x8xf32>

# An int stride is a pair too; an explicit stride wins over pool_size.
# CHECK-NEXT: %[[P1:.*]] = nn.avg_pool2d %[[P0]] {name = "average_pooling2d", padding = #nn<padding same>, pool_size = array<i64: 3, 3>, strides = array<i64: 1, 1>} : tensor<?x13x13x8xf32> -> tensor<?x13x13x8xf32>

# name= replaces the default name, and does not use up a number: the next
# Conv2D is still conv2d_1. (13 - 2) / 2 + 1 = 6, (13 - 2) / 1 + 1 = 12.
# CHECK-NEXT: %[[C1:.*]] = nn.conv2d %[[P1]] {{{.*}}filters = 4 : i64{{.*}}kernel_size = array<i64: 2, 2>, name = "my_conv", padding = #nn<padding valid>, strides = array<i64: 2, 1>, use_bias = true} : tensor<?x13x13x8xf32> -> tensor<?x6x12x4xf32>
# CHECK-NEXT: %[[C2:.*]] = nn.conv2d %[[C1]] {activation = #nn<activation tanh>, bias_initializer = #nn<initializer ones>, filters = 4 : i64, kernel_initializer = #nn<initializer zeros>, kernel_l2 = 0.000000e+00 : f64, kernel_size = array<i64: 1, 1>, name = "conv2d_1", padding = #nn<padding same>, strides = array<i64: 1, 1>, use_bias = true} : tensor<?x6x12x4xf32> -> tensor<?x6x12x4xf32>

# Positional pool_size and strides.
# CHECK-NEXT: nn.max_pool2d %[[C2]] {name = "max_pooling2d_1", padding = #nn<padding valid>, pool_size = array<i64: 2, 2>, strides = array<i64: 1, 1>} : tensor<?x6x12x4xf32> -> tensor<?x5x11x4xf32>
# CHECK-NEXT: nn.max_pool2d %{{.*}} {name = "max_pooling2d_2", padding = #nn<padding valid>, pool_size = array<i64: 3, 3>, strides = array<i64: 3, 3>} : tensor<?x5x11x4xf32> -> tensor<?x1x3x4xf32>
# CHECK-NEXT: nn.flatten %{{.*}} {name = "flatten"} : tensor<?x1x3x4xf32> -> tensor<?x12xf32>

# l2(0.001) becomes kernel_l2; use_bias=False is kept.
# CHECK-NEXT: nn.dense %{{.*}} {activation = #nn<activation linear>, bias_initializer = #nn<initializer zeros>, kernel_initializer = #nn<initializer he_normal>, kernel_l2 = 1.000000e-03 : f64, name = "dense", units = 64 : i64, use_bias = false} : tensor<?x12xf32> -> tensor<?x64xf32>

# A seed is kept when given and absent otherwise.
# CHECK-NEXT: nn.dropout %{{.*}} {name = "dropout", rate = 2.500000e-01 : f64, seed = 3 : i64} : tensor<?x64xf32> -> tensor<?x64xf32>
# CHECK-NEXT: nn.dropout %{{.*}} {name = "dropout_1", rate = 0.000000e+00 : f64} : tensor<?x64xf32> -> tensor<?x64xf32>

# Initializers as calls (HeUniform()) and the regularizer "l2" (0.01, the
# Keras default factor), also as L2().
# CHECK-NEXT: nn.dense %{{.*}} {activation = #nn<activation sigmoid>, bias_initializer = #nn<initializer zeros>, kernel_initializer = #nn<initializer he_uniform>, kernel_l2 = 1.000000e-02 : f64, name = "dense_1", units = 32 : i64, use_bias = true} : tensor<?x64xf32> -> tensor<?x32xf32>
# CHECK-NEXT: nn.dense %{{.*}} {activation = #nn<activation linear>, bias_initializer = #nn<initializer zeros>, kernel_initializer = #nn<initializer glorot_normal>, kernel_l2 = 1.000000e-02 : f64, name = "dense_2", units = 32 : i64, use_bias = true} : tensor<?x32xf32> -> tensor<?x32xf32>

# BatchNormalization defaults: axis -1, momentum 0.99, epsilon 1e-3.
# CHECK-NEXT: nn.batch_norm %{{.*}} {axis = -1 : i64, epsilon = 1.000000e-03 : f64, momentum = 0.98999999999999999 : f64, name = "batch_normalization"} : tensor<?x32xf32> -> tensor<?x32xf32>
# CHECK-NEXT: nn.batch_norm %{{.*}} {axis = -1 : i64, epsilon = 1.000000e-05 : f64, momentum = 9.000000e-01 : f64, name = "bn"} : tensor<?x32xf32> -> tensor<?x32xf32>
# CHECK-NEXT: nn.activation %{{.*}} {activation = #nn<activation relu>, name = "activation"} : tensor<?x32xf32> -> tensor<?x32xf32>

# Reshape keeps its -1 in the attribute; the type has it filled in.
# CHECK-NEXT: nn.reshape %{{.*}} {name = "reshape", target_shape = array<i64: 4, -1>} : tensor<?x32xf32> -> tensor<?x4x8xf32>
# CHECK-NEXT: nn.flatten %{{.*}} {name = "flat"} : tensor<?x4x8xf32> -> tensor<?x32xf32>
# CHECK-NEXT: %[[OUT:.*]] = nn.dense %{{.*}} {{{.*}}name = "probs", units = 10 : i64{{.*}}} : tensor<?x32xf32> -> tensor<?x10xf32>
# CHECK-NEXT: nn.output %[[OUT]] : tensor<?x10xf32>
# CHECK-NEXT: }

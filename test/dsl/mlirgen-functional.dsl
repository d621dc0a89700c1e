# RUN: mnistc %s --emit=nn | FileCheck %s
#
# MLIRGen on the functional form: names bind tensors, a name means its last
# assignment before the use (Python rebinding, `x = Dense(...)(x)`), a name
# assigned only later is a forward reference, Add and Concatenate take a
# list, and `layers.X` / `keras.layers.X` / `keras.Input` are the same as
# the bare names. Ops come out in dependency order with their operands
# wired accordingly.

model functional {
  inputs = keras.Input(shape=(28, 28, 1), name="pixels")
  x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
  y = keras.layers.Conv2D(8, 3, padding="same")(x)
  x = layers.Add()([x, y])
  x = Activation("relu")(x)
  z = keras.layers.Concatenate()([x, y, inputs])
  w = Concatenate(axis=1)([y, x])
  x = layers.MaxPooling2D()(z)
  x = Flatten()(x)
  v = Flatten()(w)
  joined = Concatenate()([x, v])
  probs = Dense(10, activation="softmax", name="probs")(hidden)
  hidden = Dense(32, activation="relu", name="hidden")(joined)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy")

# CHECK-LABEL: nn.model @functional
# CHECK-NEXT: %[[IN:.*]] = nn.input {name = "pixels", shape = array<i64: 28, 28, 1>} : tensor<?x28x28x1xf32>
# CHECK-NEXT: %[[X1:.*]] = nn.conv2d %[[IN]] {{{.*}}name = "conv2d"{{.*}}} : tensor<?x28x28x1xf32> -> tensor<?x28x28x8xf32>
# CHECK-NEXT: %[[Y:.*]] = nn.conv2d %[[X1]] {activation = #nn<activation linear>{{.*}}name = "conv2d_1"{{.*}}} : tensor<?x28x28x8xf32> -> tensor<?x28x28x8xf32>

# `x` on the right of line 14 is the conv of line 12, not the Add itself.
# CHECK-NEXT: %[[X2:.*]] = nn.add %[[X1]], %[[Y]] {name = "add"} : tensor<?x28x28x8xf32>, tensor<?x28x28x8xf32> -> tensor<?x28x28x8xf32>
# CHECK-NEXT: %[[X3:.*]] = nn.activation %[[X2]] {activation = #nn<activation relu>, name = "activation"}

# Channels: 8 + 8 + 1 = 17; axis 1 (height): 28 + 28 = 56.
# CHECK-NEXT: %[[Z:.*]] = nn.concatenate %[[X3]], %[[Y]], %[[IN]] {axis = -1 : i64, name = "concatenate"} : tensor<?x28x28x8xf32>, tensor<?x28x28x8xf32>, tensor<?x28x28x1xf32> -> tensor<?x28x28x17xf32>
# CHECK-NEXT: %[[W:.*]] = nn.concatenate %[[Y]], %[[X3]] {axis = 1 : i64, name = "concatenate_1"} : tensor<?x28x28x8xf32>, tensor<?x28x28x8xf32> -> tensor<?x56x28x8xf32>
# CHECK-NEXT: %[[P:.*]] = nn.max_pool2d %[[Z]] {{.*}} -> tensor<?x14x14x17xf32>
# CHECK-NEXT: %[[F1:.*]] = nn.flatten %[[P]] {name = "flatten"} : tensor<?x14x14x17xf32> -> tensor<?x3332xf32>
# CHECK-NEXT: %[[F2:.*]] = nn.flatten %[[W]] {name = "flatten_1"} : tensor<?x56x28x8xf32> -> tensor<?x12544xf32>
# CHECK-NEXT: %[[J:.*]] = nn.concatenate %[[F1]], %[[F2]] {axis = -1 : i64, name = "concatenate_2"} : tensor<?x3332xf32>, tensor<?x12544xf32> -> tensor<?x15876xf32>

# `hidden` is used on line 22 before it is assigned on line 23: it comes
# first in the graph.
# CHECK-NEXT: %[[H:.*]] = nn.dense %[[J]] {{{.*}}name = "hidden", units = 32 : i64{{.*}}} : tensor<?x15876xf32> -> tensor<?x32xf32>
# CHECK-NEXT: %[[OUT:.*]] = nn.dense %[[H]] {{{.*}}name = "probs", units = 10 : i64{{.*}}} : tensor<?x32xf32> -> tensor<?x10xf32>
# CHECK-NEXT: nn.output %[[OUT]] : tensor<?x10xf32>

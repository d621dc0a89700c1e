# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A Conv2D whose output for one image alone passes the largest tensor
# Halide addresses (2^31 bytes).
model m {
  input(shape=(28, 28, 1))
  Conv2D(1000000, kernel_size=3, padding="same", activation="relu")
# CHECK:{{.*}}:7:3: error: Conv2D 'conv2d' would have an output per image of 784,000,000 values (2.92 GB); one tensor holds at most 536,870,911 (2.00 GB), so make the layer smaller
# CHECK-NEXT:  Conv2D(1000000, kernel_size=3, padding="same", activation="relu")
# CHECK-NEXT:  ^~~~~~
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy")

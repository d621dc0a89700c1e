# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace --match-full-lines --implicit-check-not='{{.}}'
# Conv2D on 28x28 images without a channel axis: the hint names the Reshape.
model m {
  input(shape=(28, 28))
  Conv2D(8, kernel_size=3)
# CHECK:{{.*}}conv-on-3d-input.dsl:5:3: error: Conv2D expects a 4-D input (batch, height, width, channels) but gets (None, 28, 28); images need a channel axis: add Reshape((28, 28, 1)) before it or give the model input(shape=(28, 28, 1))
# CHECK-NEXT:  Conv2D(8, kernel_size=3)
# CHECK-NEXT:  ^~~~~~
  Flatten()
  Dense(10, activation="softmax")
}
compile(loss="sparse_categorical_crossentropy")

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Conv2D on a (batch, features) tensor.
model m {
  input(shape=(784,))
  Conv2D(32, kernel_size=3, activation="relu")
# CHECK:{{.*}}:6:3: error: Conv2D expects a 4-D input (batch, height, width, channels) but gets (None, 784); add Reshape((28, 28, 1)) before it or give the model input(shape=(28, 28, 1))
# CHECK-NEXT:  Conv2D(32, kernel_size=3, activation="relu")
# CHECK-NEXT:  ^~~~~~
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

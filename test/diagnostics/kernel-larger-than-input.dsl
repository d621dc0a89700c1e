# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A 30x30 kernel on a 28x28 image with the default padding="valid".
model m {
  input(shape=(28, 28, 1))
  Conv2D(8, kernel_size=30)
# CHECK:{{.*}}:6:3: error: kernel_size (30, 30) is larger than the 28x28 input (None, 28, 28, 1); use padding="same" or a smaller kernel_size
# CHECK-NEXT:  Conv2D(8, kernel_size=30)
# CHECK-NEXT:  ^~~~~~
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

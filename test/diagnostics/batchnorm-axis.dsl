# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# BatchNormalization(axis=1): only the channel axis is supported.
model m {
  input(shape=(28, 28, 1))
  Conv2D(8, kernel_size=3)
  BatchNormalization(axis=1)
# CHECK:{{.*}}:7:3: error: BatchNormalization normalizes the channel axis only: axis must be -1 (or 3), found 1
# CHECK-NEXT:  BatchNormalization(axis=1)
# CHECK-NEXT:  ^~~~~~~~~~~~~~~~~~
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Reshape into a shape with a different number of values.
model m {
  input(shape=(784,))
  Reshape((28, 27, 1))
# CHECK:{{.*}}:6:3: error: cannot reshape (None, 784) (784 values per sample) into (None, 28, 27, 1)
# CHECK-NEXT:  Reshape((28, 27, 1))
# CHECK-NEXT:  ^~~~~~~
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

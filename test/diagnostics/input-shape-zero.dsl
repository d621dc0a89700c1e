# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# An input shape with a 0 in it.
model m {
  input(shape=(28, 0, 1))
# CHECK:{{.*}}:5:20: error: argument 'shape' of input must be a tuple of positive integers, e.g. (28, 28, 1), found 0
# CHECK-NEXT:  input(shape=(28, 0, 1))
# CHECK-NEXT:                   ^
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

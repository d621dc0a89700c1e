# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# (784) is just 784 in parentheses: a one-element tuple needs a comma.
model m {
  input(shape=(784))
# CHECK:{{.*}}:5:16: error: argument 'shape' of input expects a tuple of positive integers, e.g. (28, 28, 1), found 784; write a tuple: (784,)
# CHECK-NEXT:  input(shape=(784))
# CHECK-NEXT:               ^~~
# CHECK-NEXT:               (784,)
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

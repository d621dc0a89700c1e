# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A list where the shape tuple is expected: the fix-it writes the tuple.
model m {
  input(shape=[28, 28, 1])
# CHECK:{{.*}}:5:15: error: argument 'shape' of input expects a tuple of positive integers, e.g. (28, 28, 1), found the list [28, 28, 1]; write a tuple: (28, 28, 1)
# CHECK-NEXT:  input(shape=[28, 28, 1])
# CHECK-NEXT:              ^~~~~~~~~~~
# CHECK-NEXT:              (28, 28, 1)
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# The same keyword twice: the error is at the second, a note at the first.
model m {
  input(shape=(784,))
  Dense(10, activation="relu", activation="softmax")
# CHECK:{{.*}}:6:32: error: argument 'activation' of Dense is given twice
# CHECK-NEXT:  Dense(10, activation="relu", activation="softmax")
# CHECK-NEXT:                               ^~~~~~~~~~
# CHECK-NEXT:{{.*}}:6:13: note: first given here
# CHECK-NEXT:  Dense(10, activation="relu", activation="softmax")
# CHECK-NEXT:            ^~~~~~~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

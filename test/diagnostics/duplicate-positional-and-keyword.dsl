# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# An argument given by position and again by keyword.
model m {
  input(shape=(784,))
  Dense(10, units=20, activation="softmax")
# CHECK:{{.*}}:6:13: error: argument 'units' of Dense is given twice
# CHECK-NEXT:  Dense(10, units=20, activation="softmax")
# CHECK-NEXT:            ^~~~~
# CHECK-NEXT:{{.*}}:6:9: note: first given here
# CHECK-NEXT:  Dense(10, units=20, activation="softmax")
# CHECK-NEXT:        ^~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A word where an integer is expected.
model m {
  input(shape=(784,))
  Dense("ten", activation="softmax")
# CHECK:{{.*}}:6:9: error: argument 'units' of Dense expects a positive integer, found the string "ten"
# CHECK-NEXT:  Dense("ten", activation="softmax")
# CHECK-NEXT:        ^~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

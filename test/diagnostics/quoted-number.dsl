# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A number in quotes: the fix-it removes them.
model m {
  input(shape=(784,))
  Dense("512", activation="relu")
# CHECK:{{.*}}:6:9: error: argument 'units' of Dense expects a positive integer, found the string "512"; remove the quotes
# CHECK-NEXT:  Dense("512", activation="relu")
# CHECK-NEXT:        ^~~~~
# CHECK-NEXT:        512
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

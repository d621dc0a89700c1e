# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A layer written without parentheses.
model m {
  input(shape=(784,))
  Dense 10
# CHECK:{{.*}}:6:8: error: expected '(' after 'Dense'; layers are called like Dense(10)
# CHECK-NEXT:  Dense 10
# CHECK-NEXT:       ^
# CHECK-NEXT:       (
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

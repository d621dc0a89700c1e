# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A misspelled loss.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_cross_entropy")
# CHECK:{{.*}}:8:32: error: unknown loss "sparse_categorical_cross_entropy" for argument 'loss' of compile; did you mean "sparse_categorical_crossentropy"?
# CHECK-NEXT:compile(optimizer="adam", loss="sparse_categorical_cross_entropy")
# CHECK-NEXT:                               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
# CHECK-NEXT:                               "sparse_categorical_crossentropy"

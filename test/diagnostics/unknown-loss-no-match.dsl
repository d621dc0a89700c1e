# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A loss mnistc does not have.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="hinge")
# CHECK:{{.*}}:8:32: error: unknown loss "hinge" for argument 'loss' of compile; expected one of "sparse_categorical_crossentropy", "categorical_crossentropy", "mean_squared_error"
# CHECK-NEXT:compile(optimizer="adam", loss="hinge")
# CHECK-NEXT:                               ^~~~~~~

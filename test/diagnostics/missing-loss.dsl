# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# compile(...) without its required loss.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam")
# CHECK:{{.*}}:8:1: error: compile is missing its required argument 'loss' (one of "sparse_categorical_crossentropy", "categorical_crossentropy", "mean_squared_error")
# CHECK-NEXT:compile(optimizer="adam")
# CHECK-NEXT:^~~~~~~

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# `model m` without '{': one error, the block is still read.
model m
# CHECK:{{.*}}:4:8: error: expected '{' after 'model m'
# CHECK-NEXT:model m
# CHECK-NEXT:       ^
# CHECK-NEXT:       {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

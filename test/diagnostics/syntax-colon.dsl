# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# `activation: "relu"` instead of `activation="relu"`.
model m {
  input(shape=(784,))
  Dense(128, activation: "relu")
# CHECK:{{.*}}:6:24: error: unexpected ':'; arguments are written name=value
# CHECK-NEXT:  Dense(128, activation: "relu")
# CHECK-NEXT:                       ^
# CHECK-NEXT:                       =
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# `model {` without a name.
model {
# CHECK:{{.*}}:4:7: error: expected a name for the model before '{', e.g. model mnist { ... }
# CHECK-NEXT:model {
# CHECK-NEXT:      ^
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

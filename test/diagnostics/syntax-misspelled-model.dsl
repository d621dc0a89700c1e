# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A misspelled `model` keyword.
modle m {
# CHECK:{{.*}}:4:1: error: unknown keyword 'modle'; did you mean 'model'?
# CHECK-NEXT:modle m {
# CHECK-NEXT:^~~~~
# CHECK-NEXT:model
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# An unknown metric (Keras 2's "acc").
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["acc"])
# CHECK:{{.*}}:9:18: error: unknown metric "acc" for argument 'metrics' of compile; expected "accuracy"
# CHECK-NEXT:        metrics=["acc"])
# CHECK-NEXT:                 ^~~~~

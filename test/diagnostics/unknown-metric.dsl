# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# An unknown metric: precision is a Keras metric mnistc does not offer.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["precision"])
# CHECK:{{.*}}:9:18: error: unknown metric "precision" for argument 'metrics' of compile; expected "accuracy"
# CHECK-NEXT:        metrics=["precision"])
# CHECK-NEXT:                 ^~~~~~~~~~~

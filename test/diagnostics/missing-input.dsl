# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A sequential model without input(shape=...): reported once.
model m {
  Flatten()
# CHECK:{{.*}}:5:3: error: the model has no input; start it with input(shape=(28, 28, 1))
# CHECK-NEXT:  Flatten()
# CHECK-NEXT:  ^~~~~~~
  Dense(128, activation="relu")
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

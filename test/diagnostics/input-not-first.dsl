# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# input(...) after a layer: reported at the input, not as a missing one.
model m {
  Flatten()
  input(shape=(28, 28, 1))
# CHECK:{{.*}}:6:3: error: input(...) must be the first line of the model
# CHECK-NEXT:  input(shape=(28, 28, 1))
# CHECK-NEXT:  ^~~~~
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

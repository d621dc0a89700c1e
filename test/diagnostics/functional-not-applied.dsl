# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A layer created but not applied to a tensor.
model m {
  x = Input(shape=(784,))
  h = Dense(128, activation="relu")
# CHECK:{{.*}}:6:7: error: layer Dense is not applied to a tensor; write Dense(128, activation="relu")(x)
# CHECK-NEXT:  h = Dense(128, activation="relu")
# CHECK-NEXT:      ^~~~~
  probs = Dense(10, activation="softmax")(h)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

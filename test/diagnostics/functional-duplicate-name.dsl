# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Two layers with the same explicit name=.
model m {
  x = Input(shape=(784,))
  h = Dense(128, activation="relu", name="hidden")(x)
  h2 = Dense(64, activation="relu", name="hidden")(h)
# CHECK:{{.*}}:7:8: error: layer name 'hidden' is already used; give this layer another name=...
# CHECK-NEXT:  h2 = Dense(64, activation="relu", name="hidden")(h)
# CHECK-NEXT:       ^~~~~
# CHECK-NEXT:{{.*}}:6:7: note: 'hidden' is this layer
# CHECK-NEXT:  h = Dense(128, activation="relu", name="hidden")(x)
# CHECK-NEXT:      ^~~~~
  probs = Dense(10, activation="softmax")(h2)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A layer whose result nothing uses.
model m {
  x = Input(shape=(784,))
  h = Dense(128, activation="relu")(x)
  extra = Dense(64, activation="relu")(h)
# CHECK:{{.*}}:7:3: error: 'extra' is defined but never used; pass it to a layer or to output(...), or remove it
# CHECK-NEXT:  extra = Dense(64, activation="relu")(h)
# CHECK-NEXT:  ^~~~~
  probs = Dense(10, activation="softmax")(h)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

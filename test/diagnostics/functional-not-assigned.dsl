# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A layer applied but not assigned to a name.
model m {
  x = Input(shape=(784,))
  Dense(128, activation="relu")(x)
# CHECK:{{.*}}:6:3: error: in a functional model every layer is assigned to a name, e.g. y = Dense(10)(x)
# CHECK-NEXT:  Dense(128, activation="relu")(x)
# CHECK-NEXT:  ^~~~~
  probs = Dense(10, activation="softmax")(x)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

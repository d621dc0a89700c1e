# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Two output(...) lines.
model m {
  x = Input(shape=(784,))
  probs = Dense(10, activation="softmax")(x)
  output(probs)
  output(x)
# CHECK:{{.*}}:8:3: error: a model has one output(...)
# CHECK-NEXT:  output(x)
# CHECK-NEXT:  ^~~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

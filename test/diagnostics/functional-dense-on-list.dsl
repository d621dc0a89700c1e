# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Dense applied to a list of tensors.
model m {
  x = Input(shape=(784,))
  a = Dense(10)(x)
  b = Dense(10)(x)
  probs = Dense(10, activation="softmax")([a, b])
# CHECK:{{.*}}:8:43: error: Dense takes one tensor, found a list of 2
# CHECK-NEXT:  probs = Dense(10, activation="softmax")([a, b])
# CHECK-NEXT:                                          ^~~~~~
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

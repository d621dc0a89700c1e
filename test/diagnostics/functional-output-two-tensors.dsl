# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# output(...) with two tensors.
model m {
  x = Input(shape=(784,))
  probs = Dense(10, activation="softmax")(x)
  output(probs, x)
# CHECK:{{.*}}:7:3: error: output(...) takes one tensor, e.g. output(y)
# CHECK-NEXT:  output(probs, x)
# CHECK-NEXT:  ^~~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

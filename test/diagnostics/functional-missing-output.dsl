# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A functional model without output(...).
model m {
# CHECK:{{.*}}:4:7: error: model 'm' has no output; end it with output(NAME)
# CHECK-NEXT:model m {
# CHECK-NEXT:      ^
  x = Input(shape=(784,))
  probs = Dense(10, activation="softmax")(x)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

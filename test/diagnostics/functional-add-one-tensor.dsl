# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Add applied to one tensor instead of a list.
model m {
  x = Input(shape=(784,))
  a = Dense(10)(x)
  s = Add()(a)
# CHECK:{{.*}}:7:13: error: Add takes a list of tensors: Add()([a, b])
# CHECK-NEXT:  s = Add()(a)
# CHECK-NEXT:            ^
  probs = Dense(10, activation="softmax")(s)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

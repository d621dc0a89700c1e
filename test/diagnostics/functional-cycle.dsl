# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Two layers that feed each other.
model m {
  x = Input(shape=(784,))
  a = Dense(10)(b)
# CHECK:{{.*}}:6:3: error: cycle: 'a' depends on itself (a -> b -> a)
# CHECK-NEXT:  a = Dense(10)(b)
# CHECK-NEXT:  ^
  b = Dense(10)(a)
  probs = Dense(10, activation="softmax")(b)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

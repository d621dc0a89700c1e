# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Add of tensors of different shapes.
model m {
  x = Input(shape=(784,))
  a = Dense(10)(x)
  b = Dense(20)(x)
  s = Add()([a, b])
# CHECK:{{.*}}:8:7: error: Add needs inputs of one shape, but input 1 is (None, 10) and input 2 is (None, 20)
# CHECK-NEXT:  s = Add()([a, b])
# CHECK-NEXT:      ^~~
  probs = Dense(10, activation="softmax")(s)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

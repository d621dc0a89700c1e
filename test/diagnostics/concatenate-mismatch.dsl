# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Concatenate (on the channel axis) of images of different sizes.
model m {
  x = Input(shape=(28, 28, 1))
  a = Conv2D(8, kernel_size=3)(x)
  b = Conv2D(8, kernel_size=5)(x)
  c = Concatenate()([a, b])
# CHECK:{{.*}}:8:7: error: Concatenate on axis -1 needs inputs that match on every other axis, but input 2 is (None, 24, 24, 8) and input 1 is (None, 26, 26, 8)
# CHECK-NEXT:  c = Concatenate()([a, b])
# CHECK-NEXT:      ^~~~~~~~~~~
  f = Flatten()(c)
  probs = Dense(10, activation="softmax")(f)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

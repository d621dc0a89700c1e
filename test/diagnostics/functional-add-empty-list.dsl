# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Add applied to an empty list: reported at the list, and no cascade
# about x being unused.
model m {
  x = Input(shape=(784,))
  s = Add()([])
# CHECK:{{.*}}:7:13: error: Add joins at least 2 tensors, found a list of 0: Add()([a, b])
# CHECK-NEXT:  s = Add()([])
# CHECK-NEXT:            ^~
  probs = Dense(10, activation="softmax")(s)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

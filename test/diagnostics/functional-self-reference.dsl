# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# x = Dense(10)(x) with no earlier x.
model m {
  inputs = Input(shape=(784,))
  x = Dense(10)(x)
# CHECK:{{.*}}:6:17: error: 'x' is used in its own definition but has no earlier value; assign x on an earlier line or use another name
# CHECK-NEXT:  x = Dense(10)(x)
# CHECK-NEXT:                ^
  probs = Dense(10, activation="softmax")(x)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

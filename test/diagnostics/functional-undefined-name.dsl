# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Misspelled tensor names: each gets a suggestion, and nothing else is
# reported (no "defined but never used" for the names they meant).
model m {
  inputs = Input(shape=(784,))
  hidden = Dense(128, activation="relu")(input)
# CHECK:{{.*}}:7:42: error: undefined name 'input'; did you mean 'inputs'?
# CHECK-NEXT:  hidden = Dense(128, activation="relu")(input)
# CHECK-NEXT:                                         ^~~~~
# CHECK-NEXT:                                         inputs
  probs = Dense(10, activation="softmax")(hiden)
# CHECK:{{.*}}:12:43: error: undefined name 'hiden'; did you mean 'hidden'?
# CHECK-NEXT:  probs = Dense(10, activation="softmax")(hiden)
# CHECK-NEXT:                                          ^~~~~
# CHECK-NEXT:                                          hidden
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

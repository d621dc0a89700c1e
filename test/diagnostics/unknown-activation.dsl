# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Unknown activations: a typo gets a suggestion, an unsupported one the
# list of known ones.
model m {
  input(shape=(784,))
  Dense(128, activation="rleu")
# CHECK:{{.*}}:7:25: error: unknown activation "rleu" for argument 'activation' of Dense; did you mean "relu"?
# CHECK-NEXT:  Dense(128, activation="rleu")
# CHECK-NEXT:                        ^~~~~~
# CHECK-NEXT:                        "relu"
  Dense(64, activation="leaky_relu")
# CHECK:{{.*}}:12:24: error: unknown activation "leaky_relu" for argument 'activation' of Dense; expected one of "linear", "relu", "sigmoid", "tanh", "softmax" or None
# CHECK-NEXT:  Dense(64, activation="leaky_relu")
# CHECK-NEXT:                       ^~~~~~~~~~~~
  Dense(10, activation="softmx")
# CHECK:{{.*}}:16:24: error: unknown activation "softmx" for argument 'activation' of Dense; did you mean "softmax"?
# CHECK-NEXT:  Dense(10, activation="softmx")
# CHECK-NEXT:                       ^~~~~~~~
# CHECK-NEXT:                       "softmax"
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

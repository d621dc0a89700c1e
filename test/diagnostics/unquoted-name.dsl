# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A name where a string is expected (activation=relu): the fix-it adds
# the quotes.
model m {
  input(shape=(784,))
  Dense(512, activation=relu)
# CHECK:{{.*}}:7:25: error: argument 'activation' of Dense expects one of "linear", "relu", "sigmoid", "tanh", "softmax" or None, found the name relu; put the name in quotes
# CHECK-NEXT:  Dense(512, activation=relu)
# CHECK-NEXT:                        ^~~~
# CHECK-NEXT:                        "relu"
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# An argument the layer does not have, with no close match: the message
# lists the arguments it takes.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax", neurons=10)
# CHECK:{{.*}}:7:35: error: Dense has no argument 'neurons'; it takes units, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer, name
# CHECK-NEXT:  Dense(10, activation="softmax", neurons=10)
# CHECK-NEXT:                                  ^~~~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

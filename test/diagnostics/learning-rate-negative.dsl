# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A negative learning rate would climb the loss: an error at the value.
# (A very large one is a warning: learning-rate-large.dsl.)
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer=SGD(learning_rate=-0.1), loss="sparse_categorical_crossentropy")
# CHECK:{{.*}}:9:37: error: argument 'learning_rate' of SGD must be a positive number, found -0.1
# CHECK-NEXT:compile(optimizer=SGD(learning_rate=-0.1), loss="sparse_categorical_crossentropy")
# CHECK-NEXT:                                    ^~~~

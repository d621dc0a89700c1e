# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# An optimizer call mnistc does not have: the message lists the ones
# it has.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer=Adagrad(learning_rate=0.01),
# CHECK:{{.*}}:9:19: error: unknown optimizer 'Adagrad'; expected one of SGD, Adam, RMSprop
# CHECK-NEXT:compile(optimizer=Adagrad(learning_rate=0.01),
# CHECK-NEXT:                  ^~~~~~~
        loss="sparse_categorical_crossentropy")

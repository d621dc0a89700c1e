# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Two arguments without a comma between them.
model m {
  input(shape=(784,))
  Dense(10 activation="softmax")
# CHECK:{{.*}}:6:12: error: expected ',' or ')' after the argument, found 'activation'
# CHECK-NEXT:  Dense(10 activation="softmax")
# CHECK-NEXT:           ^~~~~~~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

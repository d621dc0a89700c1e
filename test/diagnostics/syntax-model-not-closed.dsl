# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A model block without its closing '}'.
model m {
# CHECK:{{.*}}:4:1: error: model 'm' is not closed; add '}' after its last layer
# CHECK-NEXT:model m {
# CHECK-NEXT:^~~~~
  input(shape=(784,))
  Dense(10, activation="softmax")

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Two model blocks in one file.
model a {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
model b {
# CHECK:{{.*}}:8:1: error: a file describes one model; move model 'b' to a file of its own
# CHECK-NEXT:model b {
# CHECK-NEXT:^~~~~
# CHECK-NEXT:{{.*}}:4:1: note: the first model is here
# CHECK-NEXT:model a {
# CHECK-NEXT:^~~~~
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

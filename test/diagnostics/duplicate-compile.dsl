# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# compile(...) twice: the error is at the second, a note at the first.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy")
fit(epochs=1)
compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
# CHECK:{{.*}}:10:1: error: compile(...) appears twice; merge the two into one
# CHECK-NEXT:compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
# CHECK-NEXT:^~~~~~~
# CHECK-NEXT:{{.*}}:8:1: note: first compile(...) is here
# CHECK-NEXT:compile(optimizer="adam", loss="sparse_categorical_crossentropy")
# CHECK-NEXT:^~~~~~~

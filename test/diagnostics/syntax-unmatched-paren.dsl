# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# One ')' too many.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax"))
# CHECK:{{.*}}:6:34: error: unmatched ')'
# CHECK-NEXT:  Dense(10, activation="softmax"))
# CHECK-NEXT:                                 ^
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A number run into letters: 12abc.
model m {
  input(shape=(784,))
  Dense(12abc, activation="softmax")
# CHECK:{{.*}}:6:9: error: invalid number '12abc'
# CHECK-NEXT:  Dense(12abc, activation="softmax")
# CHECK-NEXT:        ^~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

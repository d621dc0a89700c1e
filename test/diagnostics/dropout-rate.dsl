# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A dropout rate of 1.5 (a rate is in [0, 1)).
model m {
  input(shape=(784,))
  Dense(128, activation="relu")
  Dropout(1.5)
# CHECK:{{.*}}:7:11: error: argument 'rate' of Dropout must be a number in [0, 1), found 1.5
# CHECK-NEXT:  Dropout(1.5)
# CHECK-NEXT:          ^~~
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

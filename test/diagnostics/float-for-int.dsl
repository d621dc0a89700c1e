# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A number with a fraction where an integer is expected; for 10.0 the
# message says to drop the decimal point.
model m {
  input(shape=(784,))
  Dense(12.5, activation="relu")
# CHECK:{{.*}}:7:9: error: argument 'units' of Dense expects a positive integer, found 12.5
# CHECK-NEXT:  Dense(12.5, activation="relu")
# CHECK-NEXT:        ^~~~
  Dense(10.0, activation="softmax")
# CHECK:{{.*}}:11:9: error: argument 'units' of Dense expects a positive integer, found 10.0; write it without the decimal point
# CHECK-NEXT:  Dense(10.0, activation="softmax")
# CHECK-NEXT:        ^~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# true instead of True.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax", use_bias=true)
# CHECK:{{.*}}:6:44: error: booleans are spelled True and False
# CHECK-NEXT:  Dense(10, activation="softmax", use_bias=true)
# CHECK-NEXT:                                           ^~~~
# CHECK-NEXT:                                           True
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A positional argument after a keyword argument (a syntax error, as in
# Python).
model m {
  input(shape=(784,))
  Dense(units=10, "softmax")
# CHECK:{{.*}}:7:19: error: positional argument follows a keyword argument; write it as name=value or move it before the keywords
# CHECK-NEXT:  Dense(units=10, "softmax")
# CHECK-NEXT:                  ^~~~~~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

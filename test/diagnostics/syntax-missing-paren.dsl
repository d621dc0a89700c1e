# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# RUN: mnistc %s 2>/dev/null; test $? -eq 1
# A call without its ')': the fix-it is at the end of the line, and the
# next line still parses as its own layer.
model m {
  input(shape=(784,))
  Dense(128, activation="relu"
# CHECK:{{.*}}:8:31: error: expected ')' to close the call that starts at line 8, column 3
# CHECK-NEXT:  Dense(128, activation="relu"
# CHECK-NEXT:                              ^
# CHECK-NEXT:                              )
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

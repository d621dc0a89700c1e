# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Curly quotes pasted from a word processor.
model m {
  input(shape=(784,))
  Dense(10, activation=“softmax”)
# CHECK:{{.*}}:6:24: error: unexpected character '“'; only ASCII is allowed outside strings and comments (check for curly quotes)
# CHECK-NEXT:  Dense(10, activation=“softmax”)
# CHECK-NEXT:                       ^
# CHECK:{{.*}}:6:32: error: unexpected character '”'; only ASCII is allowed outside strings and comments (check for curly quotes)
# CHECK-NEXT:  Dense(10, activation=“softmax”)
# CHECK-NEXT:                               ^
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

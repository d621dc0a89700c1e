# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A string without its closing quote.
model m {
  input(shape=(784,))
  Dense(128, activation="relu)
# CHECK:{{.*}}:6:25: error: unterminated string; add the closing "
# CHECK-NEXT:  Dense(128, activation="relu)
# CHECK-NEXT:                        ^
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

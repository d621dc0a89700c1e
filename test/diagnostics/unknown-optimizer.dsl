# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A misspelled optimizer string.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adamw", loss="sparse_categorical_crossentropy")
# CHECK:{{.*}}:8:19: error: unknown optimizer "adamw"; did you mean "adam"?
# CHECK-NEXT:compile(optimizer="adamw", loss="sparse_categorical_crossentropy")
# CHECK-NEXT:                  ^~~~~~~
# CHECK-NEXT:                  "adam"

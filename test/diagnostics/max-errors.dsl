# RUN: not mnistc %s --max-errors=3 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# RUN: mnistc %s --max-errors=3 2>/dev/null; test $? -eq 1
# --max-errors=3: three errors, then the cap's message, then nothing.
model m {
  input(shape=(784,))
  Dense(0)
# CHECK:{{.*}}:7:9: error: argument 'units' of Dense must be a positive integer, found 0
# CHECK-NEXT:  Dense(0)
# CHECK-NEXT:        ^
  Dense(0)
# CHECK:{{.*}}:11:9: error: argument 'units' of Dense must be a positive integer, found 0
# CHECK-NEXT:  Dense(0)
# CHECK-NEXT:        ^
  Dense(0)
# CHECK:{{.*}}:15:9: error: argument 'units' of Dense must be a positive integer, found 0
# CHECK-NEXT:  Dense(0)
# CHECK-NEXT:        ^
# CHECK:{{.*}}: fatal error: too many errors emitted (3), stopping now [use --max-errors=N to see more]
  Dense(0)
  Dense(0)
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

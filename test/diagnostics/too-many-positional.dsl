# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# More positional arguments than the layer takes (name is keyword-only,
# as in Keras).
model m {
  input(shape=(784,))
  Dense(128, "relu")
  Dropout(0.5, 42, 7)
# CHECK:{{.*}}:8:20: error: Dropout takes at most 2 positional arguments (rate, seed); remove this one or write it as name=value
# CHECK-NEXT:  Dropout(0.5, 42, 7)
# CHECK-NEXT:                   ^
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

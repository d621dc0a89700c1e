# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Flatten takes no positional arguments (784 is not its name, which is
# keyword-only).
model m {
  input(shape=(28, 28, 1))
  Flatten(784)
# CHECK:{{.*}}:7:11: error: Flatten takes no positional arguments; remove this one
# CHECK-NEXT:  Flatten(784)
# CHECK-NEXT:          ^~~
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

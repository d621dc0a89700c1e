# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Unknown padding values: the choices are lower case.
model m {
  input(shape=(28, 28, 1))
  Conv2D(8, 3, padding="SAME")
# CHECK:{{.*}}:6:24: error: unknown padding "SAME" for argument 'padding' of Conv2D; did you mean "same"?
# CHECK-NEXT:  Conv2D(8, 3, padding="SAME")
# CHECK-NEXT:                       ^~~~~~
# CHECK-NEXT:                       "same"
  Conv2D(8, 3, padding="full")
# CHECK:{{.*}}:11:24: error: unknown padding "full" for argument 'padding' of Conv2D; expected one of "valid", "same"
# CHECK-NEXT:  Conv2D(8, 3, padding="full")
# CHECK-NEXT:                       ^~~~~~
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Add in a sequential model: merging needs the functional form.
model m {
  input(shape=(784,))
  Dense(10, activation="relu")
  Add()
# CHECK:{{.*}}:7:3: error: Add joins several tensors, so the model must use the functional form: x = Input(...), y = ...(x), z = Add()([x, y]), output(z)
# CHECK-NEXT:  Add()
# CHECK-NEXT:  ^~~
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

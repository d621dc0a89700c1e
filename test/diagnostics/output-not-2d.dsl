# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A model whose output is an image, not (batch, classes).
model m {
  input(shape=(28, 28, 1))
  Conv2D(10, kernel_size=3, activation="softmax")
# CHECK:{{.*}}:6:3: error: the model's output must be (batch, classes) but is (None, 26, 26, 10); end the model with Flatten() and Dense(10, activation="softmax")
# CHECK-NEXT:  Conv2D(10, kernel_size=3, activation="softmax")
# CHECK-NEXT:  ^~~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

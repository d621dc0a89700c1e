# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A required argument left out: Conv2D without kernel_size, Dropout
# without its rate. The caret is on the layer's name.
model m {
  input(shape=(28, 28, 1))
  Conv2D(32)
# CHECK:{{.*}}:7:3: error: Conv2D is missing its required argument 'kernel_size' (a positive integer or a tuple of 2 positive integers)
# CHECK-NEXT:  Conv2D(32)
# CHECK-NEXT:  ^~~~~~
  Flatten()
  Dropout()
# CHECK:{{.*}}:12:3: error: Dropout is missing its required argument 'rate' (a number in [0, 1))
# CHECK-NEXT:  Dropout()
# CHECK-NEXT:  ^~~~~~~
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

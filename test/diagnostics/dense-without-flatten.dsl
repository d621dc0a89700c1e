# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# RUN: mnistc %s 2>/dev/null; test $? -eq 1
# Dense after a 4-D tensor: Flatten() is missing.
model m {
  input(shape=(28, 28, 1))
  Conv2D(32, kernel_size=3, activation="relu")
  Dense(10, activation="softmax")
# CHECK:{{.*}}:8:3: error: Dense expects a 2-D input (batch, features) but gets (None, 26, 26, 32); add Flatten() before it
# CHECK-NEXT:  Dense(10, activation="softmax")
# CHECK-NEXT:  ^~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# RUN: mnistc %s 2>/dev/null; test $? -eq 1
# A misspelled layer: Conv2d for Conv2D (did you mean, with a fix-it).
model m {
  input(shape=(28, 28, 1))
  Conv2d(32, kernel_size=3)
# CHECK:{{.*}}:7:3: error: unknown layer 'Conv2d'; did you mean 'Conv2D'?
# CHECK-NEXT:  Conv2d(32, kernel_size=3)
# CHECK-NEXT:  ^~~~~~
# CHECK-NEXT:  Conv2D
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

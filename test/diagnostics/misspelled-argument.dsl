# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A misspelled keyword: kernal_size. The suggestion is the required
# kernel_size, so no second error says that kernel_size is missing.
model m {
  input(shape=(28, 28, 1))
  Conv2D(32, kernal_size=3, activation="relu")
# CHECK:{{.*}}:7:14: error: Conv2D has no argument 'kernal_size'; did you mean 'kernel_size'?
# CHECK-NEXT:  Conv2D(32, kernal_size=3, activation="relu")
# CHECK-NEXT:             ^~~~~~~~~~~
# CHECK-NEXT:             kernel_size
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

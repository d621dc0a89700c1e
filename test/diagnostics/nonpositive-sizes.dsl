# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Sizes must be positive: units=0, filters=-3, kernel_size=(0, 3).
model m {
  input(shape=(28, 28, 1))
  Conv2D(filters=-3, kernel_size=3)
# CHECK:{{.*}}:6:18: error: argument 'filters' of Conv2D must be a positive integer, found -3
# CHECK-NEXT:  Conv2D(filters=-3, kernel_size=3)
# CHECK-NEXT:                 ^~
  Conv2D(8, kernel_size=(0, 3))
# CHECK:{{.*}}:10:26: error: argument 'kernel_size' of Conv2D must be a positive integer or a tuple of 2 positive integers, found 0
# CHECK-NEXT:  Conv2D(8, kernel_size=(0, 3))
# CHECK-NEXT:                         ^
  Flatten()
  Dense(0)
# CHECK:{{.*}}:15:9: error: argument 'units' of Dense must be a positive integer, found 0
# CHECK-NEXT:  Dense(0)
# CHECK-NEXT:        ^
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

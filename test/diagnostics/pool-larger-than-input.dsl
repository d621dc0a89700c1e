# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Pooling until the image is smaller than the pool.
model m {
  input(shape=(28, 28, 1))
  Conv2D(8, kernel_size=3)
  MaxPooling2D(pool_size=2)
  MaxPooling2D(pool_size=2)
  MaxPooling2D(pool_size=2)
  MaxPooling2D(pool_size=(4, 4))
# CHECK:{{.*}}:10:3: error: pool_size (4, 4) is larger than the 3x3 input (None, 3, 3, 8); use padding="same" or a smaller pool_size
# CHECK-NEXT:  MaxPooling2D(pool_size=(4, 4))
# CHECK-NEXT:  ^~~~~~~~~~~~
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

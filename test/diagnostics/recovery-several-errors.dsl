# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Independent mistakes in layers and sections: each is reported, in
# order, and nothing else.
model m {
  input(shape=(28, 28, 1))
  Conv2d(32, kernel_size=3)
# CHECK:{{.*}}:7:3: error: unknown layer 'Conv2d'; did you mean 'Conv2D'?
# CHECK-NEXT:  Conv2d(32, kernel_size=3)
# CHECK-NEXT:  ^~~~~~
# CHECK-NEXT:  Conv2D
  MaxPooling2D(pool_size=0)
# CHECK:{{.*}}:12:26: error: argument 'pool_size' of MaxPooling2D must be a positive integer or a tuple of 2 positive integers, found 0
# CHECK-NEXT:  MaxPooling2D(pool_size=0)
# CHECK-NEXT:                         ^
  Flatten()
  Dense(128, activation="rellu")
# CHECK:{{.*}}:17:25: error: unknown activation "rellu" for argument 'activation' of Dense; did you mean "relu"?
# CHECK-NEXT:  Dense(128, activation="rellu")
# CHECK-NEXT:                        ^~~~~~~
# CHECK-NEXT:                        "relu"
  Dropout(rate=1.5)
# CHECK:{{.*}}:22:16: error: argument 'rate' of Dropout must be a number in [0, 1), found 1.5
# CHECK-NEXT:  Dropout(rate=1.5)
# CHECK-NEXT:               ^~~
  Dense(10, activation="softmax")
}
compile(optimizer="adma", loss="sparse_categorical_crossentropy")
# CHECK:{{.*}}:28:19: error: unknown optimizer "adma"; did you mean "adam"?
# CHECK-NEXT:compile(optimizer="adma", loss="sparse_categorical_crossentropy")
# CHECK-NEXT:                  ^~~~~~
# CHECK-NEXT:                  "adam"
fit(epochs=0, batch_size=128)
# CHECK:{{.*}}:33:12: error: argument 'epochs' of fit must be a positive integer, found 0
# CHECK-NEXT:fit(epochs=0, batch_size=128)
# CHECK-NEXT:           ^

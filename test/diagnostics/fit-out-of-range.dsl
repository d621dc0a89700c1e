# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# validation_split=1.0 would leave nothing to train on; epochs=0 trains
# nothing. Errors on one line come in the order they are written.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])
fit(validation_split=1.0, epochs=0)
# CHECK:{{.*}}:11:22: error: argument 'validation_split' of fit must be a number in [0, 1), found 1.0
# CHECK-NEXT:fit(validation_split=1.0, epochs=0)
# CHECK-NEXT:                     ^~~
# CHECK:{{.*}}:11:34: error: argument 'epochs' of fit must be a positive integer, found 0
# CHECK-NEXT:fit(validation_split=1.0, epochs=0)
# CHECK-NEXT:                                 ^

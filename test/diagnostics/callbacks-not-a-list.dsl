# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# callbacks= needs a list.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])
fit(epochs=5, callbacks=EarlyStopping(patience=3))
# CHECK:{{.*}}:10:25: error: argument 'callbacks' of fit expects a list of callbacks, e.g. [EarlyStopping(patience=3)], found the call EarlyStopping(patience=3); wrap it in a list: [EarlyStopping(patience=3)]
# CHECK-NEXT:fit(epochs=5, callbacks=EarlyStopping(patience=3))
# CHECK-NEXT:                        ^~~~~~~~~~~~~
# CHECK-NEXT:                        [EarlyStopping(patience=3)]

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A layer mnistc does not know, with nothing close to suggest.
model m {
  input(shape=(784,))
  LSTM(64)
# CHECK:{{.*}}:6:3: error: unknown layer 'LSTM'
# CHECK-NEXT:  LSTM(64)
# CHECK-NEXT:  ^~~~
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

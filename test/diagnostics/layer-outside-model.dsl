# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A layer after the model's closing brace.
model m {
  input(shape=(784,))
  Dense(128, activation="relu")
}
Dense(10, activation="softmax")
# CHECK:{{.*}}:8:1: error: layer 'Dense' is outside the model block; move it inside model m { ... }
# CHECK-NEXT:Dense(10, activation="softmax")
# CHECK-NEXT:^~~~~
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

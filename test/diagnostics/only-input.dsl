# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A model with an input and no layers.
model m {
# CHECK:{{.*}}:4:7: error: model 'm' has only an input; add its layers after it, ending with Dense(10, activation="softmax")
# CHECK-NEXT:model m {
# CHECK-NEXT:      ^
  input(shape=(784,))
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# softmax on a hidden layer with a crossentropy loss.
model m {
  input(shape=(784,))
  Dense(128, activation="softmax")
# CHECK:{{.*}}:6:3: error: softmax must be the last layer's activation when the loss is 'sparse_categorical_crossentropy'; 'dense' is not the last layer
# CHECK-NEXT:  Dense(128, activation="softmax")
# CHECK-NEXT:  ^~~~~
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A crossentropy loss and a last layer without softmax (logits).
model m {
  input(shape=(784,))
  Dense(128, activation="relu")
  Dense(10)
# CHECK:{{.*}}:7:3: error: the loss 'sparse_categorical_crossentropy' expects probabilities, but the last layer 'dense_1' has no softmax; use activation="softmax" in it
# CHECK-NEXT:  Dense(10)
# CHECK-NEXT:  ^~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

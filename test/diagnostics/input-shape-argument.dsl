# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Keras's input_shape= on the first layer: here the shape belongs in
# input(shape=...).
model m {
  input(shape=(28, 28, 1))
  Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1))
# CHECK:{{.*}}:7:41: error: Conv2D has no argument 'input_shape'; the input shape is given once, on the model's first line: input(shape=(28, 28, 1))
# CHECK-NEXT:  Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1))
# CHECK-NEXT:                                        ^~~~~~~~~~~
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

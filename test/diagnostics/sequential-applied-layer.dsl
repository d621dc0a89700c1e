# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A layer applied to a tensor, Keras-functional style, in a sequential
# model.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")(x)
# CHECK:{{.*}}:7:3: error: a layer applied to a tensor belongs to the functional form; assign it: y = Dense(10, activation="softmax")(x)
# CHECK-NEXT:  Dense(10, activation="softmax")(x)
# CHECK-NEXT:  ^~~~~
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

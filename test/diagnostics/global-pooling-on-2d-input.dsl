# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# GlobalAveragePooling2D on a (batch, features) tensor.
model m {
  input(shape=(784,))
  GlobalAveragePooling2D()
# CHECK:{{.*}}:6:3: error: GlobalAveragePooling2D expects a 4-D input (batch, height, width, channels) but gets (None, 784); add Reshape((28, 28, 1)) before it or give the model input(shape=(28, 28, 1))
# CHECK-NEXT:  GlobalAveragePooling2D()
# CHECK-NEXT:  ^~~~~~~~~~~~~~~~~~~~~~
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy")

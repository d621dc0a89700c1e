# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# momentum=2, in a layer and in an optimizer (it is in [0, 1]).
model m {
  input(shape=(784,))
  Dense(128, activation="relu")
  BatchNormalization(momentum=2)
# CHECK:{{.*}}:7:31: error: argument 'momentum' of BatchNormalization must be a number in [0, 1], found 2
# CHECK-NEXT:  BatchNormalization(momentum=2)
# CHECK-NEXT:                              ^
  Dense(10, activation="softmax")
}
compile(optimizer=SGD(learning_rate=0.1, momentum=2),
# CHECK:{{.*}}:13:51: error: argument 'momentum' of SGD must be a number in [0, 1], found 2
# CHECK-NEXT:compile(optimizer=SGD(learning_rate=0.1, momentum=2),
# CHECK-NEXT:                                                  ^
        loss="sparse_categorical_crossentropy")

# RUN: mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A learning rate above 1 compiles (Keras accepts it) with a warning at
# the value: 1e3 is most often 1e-3 mistyped, and trains into NaN.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer=SGD(learning_rate=1e3), loss="sparse_categorical_crossentropy")
# CHECK:{{.*}}:9:37: warning: learning_rate 1000 is unusually large; training will likely diverge (Keras's tutorials use 0.0001 to 0.1)
# CHECK-NEXT:compile(optimizer=SGD(learning_rate=1e3), loss="sparse_categorical_crossentropy")
# CHECK-NEXT:                                    ^~~

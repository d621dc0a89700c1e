# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Unknown initializers, as a string and as a call.
model m {
  input(shape=(784,))
  Dense(128, activation="relu", kernel_initializer="he_norm")
# CHECK:{{.*}}:6:52: error: unknown initializer "he_norm" for argument 'kernel_initializer' of Dense; did you mean "he_normal"?
# CHECK-NEXT:  Dense(128, activation="relu", kernel_initializer="he_norm")
# CHECK-NEXT:                                                   ^~~~~~~~~
# CHECK-NEXT:                                                   "he_normal"
  Dense(10, activation="softmax", kernel_initializer=HeNorml())
# CHECK:{{.*}}:11:54: error: unknown initializer 'HeNorml'; did you mean 'HeNormal'?
# CHECK-NEXT:  Dense(10, activation="softmax", kernel_initializer=HeNorml())
# CHECK-NEXT:                                                     ^~~~~~~
# CHECK-NEXT:                                                     HeNormal
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A misspelled compile, and a section that does not exist.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
complie(optimizer="adam", loss="sparse_categorical_crossentropy")
# CHECK:{{.*}}:8:1: error: unknown section 'complie'; did you mean 'compile'?
# CHECK-NEXT:complie(optimizer="adam", loss="sparse_categorical_crossentropy")
# CHECK-NEXT:^~~~~~~
# CHECK-NEXT:compile
train(epochs=3)
# CHECK:{{.*}}:13:1: error: unknown section 'train'; expected compile(...) or fit(...)
# CHECK-NEXT:train(epochs=3)
# CHECK-NEXT:^~~~~

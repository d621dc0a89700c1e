# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# RUN: not mnistc %s --summary 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# An absurd layer: a Dense of 10^9 units on 784 features would need a
# 2.85 TB kernel. It is refused at the layer, before anything is allocated,
# and reported once (the Dense after it is not checked again).
model m {
  input(shape=(28, 28, 1))
  Flatten()
  Dense(1000000000, activation="relu")
# CHECK:{{.*}}:11:3: error: Dense 'dense' would have a kernel of 784,000,000,000 values (2.85 TB); one tensor holds at most 536,870,911 (2.00 GB), so make the layer smaller
# CHECK-NEXT:  Dense(1000000000, activation="relu")
# CHECK-NEXT:  ^~~~~
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy")

# RUN: not mnistc %s -o %t.so 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# At batch_size=4096 the Conv2D's output alone is 49 GB, past the 2 GiB a
# Halide buffer addresses: refused before any kernel is compiled, with the
# largest batch size that works.
# CHECK:{{.*}}:9:7: error: model 'wide' at batch_size=4096 has a buffer of 49.00 GB (12.25 MB per image), more than the 2 GiB one Halide buffer holds; use batch_size=167 or less
# CHECK-NEXT:model wide {
# CHECK-NEXT:      ^
model wide {
  input(shape=(28, 28, 1))
  Conv2D(4096, kernel_size=3, padding="same", activation="relu")
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy")
fit(batch_size=4096, epochs=1)

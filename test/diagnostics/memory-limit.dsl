# RUN: rm -f %t.so
# RUN: not mnistc %s -o %t.so --memory-limit 4M 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# RUN: not test -e %t.so
# RUN: mnistc %s -o %t.so --memory-limit 128M
# RUN: not mnistc %s -o %t.so --memory-limit 1x 2>&1 | FileCheck %s --check-prefix=USAGE
# A context of the model (parameters, gradients, Adam's two moments and the
# activations of a batch of 128, laid out by the memory plan) needs 52.76 MB: under a limit of 4 MB it
# is refused before any kernel is compiled, with the figures and the
# largest batch size that fits.
# CHECK:{{.*}}:15:7: error: model 'cnn' needs 52.76 MB of memory to train at batch_size=128 (433.54 KB of parameters, 433.54 KB of gradients, 867.08 KB of optimizer state, 408.50 KB per image of activations), more than --memory-limit allows (4.00 MB); use batch_size=5 or less
# CHECK-NEXT:model cnn {
# CHECK-NEXT:      ^
# USAGE: mnistc: error: --memory-limit '1x' is not a size; write bytes or a number with K, M, G or T, e.g. 512M or 8G
model cnn {
  input(shape=(28, 28, 1))
  Conv2D(32, kernel_size=3, activation="relu")
  Conv2D(64, kernel_size=3, activation="relu")
  MaxPooling2D(pool_size=2)
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy")
fit(batch_size=128, epochs=1)

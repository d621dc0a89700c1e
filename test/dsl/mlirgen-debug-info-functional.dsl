# RUN: mnistc %s --emit=nn --debug-info | mnistc-opt --mlir-print-debuginfo \
# RUN:   --mlir-print-local-scope | FileCheck %s
#
# --debug-info on the functional form: an op is located at the start of the
# layer's (possibly dotted) name in `y = Layer(...)(x)`, not at the target
# name; ops come out in dependency order, each still pointing at its own
# line, so a forward reference shows as a later line first.

model located {
  # CHECK: nn.input {{.*}} loc("{{.*}}mlirgen-debug-info-functional.dsl":[[@LINE+1]]:7)
  x = Input(shape=(8, 8, 2))
  # CHECK-NEXT: nn.conv2d {{.*}} loc("{{.*}}mlirgen-debug-info-functional.dsl":[[@LINE+1]]:7)
  a = layers.Conv2D(2, 3, padding="same")(x)
  # CHECK-NEXT: nn.add {{.*}} loc("{{.*}}mlirgen-debug-info-functional.dsl":[[@LINE+1]]:7)
  x = keras.layers.Add()([x, a])
  # CHECK-NEXT: nn.flatten {{.*}} loc("{{.*}}mlirgen-debug-info-functional.dsl":[[@LINE+3]]:10)
  # CHECK-NEXT: nn.dense {{.*}} loc("{{.*}}mlirgen-debug-info-functional.dsl":[[@LINE+1]]:11)
  probs = Dense(10, activation="softmax")(flat)
  flat = Flatten()(x)
  # CHECK-NEXT: nn.output {{.*}} loc("{{.*}}mlirgen-debug-info-functional.dsl":[[@LINE-2]]:11)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy")

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A model block with nothing in it.
model m {
# CHECK:{{.*}}:4:7: error: model 'm' has no layers
# CHECK-NEXT:model m {
# CHECK-NEXT:      ^
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

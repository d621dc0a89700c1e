# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A file with sections but no model block.
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])
# CHECK:{{.*}}:4:1: error: no model in this file; describe one with model NAME { input(shape=(28, 28, 1)) ... }
# CHECK-NEXT:compile(optimizer="adam", loss="sparse_categorical_crossentropy",
# CHECK-NEXT:^~~~~~~
fit(epochs=3)

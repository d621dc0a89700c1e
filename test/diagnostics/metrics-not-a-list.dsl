# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# metrics= needs a list: the fix-it wraps the string in one.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics="accuracy")
# CHECK:{{.*}}:9:17: error: argument 'metrics' of compile expects a list of metrics, e.g. ["accuracy"], found the string "accuracy"; wrap it in a list: ["accuracy"]
# CHECK-NEXT:        metrics="accuracy")
# CHECK-NEXT:                ^~~~~~~~~~
# CHECK-NEXT:                ["accuracy"]

# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Statements ended with ';' (one error per ';').
model m {
  input(shape=(784,));
# CHECK:{{.*}}:5:22: error: unexpected ';'; statements end at the end of a line (remove the ';')
# CHECK-NEXT:  input(shape=(784,));
# CHECK-NEXT:                     ^
  Dense(10, activation="softmax");
# CHECK:{{.*}}:9:34: error: unexpected ';'; statements end at the end of a line (remove the ';')
# CHECK-NEXT:  Dense(10, activation="softmax");
# CHECK-NEXT:                                 ^
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

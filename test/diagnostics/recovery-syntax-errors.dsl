# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Independent syntax errors: the parser reports each, in source order
# (lexer and parser errors interleaved), and goes on.
model m {
  input(shape=(28, 28, 1))
  Flatten(]
# CHECK:{{.*}}:7:11: error: expected a value (a number, a string, a name, a tuple or a list), found ']'
# CHECK-NEXT:  Flatten(]
# CHECK-NEXT:          ^
  Dense(128, activation: "relu")
# CHECK:{{.*}}:11:24: error: unexpected ':'; arguments are written name=value
# CHECK-NEXT:  Dense(128, activation: "relu")
# CHECK-NEXT:                       ^
# CHECK-NEXT:                       =
  Dropout(0.5;
# CHECK:{{.*}}:16:14: error: unexpected ';'; statements end at the end of a line (remove the ';')
# CHECK-NEXT:  Dropout(0.5;
# CHECK-NEXT:             ^
  Dense(10, activation="softmax"))
# CHECK:{{.*}}:20:34: error: unmatched ')'
# CHECK-NEXT:  Dense(10, activation="softmax"))
# CHECK-NEXT:                                 ^
}
compile(optimizer="adam" loss="sparse_categorical_crossentropy")
# CHECK:{{.*}}:25:26: error: expected ',' or ')' after the argument, found 'loss'
# CHECK-NEXT:compile(optimizer="adam" loss="sparse_categorical_crossentropy")
# CHECK-NEXT:                         ^~~~

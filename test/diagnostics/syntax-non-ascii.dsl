# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# A non-ASCII letter in a name: the caret covers the one character.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax", name=dénse)
# CHECK:{{.*}}:6:41: error: unexpected character 'é'; only ASCII is allowed outside strings and comments (check for curly quotes)
# CHECK-NEXT:  Dense(10, activation="softmax", name=dénse)
# CHECK-NEXT:                                        ^
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

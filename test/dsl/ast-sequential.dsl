# RUN: mnistc %s --emit=ast | FileCheck %s --strict-whitespace
#
# --emit=ast on a sequential model: one node per line, indented by depth,
# each with the @line:col of its first token; positional arguments print
# as `Arg` (no location of their own), keyword arguments as `Kwarg NAME`
# located at the keyword. Comments (like these CHECK lines) leave no trace.

# CHECK-LABEL: {{^}}Module
# CHECK-NEXT: {{^}}  Model seq @[[@LINE+1]]:1
model seq {
  # CHECK-NEXT: {{^}}    Call input @[[@LINE+5]]:3
  # CHECK-NEXT: {{^}}      Kwarg shape @[[@LINE+4]]:9
  # CHECK-NEXT: {{^}}        Tuple @[[@LINE+3]]:15
  # CHECK-NEXT: {{^}}          Int 28 @[[@LINE+2]]:16
  # CHECK-NEXT: {{^}}          Int 28 @[[@LINE+1]]:20
  input(shape=(28, 28, 1))
  # CHECK-NEXT: {{^}}          Int 1 @[[@LINE-1]]:24
  # CHECK-NEXT: {{^}}    Call Reshape @[[@LINE+4]]:3
  # CHECK-NEXT: {{^}}      Arg{{$}}
  # CHECK-NEXT: {{^}}        Tuple @[[@LINE+2]]:11
  # CHECK-NEXT: {{^}}          Int 784 @[[@LINE+1]]:12
  Reshape((784,))
  # CHECK-NEXT: {{^}}    Call Dense @[[@LINE+5]]:3
  # CHECK-NEXT: {{^}}      Arg{{$}}
  # CHECK-NEXT: {{^}}        Int 128 @[[@LINE+3]]:9
  # CHECK-NEXT: {{^}}      Kwarg activation @[[@LINE+2]]:14
  # CHECK-NEXT: {{^}}        String "relu" @[[@LINE+1]]:25
  Dense(128, activation="relu")
  # CHECK-NEXT: {{^}}    Call Dropout @[[@LINE+3]]:3
  # CHECK-NEXT: {{^}}      Kwarg rate @[[@LINE+2]]:11
  # CHECK-NEXT: {{^}}        Float 0.2 @[[@LINE+1]]:16
  Dropout(rate=0.2)
  # CHECK-NEXT: {{^}}    Call layers.Dense @[[@LINE+5]]:3
  # CHECK-NEXT: {{^}}      Arg{{$}}
  # CHECK-NEXT: {{^}}        Int 10 @[[@LINE+3]]:16
  # CHECK-NEXT: {{^}}      Kwarg activation @[[@LINE+2]]:20
  # CHECK-NEXT: {{^}}        String "softmax" @[[@LINE+1]]:31
  layers.Dense(10, activation="softmax")
}
# CHECK-NEXT: {{^}}  Call compile @[[@LINE+8]]:1
# CHECK-NEXT: {{^}}    Kwarg optimizer @[[@LINE+7]]:9
# CHECK-NEXT: {{^}}      Call Adam @[[@LINE+6]]:19
# CHECK-NEXT: {{^}}        Kwarg learning_rate @[[@LINE+5]]:24
# CHECK-NEXT: {{^}}          Float 0.001 @[[@LINE+4]]:38
# CHECK-NEXT: {{^}}    Kwarg loss @[[@LINE+3]]:46
# CHECK-NEXT: {{^}}      String "sparse_categorical_crossentropy" @[[@LINE+2]]:51
# CHECK-NEXT: {{^}}    Kwarg metrics @[[@LINE+1]]:86
compile(optimizer=Adam(learning_rate=0.001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
# CHECK-NEXT: {{^}}      List @[[@LINE-1]]:94
# CHECK-NEXT: {{^}}        String "accuracy" @[[@LINE-2]]:95
# CHECK-NEXT: {{^}}  Call fit @[[@LINE+3]]:1
# CHECK-NEXT: {{^}}    Kwarg epochs @[[@LINE+2]]:5
# CHECK-NEXT: {{^}}      Int 2 @[[@LINE+1]]:12
fit(epochs=2)
# CHECK-NOT: {{.}}

# RUN: mnistc %s --emit=nn | FileCheck %s
# Keras's metric alias "acc" means "accuracy".
model m {
  input(shape=(4,))
  Dense(2, activation="softmax")
}
compile(loss="sparse_categorical_crossentropy", metrics=["acc"])
# CHECK: metrics = ["accuracy"]

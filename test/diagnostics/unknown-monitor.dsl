# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Unknown values to monitor: a typo, and Keras 2's "val_acc".
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])
fit(epochs=5, validation_split=0.1,
    callbacks=[EarlyStopping(monitor="val_los"),
# CHECK:{{.*}}:11:38: error: unknown metric "val_los" for argument 'monitor' of EarlyStopping; did you mean "val_loss"?
# CHECK-NEXT:    callbacks=[EarlyStopping(monitor="val_los"),
# CHECK-NEXT:                                     ^~~~~~~~~
# CHECK-NEXT:                                     "val_loss"
               ReduceLROnPlateau(monitor="val_acc")])
# CHECK:{{.*}}:16:42: error: unknown metric "val_acc" for argument 'monitor' of ReduceLROnPlateau; expected one of "val_loss", "val_accuracy", "loss", "accuracy"
# CHECK-NEXT:               ReduceLROnPlateau(monitor="val_acc")])
# CHECK-NEXT:                                         ^~~~~~~~~

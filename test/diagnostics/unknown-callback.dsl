# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# Unknown callbacks: a typo and one mnistc does not have.
model m {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])
fit(epochs=5, callbacks=[EarlyStoping(patience=3),
# CHECK:{{.*}}:10:26: error: unknown callback 'EarlyStoping'; did you mean 'EarlyStopping'?
# CHECK-NEXT:fit(epochs=5, callbacks=[EarlyStoping(patience=3),
# CHECK-NEXT:                         ^~~~~~~~~~~~
# CHECK-NEXT:                         EarlyStopping
                         LearningRateScheduler()])
# CHECK:{{.*}}:15:26: error: unknown callback 'LearningRateScheduler'; expected one of EarlyStopping, ReduceLROnPlateau, ModelCheckpoint, CSVLogger, TensorBoard
# CHECK-NEXT:                         LearningRateScheduler()])
# CHECK-NEXT:                         ^~~~~~~~~~~~~~~~~~~~~

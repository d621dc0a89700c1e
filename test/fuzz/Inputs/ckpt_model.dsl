# The model whose checkpoints fuzz-checkpoint reads (CheckpointFuzzer.cpp):
# every checkpoint section is present (Adam's state in OPTM, the callbacks'
# states in CALL) and a checkpoint is about 6 KB, small enough to mutate
# quickly.
model fuzz_checkpoint {
  input(shape=(28, 28, 1))
  MaxPooling2D(pool_size=4)
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])
fit(batch_size=32, epochs=2, validation_split=0.1,
    callbacks=[EarlyStopping(monitor="val_loss", patience=3),
               ReduceLROnPlateau(monitor="val_loss", patience=1)])

# examples/lenet.dsl — a LeNet-5 variant with batch normalization.
model lenet {
  input(shape=(28, 28, 1))
  Conv2D(6, kernel_size=5, padding="same", use_bias=True)
  BatchNormalization()
  Activation("relu")
  MaxPooling2D(pool_size=2)
  Conv2D(12, kernel_size=5, padding="same")
  BatchNormalization()
  Activation("relu")
  MaxPooling2D(pool_size=2)
  Flatten()
  Dense(1200, activation="relu")
  Dense(840, activation="relu")
  Dense(10, activation="softmax")
}
compile(optimizer=Adam(learning_rate=0.001),
        loss="sparse_categorical_crossentropy", metrics=["accuracy"])
fit(batch_size=128, epochs=20, validation_split=0.1,
    callbacks=[EarlyStopping(monitor="val_loss", patience=5,
                             restore_best_weights=True),
               ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2)])

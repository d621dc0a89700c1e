# examples/cnn.dsl — seed tutorial 002: the Keras MNIST convnet.
model cnn {
  input(shape=(28, 28, 1))
  Conv2D(32, kernel_size=(3, 3), activation="relu")
  MaxPooling2D(pool_size=(2, 2))
  Conv2D(64, kernel_size=(3, 3), activation="relu")
  MaxPooling2D(pool_size=(2, 2))
  Flatten()
  Dense(128, activation="relu")
  Dense(10, activation="softmax")
}
compile(optimizer=Adam(learning_rate=0.001),
        loss="sparse_categorical_crossentropy", metrics=["accuracy"])
fit(batch_size=128, epochs=5, validation_split=0.1,
    callbacks=[EarlyStopping(monitor="val_loss", patience=3)])

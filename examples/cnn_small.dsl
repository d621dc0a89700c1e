# examples/cnn_small.dsl — one convolution, one pooling, one hidden Dense.
model cnn_small {
  input(shape=(28, 28, 1))
  Conv2D(32, kernel_size=3, activation="relu")
  MaxPooling2D(pool_size=2)
  Flatten()
  Dense(128, activation="relu")
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])
fit(batch_size=128, epochs=5, validation_split=0.1)

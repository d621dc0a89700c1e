# examples/mlp_dropout.dsl — the MLP with Dropout between its Dense layers.
model mlp_dropout {
  input(shape=(28, 28, 1))
  Flatten()
  Dense(128, activation="relu")
  Dropout(0.5)
  Dense(128, activation="relu")
  Dropout(0.5)
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])
fit(batch_size=128, epochs=10, validation_split=0.1)

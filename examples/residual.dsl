# examples/residual.dsl — the functional form: a small residual network.
# Two 3x3 convolutions whose output is added back to their input (a skip
# connection), as in Keras's functional-API guide.
model residual {
  x = Input(shape=(28, 28, 1))
  stem = Conv2D(16, kernel_size=3, padding="same", activation="relu")(x)
  branch = Conv2D(16, kernel_size=3, padding="same", activation="relu")(stem)
  branch = Conv2D(16, kernel_size=3, padding="same")(branch)
  sum = Add()([stem, branch])
  act = Activation("relu")(sum)
  pooled = MaxPooling2D(pool_size=2)(act)
  flat = Flatten()(pooled)
  hidden = Dense(128, activation="relu")(flat)
  probs = Dense(10, activation="softmax")(hidden)
  output(probs)
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])
fit(batch_size=128, epochs=5, validation_split=0.1)

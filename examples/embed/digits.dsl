# examples/embed/digits.dsl — the model examples/embed/ links into its
# program: a small MLP (784-128-10) that learns MNIST's digits in one epoch.
model digits {
  input(shape=(784,))
  Dense(128, activation="relu")
  Dense(10, activation="softmax")
}
compile(optimizer=RMSprop(learning_rate=0.001),
        loss="sparse_categorical_crossentropy", metrics=["accuracy"])
fit(batch_size=128, epochs=1)

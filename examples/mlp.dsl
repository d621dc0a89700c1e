# examples/mlp.dsl — seed tutorial 001: the Keras MNIST MLP.
# Each image is fed as 784 pixels, as in Keras's mnist_mlp example.
model mlp {
  input(shape=(784,))
  Dense(512, activation="relu")
  Dense(10, activation="softmax")
}
compile(optimizer=RMSprop(learning_rate=0.001),
        loss="sparse_categorical_crossentropy", metrics=["accuracy"])
fit(batch_size=128, epochs=5)

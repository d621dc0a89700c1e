# A small MLP for the model.so numerical tests (test/e2e/ModelSoTest.cpp):
# odd sizes, a relu hidden layer, plain SGD so that one step's update
# reveals the gradient: w' = w - lr * g.
model tiny_sgd {
  input(shape=(13,))
  Dense(7, activation="relu")
  Dense(5, activation="tanh")
  Dense(3, activation="softmax")
}
compile(optimizer=SGD(learning_rate=0.5), loss="sparse_categorical_crossentropy")
fit(batch_size=9, epochs=1)

# The same network with Adam and one-hot labels, for the optimizer and
# categorical-label paths of model.so (test/e2e/ModelSoTest.cpp).
model tiny_adam {
  input(shape=(13,))
  Dense(7, activation="sigmoid")
  Dense(3, activation="softmax")
}
compile(optimizer=Adam(learning_rate=0.01), loss="categorical_crossentropy")

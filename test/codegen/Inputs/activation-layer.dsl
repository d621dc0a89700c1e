# A standalone Activation layer: it trains in the training graph but has
# no kernel of its own yet (test/codegen/not-compilable-yet.test).
model act {
  input(shape=(8,))
  Activation("tanh")
  Dense(3, activation="softmax")
}
compile(loss="sparse_categorical_crossentropy")

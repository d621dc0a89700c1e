# The seed MLP's architecture (examples/mlp.dsl) with plain SGD, so that
# one step's update reveals the gradient of the whole model's loss
# (test/e2e/ModelSoTest.cpp checks it against finite differences).
model mlp_sgd {
  input(shape=(784,))
  Dense(512, activation="relu")
  Dense(10, activation="softmax")
}
compile(optimizer=SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy")

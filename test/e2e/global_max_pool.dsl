# GlobalMaxPooling2D with keepdims after a Dense layer viewed as a 4x4x4
# image, then Flatten, so a plain C++ reference can check its forward
# (test/e2e/GlobalPoolingTest.cpp) and the whole-model checks its gradient
# (ExampleModelsTest.cpp).
model global_max_pool {
  input(shape=(784,))
  Dense(64, activation="tanh")
  Reshape((4, 4, 4))
  GlobalMaxPooling2D(keepdims=True)
  Flatten()
  Dense(10, activation="softmax")
}
compile(optimizer=SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# Mean squared error on a softmax output, with L2 kernel regularizers on a
# convolution and a Dense layer (test/e2e/ExampleModelsTest.cpp).
model mse_l2 {
  input(shape=(28, 28, 1))
  Conv2D(4, kernel_size=3, strides=2, activation="relu",
         kernel_regularizer=l2(0.01))
  Flatten()
  Dense(16, activation="tanh", kernel_regularizer=l2(0.001))
  Dense(10, activation="softmax")
}
compile(optimizer=SGD(learning_rate=0.1, momentum=0.9), loss="mse",
        metrics=["accuracy"])

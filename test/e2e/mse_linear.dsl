# Mean squared error on a linear output (no softmax), with pooling and
# Dropout (test/e2e/ExampleModelsTest.cpp).
model mse_linear {
  input(shape=(28, 28, 1))
  AveragePooling2D(pool_size=4)
  Flatten()
  Dense(32, activation="sigmoid")
  Dropout(0.25)
  Dense(10)
}
compile(optimizer="rmsprop", loss="mean_squared_error")

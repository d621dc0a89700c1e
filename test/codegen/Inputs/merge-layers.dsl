# Concatenate, AveragePooling2D, a standalone Activation after a merge and
# a tensor that feeds two layers (its gradients fan in), for
# test/codegen/layers.test.
model merge {
  x = Input(shape=(8, 8, 1))
  a = Conv2D(2, kernel_size=3, padding="same")(x)
  b = Conv2D(3, kernel_size=1, activation="relu")(a)
  c = Concatenate()([a, b])
  d = Activation("tanh")(c)
  e = AveragePooling2D(pool_size=2)(d)
  f = Flatten()(e)
  probs = Dense(3, activation="softmax")(f)
  output(probs)
}
compile(loss="sparse_categorical_crossentropy")

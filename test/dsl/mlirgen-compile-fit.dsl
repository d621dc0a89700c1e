# RUN: mnistc %s --emit=nn | FileCheck %s
#
# compile(...) and fit(...) become the `compile` and `fit` dictionaries of
# nn.model with every Keras default filled in: the optimizer string "adam"
# expands to Adam's defaults (learning_rate 1e-3, beta_1 0.9, beta_2 0.999,
# epsilon 1e-7), each callback to a dictionary with its class name and all
# of its arguments, and fit's unset arguments to Keras's values (verbose 1;
# seed only when given).

# CHECK-LABEL: nn.model @training
# CHECK-SAME: attributes {compile = {
# CHECK-SAME: loss = "sparse_categorical_crossentropy", metrics = ["accuracy"],
# CHECK-SAME: optimizer = {beta_1 = 9.000000e-01 : f64, beta_2 = 0.99899999999999999 : f64, epsilon = 9.9999999999999995E-8 : f64, learning_rate = 1.000000e-03 : f64, name = "Adam"}
# CHECK-SAME: }, fit = {batch_size = 64 : i64, callbacks = [
# CHECK-SAME: {min_delta = 0.000000e+00 : f64, mode = "auto", monitor = "val_loss", name = "EarlyStopping", patience = 2 : i64, restore_best_weights = false, start_from_epoch = 0 : i64, verbose = 0 : i64},
# CHECK-SAME: {cooldown = 0 : i64, factor = 2.000000e-01 : f64, min_delta = 1.000000e-04 : f64, min_lr = 0.000000e+00 : f64, mode = "auto", monitor = "val_accuracy", name = "ReduceLROnPlateau", patience = 10 : i64, verbose = 0 : i64},
# CHECK-SAME: {filepath = "best.keras", mode = "max", monitor = "val_loss", name = "ModelCheckpoint", save_best_only = true, save_weights_only = false, verbose = 0 : i64},
# CHECK-SAME: {append = false, filename = "log.csv", name = "CSVLogger", separator = ","},
# CHECK-SAME: {log_dir = "logs", name = "TensorBoard", update_freq = "epoch"}],
# CHECK-SAME: epochs = 3 : i64, seed = 1 : i64, shuffle = false, validation_split = 2.000000e-01 : f64, verbose = 1 : i64}} {
# CHECK-NEXT: nn.input
model training {
  input(shape=(784,))
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])
fit(batch_size=64, epochs=3, validation_split=0.2, shuffle=False, seed=1,
    callbacks=[EarlyStopping(patience=2),
               keras.callbacks.ReduceLROnPlateau(monitor="val_accuracy",
                                                 factor=0.2),
               ModelCheckpoint("best.keras", save_best_only=True, mode="max"),
               CSVLogger("log.csv"), TensorBoard()])

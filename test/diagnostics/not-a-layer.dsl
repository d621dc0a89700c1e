# RUN: not mnistc %s 2>&1 | FileCheck %s --strict-whitespace \
# RUN:   --match-full-lines --implicit-check-not='{{.}}'
# An optimizer, a callback, an initializer and a section written as
# layers.
model m {
  input(shape=(784,))
  Adam(learning_rate=0.01)
# CHECK:{{.*}}:7:3: error: 'Adam' is an optimizer, not a layer; it belongs in compile(optimizer=...)
# CHECK-NEXT:  Adam(learning_rate=0.01)
# CHECK-NEXT:  ^~~~
  EarlyStopping(patience=2)
# CHECK:{{.*}}:11:3: error: 'EarlyStopping' is a callback, not a layer; it belongs in fit(callbacks=[...])
# CHECK-NEXT:  EarlyStopping(patience=2)
# CHECK-NEXT:  ^~~~~~~~~~~~~
  HeNormal()
# CHECK:{{.*}}:15:3: error: 'HeNormal' is an initializer, not a layer; it belongs in a layer argument
# CHECK-NEXT:  HeNormal()
# CHECK-NEXT:  ^~~~~~~~
  compile(loss="sparse_categorical_crossentropy")
# CHECK:{{.*}}:19:3: error: 'compile' is a section, not a layer; it belongs in the top level, after the model block
# CHECK-NEXT:  compile(loss="sparse_categorical_crossentropy")
# CHECK-NEXT:  ^~~~~~~
  Dense(10, activation="softmax")
}
compile(optimizer="adam", loss="sparse_categorical_crossentropy",
        metrics=["accuracy"])

# RUN: mnistc %s --emit=ast | FileCheck %s --strict-whitespace --match-full-lines
#
# --emit=ast on layout: calls spanning lines (newlines inside (...) and
# [...] are skipped), comments at the end of lines and inside calls, a
# backslash joining two lines, blank lines, trailing commas, and the
# functional form (`Assign NAME`, a layer applied to a tensor prints as a
# Call whose callee is the layer's Call). Every node keeps the line and
# column it was written at. The model is on lines 11-29.


model   layout {   # a comment after the brace
  inputs = keras.Input(
      shape=(28,
             28, 1),   # comment inside a call
  )

  x = layers.Conv2D(32,
                    kernel_size=3,

                    activation="relu")(inputs)
  x = Flatten() \
      (x)
  merged = Add()([x,
                  x,])
  # A comment line.
  probs = Dense(units=10,
                activation="softmax",)(merged)
  output(probs)
}
fit(callbacks=[
  EarlyStopping(patience=3),
])

# CHECK:Module
# CHECK-NEXT:  Model layout @11:1
# CHECK-NEXT:    Assign inputs @12:3
# CHECK-NEXT:      Call keras.Input @12:12
# CHECK-NEXT:        Kwarg shape @13:7
# CHECK-NEXT:          Tuple @13:13
# CHECK-NEXT:            Int 28 @13:14
# CHECK-NEXT:            Int 28 @14:14
# CHECK-NEXT:            Int 1 @14:18
# CHECK-NEXT:    Assign x @17:3
# CHECK-NEXT:      Call @17:7
# CHECK-NEXT:        Call layers.Conv2D @17:7
# CHECK-NEXT:          Arg
# CHECK-NEXT:            Int 32 @17:21
# CHECK-NEXT:          Kwarg kernel_size @18:21
# CHECK-NEXT:            Int 3 @18:33
# CHECK-NEXT:          Kwarg activation @20:21
# CHECK-NEXT:            String "relu" @20:32
# CHECK-NEXT:        Arg
# CHECK-NEXT:          Name inputs @20:40
# CHECK-NEXT:    Assign x @21:3
# CHECK-NEXT:      Call @21:7
# CHECK-NEXT:        Call Flatten @21:7
# CHECK-NEXT:        Arg
# CHECK-NEXT:          Name x @22:8
# CHECK-NEXT:    Assign merged @23:3
# CHECK-NEXT:      Call @23:12
# CHECK-NEXT:        Call Add @23:12
# CHECK-NEXT:        Arg
# CHECK-NEXT:          List @23:18
# CHECK-NEXT:            Name x @23:19
# CHECK-NEXT:            Name x @24:19
# CHECK-NEXT:    Assign probs @26:3
# CHECK-NEXT:      Call @26:11
# CHECK-NEXT:        Call Dense @26:11
# CHECK-NEXT:          Kwarg units @26:17
# CHECK-NEXT:            Int 10 @26:23
# CHECK-NEXT:          Kwarg activation @27:17
# CHECK-NEXT:            String "softmax" @27:28
# CHECK-NEXT:        Arg
# CHECK-NEXT:          Name merged @27:40
# CHECK-NEXT:    Call output @28:3
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Name probs @28:10
# CHECK-NEXT:  Call fit @30:1
# CHECK-NEXT:    Kwarg callbacks @30:5
# CHECK-NEXT:      List @30:15
# CHECK-NEXT:        Call EarlyStopping @31:3
# CHECK-NEXT:          Kwarg patience @31:17
# CHECK-NEXT:            Int 3 @31:26
# CHECK-NOT:{{.+}}

# RUN: mnistc %s --emit=nn --debug-info | FileCheck %s
# RUN: mnistc %s --emit=nn --debug-info | mnistc-opt --mlir-print-debuginfo \
# RUN:   --mlir-print-local-scope | FileCheck %s --check-prefix=INLINE
#
# --debug-info: every op carries the FileLineColLoc of the DSL line that
# wrote it (line and column of the layer's name; a call spanning lines is
# located at its first line), the model op the location of the model's name,
# nn.output that of the output layer. The driver prints locations as
# aliases (#loc1 = loc(...)); the second RUN re-prints them inline through
# mnistc-opt, which also shows the output parses back.

model located {
  # INLINE: nn.input {{.*}} loc("{{.*}}mlirgen-debug-info.dsl":[[@LINE+1]]:3)
  input(shape=(28, 28, 1))
  # INLINE-NEXT: nn.conv2d {{.*}} loc("{{.*}}mlirgen-debug-info.dsl":[[@LINE+1]]:3)
  Conv2D(4, kernel_size=3,
         activation="relu")
  # INLINE-NEXT: nn.max_pool2d {{.*}} loc("{{.*}}mlirgen-debug-info.dsl":[[@LINE+1]]:5)
    layers.MaxPooling2D()
  # INLINE-NEXT: nn.flatten {{.*}} loc("{{.*}}mlirgen-debug-info.dsl":[[@LINE+1]]:3)
  Flatten()
  # INLINE-NEXT: nn.dropout {{.*}} loc("{{.*}}mlirgen-debug-info.dsl":[[@LINE+1]]:3)
  Dropout(0.1)
  # INLINE-NEXT: nn.dense {{.*}} loc("{{.*}}mlirgen-debug-info.dsl":[[@LINE+2]]:3)
  # INLINE-NEXT: nn.output {{.*}} loc("{{.*}}mlirgen-debug-info.dsl":[[@LINE+1]]:3)
  Dense(10, activation="softmax")
}
# INLINE-NEXT: } loc("{{.*}}mlirgen-debug-info.dsl":12:7)
compile(optimizer="adam", loss="sparse_categorical_crossentropy")

# The model block above starts on line 12; its layers are on lines 14, 16,
# 19, 21, 23 and 26.
# CHECK:      nn.model @located attributes {{.*}} {
# CHECK-NEXT:   nn.input {{.*}} loc(#[[IN:loc[0-9]*]])
# CHECK-NEXT:   nn.conv2d {{.*}} loc(#[[CONV:loc[0-9]*]])
# CHECK-NEXT:   nn.max_pool2d {{.*}} loc(#[[POOL:loc[0-9]*]])
# CHECK-NEXT:   nn.flatten {{.*}} loc(#[[FLAT:loc[0-9]*]])
# CHECK-NEXT:   nn.dropout {{.*}} loc(#[[DROP:loc[0-9]*]])
# CHECK-NEXT:   nn.dense {{.*}} loc(#[[DENSE:loc[0-9]*]])
# CHECK-NEXT:   nn.output {{.*}} loc(#[[DENSE]])
# CHECK-NEXT: } loc(#[[MODEL:loc[0-9]*]])
# CHECK-DAG: #[[MODEL]] = loc("{{.*}}mlirgen-debug-info.dsl":12:7)
# CHECK-DAG: #[[IN]] = loc("{{.*}}mlirgen-debug-info.dsl":14:3)
# CHECK-DAG: #[[CONV]] = loc("{{.*}}mlirgen-debug-info.dsl":16:3)
# CHECK-DAG: #[[POOL]] = loc("{{.*}}mlirgen-debug-info.dsl":19:5)
# CHECK-DAG: #[[FLAT]] = loc("{{.*}}mlirgen-debug-info.dsl":21:3)
# CHECK-DAG: #[[DROP]] = loc("{{.*}}mlirgen-debug-info.dsl":23:3)
# CHECK-DAG: #[[DENSE]] = loc("{{.*}}mlirgen-debug-info.dsl":26:3)

#!/usr/bin/env bash
# The end-to-end check (ctest e2e-train-mlp, label slow): compile
# examples/mlp.dsl into a model.so, train it with its own settings (RMSprop
# 0.001, batch 128, 5 epochs, seed 0) on the real MNIST, and require a test
# accuracy of at least 0.980, read from mnistrt's last line
#   test loss: 0.0606 - test accuracy: 0.9811
#
# usage: train_mlp.sh MNISTC MNISTRT SOURCE_DIR OUT_DIR [MIN_ACCURACY]
set -euo pipefail

mnistc=$1 mnistrt=$2 src=$3 out=$4 min=${5:-0.980}
mkdir -p "$out"
model=$out/mlp.so

# A fixed target (AVX2, which every x86-64 machine of this project has)
# makes the bar reproducible: the same seed gives the same float32
# arithmetic, so the same accuracy, on every machine.
echo "== $mnistc $src/examples/mlp.dsl -o $model --target=x86-64-linux-avx2"
"$mnistc" "$src/examples/mlp.dsl" -o "$model" --target=x86-64-linux-avx2

echo "== $mnistrt train $model --data $src/data/mnist --epochs 5"
log=$out/train_mlp.log
"$mnistrt" train "$model" --data "$src/data/mnist" --epochs 5 | tee "$log"

line=$(grep '^test loss: ' "$log" | tail -n 1 || true)
if [[ -z $line ]]; then
  echo "FAIL: no 'test loss: ... - test accuracy: ...' line in the output" >&2
  exit 1
fi
accuracy=${line##*test accuracy: }
if ! [[ $accuracy =~ ^[0-9]+\.[0-9]+$ ]]; then
  echo "FAIL: cannot read the test accuracy from: $line" >&2
  exit 1
fi
epochs=$(grep -c '^Epoch [0-9]*/5 - ' "$log" || true)
if [[ $epochs != 5 ]]; then
  echo "FAIL: expected 5 epoch lines, found $epochs" >&2
  exit 1
fi
if awk -v a="$accuracy" -v m="$min" 'BEGIN { exit !(a >= m) }'; then
  echo "PASS: test accuracy $accuracy >= $min"
else
  echo "FAIL: test accuracy $accuracy is below $min" >&2
  exit 1
fi

#!/usr/bin/env bash
# The training bars (ctests e2e-train-<model>, label slow): compile
# examples/<model>.dsl into a model.so, train it on the real MNIST with its
# own settings (seed 0; EPOCHS overrides the DSL's epochs where a test
# says so), print each epoch's time, and require a test accuracy of at
# least MIN_ACCURACY, read from mnistrt's last line
#   test loss: 0.0606 - test accuracy: 0.9811
#
# usage: train_example.sh MNISTC MNISTRT SOURCE_DIR OUT_DIR MODEL MIN_ACCURACY [EPOCHS]
set -euo pipefail

mnistc=$1 mnistrt=$2 src=$3 out=$4 name=$5 min=$6 epochs=${7:-}
mkdir -p "$out"
model=$out/$name.so

# A fixed target (AVX2, which every x86-64 machine of this project has)
# makes the bar reproducible: the same seed gives the same float32
# arithmetic, so the same accuracy, on every machine.
echo "== $mnistc $src/examples/$name.dsl -o $model --target=x86-64-linux-avx2"
start=$(date +%s.%N)
"$mnistc" "$src/examples/$name.dsl" -o "$model" --target=x86-64-linux-avx2
echo "compiled in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"

args=(train "$model" --data "$src/data/mnist" --seed 0)
[[ -n $epochs ]] && args+=(--epochs "$epochs")
echo "== $mnistrt ${args[*]}"
log=$out/train_$name.log
"$mnistrt" "${args[@]}" | tee "$log"

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
if ! grep -q '^Epoch [0-9]*/[0-9]* - [0-9.]*s - ' "$log"; then
  echo "FAIL: no epoch lines (with their times) in the output" >&2
  exit 1
fi
if awk -v a="$accuracy" -v m="$min" 'BEGIN { exit !(a >= m) }'; then
  echo "PASS: $name test accuracy $accuracy >= $min"
else
  echo "FAIL: $name test accuracy $accuracy is below $min" >&2
  exit 1
fi

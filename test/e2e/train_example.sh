#!/usr/bin/env bash
# The training bars (ctests e2e-train-<model>, label slow): compile
# examples/<model>.dsl into a model.so, train it on the real MNIST with its
# own settings (seed 0; EPOCHS overrides the DSL's epochs where a test
# says so), print each epoch's time, and require a test accuracy of at
# least MIN_ACCURACY, read from mnistrt's last line
#   test loss: 0.0606 - test accuracy: 0.9811
# Then the rest of the workflow on the trained model: `mnistrt evaluate`
# from the checkpoint must print the same test line, and `mnistrt predict`
# must name the digits in examples/images (7, 2, 1) right.
#
# MNISTC "prebuilt" takes OUT_DIR/MODEL.so as it is (the gpu-labelled
# bars, test/gpu/: models compiled with --target=cuda where mnistc runs,
# trained where the GPU is).
#
# RANKS=N in the environment trains with `mpirun -np N` (data-parallel,
# docs/distributed.md; the e2e-train-<model>-2ranks bars).
#
# usage: train_example.sh MNISTC MNISTRT SOURCE_DIR OUT_DIR MODEL MIN_ACCURACY [EPOCHS]
set -euo pipefail

mnistc=$1 mnistrt=$2 src=$3 out=$4 name=$5 min=$6 epochs=${7:-}
mkdir -p "$out"
model=$out/$name.so

# A fixed target (AVX2, which every x86-64 machine of this project has)
# makes the bar reproducible: the same seed gives the same float32
# arithmetic, so the same accuracy, on every machine.
if [[ $mnistc != prebuilt ]]; then
  echo "== $mnistc $src/examples/$name.dsl -o $model --target=x86-64-linux-avx2"
  start=$(date +%s.%N)
  "$mnistc" "$src/examples/$name.dsl" -o "$model" --target=x86-64-linux-avx2
  echo "compiled in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
fi

args=(train "$model" --data "$src/data/mnist" --seed 0 --checkpoint "$out/$name.ckpt")
[[ -n $epochs ]] && args+=(--epochs "$epochs")
launch=()
[[ ${RANKS:-1} -gt 1 ]] && launch=(mpirun -np "$RANKS")
echo "== ${launch[*]} $mnistrt ${args[*]}"
log=$out/train_$name.log
"${launch[@]}" "$mnistrt" "${args[@]}" | tee "$log"

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
if ! awk -v a="$accuracy" -v m="$min" 'BEGIN { exit !(a >= m) }'; then
  echo "FAIL: $name test accuracy $accuracy is below $min" >&2
  exit 1
fi

echo "== $mnistrt evaluate $model --weights $out/$name.ckpt"
evaluated=$("$mnistrt" evaluate "$model" --weights "$out/$name.ckpt" \
  --data "$src/data/mnist" --heatmap "$out/$name.confusion.png" |
  grep '^test loss: ')
if [[ $evaluated != "$line" ]]; then
  echo "FAIL: evaluate printed '$evaluated', training '$line'" >&2
  exit 1
fi
images=("$src/examples/images/seven.png" "$src/examples/images/two.jpg"
        "$src/examples/images/one.png")
echo "== $mnistrt predict $model --weights $out/$name.ckpt ${images[*]}"
predicted=$("$mnistrt" predict "$model" --weights "$out/$name.ckpt" "${images[@]}" |
  tee /dev/stderr | awk '{ printf "%s", $2 }')
if [[ $predicted != 721 ]]; then
  echo "FAIL: predict named the digits $predicted, not 721" >&2
  exit 1
fi
echo "PASS: $name test accuracy $accuracy >= $min; evaluate agrees; predict 7 2 1"

#!/usr/bin/env bash
# Runs the libFuzzer targets (`make fuzz`; docs/reliability.md): builds them
# with clang 19, ASan and UBSan in build-fuzz/, gathers their seeds and fuzzes
# each for SECONDS, FUZZ_JOBS at a time (default: one per core).
#
#   [FUZZ_JOBS=N] scripts/fuzz.sh [SECONDS [TARGET...]]   default: 120, all four
#
# Targets: dsl (the DSL front end), idx (MNIST data files), checkpoint and
# image (PNG/JPEG). The checkpoint target reads checkpoints of
# test/fuzz/Inputs/ckpt_model.dsl, built and trained here with build/bin's
# mnistc and mnistrt (`make fuzz` builds them first).
#
# What a run finds new is kept in build-fuzz/corpus/TARGET and used by the
# next run. A crash, leak, timeout or sanitizer report stops that target: its
# input is saved as build-fuzz/findings/TARGET/crash-* (or leak-, timeout-,
# oom-) and the script exits 1. Once fixed, the input goes into
# test/fuzz/corpus/TARGET/, where `make check` replays it
# (test/fuzz/regressions.test). Each target's log: build-fuzz/logs/TARGET.log.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-120}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(dsl idx checkpoint image)
fuzz=$root/build-fuzz
bin=$root/build/bin

# 1. The fuzz build: only the front end and the runtime's readers.
if [ ! -f "$fuzz/build.ninja" ]; then
  cmake -S "$root" -B "$fuzz" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DMNISTC_FUZZ=ON >/dev/null
fi
cmake --build "$fuzz" -j "$(nproc)" --target $(printf 'fuzz-%s ' "${targets[@]}")

# 2. Seeds, beside the checked-in inputs of test/fuzz/corpus/TARGET.
seeds=$fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{dsl,idx,checkpoint,image} "$fuzz/logs"
# dsl: the examples and every lit input (flattened; names keep them apart).
while IFS= read -r f; do
  cp "$f" "$seeds/dsl/$(echo "${f#"$root"/}" | tr / _)"
done < <(find "$root/examples" "$root/test" -name '*.dsl')
# idx: three MNIST test images and labels, plain and gzip-compressed.
python3 "$root/test/runtime/Inputs/small_mnist.py" "$root/data/mnist" \
  "$fuzz/small" 120 3 >/dev/null
for f in t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  cp "$fuzz/small/$f" "$seeds/idx/$f"
  gzip -c "$fuzz/small/$f" > "$seeds/idx/$f.gz"
done
# image: the example photos.
cp "$root"/examples/images/* "$seeds/image/"
# checkpoint: the model, a finished run and one stopped after 5 steps.
model=$fuzz/ckpt_model.so
if [[ " ${targets[*]} " == *" checkpoint "* ]]; then
  "$bin/mnistc" "$root/test/fuzz/Inputs/ckpt_model.dsl" -o "$model"
  (cd "$fuzz" &&
    "$bin/mnistrt" train "$model" --data small -q \
      --checkpoint "$seeds/checkpoint/finished.ckpt" >/dev/null &&
    { INTERRUPTING_MODEL=$model INTERRUPT_AFTER_STEPS=5 "$bin/mnistrt" \
        train "$root/build/lib/mnistrt-interrupting.so" \
        --data small -q --checkpoint "$seeds/checkpoint/interrupted.ckpt" \
        >/dev/null 2>&1 || true; })
fi

# 3. Fuzz, FUZZ_JOBS targets at a time.
export MNISTC_FUZZ_MODEL=$model
# allow_user_poisoning=0: see scripts/check-sanitize.sh (LLVM's allocators).
export ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run() {
  local t=$1 extra=()
  [ "$t" = dsl ] && extra=(-dict="$root/test/fuzz/dsl.dict")
  mkdir -p "$fuzz/corpus/$t" "$fuzz/findings/$t"
  "$fuzz/bin/fuzz-$t" "$fuzz/corpus/$t" "$root/test/fuzz/corpus/$t" \
    "$seeds/$t" "${extra[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$fuzz/findings/$t/" \
    -print_final_stats=1 >"$fuzz/logs/$t.log" 2>&1
}
status=0
jobs=${FUZZ_JOBS:-$(nproc)}
pending=("${targets[@]}")
while ((${#pending[@]})); do
  batch=("${pending[@]:0:$jobs}")
  pending=("${pending[@]:$jobs}")
  pids=()
  for t in "${batch[@]}"; do
    run "$t" &
    pids+=($!)
  done
  for i in "${!batch[@]}"; do
    t=${batch[$i]}
    if wait "${pids[$i]}"; then
      runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' \
        "$fuzz/logs/$t.log" | grep -o '[0-9]*$' || echo '?')
      cov=$(grep -ao 'cov: [0-9]*' "$fuzz/logs/$t.log" | tail -1 || true)
      echo "fuzz-$t: clean for ${seconds} s, $runs inputs, $cov"
    else
      status=1
      echo "fuzz-$t: FOUND A PROBLEM; see $fuzz/logs/$t.log:"
      grep -aE 'ERROR|SUMMARY|Test unit written' "$fuzz/logs/$t.log" | head -5
    fi
  done
done
exit $status

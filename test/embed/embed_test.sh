#!/usr/bin/env bash
# The ctest embed-example (label quick): a program that links a model.so at
# link time, built against an installed mnistc the way docs/embedding.md
# tells a user to, must classify pictures of digits.
#
#  1. `cmake --install BUILD --prefix WORK/prefix`; no installed header may
#     include the private protobuf header (tensorboard.pb.h).
#  2. Configure and build examples/embed/ against it (find_package(mnistc),
#     mnistc_add_model) into WORK/build with Ninja; classify must record
#     digits.so as a needed library.
#  3. Train that same digits.so one epoch on MNIST with the installed
#     mnistrt (`--checkpoint`), so the checkpoint's fingerprint is the
#     model's.
#  4. make_digit_images writes 20 MNIST test digits as users' photos; classify
#     must print one "IMAGE: DIGIT (PROB)" line each and get >= 17 right.
#  5. Build classify again with plain c++ and pkg-config
#     (PKG_CONFIG_PATH=WORK/prefix/lib/pkgconfig) and require the same line
#     for one image; a missing image and a missing checkpoint must fail
#     (exit 1) with a message naming the file.
#
# usage: embed_test.sh BUILD_DIR SOURCE_DIR MAKE_DIGIT_IMAGES WORK_DIR
# (the environment may name the tools, CMAKE, NINJA and CXX, and the
# compiler flags every build of classify needs, CXXFLAGS)
set -euo pipefail

build=$1 src=$2 make_images=$3 work=$4
cmake=${CMAKE:-cmake} cxx=${CXX:-c++}
ninja_flags=()
[[ -n ${NINJA:-} && $NINJA == *ninja* ]] && ninja_flags=(-DCMAKE_MAKE_PROGRAM="$NINJA")
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

for f in "$build/bin/mnistc" "$build/bin/mnistrt" "$build/lib/libmnistrt.a" \
         "$build/lib/libmnistc_model_support.a" "$make_images"; do
  [[ -f $f ]] || fail "$f is missing; build the tree first (cmake --build $build)"
done
data=$src/data/mnist
test_images=$data/t10k-images-idx3-ubyte test_labels=$data/t10k-labels-idx1-ubyte
[[ -f $test_images ]] || test_images+=.gz
[[ -f $test_labels ]] || test_labels+=.gz
[[ -f $test_images && -f $test_labels ]] ||
  fail "$data: no MNIST test files; run \`make setup\`"

rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

echo "== 1. cmake --install $build --prefix $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" ||
  { cat "$work/install.log"; fail "cmake --install failed"; }
for f in bin/mnistc bin/mnistrt lib/libmnistrt.a lib/libmnistc_model_support.a \
         include/mnistc/model.h include/mnistc/linked_model.h \
         lib/cmake/mnistc/mnistcConfig.cmake \
         lib/cmake/mnistc/mnistcConfigVersion.cmake lib/pkgconfig/mnistc.pc; do
  [[ -f $prefix/$f ]] || fail "the install has no $f"
done
if grep -rl 'pb\.h' "$prefix/include"; then
  fail "an installed header includes the private protobuf header"
fi

echo "== 2. examples/embed against the install (CMake)"
"$cmake" -S "$src/examples/embed" -B "$work/build" -G Ninja \
      -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
      "${ninja_flags[@]}" >"$work/configure.log" ||
  { cat "$work/configure.log"; fail "configuring examples/embed failed"; }
"$cmake" --build "$work/build" ||
  fail "building examples/embed failed"
classify=$work/build/classify
model=$work/build/digits.so
readelf -d "$classify" | grep -q 'NEEDED.*\[digits\.so\]' ||
  fail "$classify does not link digits.so"

echo "== 3. mnistrt train digits.so --epochs 1 --checkpoint"
"$prefix/bin/mnistrt" train "$model" --data "$data" --epochs 1 \
    --checkpoint "$work/digits.ckpt"
[[ -f $work/digits.ckpt ]] || fail "mnistrt wrote no checkpoint"

echo "== 4. classify 20 pictures of digits"
n=20 need=17
"$make_images" "$test_images" "$test_labels" "$work/images" "$n"
mapfile -t names < <(awk '{ print $1 }' "$work/images/labels.txt")
mapfile -t labels < <(awk '{ print $2 }' "$work/images/labels.txt")
(( ${#names[@]} == n )) || fail "make_digit_images wrote ${#names[@]} images, not $n"
cd "$work/images"
"$classify" "$work/digits.ckpt" "${names[@]}" >"$work/classify.out" ||
  fail "classify exited $? (output: $(cat "$work/classify.out"))"
cat "$work/classify.out"
mapfile -t lines <"$work/classify.out"
(( ${#lines[@]} == n )) || fail "classify printed ${#lines[@]} lines for $n images"
right=0
for i in "${!names[@]}"; do
  pattern="^${names[i]//./\\.}: ([0-9]) \((0|1)\.[0-9]{4}\)$"
  [[ ${lines[i]} =~ $pattern ]] ||
    fail "line $((i + 1)) is not '${names[i]}: DIGIT (PROB)': ${lines[i]}"
  (( BASH_REMATCH[1] == labels[i] )) && right=$((right + 1))
done
(( right >= need )) || fail "classify got $right of $n digits right; at least $need needed"
echo "classify: $right of $n right"

echo "== 5. classify built with c++ and pkg-config"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
cd "$work/build"
# shellcheck disable=SC2046,SC2016  # pkg-config's flags are words; $ORIGIN is the loader's
"$cxx" -std=c++17 -O1 ${CXXFLAGS:-} "$src/examples/embed/classify.cpp" digits.so \
    $(pkg-config --cflags --libs mnistc) -Wl,-rpath,'$ORIGIN' -o classify-pc ||
  fail "the pkg-config build of classify failed"
cd "$work/images"
line=$("$work/build/classify-pc" "$work/digits.ckpt" "${names[0]}") ||
  fail "classify-pc exited $?"
[[ $line == "${lines[0]}" ]] ||
  fail "classify-pc printed '$line', the CMake build '${lines[0]}'"
echo "$line"

set +e
err=$("$work/build/classify-pc" "$work/digits.ckpt" missing.png "${names[0]}" 2>&1 >/dev/null)
code=$?
set -e
(( code == 1 )) || fail "a missing image gave exit $code, not 1"
[[ $err == *"missing.png: cannot open"* ]] || fail "a missing image said: $err"
set +e
err=$("$classify" "$work/none.ckpt" "${names[0]}" 2>&1 >/dev/null)
code=$?
set -e
(( code == 1 )) || fail "a missing checkpoint gave exit $code, not 1"
[[ $err == *"none.ckpt"* ]] || fail "a missing checkpoint said: $err"

echo "PASS: examples/embed built against the install, $right of $n digits right"

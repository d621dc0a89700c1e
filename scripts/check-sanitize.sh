#!/usr/bin/env bash
# make check-sanitize (docs/reliability.md): builds everything of ours with
# AddressSanitizer and UndefinedBehaviorSanitizer in BUILD (configured once
# with -DMNISTC_SANITIZE=ON), runs the quick tests, then fails if any
# process of the build or the tests reported anything.
#
#   scripts/check-sanitize.sh [BUILD [JOBS]]     default: build-sanitize, nproc
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$root/build-sanitize}")
jobs=${2:-$(nproc)}
reports=$build/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"

# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons and unpoisons its
#   slabs in inline code, which is instrumented in our objects but not in
#   libMLIR, so ASan would take MLIR's own allocations for use after
#   poisoning. Everything else of ASan stays on, leak checking included.
# log_path: each process's reports go to a file, so the tests that compare
#   standard error see what a user sees (ASan's one-line warning about
#   Halide's swapcontext included) and no report can hide behind a test
#   that expects a failure: the files are checked below.
# LSAN_OPTIONS=use_tls=0: LeakSanitizer's walk of the threads' dynamic TLS
#   at exit read a corrupt entry of a dlclose'd model.so ("DTLS 7 at
#   0x13a-0x20000123c", then "Tracer caught signal 11" and a fatal error)
#   in some runs of mnistrt, depending only on its arguments' lengths.
#   Without TLS as roots LeakSanitizer can only report more, never less:
#   blocks that only TLS points to, of which glibc's dlerror message is the
#   one seen; scripts/lsan.supp suppresses it by its allocating function.
export ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=1:log_path=$reports/asan
export LSAN_OPTIONS=use_tls=0:suppressions=$root/scripts/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:log_path=$reports/ubsan

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DMNISTC_SANITIZE=ON >/dev/null
fi
cmake --build "$build" -j "$jobs"
status=0
# kernels-unittests-gpu-schedule is left out: the kernels it checks run
# as OpenCL in pocl, out of the sanitizers' sight, and what stays alive
# for the process on purpose (Halide's JIT OpenCL context, the TLS of the
# dlmopen'd namespace) would read as leaks. kernels-unittests runs the
# same tests here with the CPU's kernels.
ctest --test-dir "$build" --output-on-failure -j "$jobs" -L quick \
  -E '^kernels-unittests-gpu-schedule$' || status=1

# A report is a file with an error in it; files that hold only ASan's
# swapcontext warning are not.
found=$(grep -l -E 'ERROR:|runtime error:|SUMMARY:' "$reports"/* 2>/dev/null || true)
if [ -n "$found" ]; then
  echo "check-sanitize: sanitizer reports:"
  for f in $found; do
    echo "== $f"
    head -60 "$f"
  done
  status=1
else
  echo "check-sanitize: no sanitizer reports"
fi
exit $status

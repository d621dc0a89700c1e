#!/usr/bin/env bash
# The GPU tests (ctest label gpu, test/gpu/CMakeLists.txt): every model's
# steps on the GPU against its CPU model.so, then every example trained on
# the GPU to its accuracy bar. Run it on a machine with an NVIDIA GPU and
# its driver; record what it prints in docs/performance.md.
#
# It builds first (`make build`, which sets up what is missing) unless
# MNISTC_PREBUILT=1 says the build tree is already there, as where the GPU
# machine cannot build: then build/ (its paths as CMake wrote them), the
# CPU and CUDA model.so files, mnistrt, gpu-model-tests and data/mnist
# must have come along (test/gpu/bundle.sh packs and unpacks them).
#
# usage: test/gpu/run.sh [BUILD_DIR [ctest arguments...]]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
shift || true

nvidia-smi -L || echo "run.sh: warning: nvidia-smi finds no GPU" >&2
if [[ ${MNISTC_PREBUILT:-0} != 1 ]]; then
  make -C "$root" build BUILD="$build"
fi
ctest --test-dir "$build/test/gpu" -L gpu --output-on-failure "$@"

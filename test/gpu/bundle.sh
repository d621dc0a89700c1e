#!/usr/bin/env bash
# The GPU tests and bench/gpu on a GPU machine that cannot build mnistc
# (no Halide or LLVM there), as the device machines lent to this project
# are: `pack` here, after `make build`, puts into .gpu/ (ignored by git,
# some 40 MB) what test/gpu/run.sh and bench/gpu need from the build tree
# (mnistrt, gpu-model-tests, the CPU and CUDA model.so files, the CTest
# files), the shared libraries mnistrt and gpu-model-tests load beyond the
# C and C++ runtime, the MNIST files and the PyTorch peer for bench/gpu.
# `unpack` there, in the repository's copy, puts them back where CMake
# wrote their paths (the build's absolute path here: a link to the copy
# is made at the source directory's path here if it differs) and prints
# the LD_LIBRARY_PATH to export:
#
#   here:  make build && test/gpu/bundle.sh pack
#   there: eval "$(bash test/gpu/bundle.sh unpack)" &&
#          MNISTC_PREBUILT=1 bash test/gpu/run.sh &&
#          python3 bench/gpu && python3 bench/gpu --schedule simple
#
# usage: test/gpu/bundle.sh pack|unpack
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bundle=$root/.gpu

case ${1:-} in
pack)
  build=$root/build
  rm -rf "$bundle" && mkdir -p "$bundle/lib"
  echo "$root" >"$bundle/source-dir"
  (cd "$build" && tar -cJf "$bundle/build.tar.xz" bin/mnistrt \
     bin/gpu-model-tests test/e2e/*.so test/gpu/*.so test/gpu/*.cmake)
  # Every library but glibc's, libstdc++ and libgcc, which the GPU
  # machine has.
  ldd "$build/bin/mnistrt" "$build/bin/gpu-model-tests" |
    awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u |
    grep -vE '/(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s)\.so' |
    xargs -I{} cp -L {} "$bundle/lib/"
  tar -C "$root/data" -cJf "$bundle/mnist.tar.xz" mnist
  # The PyTorch peer, which the GPU machine's copy of the repository
  # lacks (it lives beside it, in ../shared).
  peer=$root/../shared/bench/torch_peer.py
  [[ -f $peer ]] && cp "$peer" "$bundle/"
  du -sh "$bundle"
  ;;
unpack)
  [[ -f $bundle/build.tar.xz ]] || { echo "bundle.sh: no $bundle/build.tar.xz; run 'test/gpu/bundle.sh pack' where mnistc builds" >&2; exit 1; }
  source_dir=$(cat "$bundle/source-dir")
  if [[ $source_dir != "$root" ]]; then
    if [[ -e $source_dir && ! -L $source_dir ]]; then
      echo "bundle.sh: $source_dir is there and is not this copy ($root)" >&2
      exit 1
    fi
    mkdir -p "$(dirname "$source_dir")"
    ln -sfn "$root" "$source_dir"
  fi
  mkdir -p "$root/build" "$root/data"
  tar -C "$root/build" -xJf "$bundle/build.tar.xz"
  tar -C "$root/data" -xJf "$bundle/mnist.tar.xz"
  echo "export LD_LIBRARY_PATH=$bundle/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
  ;;
*)
  echo "usage: test/gpu/bundle.sh pack|unpack" >&2
  exit 2
  ;;
esac

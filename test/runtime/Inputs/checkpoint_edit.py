#!/usr/bin/env python3
"""Writes a copy of an mnistc checkpoint with one value changed and every
CRC-32C recomputed, so that only the meaning is wrong (docs/checkpoint.md's
layout): epoch=N or batch=N (the RUN_ section's position), or param=nan /
param=inf (the first float of PARM). For the checkpoint tests.

usage: checkpoint_edit.py IN OUT EDIT
"""
import struct
import sys

from crc32c import crc32c


def main():
    source, target, edit = sys.argv[1], sys.argv[2], sys.argv[3]
    key, value = edit.split("=")
    data = bytearray(open(source, "rb").read())
    count = struct.unpack("<I", data[12:16])[0]
    pos = 16
    for _ in range(count):
        tag = data[pos:pos + 4].decode("ascii")
        length = struct.unpack("<Q", data[pos + 8:pos + 16])[0]
        start = pos + 16
        payload = data[start:start + length]
        if tag == "RUN_" and key == "epoch":
            payload[29:33] = struct.pack("<i", int(value))
        elif tag == "RUN_" and key == "batch":
            payload[33:37] = struct.pack("<I", int(value))
        elif tag == "PARM" and key == "param":
            payload[8:12] = struct.pack("<f", float(value))  # after the count
        data[start:start + length] = payload
        data[pos + 4:pos + 8] = struct.pack("<I", crc32c(bytes(payload)))
        pos = start + length
    open(target, "wb").write(data)


main()

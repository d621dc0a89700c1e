#!/usr/bin/env python3
"""Reads an mnistc checkpoint by docs/checkpoint.md alone, independently of
the runtime's reader: checks the magic, the version, every section's length
and CRC-32C (computed here bit by bit), and prints one line per section,
"TAG LENGTH CRC", plus the step count and position. Used by the checkpoint
tests to compare runs section by section.

usage: checkpoint_sections.py FILE [TAG...]   (only those TAGs if given)
"""
import struct
import sys

from crc32c import crc32c


def main():
    path, tags = sys.argv[1], set(sys.argv[2:])
    data = open(path, "rb").read()
    if data[:8] != b"MNISTCKP":
        sys.exit(f"{path}: bad magic {data[:8]!r}")
    version, count = struct.unpack("<II", data[8:16])
    print(f"version {version} sections {count}")
    pos = 16
    for _ in range(count):
        tag = data[pos:pos + 4].decode("ascii")
        crc, length = struct.unpack("<IQ", data[pos + 4:pos + 16])
        payload = data[pos + 16:pos + 16 + length]
        pos += 16 + length
        if len(payload) != length:
            sys.exit(f"{path}: section {tag} truncated")
        if crc32c(payload) != crc:
            sys.exit(f"{path}: section {tag} checksum mismatch")
        if tags and tag not in tags:
            continue
        print(f"{tag} {length} {crc:08x}")
        if tag == "OPTM":
            print(f"step {struct.unpack('<q', payload[-8:])[0]}")
        if tag == "RUN_":
            epoch, batch = struct.unpack("<iI", payload[29:37])
            print(f"position epoch {epoch} batch {batch}")
    if pos != len(data):
        sys.exit(f"{path}: {len(data) - pos} bytes after the last section")


main()

#!/usr/bin/env python3
"""Reads a TensorBoard event file the way TensorBoard does, independently
of the runtime: TFRecord framing (u64 length, masked CRC-32C of the length,
data, masked CRC-32C of the data; the CRC computed here bit by bit) and the
protobuf wire format of TensorFlow's Event (wall_time=1, step=2,
file_version=3, summary=5 { value=1 { tag=1, simple_value=2 } }). Prints
"file_version V" and one line per scalar: "STEP TAG VALUE".

usage: tfevents.py FILE
"""
import struct
import sys

from crc32c import crc32c


def masked(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def varint(buf, pos):
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def fields(buf):
    """(field number, wire type, value) of each field of a message."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            length, pos = varint(buf, pos)
            value, pos = buf[pos:pos + length], pos + length
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            sys.exit(f"unknown wire type {wire}")
        yield number, wire, value


def main():
    data = open(sys.argv[1], "rb").read()
    pos = 0
    while pos < len(data):
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if masked(header) != length_crc:
            sys.exit(f"bad length CRC at offset {pos}")
        record = data[pos + 12:pos + 12 + length]
        (data_crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        if len(record) != length or masked(record) != data_crc:
            sys.exit(f"bad or truncated record at offset {pos}")
        pos += 16 + length
        step = 0
        scalars = []
        for number, wire, value in fields(record):
            if number == 2:
                step = value
            elif number == 3:
                print("file_version", value.decode())
            elif number == 5:
                for vnum, _, v in fields(value):
                    if vnum != 1:
                        continue
                    tag, simple = None, None
                    for n, _, x in fields(v):
                        if n == 1:
                            tag = x.decode()
                        elif n == 2:
                            (simple,) = struct.unpack("<f", x)
                    scalars.append((tag, simple))
        for tag, simple in scalars:
            print(step, tag, repr(simple))


main()

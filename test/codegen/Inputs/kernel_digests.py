#!/usr/bin/env python3
"""Prints what code generation makes of each model, as digests a change of
the compiler's structure must leave alone (unchanged-kernels.test).

usage: kernel_digests.py DATA WORKDIR [kernels:]MODEL.dsl...

For every model, one line per kernel of each target:
  MODEL cpu INDEX DIGEST NAME    SHA-256 of the kernel's lowered Halide
                                 statement (--emit=stmt) for the AVX2 target
  MODEL cuda INDEX DIGEST NAME   SHA-256 of its PTX (--emit=ptx --target=cuda)
then, unless the model is given as kernels:MODEL.dsl (one that is not for
MNIST), the training the AVX2 model.so does: one epoch, seed 0, on DATA:
  MODEL trained DIGEST test loss: L - test accuracy: A
where DIGEST is the SHA-256 of the checkpoint's model, parameter, optimizer
and final-weights sections (the others hold timings). A kernel's NAME may
change with the structure; its code and the numbers may not. Digests are
cut to 16 hex digits. The models are done two at a time, printed in the
order given.
"""
import concurrent.futures
import hashlib
import os
import re
import struct
import subprocess
import sys

AVX2 = "x86-64-linux-avx2-fma-f16c-sse41"


def digest(data):
    return hashlib.sha256(data).hexdigest()[:16]


def kernels(text):
    """(name, body) of each kernel in an --emit=stmt or --emit=ptx text."""
    parts = re.split(r"^// kernel (\S+)\n", text, flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


def trained_sections(path):
    """The checkpoint's sections that training alone decides
    (docs/checkpoint.md: a 16-byte header, then tag, CRC, length)."""
    with open(path, "rb") as f:
        data = f.read()
    at, kept = 16, b""
    while at < len(data):
        tag = data[at:at + 4]
        (length,) = struct.unpack_from("<Q", data, at + 8)
        if tag in (b"MODL", b"PARM", b"OPTM", b"FINL"):
            kept += tag + data[at + 16:at + 16 + length]
        at += 16 + length
    return kept


def run(*command):
    return subprocess.run(command, check=True, capture_output=True,
                          text=True).stdout


def lines(model):
    """What the docstring says for one model, as a list of lines."""
    train = not model.startswith("kernels:")
    model = model.removeprefix("kernels:")
    name = os.path.splitext(os.path.basename(model))[0]
    out = []
    for label, flags in (("cpu", ["--emit=stmt", f"--target={AVX2}"]),
                         ("cuda", ["--emit=ptx", "--target=cuda"])):
        for index, (kernel, body) in enumerate(
                kernels(run("mnistc", model, *flags))):
            out.append(f"{name} {label} {index} {digest(body.encode())} "
                       f"{kernel}")
    if train:
        library = os.path.join(work, name + ".so")
        checkpoint = os.path.join(work, name + ".ckpt")
        run("mnistc", model, "-o", library, f"--target={AVX2}")
        result = re.search(
            r"test loss: \S+ - test accuracy: \S+",
            run("mnistrt", "train", library, "--data", data, "--epochs", "1",
                "--seed", "0", "--checkpoint", checkpoint, "--quiet"))
        out.append(f"{name} trained {digest(trained_sections(checkpoint))} "
                   + (result.group(0) if result else "(no test result)"))
    return out


data, work = sys.argv[1], sys.argv[2]
os.environ["HL_NUM_THREADS"] = "1"  # the same sums whatever the machine
with concurrent.futures.ThreadPoolExecutor(2) as pool:
    for model_lines in pool.map(lines, sys.argv[3:]):
        print("\n".join(model_lines))

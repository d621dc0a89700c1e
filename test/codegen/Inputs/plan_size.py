#!/usr/bin/env python3
"""Reads `mnistc --emit=kernels` on stdin and prints the kernel calls of
each step ("train kernels 18"). The regression guard codegen/plan-size.test
checks these per example: a change that splits fused kernels shows up
there, before any timing does."""
import re
import sys

step, counts = None, {}
for line in sys.stdin:
    header = re.match(r"^(\w+):$", line)
    if header:
        step = header.group(1)
        counts.setdefault(step, 0)
        continue
    if step in ("train", "eval", "forward") and line.startswith("  mnistc_k"):
        counts[step] += 1
for name in ("train", "eval", "forward"):
    print(f"{name} kernels {counts.get(name, 0)}")

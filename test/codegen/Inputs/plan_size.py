#!/usr/bin/env python3
"""Reads `mnistc --emit=kernels` on stdin and prints the plan's structural
size: the kernel calls of each step ("train kernels 18") and the arena's
floats per image ("arena floats per image 52776": every arena buffer that
is not a view of another, its extents without the batch multiplied). The
regression guard codegen/plan-size.test checks these per example: a change
that splits fused kernels or grows the arena shows up there, before any
timing does."""
import re
import sys

step, counts, arena = None, {}, 0
for line in sys.stdin:
    header = re.match(r"^(\w+):$", line)
    if header:
        step = header.group(1)
        counts.setdefault(step, 0)
        continue
    if step in ("train", "eval", "forward") and line.startswith("  mnistc_k"):
        counts[step] += 1
    buffer = re.match(r"^  %\d+ f32 \(([^)]*)\) arena( view)?", line)
    if step == "buffers" and buffer and not buffer.group(2):
        size = 1
        for d in buffer.group(1).split(","):
            d = d.strip()
            if d and d != "n":
                size *= int(d)
        arena += size
for name in ("train", "eval", "forward"):
    print(f"{name} kernels {counts.get(name, 0)}")
print(f"arena floats per image {arena}")

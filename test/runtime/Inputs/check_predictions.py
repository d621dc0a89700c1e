#!/usr/bin/env python3
"""Compares `mnistrt predict` output ("PATH: DIGIT (P%) - top 3: ...") with
the labels make_digit_images wrote (OUTDIR/labels.txt, "filename label"),
prints "N of M right" and fails when fewer than MIN are.

usage: check_predictions.py PREDICTIONS LABELS MIN
"""
import os
import sys

predictions, labels, minimum = sys.argv[1], sys.argv[2], int(sys.argv[3])
truth = dict(line.split() for line in open(labels) if line.strip())
right = total = 0
for line in open(predictions):
    path, rest = line.split(": ", 1)
    name = os.path.basename(path)
    total += 1
    right += truth[name] == rest.split()[0]
print(f"{right} of {total} right")
if total != len(truth) or right < minimum:
    sys.exit(f"expected {len(truth)} predictions and at least {minimum} right")

#!/usr/bin/env python3
"""Reads the output of `mnistrt train` for the same model and seed built
with different schedules (files given as arguments, the first the
reference) and checks that every loss it prints (per epoch, and the test
loss) agrees with the reference within a relative 1e-3: a schedule may
change the order of a sum (Li2018 splits reductions across threads), not
the training. Prints one line per file; exits 1 on a difference."""
import re
import sys


def losses(path):
    with open(path) as f:
        return [float(x) for x in re.findall(r"loss: ([0-9.]+)", f.read())]


reference = losses(sys.argv[1])
if not reference:
    sys.exit(f"{sys.argv[1]}: no losses")
status = 0
for path in sys.argv[1:]:
    got = losses(path)
    same = len(got) == len(reference) and all(
        abs(a - b) <= 1e-3 * abs(b) for a, b in zip(got, reference))
    print(f"{path.rsplit('/', 1)[-1]}: {len(got)} losses, "
          f"{'same' if same else 'DIFFERENT'} training")
    status |= not same
sys.exit(status)

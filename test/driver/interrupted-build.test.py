#!/usr/bin/env python3
"""For interrupted-build.test: starts `mnistc MODEL -o OUT/m.so`, waits
until its object directory /tmp/mnistc.PID.* exists, interrupts it (SIGINT,
then in a second build SIGKILL), and prints what is left; after the
SIGKILL a second, whole build must remove the killed one's directory.

usage: interrupted-build.test.py MODEL SMALL_MODEL OUT
"""
import glob
import os
import signal
import subprocess
import sys
import time

model, small, out = sys.argv[1:4]


def build_and(sig):
    proc = subprocess.Popen(["mnistc", model, "-o", f"{out}/m.so"])
    pattern = f"/tmp/mnistc.{proc.pid}.*"
    deadline = time.time() + 120
    while not glob.glob(pattern):
        if proc.poll() is not None or time.time() > deadline:
            sys.exit("the build ended before it could be interrupted")
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(sig)
    code = proc.wait()
    print(f"{signal.Signals(sig).name}: exit {code}, "
          f"{len(glob.glob(pattern))} object directories left, "
          f"{len(glob.glob(out + '/m.so*'))} outputs left")
    return pattern


build_and(signal.SIGINT)
stale = build_and(signal.SIGKILL)
subprocess.run(["mnistc", small, "-o", f"{out}/small.so"], check=True)
print(f"after the next build: {len(glob.glob(stale))} object directories left")

#!/usr/bin/env python3
"""Runs a command, waits until its standard output shows a line starting
with WHEN, waits DELAY seconds more, sends it SIGINT as Ctrl-C would, and
exits with the command's exit code after copying its standard output to
ours and its standard error to ours. Fails (exit 99) if the command ends
before it could be interrupted. For the Ctrl-C test of checkpoint.test.

usage: interrupt.py WHEN DELAY COMMAND...
"""
import signal
import subprocess
import sys
import time

when, delay, command = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
for line in proc.stdout:
    sys.stdout.write(line)
    if line.startswith(when):
        break
else:
    sys.exit(f"interrupt.py: the command ended before printing {when!r}")
time.sleep(delay)
if proc.poll() is not None:
    sys.exit(99)
proc.send_signal(signal.SIGINT)
sys.stdout.write(proc.stdout.read())
sys.exit(proc.wait())

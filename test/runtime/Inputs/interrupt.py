#!/usr/bin/env python3
"""Runs a command, waits until its standard output shows a line starting
with WHEN, waits DELAY seconds more, sends it SIGINT as Ctrl-C would (or,
with --term, SIGTERM as kill would), and
exits with the command's exit code after copying its standard output to
ours and its standard error to ours. Fails (exit 99) if the command ends
before it could be interrupted. For the Ctrl-C test of checkpoint.test.

usage: interrupt.py [--term] WHEN DELAY COMMAND...
"""
import signal
import subprocess
import sys
import time

args = sys.argv[1:]
sent = signal.SIGINT
if args and args[0] == "--term":
    sent, args = signal.SIGTERM, args[1:]
when, delay, command = args[0], float(args[1]), args[2:]
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
proc.send_signal(sent)
sys.stdout.write(proc.stdout.read())
sys.exit(proc.wait())

#!/usr/bin/env python3
"""Assembles every PTX module of `mnistc --emit=ptx` output with ptxas.

usage: ptxas_each.py PTXAS ARCH FILE

Each module (after a "// kernel SYMBOL" line) goes through `ptxas -v
-arch=ARCH` on its own; the script prints "kernel SYMBOL" and ptxas's
report (registers, spills, shared memory of each entry point) for each,
and exits 1 if ptxas refuses one or there is none.
"""
import re
import subprocess
import sys
import tempfile

ptxas, arch, path = sys.argv[1:4]
parts = re.split(r"^// kernel (\S+)\n", open(path).read(), flags=re.M)
modules = list(zip(parts[1::2], parts[2::2]))
if not modules:
    sys.exit(f"{path}: no '// kernel' sections")
status = 0
with tempfile.NamedTemporaryFile("w", suffix=".ptx") as ptx:
    for symbol, text in modules:
        ptx.seek(0)
        ptx.truncate()
        ptx.write(text)
        ptx.flush()
        run = subprocess.run([ptxas, "-v", f"-arch={arch}", ptx.name, "-o",
                              "/dev/null"], capture_output=True, text=True)
        print(f"kernel {symbol}")
        print(run.stdout + run.stderr, end="")
        if run.returncode:
            print(f"error: ptxas failed on {symbol}")
            status = 1
sys.exit(status)

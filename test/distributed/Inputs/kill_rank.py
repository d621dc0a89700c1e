"""Kills one rank of a running data-parallel job, as a crash would.

usage: kill_rank.py RANK FILE -- COMMAND...

Starts COMMAND (an mpirun), waits until FILE exists (the first checkpoint),
sends SIGKILL to the process of that job (a descendant of the mpirun, not
of another test's) whose OMPI_COMM_WORLD_RANK is RANK, waits for the job
to end and exits with its status; the job's stdout and stderr pass
through.
"""
import os
import signal
import subprocess
import sys
import time

rank, marker = sys.argv[1], sys.argv[2]
command = sys.argv[sys.argv.index("--") + 1:]
job = subprocess.Popen(command)


def parent(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def descends_from_job(pid):
    """Whether `pid` is a process of this job, not of another test's."""
    try:
        while pid > 1:
            pid = parent(pid)
            if pid == job.pid:
                return True
    except OSError:
        pass
    return False


def find_rank():
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if (b"OMPI_COMM_WORLD_RANK=" + rank.encode() in env
                and b"mnistrt" in cmdline and descends_from_job(int(pid))):
            return int(pid)
    return None


deadline = time.time() + 120
while not os.path.exists(marker):
    if job.poll() is not None or time.time() > deadline:
        sys.exit(f"kill_rank.py: the job ended before {marker} was written")
    time.sleep(0.05)
pid = find_rank()
if pid is None:
    sys.exit(f"kill_rank.py: no process of rank {rank}")
os.kill(pid, signal.SIGKILL)
sys.exit(job.wait())

"""Kills one rank of a running data-parallel job, as a crash would.

usage: kill_rank.py RANK FILE -- COMMAND...
       kill_rank.py RANK --at-start -- COMMAND...

Starts COMMAND (an mpirun), waits until FILE exists (the first checkpoint),
sends SIGKILL to the process of that job (a descendant of the mpirun, not
of another test's) whose OMPI_COMM_WORLD_RANK is RANK, waits for the job
to end and exits with its status; the job's stdout and stderr pass
through.

With --at-start, RANK is killed during start-up instead: once every other
rank's mnistrt catches SIGTERM (the signal mpirun ends the survivors with),
or after 10 s if one never does. RANK's program may be any (a stand-in
that never joins the job).
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


def ranks():
    """{rank: pid} of the job's processes, and whether each is mnistrt."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        rank_vars = [v for v in env if v.startswith(b"OMPI_COMM_WORLD_RANK=")]
        if rank_vars and descends_from_job(int(pid)):
            found[rank_vars[0].split(b"=")[1].decode()] = (
                int(pid), b"mnistrt" in cmdline)
    return found


def catches_sigterm(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("SigCgt:"):
                return int(line.split()[1], 16) >> (signal.SIGTERM - 1) & 1
    return False


def others_ready():
    found = ranks()
    others = [pid for r, (pid, _) in found.items() if r != rank]
    try:
        return rank in found and others and all(map(catches_sigterm, others))
    except OSError:
        return False


if marker == "--at-start":
    deadline = time.time() + 10
    while not others_ready() and time.time() < deadline:
        if job.poll() is not None:
            sys.exit("kill_rank.py: the job ended during start-up")
        time.sleep(0.01)
else:
    deadline = time.time() + 120
    while not os.path.exists(marker):
        if job.poll() is not None or time.time() > deadline:
            sys.exit(f"kill_rank.py: the job ended before {marker} was written")
        time.sleep(0.05)
pid, is_mnistrt = ranks().get(rank, (None, False))
stand_in_allowed = marker == "--at-start"
if pid is None or not (is_mnistrt or stand_in_allowed):
    sys.exit(f"kill_rank.py: no process of rank {rank}")
os.kill(pid, signal.SIGKILL)
sys.exit(job.wait())

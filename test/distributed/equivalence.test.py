"""The runs of equivalence.test for one model.so: 1, 2, 4 ranks and 2
again, each `mnistrt train` for 2 epochs with a checkpoint, then
compare_checkpoints on the pairs. Prints what compare_checkpoints prints;
exits non-zero if a run or a comparison fails. The training lines of the
runs (accuracy and loss per epoch, the test line) must agree to the
printed digits for the ranks without dropout, and are shown on failure.

usage: equivalence.test.py MODEL.so WORKDIR
"""
import os
import subprocess
import sys

model, work = sys.argv[1], sys.argv[2]
name = os.path.basename(model)[:-3]


def train(ranks, tag):
    ckpt = os.path.join(work, f"{name}.{tag}.ckpt")
    command = ["mnistrt", "train", model, "--data", os.path.join(work, "data"),
               "--epochs", "2", "--seed", "1", "--checkpoint", ckpt]
    if ranks > 1:
        command = ["mpirun", "-np", str(ranks)] + command
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({run.returncode}):\n"
                 f"{run.stdout}{run.stderr}")
    lines = [line.split(" images/s")[-1] for line in run.stdout.splitlines()
             if line.startswith("Epoch") or line.startswith("test")]
    return ckpt, lines


def compare(title, a, b, tolerance):
    print(f"== {title}", flush=True)
    code = subprocess.run(["compare_checkpoints", model, a, b,
                           str(tolerance)]).returncode
    if code != 0:
        sys.exit(f"{title}: beyond the tolerance {tolerance}")


one, lines1 = train(1, "1")
two, lines2 = train(2, "2")
four, lines4 = train(4, "4")
again, lines2b = train(2, "2b")
compare("2 ranks against 1", one, two, 1e-4)
compare("4 ranks against 1", one, four, 1e-4)
compare("2 ranks, run again", two, again, 0)
print("== every run's epochs", flush=True)
if lines2 != lines2b or len(lines1) != len(lines2) or len(lines1) != 3:
    sys.exit("the runs printed different epochs:\n" +
             "\n".join(lines1 + lines2 + lines2b))

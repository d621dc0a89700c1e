# lit configuration for mnistc. Test files: .dsl (model descriptions run
# through mnistc), .mlir (nn dialect run through mnistc-opt) and .test
# (driver-level scripts). FileCheck and `not` come from LLVM 19.
#
# Substitutions:
#   %examples    the examples/ folder of the source tree
#   %mnist       data/mnist of the source tree (`make setup` fills it)
#   %mnistc_lib  the build's lib/ folder (test/runtime's fake models)
#   %inputs      test/runtime/Inputs (helper scripts)
#   %python      the Python running lit
#   %e2e         the build's test/e2e folder: every e2e model.so, built
#                for the CPU (test/CMakeLists.txt, MNISTC_E2E_MODELS)
import os
import sys

import lit.formats

config.name = "mnistc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".dsl", ".mlir", ".test"]
config.excludes = ["Inputs", "corpus", "unit", "e2e", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mnistc_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.mnistc_tools_dir, config.llvm_tools_dir,
     config.environment.get("PATH", os.environ.get("PATH", ""))])
config.substitutions.append(
    ("%examples", os.path.join(config.mnistc_src_root, "examples")))
config.substitutions.append(
    ("%mnistc_lib", os.path.join(config.mnistc_obj_root, "lib")))
config.substitutions.append(
    ("%mnist", os.path.join(config.mnistc_src_root, "data", "mnist")))
config.substitutions.append(
    ("%inputs", os.path.join(config.mnistc_src_root, "test", "runtime",
                             "Inputs")))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(
    ("%e2e", os.path.join(config.mnistc_obj_root, "test", "e2e")))

# Open MPI's mpirun (data-parallel training, test/distributed/): feature
# mpirun. It refuses to run as root unless told (CI runs as root).
import shutil
if shutil.which("mpirun"):
    config.available_features.add("mpirun")
    config.environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    config.environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    config.environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1"

# Built with ASan and UBSan (make check-sanitize): tests that limit the
# address space, which ASan's shadow memory needs, are skipped.
if config.mnistc_sanitize == "ON":
    config.available_features.add("sanitize")

# CUDA: ptxas assembles the PTX of --target=cuda (feature ptxas, where
# /usr/local/cuda has it); a CUDA driver (libcuda.so) means a GPU may be
# there (feature cuda-driver: the no-GPU error tests need its absence).
ptxas = "/usr/local/cuda/bin/ptxas"
if os.access(ptxas, os.X_OK):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
import ctypes.util
if ctypes.util.find_library("cuda"):
    config.available_features.add("cuda-driver")

# The CPU's instruction-set extensions, as /proc/cpuinfo lists them:
# feature cpu-<flag> (cpu-avx512f, cpu-fma4), for the tests of a model.so
# that checks its CPU at load (test/codegen/cpu-check.test), and
# %portable_variant, the variant of a --target=portable model.so that must
# run here: avx512 where the CPU has AVX-512 at Skylake-X's level, else
# avx2 (test/codegen/portable.test).
cpu_flags = set()
try:
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("flags"):
                cpu_flags = set(line.split(":", 1)[1].split())
                break
except OSError:
    pass
for flag in cpu_flags:
    config.available_features.add("cpu-" + flag)
skylake_x = {"avx512f", "avx512cd", "avx512vl", "avx512bw", "avx512dq"}
config.substitutions.append(
    ("%portable_variant",
     "avx512" if skylake_x <= cpu_flags else "avx2"))

//===- HostTarget.h - The Halide targets mnistc compiles the CPU code for ===//
//
// `--target=host` is this machine's Halide target, resolved by mnistc from
// CPUID and XGETBV through the table of CpuFeatures.h rather than by
// Halide's get_host_target(), which can pick a feature group whose code
// the CPU cannot run (Halide issue #7834: Zen 4 taken for Sapphire
// Rapids). `--target=portable` is a list of variants, best first; a
// model.so built for it holds the kernels of each and runs the first the
// CPU executes (docs/driver.md#targets).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_HOSTTARGET_H
#define MNISTC_COMPILER_CODEGEN_HOSTTARGET_H

#include "compiler/Support/CpuFeatures.h"

#include "Halide.h"

#include <string>
#include <vector>

namespace mnistc::codegen {

/// The x86-64 Linux target of a CPU with `cpu`: every Halide feature of
/// halideFeaturesOf(cpu).
Halide::Target targetForCpu(const CpuFeatures &cpu);

/// targetForCpu(runningCpuFeatures()), computed once.
const Halide::Target &hostTarget();

/// One variant of a model.so's CPU code: its kernels' symbols end in
/// "_<name>" (no suffix for a model.so of one variant).
struct TargetVariant {
  std::string name;
  Halide::Target target;
};

/// The variants of --target=portable, best first: "avx512" at Skylake-X's
/// level (F, CD, VL, BW, DQ: every AVX-512 CPU since 2017, Intel and AMD),
/// then the "avx2" baseline with FMA (Haswell, 2013, and every AMD Zen).
std::vector<TargetVariant> portableTargets();

} // namespace mnistc::codegen

#endif

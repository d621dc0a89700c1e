//===- CpuFeatures.h - What an x86-64 CPU executes, and what a target needs ===//
//
// The one table that ties Halide 14's x86 target features to the
// instruction-set extensions of a CPU. mnistc's `--target=host` is every
// Halide feature whose extensions the CPU has (HostTarget.h), and a
// model.so refuses, at mnistc_create, a CPU that lacks an extension of a
// feature it was compiled with: both read this table, so the compiler
// never picks a feature the model.so would then refuse.
//
// A Halide feature needs the extensions LLVM 14 turns on for it: the
// `+attrs` of CodeGen_X86::mattrs() and those of the `-mcpu` that
// CodeGen_X86::mcpu() picks for its group (haswell for avx2,
// skylake-avx512, cannonlake, sapphirerapids), where code generation can
// emit them without intrinsics (vector ISA, BMI, LZCNT, MOVBE, PREFETCHW).
// Extensions reached only through intrinsics Halide does not call (AES,
// SHA, ADX, RDRAND, CLWB, VP2INTERSECT, ...) are left out. Halide's own
// host detection (get_host_target, and its runtime's) takes a CPU with
// AVX512-VNNI and AVX512-BF16 for Sapphire Rapids, whose -mcpu also emits
// AVX-VNNI and AVX512-FP16, which Zen 4 lacks (Halide issue #7834); here
// the group needs them. See docs/driver.md#targets.
//
// Plain C++ without Halide: linked into the compiler and into every
// model.so (the support library).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_SUPPORT_CPUFEATURES_H
#define MNISTC_COMPILER_SUPPORT_CPUFEATURES_H

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

namespace mnistc {

/// The extensions the table below names, spelled as Linux's /proc/cpuinfo
/// spells them (cpuFeatureName).
enum class CpuFeature {
  SSSE3, SSE4_1, SSE4_2, POPCNT, AVX, AVX2, FMA, FMA4, F16C, BMI1, BMI2,
  ABM, MOVBE, PREFETCHW,
  AVX512F, AVX512CD, AVX512ER, AVX512PF, AVX512VL, AVX512BW, AVX512DQ,
  AVX512IFMA, AVX512VBMI, AVX512VNNI, AVX512BF16, AVX512VBMI2,
  AVX512BITALG, AVX512VPOPCNTDQ, AVX512FP16, AVXVNNI, GFNI, VAES,
  VPCLMULQDQ, AMXTILE, AMXINT8, AMXBF16,
  Count
};
using CpuFeatures = std::bitset<static_cast<size_t>(CpuFeature::Count)>;

/// "avx512f", "avx_vnni", "abm" (LZCNT), "3dnowprefetch" (PREFETCHW).
const char *cpuFeatureName(CpuFeature feature);

/// The extensions the running CPU executes: CPUID, and XGETBV for the
/// register state the OS saves (AVX needs the YMM state, AVX-512 the
/// opmask and ZMM state, AMX the tile state).
CpuFeatures runningCpuFeatures();

/// The extensions named in `flags` (a /proc/cpuinfo "flags" line, or any
/// names separated by spaces); names the table does not use are ignored.
CpuFeatures parseCpuFlags(std::string_view flags);

/// The names of `features`, separated by `separator`.
std::string cpuFeatureNames(const CpuFeatures &features,
                            const char *separator = " ");

/// One Halide x86 feature ("avx2") and the extensions it needs.
struct HalideCpuFeature {
  const char *name;
  CpuFeatures needs;
};

/// Every x86 feature of Halide 14 a model.so can be compiled with, in
/// Halide's order (sse41 first, avx512_sapphirerapids last).
const std::vector<HalideCpuFeature> &halideCpuFeatures();

/// The Halide features (their names) a CPU with `cpu` runs: every one whose
/// extensions it has. This is what --target=host resolves to.
std::vector<std::string> halideFeaturesOf(const CpuFeatures &cpu);

/// The Halide features of `target` (a Halide target string, e.g.
/// "x86-64-linux-avx-avx2-fma-no_runtime") that need an extension `cpu`
/// lacks, each with the extensions missing: {"fma4", {FMA4}}. Empty for a
/// target whose CPU code `cpu` runs, and for a target of another
/// architecture.
std::vector<std::pair<std::string, CpuFeatures>>
missingCpuFeatures(std::string_view target, const CpuFeatures &cpu);

} // namespace mnistc

#endif

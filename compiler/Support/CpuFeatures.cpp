//===- CpuFeatures.cpp - What an x86-64 CPU executes, and what a target needs =//
//
// See CpuFeatures.h. The CPUID bits are those of Intel's Software
// Developer's Manual (vol. 2A, CPUID) and AMD's APM (vol. 3, appendix E),
// as Linux's arch/x86/include/asm/cpufeatures.h names them.
//
//===----------------------------------------------------------------------===//
#include "compiler/Support/CpuFeatures.h"

#include <cstdint>
#include <initializer_list>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace mnistc {

namespace {

using F = CpuFeature;

constexpr const char *kNames[] = {
    "ssse3", "sse4_1", "sse4_2", "popcnt", "avx", "avx2", "fma", "fma4",
    "f16c", "bmi1", "bmi2", "abm", "movbe", "3dnowprefetch",
    "avx512f", "avx512cd", "avx512er", "avx512pf", "avx512vl", "avx512bw",
    "avx512dq", "avx512ifma", "avx512vbmi", "avx512_vnni", "avx512_bf16",
    "avx512_vbmi2", "avx512_bitalg", "avx512_vpopcntdq", "avx512_fp16",
    "avx_vnni", "gfni", "vaes", "vpclmulqdq", "amx_tile", "amx_int8",
    "amx_bf16"};
static_assert(sizeof(kNames) / sizeof(kNames[0]) ==
              static_cast<size_t>(CpuFeature::Count));

CpuFeatures of(std::initializer_list<CpuFeature> features,
               const CpuFeatures &base = {}) {
  CpuFeatures set = base;
  for (CpuFeature f : features)
    set.set(static_cast<size_t>(f));
  return set;
}

#if defined(__x86_64__) || defined(__i386__)
struct Registers {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
};

Registers cpuid(unsigned leaf, unsigned subleaf = 0) {
  Registers r;
  if (!__get_cpuid_count(leaf, subleaf, &r.eax, &r.ebx, &r.ecx, &r.edx))
    return Registers();
  return r;
}

uint64_t xgetbv0() {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t(hi) << 32) | lo;
}
#endif

} // namespace

const char *cpuFeatureName(CpuFeature feature) {
  return kNames[static_cast<size_t>(feature)];
}

CpuFeatures runningCpuFeatures() {
  CpuFeatures set;
#if defined(__x86_64__) || defined(__i386__)
  auto bit = [&](unsigned reg, int b, CpuFeature f) {
    if (reg >> b & 1)
      set.set(static_cast<size_t>(f));
  };
  unsigned maxLeaf = cpuid(0).eax;
  Registers l1 = cpuid(1);
  bit(l1.ecx, 9, F::SSSE3);
  bit(l1.ecx, 12, F::FMA);
  bit(l1.ecx, 19, F::SSE4_1);
  bit(l1.ecx, 20, F::SSE4_2);
  bit(l1.ecx, 22, F::MOVBE);
  bit(l1.ecx, 23, F::POPCNT);
  bit(l1.ecx, 28, F::AVX);
  bit(l1.ecx, 29, F::F16C);
  if (maxLeaf >= 7) {
    Registers l7 = cpuid(7, 0);
    bit(l7.ebx, 3, F::BMI1);
    bit(l7.ebx, 5, F::AVX2);
    bit(l7.ebx, 8, F::BMI2);
    bit(l7.ebx, 16, F::AVX512F);
    bit(l7.ebx, 17, F::AVX512DQ);
    bit(l7.ebx, 21, F::AVX512IFMA);
    bit(l7.ebx, 26, F::AVX512PF);
    bit(l7.ebx, 27, F::AVX512ER);
    bit(l7.ebx, 28, F::AVX512CD);
    bit(l7.ebx, 30, F::AVX512BW);
    bit(l7.ebx, 31, F::AVX512VL);
    bit(l7.ecx, 1, F::AVX512VBMI);
    bit(l7.ecx, 6, F::AVX512VBMI2);
    bit(l7.ecx, 8, F::GFNI);
    bit(l7.ecx, 9, F::VAES);
    bit(l7.ecx, 10, F::VPCLMULQDQ);
    bit(l7.ecx, 11, F::AVX512VNNI);
    bit(l7.ecx, 12, F::AVX512BITALG);
    bit(l7.ecx, 14, F::AVX512VPOPCNTDQ);
    bit(l7.edx, 22, F::AMXBF16);
    bit(l7.edx, 23, F::AVX512FP16);
    bit(l7.edx, 24, F::AMXTILE);
    bit(l7.edx, 25, F::AMXINT8);
    if (l7.eax >= 1) {
      Registers l71 = cpuid(7, 1);
      bit(l71.eax, 4, F::AVXVNNI);
      bit(l71.eax, 5, F::AVX512BF16);
    }
  }
  if (cpuid(0x80000000).eax >= 0x80000001) {
    Registers e1 = cpuid(0x80000001);
    bit(e1.ecx, 5, F::ABM);
    bit(e1.ecx, 8, F::PREFETCHW);
    bit(e1.ecx, 16, F::FMA4);
  }
  // The register state the OS saves on a context switch (XCR0): without
  // it the instructions fault, whatever CPUID says.
  uint64_t xcr0 = l1.ecx >> 27 & 1 ? xgetbv0() : 0;
  bool ymm = (xcr0 & 0x6) == 0x6;
  bool zmm = ymm && (xcr0 & 0xe0) == 0xe0;
  bool tiles = (xcr0 & 0x60000) == 0x60000;
  for (size_t i = 0; i < set.size(); ++i) {
    std::string_view name = kNames[i];
    bool evex = name.rfind("avx512", 0) == 0;
    bool amx = name.rfind("amx", 0) == 0;
    bool vex = !evex && !amx &&
               (name.rfind("avx", 0) == 0 || name == "fma" ||
                name == "fma4" || name == "f16c" || name == "vaes" ||
                name == "vpclmulqdq" || name == "gfni");
    if ((evex && !zmm) || (vex && !ymm) || (amx && !tiles))
      set.reset(i);
  }
#endif
  return set;
}

CpuFeatures parseCpuFlags(std::string_view flags) {
  CpuFeatures set;
  size_t start = 0;
  while (start < flags.size()) {
    size_t end = flags.find_first_of(" \t\n", start);
    if (end == std::string_view::npos)
      end = flags.size();
    std::string_view word = flags.substr(start, end - start);
    for (size_t i = 0; i < set.size(); ++i)
      if (word == kNames[i])
        set.set(i);
    start = end + 1;
  }
  return set;
}

std::string cpuFeatureNames(const CpuFeatures &features,
                            const char *separator) {
  std::string out;
  for (size_t i = 0; i < features.size(); ++i)
    if (features.test(i))
      out += (out.empty() ? "" : separator) + std::string(kNames[i]);
  return out;
}

const std::vector<HalideCpuFeature> &halideCpuFeatures() {
  static const std::vector<HalideCpuFeature> table = [] {
    // The -mcpu groups: penryn (sse41), corei7-avx (avx), haswell (avx2),
    // skylake-avx512, cannonlake, sapphirerapids; each holds the one before.
    CpuFeatures sse41 = of({F::SSSE3, F::SSE4_1});
    CpuFeatures avx = of({F::SSE4_2, F::POPCNT, F::AVX}, sse41);
    CpuFeatures haswell = of({F::AVX2, F::FMA, F::F16C, F::BMI1, F::BMI2,
                              F::ABM, F::MOVBE},
                             avx);
    CpuFeatures avx512 = of({F::AVX512F, F::AVX512CD}, haswell);
    CpuFeatures skylake =
        of({F::AVX512VL, F::AVX512BW, F::AVX512DQ, F::PREFETCHW}, avx512);
    CpuFeatures cannonlake = of({F::AVX512IFMA, F::AVX512VBMI}, skylake);
    CpuFeatures sapphireRapids =
        of({F::AVX512VNNI, F::AVX512BF16, F::AVX512VBMI2, F::AVX512BITALG,
            F::AVX512VPOPCNTDQ, F::AVX512FP16, F::AVXVNNI, F::GFNI, F::VAES,
            F::VPCLMULQDQ, F::AMXTILE, F::AMXINT8, F::AMXBF16},
           cannonlake);
    return std::vector<HalideCpuFeature>{
        {"sse41", sse41},
        {"avx", avx},
        {"avx2", haswell},
        {"fma", of({F::FMA}, avx)},
        {"fma4", of({F::FMA4}, avx)},
        {"f16c", of({F::F16C}, avx)},
        {"avx512", avx512},
        {"avx512_knl", of({F::AVX512ER, F::AVX512PF}, avx512)},
        {"avx512_skylake", skylake},
        {"avx512_cannonlake", cannonlake},
        {"avx512_sapphirerapids", sapphireRapids}};
  }();
  return table;
}

std::vector<std::string> halideFeaturesOf(const CpuFeatures &cpu) {
  std::vector<std::string> names;
  for (const HalideCpuFeature &f : halideCpuFeatures())
    if ((f.needs & ~cpu).none())
      names.push_back(f.name);
  return names;
}

std::vector<std::pair<std::string, CpuFeatures>>
missingCpuFeatures(std::string_view target, const CpuFeatures &cpu) {
  std::vector<std::pair<std::string, CpuFeatures>> missing;
  if (target.rfind("x86-", 0) != 0)
    return missing;
  size_t start = 0;
  while (start <= target.size()) {
    size_t end = target.find('-', start);
    if (end == std::string_view::npos)
      end = target.size();
    std::string_view token = target.substr(start, end - start);
    for (const HalideCpuFeature &f : halideCpuFeatures())
      if (token == f.name && (f.needs & ~cpu).any())
        missing.emplace_back(f.name, f.needs & ~cpu);
    start = end + 1;
  }
  return missing;
}

} // namespace mnistc

//===- CpuFeaturesTest.cpp - The host target and the check at load --------===//
//
// --target=host from the instruction-set extensions of real CPUs, as
// Linux's /proc/cpuinfo lists them (the vector and bit-manipulation
// flags; the rest changes nothing here), against the Halide features
// each must get; the check a model.so makes at mnistc_create
// (missingCpuFeatures); and, on the machine the test runs on, what CPUID
// says against /proc/cpuinfo.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/HostTarget.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace mnistc;

namespace {

constexpr const char *kHaswell =
    "ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand "
    "abm bmi1 avx2 bmi2 erms invpcid xsaveopt";
constexpr const char *kZen2 =
    "ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand "
    "abm sse4a misalignsse 3dnowprefetch bmi1 avx2 bmi2 rdseed adx "
    "clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 xsaves";
// AMD EPYC 9004 (Zen 4): AVX-512 with VNNI and BF16, but neither AVX-VNNI
// nor AVX512-FP16, which Halide's avx512_sapphirerapids emits.
constexpr const char *kZen4 =
    "ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand "
    "abm sse4a 3dnowprefetch bmi1 avx2 bmi2 rdseed adx avx512f avx512dq "
    "avx512ifma avx512cd avx512bw avx512vl sha_ni avx512_bf16 avx512vbmi "
    "avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg "
    "avx512_vpopcntdq";
constexpr const char *kSkylakeX =
    "ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand "
    "abm 3dnowprefetch bmi1 avx2 bmi2 rdseed adx avx512f avx512dq "
    "avx512cd avx512bw avx512vl clflushopt clwb pku";
// Cooper Lake: Cascade Lake with AVX512-BF16; Halide's own detection
// needs IFMA for Cannon Lake, and it has none.
constexpr const char *kCooperLake =
    "ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand "
    "abm 3dnowprefetch bmi1 avx2 bmi2 rdseed adx avx512f avx512dq "
    "avx512cd avx512bw avx512vl avx512_vnni avx512_bf16";
constexpr const char *kIceLake =
    "ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand "
    "abm 3dnowprefetch bmi1 avx2 bmi2 rdseed adx avx512f avx512dq "
    "avx512ifma avx512cd avx512bw avx512vl sha_ni avx512vbmi avx512_vbmi2 "
    "gfni vaes vpclmulqdq avx512_vnni avx512_bitalg avx512_vpopcntdq";
constexpr const char *kSapphireRapids =
    "ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand "
    "abm 3dnowprefetch bmi1 avx2 bmi2 rdseed adx avx512f avx512dq "
    "avx512ifma avx512cd avx512bw avx512vl sha_ni avx_vnni avx512_bf16 "
    "avx512vbmi avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni "
    "avx512_bitalg avx512_vpopcntdq amx_bf16 avx512_fp16 amx_tile amx_int8";
// AMD Piledriver: FMA4 and FMA3, no AVX2.
constexpr const char *kPiledriver =
    "ssse3 fma cx16 sse4_1 sse4_2 popcnt aes xsave avx f16c abm sse4a "
    "3dnowprefetch fma4 bmi1";

struct HostCase {
  const char *cpu;
  const char *flags;
  const char *target; // Halide's canonical order
};

class HostTargetOf : public ::testing::TestWithParam<HostCase> {};

TEST_P(HostTargetOf, IsTheFeaturesItRuns) {
  const HostCase &c = GetParam();
  CpuFeatures cpu = parseCpuFlags(c.flags);
  Halide::Target target = codegen::targetForCpu(cpu);
  EXPECT_EQ(target.to_string(), c.target);
  // The model.so's check at load accepts what the compiler picked.
  EXPECT_TRUE(missingCpuFeatures(target.to_string(), cpu).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cpus, HostTargetOf,
    ::testing::Values(
        HostCase{"Haswell", kHaswell, "x86-64-linux-avx-avx2-f16c-fma-sse41"},
        HostCase{"Zen2", kZen2, "x86-64-linux-avx-avx2-f16c-fma-sse41"},
        HostCase{"Zen4", kZen4,
                 "x86-64-linux-avx-avx2-avx512-avx512_cannonlake-"
                 "avx512_skylake-f16c-fma-sse41"},
        HostCase{"SkylakeX", kSkylakeX,
                 "x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41"},
        HostCase{"CooperLake", kCooperLake,
                 "x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41"},
        HostCase{"IceLake", kIceLake,
                 "x86-64-linux-avx-avx2-avx512-avx512_cannonlake-"
                 "avx512_skylake-f16c-fma-sse41"},
        HostCase{"SapphireRapids", kSapphireRapids,
                 "x86-64-linux-avx-avx2-avx512-avx512_cannonlake-"
                 "avx512_sapphirerapids-avx512_skylake-f16c-fma-sse41"},
        HostCase{"Piledriver", kPiledriver,
                 "x86-64-linux-avx-f16c-fma-fma4-sse41"}),
    [](const auto &info) { return std::string(info.param.cpu); });

// What Halide 14's get_host_target() answers on Zen 4: its code holds
// AVX-VNNI instructions.
TEST(MissingCpuFeatures, NamesWhatZen4LacksForSapphireRapids) {
  auto missing = missingCpuFeatures(
      "x86-64-linux-avx-avx2-avx512-avx512_cannonlake-avx512_sapphirerapids-"
      "avx512_skylake-f16c-fma-sse41",
      parseCpuFlags(kZen4));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].first, "avx512_sapphirerapids");
  EXPECT_EQ(cpuFeatureNames(missing[0].second),
            "avx512_fp16 avx_vnni amx_tile amx_int8 amx_bf16");
}

TEST(MissingCpuFeatures, NamesEachFeatureTheCpuLacks) {
  auto missing = missingCpuFeatures("x86-64-linux-fma4-no_runtime",
                                    parseCpuFlags(kSapphireRapids));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].first, "fma4");
  EXPECT_EQ(cpuFeatureNames(missing[0].second), "fma4");
  // The AVX2 variant of --target=portable on a CPU without AVX2.
  missing = missingCpuFeatures(
      codegen::portableTargets().back().target.to_string(),
      parseCpuFlags(kPiledriver));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].first, "avx2");
  EXPECT_EQ(cpuFeatureNames(missing[0].second), "avx2 bmi2 movbe");
}

TEST(MissingCpuFeatures, IgnoresOtherArchitecturesAndGpuFeatures) {
  EXPECT_TRUE(
      missingCpuFeatures("arm-64-linux-arm_dot_prod", CpuFeatures()).empty());
  EXPECT_TRUE(missingCpuFeatures("x86-64-linux-sse41-cuda-cuda_capability_80",
                                 parseCpuFlags(kHaswell))
                  .empty());
}

TEST(PortableTargets, RunFromBestToBaseline) {
  std::vector<codegen::TargetVariant> variants = codegen::portableTargets();
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[0].name, "avx512");
  EXPECT_EQ(variants[1].name, "avx2");
  // Skylake-X runs the AVX-512 variant, Zen 2 only the baseline.
  EXPECT_TRUE(missingCpuFeatures(variants[0].target.to_string(),
                                 parseCpuFlags(kSkylakeX))
                  .empty());
  EXPECT_FALSE(missingCpuFeatures(variants[0].target.to_string(),
                                  parseCpuFlags(kZen2))
                   .empty());
  EXPECT_TRUE(missingCpuFeatures(variants[1].target.to_string(),
                                 parseCpuFlags(kZen2))
                  .empty());
}

/// The "flags" line of /proc/cpuinfo, or "" where there is none.
std::string procCpuFlags() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("flags", 0) == 0)
      return line.substr(line.find(':') + 1);
  return "";
}

// On the machine the test runs on: every extension Linux lists is one
// CPUID and XGETBV report, and every feature of the host target needs
// only what Linux lists.
TEST(ThisMachine, AgreesWithProcCpuinfo) {
  std::string flags = procCpuFlags();
  if (flags.empty())
    GTEST_SKIP() << "no /proc/cpuinfo";
  CpuFeatures listed = parseCpuFlags(flags), cpuid = runningCpuFeatures();
  EXPECT_EQ(cpuFeatureNames(listed & ~cpuid), "")
      << "Linux lists them, CPUID does not";
  std::string host = codegen::hostTarget().to_string();
  for (const auto &[feature, lacking] : missingCpuFeatures(host, listed))
    ADD_FAILURE() << "the host target " << host << " has " << feature
                  << ", which needs " << cpuFeatureNames(lacking)
                  << ", not in /proc/cpuinfo";
}

} // namespace

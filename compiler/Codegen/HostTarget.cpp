//===- HostTarget.cpp - The Halide targets mnistc compiles the CPU code for =//
//
// See HostTarget.h.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/HostTarget.h"

namespace mnistc::codegen {

Halide::Target targetForCpu(const CpuFeatures &cpu) {
  std::vector<Halide::Target::Feature> features;
  for (const std::string &name : halideFeaturesOf(cpu))
    features.push_back(Halide::Target::feature_from_name(name));
  return Halide::Target(Halide::Target::Linux, Halide::Target::X86, 64,
                        features);
}

const Halide::Target &hostTarget() {
  static const Halide::Target target = targetForCpu(runningCpuFeatures());
  return target;
}

std::vector<TargetVariant> portableTargets() {
  return {{"avx512", Halide::Target("x86-64-linux-sse41-avx-avx2-fma-f16c-"
                                    "avx512-avx512_skylake")},
          {"avx2", Halide::Target("x86-64-linux-sse41-avx-avx2-fma-f16c")}};
}

} // namespace mnistc::codegen

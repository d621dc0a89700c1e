//===- KernelTestSupport.h - Helpers shared by the kernel tests -*- C++ -*-===//
//
// JIT plumbing for the tests of compiler/Ops/: a per-process cache so each
// kernel shape is built and compiled once however many cases use it, the
// conversions between the reference's double tensors and Halide buffers,
// seeded random data, and the one comparison every test states its
// tolerance through.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_TEST_UNIT_KERNELTESTSUPPORT_H
#define MNISTC_TEST_UNIT_KERNELTESTSUPPORT_H

#include "compiler/Ops/Activation.h"
#include "compiler/Ops/Kernel.h"
#include "test/unit/Reference.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace mnistc::test {

/// The target every test builds and JIT-compiles for.
const Halide::Target &hostTarget();

/// The kernel `build` makes, built and JIT-compiled on first use of `key`
/// and reused afterwards.
ops::Kernel &cachedKernel(const std::string &key,
                          const std::function<ops::Kernel()> &build);

/// Binds `inputs` to the kernel's buffer inputs in order and realizes into
/// `outputs` (scalars must already be set).
void run(ops::Kernel &kernel, std::vector<Halide::Buffer<>> inputs,
         std::vector<Halide::Buffer<>> outputs);

/// The reference's name for a kernel activation.
ref::Act refAct(ops::Activation act);

/// `count` values uniform in [lo, hi), reproducible from `seed`.
ref::Tensor randomTensor(size_t count, double lo, double hi, unsigned seed);

/// The tensor rounded to float32, as the kernels will see it.
ref::Tensor roundToFloat(ref::Tensor t);

/// A dense float buffer of the given extents (innermost first) holding `t`.
Halide::Buffer<float> toBuffer(const ref::Tensor &t,
                               const std::vector<int> &extents);

/// All elements of a dense buffer, in memory order.
ref::Tensor toTensor(const Halide::Buffer<float> &b);

/// Passes when every |got − want| ≤ rtol · max(|want|, rms(want)): a
/// relative tolerance that does not blow up on elements near zero.
::testing::AssertionResult allClose(const ref::Tensor &got,
                                    const ref::Tensor &want, double rtol);

} // namespace mnistc::test

#endif // MNISTC_TEST_UNIT_KERNELTESTSUPPORT_H

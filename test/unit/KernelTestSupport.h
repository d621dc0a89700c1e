//===- KernelTestSupport.h - Helpers shared by the kernel tests -*- C++ -*-===//
//
// JIT plumbing for the tests of compiler/Ops/: a per-process cache so each
// kernel shape is built and compiled once however many cases use it, the
// conversions between the reference's double tensors and Halide buffers,
// seeded random data, and the one comparison every test states its
// tolerance through.
//
// With MNISTC_KERNEL_SCHEDULE=gpu in the environment the same tests check
// the GPU schedule (ops::scheduleForGPU, what --target=cuda compiles)
// without a GPU: every kernel is built unscheduled, takes the GPU
// schedule and is JIT-compiled for OpenCL instead of CUDA (the same
// blocks, threads, shared memory and barriers), which pocl runs on this
// CPU. pocl links its own LLVM, which must not meet Halide's in one
// symbol namespace, so the OpenCL library is loaded into a namespace of
// its own (dlmopen) and handed to Halide's runtime through its JIT hooks.
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

/// The target every test builds and JIT-compiles for: the host as
/// `mnistc --target=host` resolves it (HostTarget.h), or the Halide target
/// MNISTC_KERNEL_TARGET pins (the kernels-unittests-avx2 run on AVX-512
/// machines), with OpenCL for the GPU schedule's kernels (which is how the
/// builders of the in-place kernels know to leave their schedule to
/// scheduleForGPU).
const Halide::Target &hostTarget();

/// Whether this run checks the GPU schedule (MNISTC_KERNEL_SCHEDULE=gpu).
bool gpuSchedule();

/// What the tests build kernels for: hostTarget(), with the builders'
/// CPU schedules unless the kernels take the GPU schedule.
const ops::KernelTarget &kernelTarget();

/// The kernel `build` makes, built and JIT-compiled on first use of `key`
/// (for the host, or with the GPU schedule for OpenCL) and reused
/// afterwards.
ops::Kernel &cachedKernel(const std::string &key,
                          const std::function<ops::Kernel()> &build);

/// Binds `inputs` to the kernel's buffer inputs in order and realizes into
/// `outputs` (scalars must already be set); on OpenCL the inputs are sent
/// to the device and the outputs brought back.
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

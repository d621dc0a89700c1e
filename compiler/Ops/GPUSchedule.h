//===- GPUSchedule.h - The CUDA schedule of every kernel -------*- C++ -*-===//
//
// `mnistc --target=cuda` builds every kernel without the builders' CPU
// schedules (KernelTarget's `schedule` false) and hands its pipeline to
// scheduleForGPU, which maps it onto the GPU by kind of Func, the same
// way for every op, kept apart from the algorithms like the CPU
// schedules:
//  - a pure Func that is not an output is inlined into its consumers (an
//    elementwise epilogue: bias, activation, scaling, the fused
//    activation gradients), unless the builder names it in
//    Kernel::gpuRoots (a weight transpose: computed once, like a
//    reduction);
//  - a reduction (a Func with update definitions: a matrix product, a
//    convolution, a channel or batch sum) is computed at the root, once
//    per call, in a kernel of its own: its pure variables are fused into
//    one index, one GPU thread per element, 128 threads a block, and the
//    reduction domain runs in order inside each thread;
//  - but a matrix product (a 2-D Func reduced over one axis: the Dense
//    layers' forward, input gradient and weight gradient) whose only
//    consumer is an output reading it elementwise (the epilogue) is
//    tiled and fused with that output into one kernel: a block of 16x16
//    threads computes a 16x16 tile of the output, one element each (the
//    initial value, the product, the epilogue), and walks the reduction
//    16 at a time, both operands' 16x16 tiles for the step staged in
//    shared memory, each element loaded by one thread and read by 16;
//  - such a convolution (a 4-D Func reduced over three axes: the Conv2D
//    forward and input gradient) is fused with its output too, but not
//    tiled: one thread per output element computes the convolution in a
//    register, then the epilogue (on an H100 this beat every shared-memory
//    tiling tried: docs/performance.md);
//  - a reduction over the batch and more (a channel sum over images and
//    pixels) is first reduced per image, in parallel (Halide's rfactor:
//    one thread per output element and image), then over the images: a
//    per-channel sum would otherwise run on a few threads only, each over
//    the whole batch. So is a reduction over kLongReduction or more
//    elements of several axes (a convolution's weight gradient over a
//    chunk of images), split along its outermost axis;
//  - every output stage is tiled the same way.
// Every tail is guarded, so each element is computed exactly once and an
// output may alias an input read at the same element (the in-place
// optimizer updates). A stage with no pure variable (a scalar loss)
// runs on one GPU thread.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_GPUSCHEDULE_H
#define MNISTC_COMPILER_OPS_GPUSCHEDULE_H

#include "compiler/Ops/Kernel.h"

namespace mnistc::ops {

/// The CUDA threads of each block of a tiled stage.
constexpr int kGPUThreadsPerBlock = 128;

/// The side of a matrix product's square block of threads, and the step
/// of its reduction staged in shared memory.
constexpr int kProductTile = 16;

/// The length of a reduction over constant axes from which it is split.
constexpr int kLongReduction = 4096;

/// Schedules every Func of the kernel's pipeline (built unscheduled) for
/// the GPU; with `tile` false matrix products and convolutions are
/// reductions like the others, neither tiled nor fused (mnistc
/// --schedule=simple, for comparison).
void scheduleForGPU(Kernel &kernel, bool tile = true);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_GPUSCHEDULE_H

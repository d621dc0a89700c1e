//===- L2Regularizer.h - Kernels of kernel_regularizer=l2(λ) ---*- C++ -*-===//
//
// Keras's L2 regularizer adds λ·Σw² of a layer's kernel to the loss it
// reports and trains on, so 2λw to the kernel's gradient. Two kernels over
// the kernel tensor seen as a flat array of `count` floats: one adds the
// penalty to the loss (train and eval steps), one adds the gradient term
// in the gradient buffer before the optimizer update (train step).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_L2REGULARIZER_H
#define MNISTC_COMPILER_OPS_L2REGULARIZER_H

#include "compiler/Ops/Kernel.h"

namespace mnistc::ops {

/// "l2_penalty_<count>": loss' = loss + float(λ·Σ w²), the sum in double in
/// index order. Buffers: loss (0-d), w (count). Output: loss' (0-d), which
/// may alias loss.
Kernel l2Penalty(int count, double l2, const KernelTarget &target);

/// "l2_gradient_<count>": g' = g + 2λ·w elementwise. Buffers: w, g
/// (count). Output: g' (count), which may alias g.
Kernel l2Gradient(int count, double l2, const KernelTarget &target);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_L2REGULARIZER_H

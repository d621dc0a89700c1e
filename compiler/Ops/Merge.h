//===- Merge.h - Kernels of the Add and Concatenate layers -----*- C++ -*-===//
//
// Builders for the layers that merge tensors, and for the backward of
// Concatenate. Add is elementwise over a (features, n) buffer, the
// Keras tensor flattened past its batch axis. Concatenate joins along the
// channel (last Keras) axis: a tensor [n, d1, ..., dk, C] is the dense
// Halide buffer (C, S, n) with S = d1·…·dk (1 for rank 2), as in
// BatchNorm.h. Add also sums the gradients of a value that feeds several
// layers (gradient fan-in), in a fixed input order.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_MERGE_H
#define MNISTC_COMPILER_OPS_MERGE_H

#include "compiler/Ops/Activation.h"
#include "compiler/Ops/Kernel.h"

namespace mnistc::ops {

/// "add_<inputs>x<features>[_<act>]": y = act(x0 + x1 + …), summed left
/// to right; act is the Activation layer nn-fuse-activations folded in.
/// Buffers: x0 … x(inputs−1), each (features, n). Output: y (features, n).
Kernel addForward(int features, int inputs, Activation act,
                  const KernelTarget &target);

/// "concatenate_<S>_<C0>_<C1>…": y(c, s, n) = x_i(c − offset_i, s, n) for
/// the input i whose channels [offset_i, offset_i + C_i) hold c.
/// Buffers: x_i (C_i, S, n). Output: y (ΣC_i, S, n).
Kernel concatenateChannels(int spatial, const std::vector<int> &channels,
                           const KernelTarget &target);

/// "slice_<S>_<C>_<offset>_<count>": y(c, s, n) = x(offset + c, s, n),
/// the gradient of one Concatenate input. Buffers: x (C, S, n).
/// Output: y (count, S, n).
Kernel sliceChannels(int spatial, int channels, int offset, int count,
                     const KernelTarget &target);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_MERGE_H

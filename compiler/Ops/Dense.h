//===- Dense.h - Kernels of the Dense layer ---------------------*- C++ -*-===//
//
// Builders for the three kernels a Dense layer y = act(x·W + b) needs in
// training: the forward pass, the gradient with respect to the input, and
// the gradients with respect to the kernel and bias. Shapes follow Keras:
// x [n, in], W (in, units), b (units), y [n, units]; batch n is a run-time
// extent, in and units are fixed per model. Softmax is not an activation
// here: a softmax layer is a linear Dense followed by the softmax kernels
// of SoftmaxCrossEntropy.h. See docs/kernels.md for the math, layouts and
// measured times.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_DENSE_H
#define MNISTC_COMPILER_OPS_DENSE_H

#include "compiler/Ops/Activation.h"
#include "compiler/Ops/Kernel.h"

#include <optional>

namespace mnistc::ops {

struct DenseShape {
  int in;    ///< input features (Keras kernel dim 0)
  int units; ///< output features (Keras kernel dim 1)
};

/// How the batched matmul shared by the Dense kernels is blocked on a CPU.
/// The defaults (defaultTiling) were measured on AVX2; see docs/kernels.md.
struct MatmulTiling {
  int vectors = 2;   ///< output columns per register tile, in SIMD vectors
  int rows = 4;      ///< output rows per register tile
  int kBlock = 256;  ///< reduction block (RDom split) that keeps the
                     ///< weight panel in L1 while a task sweeps its rows
  int rowBlock = 64; ///< output rows per parallel task
};

/// The tiling the schedules use for `target` unless told otherwise.
MatmulTiling defaultTiling(const KernelTarget &target);

/// "dense_forward": y = act(x·W + b).
/// Buffers: x (in, n), W (units, in), b (units). Output: y (units, n), whose
/// batch extent must equal x's.
Kernel denseForward(DenseShape shape, Activation act,
                    const KernelTarget &target,
                    std::optional<MatmulTiling> tiling = std::nullopt);

/// "dense_backward_input": dx = dz·Wᵀ with dz = dy ⊙ act'(y), the
/// derivative written in terms of the forward OUTPUT y (relu: y > 0,
/// sigmoid: y(1 − y), tanh: 1 − y²).
/// Buffers: dy (units, n), y (units, n), W (units, in). Output: dx (in, n).
/// y is read only for a non-linear act but is always an argument, so all
/// activations share one signature.
Kernel denseBackwardInput(DenseShape shape, Activation act,
                          const KernelTarget &target,
                          std::optional<MatmulTiling> tiling = std::nullopt);

/// "dense_backward_params": dW = xᵀ·dz and db = Σ_batch dz, both summed
/// over the batch in a fixed order (bit-reproducible run to run).
/// Buffers: dy (units, n), y (units, n), x (in, n). Outputs: dW (units, in),
/// db (units). Both are overwritten, not accumulated into.
Kernel denseBackwardParams(DenseShape shape, Activation act,
                           const KernelTarget &target,
                           std::optional<MatmulTiling> tiling = std::nullopt);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_DENSE_H

//===- Pool.h - Kernels of the MaxPooling2D and AveragePooling2D layers -*-===//
//
// Builders for 2-D max and average pooling, channels-last like Conv2D.h:
// x [n, inH, inW, c] is the Halide buffer (c, inW, inH, n), the output
// (c, outW, outH, n), with Keras's pool_size, strides and 'valid'/'same'
// geometry (KERAS_SEMANTICS §6, windowAxis in Conv2D.h). In 'same'
// padding a padded cell never wins a max, and an average divides by the
// number of non-padded cells in its window. Max-pool ties: the gradient of
// a window goes to its FIRST maximum in row-major window order (ky outer,
// kx inner), a single cell (what we believe TensorFlow's CPU MaxPoolGrad
// does; not checked against TF here). See docs/kernels.md.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_POOL_H
#define MNISTC_COMPILER_OPS_POOL_H

#include "compiler/Ops/Conv2D.h"

namespace mnistc::ops {

struct PoolShape {
  int inH, inW, channels;
  int ph, pw; ///< pool_size (rows, cols)
  int sh, sw; ///< strides (Keras defaults them to pool_size)
  bool samePadding = false;

  WindowAxis rows() const { return windowAxis(inH, ph, sh, samePadding); }
  WindowAxis cols() const { return windowAxis(inW, pw, sw, samePadding); }
};

/// "max_pool_..._forward": y = max over each window's non-padded cells.
/// Buffers: x (c, inW, inH, n). Output: y (c, outW, outH, n).
Kernel maxPoolForward(PoolShape shape, const KernelTarget &target);

/// "max_pool_..._[<act>_]backward": dx(cell) = Σ of dy over the windows
/// whose first maximum is that cell, times act'(x(cell)) when x is the
/// output of an activation (folded in by nn-fuse-activations; Activation.h
/// writes the derivative in terms of that output). The arg-max is
/// recomputed from x. Buffers: dy (c, outW, outH, n), x (c, inW, inH, n).
/// Output: dx (c, inW, inH, n).
Kernel maxPoolBackward(PoolShape shape, Activation act,
                       const KernelTarget &target);

/// "avg_pool_..._forward": y = mean over each window's non-padded cells.
/// Buffers: x (c, inW, inH, n). Output: y (c, outW, outH, n).
Kernel avgPoolForward(PoolShape shape, const KernelTarget &target);

/// "avg_pool_..._backward": dx(cell) = Σ over windows holding the cell of
/// dy / (non-padded cells of that window).
/// Buffers: dy (c, outW, outH, n). Output: dx (c, inW, inH, n), whose batch
/// extent must equal dy's.
Kernel avgPoolBackward(PoolShape shape, const KernelTarget &target);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_POOL_H

//===- Conv2D.h - Kernels of the Conv2D layer -------------------*- C++ -*-===//
//
// Builders for the three kernels a channels-last Conv2D layer
// y = act(conv(x, W) + b) needs in training: the forward pass, the gradient
// with respect to the input, and the gradients with respect to the kernel
// and bias. Shapes follow Keras: x [n, inH, inW, inC], W (kh, kw, inC,
// filters), b (filters), y [n, outH, outW, filters]; in Halide (innermost
// first) x is (inC, inW, inH, n), W is (filters, inC, kw, kh) and y is
// (filters, outW, outH, n). The batch n is a run-time extent, everything
// else is fixed per model. Also here: the NHWC buffer helpers that Pool.h
// shares.
// See docs/kernels.md.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_CONV2D_H
#define MNISTC_COMPILER_OPS_CONV2D_H

#include "compiler/Ops/Dense.h"
#include "compiler/Ops/Kernel.h"
#include "compiler/Support/WindowGeometry.h"

namespace mnistc::ops {

/// One spatial axis of a sliding window (compiler/Support/WindowGeometry.h);
/// `in` ≥ `k` is required for valid padding.
using WindowAxis = WindowAxisOf<int>;

/// A row-major [n, h, w, c] input: Halide dims (c, w, h, n), all dense,
/// c, w, h static, batch extent dynamic.
Halide::ImageParam nhwcInput(const std::string &name, int c, int w, int h);

/// Constrains every output buffer of `out` to the nhwcInput layout with
/// batch extent `batch`.
void constrainNhwcOutput(Halide::Func out, int c, int w, int h,
                         Halide::Expr batch);

/// The CPU schedule of the pooling kernels (Pool.h): out(c, w, h, n)
/// parallel over (h, n) rows, `acc` (a reduction over the same pure vars,
/// inlined into nothing else) computed per SIMD vector of channels at each
/// pixel, channel tails shifted inwards. Conv2D's own kernels use register
/// tiles instead (Conv2D.cpp).
void scheduleChannelsLastCPU(Halide::Func out, Halide::Func acc, int channels,
                             const KernelTarget &target);

struct Conv2DShape {
  int inH, inW, inC; ///< input height, width, channels
  int filters;       ///< output channels
  int kh, kw;        ///< kernel size
  int sh = 1, sw = 1;
  bool samePadding = false; ///< Keras padding='same' (else 'valid')

  WindowAxis rows() const { return windowAxis(inH, kh, sh, samePadding); }
  WindowAxis cols() const { return windowAxis(inW, kw, sw, samePadding); }
};

/// "conv2d_..._forward": y = act(b + Σ_{ky,kx,ci} W·x_padded), zero padding.
/// Buffers: x (inC, inW, inH, n), W (filters, inC, kw, kh), b (filters).
/// Output: y (filters, outW, outH, n), batch extent equal to x's.
Kernel conv2dForward(Conv2DShape shape, Activation act,
                     const KernelTarget &target);

/// "conv2d_..._backward_input": dx = transposed convolution of
/// dz = dy ⊙ act'(y) (act' from the forward OUTPUT y, as in Dense.h).
/// Buffers: dy (filters, outW, outH, n), y (same), W (filters, inC, kw, kh).
/// Output: dx (inC, inW, inH, n). Input cells no window reads get 0.
Kernel conv2dBackwardInput(Conv2DShape shape, Activation act,
                           const KernelTarget &target);

/// "conv2d_..._backward_params": dW = Σ_{n,oy,ox} dz ⊗ x_padded window,
/// db = Σ_{n,oy,ox} dz, each summed in a fixed order (reproducible).
/// Buffers: dy (filters, outW, outH, n), y (same), x (inC, inW, inH, n).
/// Outputs: dW (filters, inC, kw, kh), db (filters), overwritten.
Kernel conv2dBackwardParams(Conv2DShape shape, Activation act,
                            const KernelTarget &target);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_CONV2D_H

//===- WindowGeometry.h - One spatial axis of a sliding window --*- C++ -*-===//
//
// Keras's geometry of a window op's spatial axis (Conv2D, the poolings;
// KERAS_SEMANTICS §6, keras/src/ops/operation_utils.py
// compute_conv_output_shape), written once for the whole compiler: shape
// inference and the verifiers of the nn ops (compiler/Dialect/NN/) and the
// kernels (compiler/Ops/) all use it.
//
//   valid  out = floor((in − k)/s) + 1, no padding (out < 1 when in < k:
//          callers report it)
//   same   out = ceil(in/s), P = max((out − 1)s + k − in, 0),
//          padBefore = floor(P/2) (the extra padded cell goes after:
//          bottom/right)
//
// Output o reads input cells o·s − padBefore + [0, k).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_SUPPORT_WINDOWGEOMETRY_H
#define MNISTC_COMPILER_SUPPORT_WINDOWGEOMETRY_H

#include <algorithm>

namespace mnistc {

template <typename Int> struct WindowAxisOf {
  Int in, k, s, out, padBefore;
};

/// The geometry of one axis of extent `in` under a window of `k` cells at
/// stride `s` (both ≥ 1).
template <typename Int>
constexpr WindowAxisOf<Int> windowAxis(Int in, Int k, Int s, bool samePadding) {
  WindowAxisOf<Int> a{in, k, s, 0, 0};
  if (samePadding) {
    a.out = (in + s - 1) / s;
    a.padBefore = std::max<Int>((a.out - 1) * s + k - in, 0) / 2;
  } else {
    a.out = (in - k) / s + 1;
  }
  return a;
}

} // namespace mnistc

#endif // MNISTC_COMPILER_SUPPORT_WINDOWGEOMETRY_H

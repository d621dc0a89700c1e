//===- Optimizers.h - Optimizer update kernels -----------------*- C++ -*-===//
//
// Builders for the parameter update of Keras's SGD, Adam and RMSprop
// (docs/KERAS_SEMANTICS.md §1-4): one elementwise kernel over the flat
// buffer that holds every trainable parameter, its gradient and the
// optimizer's state slots. The learning rate (and Adam's step) are
// run-time Params, so callbacks can change them without recompiling; the
// other hyperparameters are compile-time constants of the model.
//
// In place: each kernel reads w, g and the state and writes the new w and
// state as the elements of ONE Tuple-valued Func, so every element is read
// before any of its outputs is stored. Callers pass the same buffers as
// inputs and outputs (w → w, m → m, ...) and update in place; separate
// output buffers work too. Tails are guarded, never shifted inwards
// (shifting would apply an update twice to aliased elements).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_OPTIMIZERS_H
#define MNISTC_COMPILER_OPS_OPTIMIZERS_H

#include "compiler/Ops/Kernel.h"

namespace mnistc::ops {

/// Keras SGD: v ← μv − lr·g; w ← w + v (nesterov: w ← w + μv − lr·g, new
/// v); momentum 0: w ← w − lr·g with no state.
///
/// Hyperparameters are doubles, as Keras holds them in Python; each kernel
/// rounds them to float32 where TensorFlow does (1 − β1 is formed in double,
/// then rounded), so the float32 arithmetic matches Keras's op for op.
struct SGDOptions {
  double momentum = 0.0;
  bool nesterov = false;
  double weightDecay = 0.0; ///< w ← w − w·wd·lr before the update (§1.3)
};

/// Keras Adam: m ← m + (g − m)(1 − β1); v ← v + (g² − v)(1 − β2);
/// α = lr·√(1 − β2^t)/(1 − β1^t); w ← w − α·m/(√v + ε).
/// amsgrad: v̂ ← max(v̂, v) replaces v in the last step.
struct AdamOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  double weightDecay = 0.0; ///< 0.004 makes it Keras's AdamW
};

/// Keras RMSprop: v ← ρv + (1 − ρ)g²; inc = lr·g/√(v + ε) (ε inside the
/// root); momentum μ > 0: b ← μb + inc, w ← w − b; else w ← w − inc.
/// centered: a ← ρa + (1 − ρ)g and the root is √(v − a² + ε).
struct RMSpropOptions {
  double rho = 0.9;
  double momentum = 0.0;
  double epsilon = 1e-7;
  bool centered = false;
  double weightDecay = 0.0;
};

/// "sgd_update". Scalars: lr (float). Buffers: w, g, then v if momentum.
/// Outputs: w, then v if momentum. Every buffer is float (count).
Kernel sgdUpdate(int count, const SGDOptions &options,
                 const KernelTarget &target);

/// "adam_update". Scalars: lr (float), step (int32: t = iterations + 1,
/// 1 on the first update). Buffers: w, g, m, v, then v̂ if amsgrad.
/// Outputs: w, m, v, then v̂ if amsgrad.
Kernel adamUpdate(int count, const AdamOptions &options,
                  const KernelTarget &target);

/// "rmsprop_update". Scalars: lr (float). Buffers: w, g, v, then b if
/// momentum, then a if centered. Outputs: w, v, then b, then a, likewise.
Kernel rmspropUpdate(int count, const RMSpropOptions &options,
                     const KernelTarget &target);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_OPTIMIZERS_H

//===- SoftmaxCrossEntropy.h - Softmax and fused softmax + CE --*- C++ -*-===//
//
// Builders for the classifier head: the softmax probabilities (inference)
// and ONE fused, numerically stable kernel for training that turns logits
// and labels into the batch loss, its gradient and the number of correct
// predictions. The fused kernel is Keras's (Sparse)CategoricalCrossentropy
// on a softmax output as TensorFlow computes it (docs/KERAS_SEMANTICS.md
// §9): exact log-softmax cross-entropy from the pre-softmax logits, no
// clipping, reduction "sum_over_batch_size". Also the other loss Keras
// models here train with, mean squared error, fused with the final
// softmax in the same way.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_SOFTMAXCROSSENTROPY_H
#define MNISTC_COMPILER_OPS_SOFTMAXCROSSENTROPY_H

#include "compiler/Ops/Kernel.h"

namespace mnistc::ops {

/// How the labels of the fused kernel are given.
enum class LabelKind {
  Sparse,     ///< int32 class index per sample, Halide (n)
  Categorical ///< float one-hot (or soft) target per sample, Halide (C, n)
};

/// "softmax_forward": p(c, n) = exp(z(c, n) − max_c z) / Σ_c exp(...).
/// Buffers: logits (C, n). Output: probs (C, n).
Kernel softmaxForward(int classes, const KernelTarget &target);

/// "softmax_cross_entropy": for a batch of N = logits' batch extent,
///   lᵢ        = logsumexp(zᵢ) − Σ_c tᵢ_c zᵢ_c    (t = target distribution)
///   loss      = Σᵢ lᵢ / N                         (0-d float, the batch mean)
///   dlogits   = (softmax(zᵢ) − tᵢ) / N            ((C, n) float)
///   correct   = #{i : argmax_c zᵢ_c == label_i}   (0-d int32; first max wins;
///               categorical labels: label = argmax of the target row)
/// With label smoothing ls, t ← t(1 − ls) + ls/C (sparse labels are one-hot
/// first). A sparse label outside [0, C) contributes target 0 everywhere:
/// memory safe, never counted correct. loss is summed in double.
/// Buffers: logits (C, n), labels (n) int32 or (C, n) float.
/// Outputs, in order: loss, dlogits, correct.
Kernel softmaxCrossEntropy(int classes, LabelKind labels,
                           const KernelTarget &target,
                           float labelSmoothing = 0.0f);

/// "mean_squared_error_<softmax|linear>_<C>": Keras's MeanSquaredError on
/// p = softmax(z) (or p = z) with one-hot targets t, for a batch of N:
///   loss      = Σᵢ Σ_c (pᵢ_c − tᵢ_c)² / (N·C)   (0-d float, summed in double)
///   dz        = g, or p ⊙ (g − Σ_c g·p) through the softmax,
///               with g = 2(p − t)/(N·C)           ((C, n) float)
///   correct   = #{i : argmax_c pᵢ_c == argmax_c tᵢ_c} (first max wins)
/// Buffers: z (C, n), labels (C, n) float. Outputs, in order: loss, dz,
/// correct.
Kernel meanSquaredError(int classes, bool softmax, const KernelTarget &target);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_SOFTMAXCROSSENTROPY_H

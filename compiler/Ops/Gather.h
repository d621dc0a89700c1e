//===- Gather.h - A training batch picked from a resident data set -*- C++ -*-===//
//
// The kernel behind training from a data set the model.so holds
// (mnistc_set_dataset, docs/abi.md): it copies the images and labels of
// one batch, named by their places in an epoch's order, from the whole
// data set into the step's image and label buffers. On the GPU the data
// set, the order and the batch all live in device memory, so a step sends
// nothing to the GPU but its scalars. The labels come as class indices and
// leave in the model's label form (int32 indices, or one-hot float rows
// built here), so the data set is the same for every loss.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_GATHER_H
#define MNISTC_COMPILER_OPS_GATHER_H

#include "compiler/Ops/Kernel.h"

namespace mnistc::ops {

struct GatherShape {
  int features;  ///< floats per image
  int classes;   ///< one-hot row length; 0 for sparse (int32) labels
};

/// "gather_batch":
///   images(f, i) = data_images(f, order(offset + i))
///   labels(i)    = data_labels(order(offset + i))            (sparse)
///   labels(c, i) = data_labels(order(offset + i)) == c ? 1 : 0 (one-hot)
/// Scalars: offset (int32, the batch's first place in the order).
/// Buffers: data_images (features, count) float, data_labels (count)
/// int32, order (places) int32. Outputs: images (features, n), labels
/// (n) int32 or (classes, n) float. An order entry outside [0, count) is
/// clamped into it (the model support library refuses such orders before
/// they get here).
Kernel gatherBatch(GatherShape shape, const KernelTarget &target);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_GATHER_H

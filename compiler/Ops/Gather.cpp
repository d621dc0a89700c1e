//===- Gather.cpp - A training batch picked from a resident data set ------===//
//
// See Gather.h. Both outputs read the image's place through one index
// Func, inlined: a copy with an indirection, bound by memory traffic. On
// the CPU each image row is copied with vector loads and stores, blocks of
// rows in parallel; on the GPU one thread per element (GPUSchedule.h).
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Gather.h"

using namespace Halide;

namespace mnistc::ops {

Kernel gatherBatch(GatherShape shape, const KernelTarget &asked) {
  // An autoscheduler's tiles may shift inwards past a small batch's start,
  // reading order entries before the offset: a copy keeps its own
  // schedule on the CPU (Kernel.h; the GPU's computes each element once).
  const KernelTarget target = asked.inPlace();
  Param<int32_t> offset("offset");
  offset.set_estimate(0);
  ImageParam dataImages = batchMajorInput("data_images", shape.features);
  ImageParam dataLabels = batchInput("data_labels");
  ImageParam order = batchInput("order");

  // Algorithm.
  Var f("f"), c("c"), i("i");
  Expr last = dataImages.dim(1).extent() - 1;
  Func place("place");
  place(i) = clamp(order(offset + i), 0, last);
  Func images("images");
  images(f, i) = dataImages(f, place(i));
  Func labels("labels");
  Expr label = dataLabels(clamp(place(i), 0, dataLabels.dim(0).extent() - 1));
  // The batch is the images' extent: their buffer's own (a constraint of
  // a buffer by itself would be a reference cycle), the labels' bound.
  OutputImageParam batch = images.output_buffer();
  batch.dim(0).set_bounds(0, shape.features).set_stride(1);
  batch.dim(1).set_min(0).set_stride(shape.features);
  images.set_estimates({{0, shape.features}, {0, kBatchEstimate}});
  Expr n = batch.dim(1).extent();
  if (shape.classes > 0) {
    labels(c, i) = select(label == c, 1.0f, 0.0f);
    constrainBatchMajorOutput(labels, shape.classes, n);
  } else {
    labels(i) = label;
    labels.output_buffer().dim(0).set_bounds(0, n).set_stride(1);
    labels.set_estimates({{0, kBatchEstimate}});
  }

  // Schedule.
  scheduleRowsCPU(images, f, i, shape.features, target);
  if (shape.classes > 0)
    scheduleRowsCPU(labels, c, i, shape.classes, target);

  return makeKernel(shape.classes > 0 ? "gather_batch_onehot"
                                      : "gather_batch_sparse",
                    Pipeline({images, labels}), {offset},
                    {dataImages, dataLabels, order}, target);
}

} // namespace mnistc::ops

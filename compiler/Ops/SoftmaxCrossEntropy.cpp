//===- SoftmaxCrossEntropy.cpp - Softmax and fused softmax + CE ----------===//
//
// Both kernels work row by row on logits z of Halide shape (C, n). The
// numerically stable form subtracts the row maximum before exponentiating,
// so with logits anywhere in ±80 (or far beyond) every exp is in [0, 1],
// the row sum is in [1, C] and the loss lse − z_label stays finite:
//
//   m = max_c z_c,   s = Σ_c exp(z_c − m),   lse = m + log s
//   p_c = exp(z_c − m) / s,   l = Σ_c t_c (lse − z_c),
//   ∂l/∂z_c = p_c Σ_j t_j − t_c   (= p_c − t_c when t sums to 1)
//
// Rows are short (C = 10 for MNIST), so the schedules materialize the
// per-row statistics once and keep all work on one thread: the fused
// kernel takes 3 µs at batch 128 (softmax alone 2 µs), less than handing
// tasks to a second thread would cost. See docs/kernels.md.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/SoftmaxCrossEntropy.h"

#include "compiler/Codegen/Lowering.h"

#include <algorithm>
#include <optional>

using namespace Halide;

namespace mnistc::ops {

namespace {

/// The per-row statistics both kernels share.
struct RowSoftmax {
  Func rowMax; ///< m(n)
  Func expZ;   ///< exp(z(c, n) − m(n))
  Func rowSum; ///< s(n) = Σ_c expZ(c, n)
};

RowSoftmax softmaxAlgorithm(const std::string &prefix, Func z, int classes,
                            Var c, Var n) {
  RowSoftmax sm{Func(prefix + "_max"), Func(prefix + "_exp"),
                Func(prefix + "_sum")};
  RDom rc(0, classes, prefix + "_rc");
  sm.rowMax(n) = z(0, n);
  sm.rowMax(n) = max(sm.rowMax(n), z(rc, n));
  sm.expZ(c, n) = exp(z(c, n) - sm.rowMax(n));
  sm.rowSum(n) = 0.0f;
  sm.rowSum(n) += sm.expZ(rc, n);
  return sm;
}

/// The index of the first maximum of f(c, n) over c, as an int32 Func of n.
Func firstArgmax(const std::string &name, Func f, int classes, Var n) {
  Func arg(name);
  RDom rc(0, classes, name + "_rc");
  arg(n) = Tuple(0, f(0, n));
  Expr better = f(rc, n) > arg(n)[1]; // strict: the first max wins
  arg(n) =
      Tuple(select(better, rc, arg(n)[0]), select(better, f(rc, n), arg(n)[1]));
  Func index(name + "_index");
  index(n) = arg(n)[0];
  return index;
}

/// Schedules the per-row statistics of a batch: each is a short serial loop
/// over the C classes, computed once per row.
void scheduleRowSoftmaxCPU(RowSoftmax &sm, Var c, int classes,
                           const KernelTarget &target) {
  if (!target.schedule)
    return;
  const int lanes = std::min(classes, target.natural_vector_size<float>());
  sm.rowMax.compute_root();
  sm.expZ.compute_root().vectorize(c, lanes, TailStrategy::ShiftInwards);
  sm.rowSum.compute_root();
}

} // namespace

Kernel softmaxForward(int classes, const KernelTarget &target) {
  ImageParam logits = batchMajorInput("logits", classes);

  // Algorithm.
  Var c("c"), n("n");
  RowSoftmax sm = softmaxAlgorithm("softmax", logits, classes, c, n);
  Func probs("probs");
  probs(c, n) = sm.expZ(c, n) / sm.rowSum(n);
  constrainBatchMajorOutput(probs, classes, logits.dim(1).extent());

  // Schedule: one serial pass per stage; at C = 10 the whole batch of 128
  // takes 2 µs, less than waking the thread pool.
  if (target.schedule) {
    const int lanes = std::min(classes, target.natural_vector_size<float>());
    scheduleRowSoftmaxCPU(sm, c, classes, target);
    probs.vectorize(c, lanes, TailStrategy::ShiftInwards);
  }

  return makeKernel("softmax_" + std::to_string(classes) + "_forward",
                    Pipeline(probs), {}, {logits}, target);
}

Kernel softmaxCrossEntropy(int classes, LabelKind labelKind,
                           const KernelTarget &target, float labelSmoothing) {
  const bool sparse = labelKind == LabelKind::Sparse;
  ImageParam logits = batchMajorInput("logits", classes);
  ImageParam labels = sparse ? batchInput("labels", Int(32))
                             : batchMajorInput("labels", classes);
  Expr batch = logits.dim(1).extent();

  // Algorithm.
  Var c("c"), n("n");
  RowSoftmax sm = softmaxAlgorithm("sce", logits, classes, c, n);
  Func lse("sce_logsumexp");
  lse(n) = sm.rowMax(n) + log(sm.rowSum(n));

  // The target distribution t(c, n) and the label accuracy compares with.
  Func targetDist("sce_target"), label("sce_label");
  Expr t;
  if (sparse) {
    label(n) = labels(n);
    t = select(c == labels(n), 1.0f, 0.0f);
  } else {
    label(n) = firstArgmax("sce_label_argmax", labels, classes, n)(n);
    t = labels(c, n);
  }
  if (labelSmoothing != 0.0f) {
    Expr outside =
        sparse ? !(labels(n) >= 0 && labels(n) < classes) : Expr(false);
    t = select(outside, 0.0f,
               t * (1.0f - labelSmoothing) + labelSmoothing / classes);
  }
  targetDist(c, n) = t;

  RDom rc(0, classes, "sce_rc");
  Func targetSum("sce_target_sum"), sampleLoss("sce_sample_loss");
  targetSum(n) = 0.0f;
  targetSum(n) += targetDist(rc, n);
  // t · (lse − z), with 0 where t is 0 so an infinite logit of a class the
  // target ignores cannot turn the loss into NaN.
  sampleLoss(n) = 0.0f;
  sampleLoss(n) += select(targetDist(rc, n) == 0.0f, 0.0f,
                          targetDist(rc, n) * (lse(n) - logits(rc, n)));

  Func dlogits("dlogits");
  dlogits(c, n) =
      (sm.expZ(c, n) / sm.rowSum(n) * targetSum(n) - targetDist(c, n)) /
      cast<float>(batch);

  RDom rn(0, batch, "sce_rn");
  Func lossSum("sce_loss_sum"), loss("loss"), correct("correct");
  lossSum() = cast<double>(0);
  lossSum() += cast<double>(sampleLoss(rn));
  loss() = cast<float>(lossSum() / cast<double>(batch));
  Func predicted = firstArgmax("sce_argmax", logits, classes, n);
  correct() = 0;
  correct() += select(predicted(rn) == label(rn), 1, 0);

  constrainBatchMajorOutput(dlogits, classes, batch);
  if (sparse)
    labels.dim(0).set_extent(batch);
  else
    labels.dim(1).set_extent(batch);

  // Schedule: per-row statistics once per row (serial: see the file
  // comment), the gradient vectorized across classes, the two scalar
  // reductions in sample order (bit-reproducible).
  if (target.schedule) {
    const int lanes = std::min(classes, target.natural_vector_size<float>());
    scheduleRowSoftmaxCPU(sm, c, classes, target);
    lse.compute_root();
    targetDist.compute_root().vectorize(c, lanes, TailStrategy::ShiftInwards);
    targetSum.compute_root();
    sampleLoss.compute_root();
    label.compute_root();
    predicted.compute_root();
    dlogits.vectorize(c, lanes, TailStrategy::ShiftInwards);
    lossSum.compute_root();
  }

  std::string name = std::string("softmax_cross_entropy_") +
                     (sparse ? "sparse_" : "categorical_") +
                     std::to_string(classes);
  return makeKernel(name, Pipeline({loss, dlogits, correct}), {},
                    {logits, labels}, target);
}

Kernel meanSquaredError(int classes, bool softmax, const KernelTarget &target) {
  ImageParam z = batchMajorInput("z", classes);
  ImageParam labels = batchMajorInput("labels", classes);
  Expr batch = z.dim(1).extent();
  Expr scale = 1.0f / (cast<float>(batch) * classes);

  // Algorithm.
  Var c("c"), n("n");
  RDom rc(0, classes, "mse_rc");
  Func p("mse_p"), g("mse_g"), gp("mse_gp"), dz("dz");
  std::optional<RowSoftmax> sm;
  if (softmax) {
    sm = softmaxAlgorithm("mse_softmax", z, classes, c, n);
    p(c, n) = sm->expZ(c, n) / sm->rowSum(n);
  } else {
    p(c, n) = z(c, n);
  }
  g(c, n) = 2.0f * (p(c, n) - labels(c, n)) * scale;
  if (softmax) {
    gp(n) = 0.0f;
    gp(n) += g(rc, n) * p(rc, n);
    dz(c, n) = p(c, n) * (g(c, n) - gp(n));
  } else {
    dz(c, n) = g(c, n);
  }

  RDom rn(0, batch, "mse_rn");
  Func sampleLoss("mse_sample_loss"), lossSum("mse_loss_sum"), loss("loss"),
      correct("correct");
  sampleLoss(n) = cast<double>(0);
  sampleLoss(n) += cast<double>((p(rc, n) - labels(rc, n)) *
                                (p(rc, n) - labels(rc, n)));
  lossSum() = cast<double>(0);
  lossSum() += sampleLoss(rn);
  loss() = cast<float>(lossSum() / (cast<double>(batch) * classes));
  Func predicted = firstArgmax("mse_argmax", p, classes, n);
  Func label = firstArgmax("mse_label_argmax", labels, classes, n);
  correct() = 0;
  correct() += select(predicted(rn) == label(rn), 1, 0);

  constrainBatchMajorOutput(dz, classes, batch);
  labels.dim(1).set_extent(batch);

  // Schedule: like softmaxCrossEntropy, serial and per row (C is small),
  // the scalar reductions in sample order.
  if (target.schedule) {
    const int lanes = std::min(classes, target.natural_vector_size<float>());
    if (sm)
      scheduleRowSoftmaxCPU(*sm, c, classes, target);
    p.compute_root();
    g.compute_root();
    if (softmax)
      gp.compute_root();
    sampleLoss.compute_root();
    predicted.compute_root();
    label.compute_root();
    dz.vectorize(c, lanes, TailStrategy::ShiftInwards);
    lossSum.compute_root();
  }

  return makeKernel(std::string("mean_squared_error_") +
                        (softmax ? "softmax_" : "linear_") +
                        std::to_string(classes),
                    Pipeline({loss, dz, correct}), {}, {z, labels}, target);
}

//===----------------------------------------------------------------------===//
// Lowering (NN_KernelOpInterface)
//===----------------------------------------------------------------------===//

namespace {

using namespace mlir;
using namespace mnistc::nn;
using codegen::Lowering;
using codegen::shapeOf;

/// nn.softmax_cross_entropy: the fused loss and its gradient in the train
/// and eval steps; the forward step's softmax of the logits.
struct SoftmaxCrossEntropyKernels
    : KernelOp::ExternalModel<SoftmaxCrossEntropyKernels,
                              SoftmaxCrossEntropyOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto ce = cast<SoftmaxCrossEntropyOp>(op);
    int classes = shapeOf(ce.getLogits())[1];
    bool sparse = cast<RankedTensorType>(ce.getLabels().getType())
                      .getElementType()
                      .isInteger(32);
    int loss = l.buffer(ce.getLoss());
    int correct = l.buffer(ce.getCorrect());
    LabelKind labels = sparse ? LabelKind::Sparse : LabelKind::Categorical;
    l.call(
        [=](const KernelTarget &target) {
          return softmaxCrossEntropy(classes, labels, target);
        },
           {},
           {l.buffer(ce.getLogits()), l.buffer(ce.getLabels()), loss,
            l.buffer(ce.getDlogits()), correct},
           Lowering::Train | Lowering::Eval);
    int probs = l.probabilities(ce.getLogits());
    l.call(
        [=](const KernelTarget &target) {
          return softmaxForward(classes, target);
        },
        {},
           {l.buffer(ce.getLogits()), probs}, Lowering::Forward);
    return success();
  }
};

/// nn.mean_squared_error: the loss and its gradient (through the softmax
/// it may end in); the forward step's softmax or copy.
struct MeanSquaredErrorKernels
    : KernelOp::ExternalModel<MeanSquaredErrorKernels, MeanSquaredErrorOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto mse = cast<MeanSquaredErrorOp>(op);
    int classes = shapeOf(mse.getInput())[1];
    bool softmax = mse.getActivation() == nn::Activation::softmax;
    l.call(
        [=](const KernelTarget &target) {
          return meanSquaredError(classes, softmax, target);
        },
        {},
           {l.buffer(mse.getInput()), l.buffer(mse.getLabels()),
            l.buffer(mse.getLoss()), l.buffer(mse.getDinput()),
            l.buffer(mse.getCorrect())},
           Lowering::Train | Lowering::Eval);
    int probs = l.probabilities(mse.getInput());
    l.call(
        [=](const KernelTarget &target) {
          return softmax ? softmaxForward(classes, target)
                         : activationForward(classes, Activation::Linear,
                                             target);
        },
           {}, {l.buffer(mse.getInput()), probs}, Lowering::Forward);
    return success();
  }
};

} // namespace

void registerSoftmaxCrossEntropyKernels(MLIRContext *ctx) {
  SoftmaxCrossEntropyOp::attachInterface<SoftmaxCrossEntropyKernels>(*ctx);
  MeanSquaredErrorOp::attachInterface<MeanSquaredErrorKernels>(*ctx);
}

} // namespace mnistc::ops

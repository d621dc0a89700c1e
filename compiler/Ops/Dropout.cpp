//===- Dropout.cpp - Dropout forward and backward kernels ----------------===//
//
// Both kernels are one elementwise Func over (f, n):
//
//   k      = (first + n)·features + f          flat element index in the
//                                               whole batch
//   r      = Philox4x32-10(counter (k, 0, step, 0), key (seed, stream))[0]
//   u      = (r >> 8) · 2⁻²⁴                   uniform in [0, 1), 24 bits
//   keep   = u ≥ rate
//   out    = keep ? in·scale : 0,  scale = float(1/(1 − rate))
//
// One Philox block per element, of which only word 0 is used: 4x the
// random bits needed, but every element is independent of its neighbours
// and of the schedule (a vector lane or thread computes its own block), so
// forward and backward agree bit for bit however each is scheduled. The
// 32x32→64 multiplies of Philox are written as uint64 products. `first` is
// the place of the kernel's first image in its whole batch: 0, or where a
// data-parallel shard starts, so that the shards of a batch draw exactly
// the masks one process would.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Dropout.h"

#include "compiler/Codegen/Lowering.h"

using namespace Halide;

namespace mnistc::ops {

//===----------------------------------------------------------------------===//
// Algorithm: Philox-4x32-10
//===----------------------------------------------------------------------===//

Expr philox4x32x10Word0(Expr c0, Expr c1, Expr c2, Expr c3, Expr k0,
                        Expr k1) {
  // Constants of the Random123 reference (philox.h).
  const Expr m0 = cast<uint64_t>(Expr(uint32_t(0xD2511F53u)));
  const Expr m1 = cast<uint64_t>(Expr(uint32_t(0xCD9E8D57u)));
  const Expr w0 = Expr(uint32_t(0x9E3779B9u));
  const Expr w1 = Expr(uint32_t(0xBB67AE85u));
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 = k0 + w0; // the key schedule bumps before rounds 2..10
      k1 = k1 + w1;
    }
    Expr p0 = m0 * cast<uint64_t>(c0);
    Expr p1 = m1 * cast<uint64_t>(c2);
    Expr hi0 = cast<uint32_t>(p0 >> 32), lo0 = cast<uint32_t>(p0);
    Expr hi1 = cast<uint32_t>(p1 >> 32), lo1 = cast<uint32_t>(p1);
    Expr n0 = hi1 ^ c1 ^ k0;
    Expr n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  return c0;
}

namespace {

/// keep ? value·scale : 0 for element (f, n) of a (features, n) tensor.
Expr dropoutValue(Expr value, Var f, Var n, int features,
                  const DropoutOptions &options, Param<uint32_t> seed,
                  Param<int32_t> step, Param<int32_t> first) {
  if (options.rate <= 0.0)
    return value;
  if (options.rate >= 1.0)
    return Expr(0.0f);
  Expr index = cast<uint32_t>(first + n) * Expr(uint32_t(features)) +
               cast<uint32_t>(f);
  Expr bits = philox4x32x10Word0(index, Expr(uint32_t(0)),
                                 cast<uint32_t>(step), Expr(uint32_t(0)),
                                 seed, Expr(options.stream));
  Expr uniform = cast<float>(bits >> 8) * (1.0f / 16777216.0f);
  Expr keep = uniform >= static_cast<float>(options.rate);
  const float scale = static_cast<float>(1.0 / (1.0 - options.rate));
  return select(keep, value * scale, 0.0f);
}

Kernel build(const char *pass, const char *inName, const char *outName,
             DropoutShape shape, const DropoutOptions &options,
             const KernelTarget &target) {
  Param<uint32_t> seed("seed");
  Param<int32_t> step("step");
  Param<int32_t> first("first");
  ImageParam in = batchMajorInput(inName, shape.features);

  // Algorithm.
  Var f("f"), n("n");
  Func out(outName);
  out(f, n) = dropoutValue(in(f, n), f, n, shape.features, options, seed, step,
                           first);
  constrainBatchMajorOutput(out, shape.features, in.dim(1).extent());

  // Schedule.
  scheduleRowsCPU(out, f, n, shape.features, target);

  const char *kind = options.rate <= 0.0 ? "_identity_" : "_";
  return makeKernel("dropout_" + std::to_string(shape.features) + kind + pass,
                    Pipeline(out), {seed, step, first}, {in}, target);
}

} // namespace

//===----------------------------------------------------------------------===//
// Builders
//===----------------------------------------------------------------------===//

Kernel dropoutForward(DropoutShape shape, const DropoutOptions &options,
                      const KernelTarget &target) {
  return build("forward", "x", "y", shape, options, target);
}

Kernel dropoutBackward(DropoutShape shape, const DropoutOptions &options,
                       const KernelTarget &target) {
  return build("backward", "dy", "dx", shape, options, target);
}

//===----------------------------------------------------------------------===//
// Lowering (NN_KernelOpInterface)
//===----------------------------------------------------------------------===//

namespace {

using namespace mlir;
using namespace mnistc::nn;
using codegen::Lowering;
using codegen::shapeOf;

DropoutOptions optionsOf(FloatAttr rate, int64_t stream) {
  DropoutOptions o;
  o.rate = rate.getValueAsDouble();
  o.stream = static_cast<uint32_t>(stream);
  return o;
}

const std::vector<int> kDropoutScalars = {modelso::kSeedSlot,
                                          modelso::kStepSlot,
                                          modelso::kFirstSlot};

/// nn.dropout_train: training draws a mask; evaluation copies (rate 0 is
/// the identity).
struct DropoutTrainKernels
    : KernelOp::ExternalModel<DropoutTrainKernels, DropoutTrainOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto drop = cast<DropoutTrainOp>(op);
    int in = l.rows(drop.getInput()), out = l.rows(drop.getOutput());
    DropoutShape shape{int(codegen::features(drop.getInput()))};
    DropoutOptions options = optionsOf(drop.getRateAttr(), drop.getStream());
    l.call(
        [=](const KernelTarget &target) {
          return dropoutForward(shape, options, target);
        },
        kDropoutScalars, {in, out}, Lowering::Train);
    l.call(
        [=](const KernelTarget &target) {
          return dropoutForward(shape, DropoutOptions{0.0, 0}, target);
        },
        kDropoutScalars, {in, out},
        l.forwardSteps() & ~unsigned(Lowering::Train));
    return success();
  }
};

struct DropoutGradKernels
    : KernelOp::ExternalModel<DropoutGradKernels, DropoutGradOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto g = cast<DropoutGradOp>(op);
    DropoutShape shape{int(codegen::features(g.getGrad()))};
    DropoutOptions options = optionsOf(g.getRateAttr(), g.getStream());
    l.call(
        [=](const KernelTarget &target) {
          return dropoutBackward(shape, options, target);
        },
           kDropoutScalars, {l.rows(g.getGrad()), l.rows(g)},
           Lowering::Train);
    return success();
  }
};

} // namespace

void registerDropoutKernels(MLIRContext *ctx) {
  DropoutTrainOp::attachInterface<DropoutTrainKernels>(*ctx);
  DropoutGradOp::attachInterface<DropoutGradKernels>(*ctx);
}

} // namespace mnistc::ops

//===- Dense.cpp - Dense forward and backward kernels --------------------===//
//
// All three Dense kernels are one batched matmul with a different prologue
// and epilogue:
//
//   forward          y(u, n)  = act(b(u)  + Σ_i x(i, n)  · W(u, i))
//   backward input   dx(i, n) =             Σ_u dz(u, n) · Wt(i, u)
//   backward params  dW(u, i) =             Σ_n x(i, n)  · dz(u, n)
//
// so each has the form out(j, m) = init(j, m) + Σ_k a(k, m) · b(j, k) with
// j the contiguous output axis. The algorithm (matmulAlgorithm) and the CPU
// schedule (scheduleMatmulCPU) are written once, below, and each builder
// supplies a, b and init. Every Func and Var carries a name so statement
// dumps and profiles read like the math.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Dense.h"

#include "compiler/Codegen/Lowering.h"

#include <algorithm>

using namespace Halide;

namespace mnistc::ops {

MatmulTiling defaultTiling(const KernelTarget &target) {
  // Measured on a 2-core AMD EPYC (Zen 3, AVX2, 32 KiB L1d, 512 KiB L2 per
  // core), dense 784x512 relu forward at batch 128: the sweep is in the
  // comment of scheduleMatmulCPU and in docs/kernels.md. On AVX-512 the
  // same 2 vectors cover 32 columns (8 of 32 registers hold accumulators);
  // not measured, no AVX-512 machine was at hand.
  (void)target;
  return MatmulTiling{};
}

namespace {

//===----------------------------------------------------------------------===//
// Algorithm
//===----------------------------------------------------------------------===//

/// The accumulator of out(j, m) = init(j, m) + Σ_k a(k, m) · b(j, k), with
/// k in [0, kExtent). `a` must tolerate rows m past the last real one
/// (the schedule rounds row tiles up): callers clamp its row index.
struct Matmul {
  Func acc;
  Func b;
  RDom k;
};

Matmul matmulAlgorithm(Func a, Func b, Expr init, Expr kExtent, Var j, Var m) {
  Matmul mm{Func("dense_matmul"), b, RDom(0, kExtent, "k")};
  mm.acc(j, m) = init;
  mm.acc(j, m) += a(mm.k, m) * b(j, mm.k);
  return mm;
}

//===----------------------------------------------------------------------===//
// CPU schedule
//===----------------------------------------------------------------------===//

/// Widest vector of at most `vec` lanes that fits an axis of static extent
/// `extent`: full vectors when the axis is at least one vector long (tails
/// then shift inwards), else the whole axis as one short vector.
int vectorWidthFor(int extent, int vec) { return std::min(extent, vec); }

/// Schedules out(j, m) = epilogue(acc(j, m)) on a CPU.
///
/// Loop nest, outermost first:
///   task   parallel over (row block of t.rowBlock rows) × (column tile)
///     acc: ko      reduction blocks of t.kBlock (the RDom split)
///          mt      register tiles of t.rows rows, rounded up: the extra
///                  rows read clamped input rows and are never stored
///          ki      the reduction inside the block
///          mr, j   t.rows × t.vectors SIMD accumulators, fully unrolled
///     out: m, j    epilogue, vectorized over j
/// A column tile is t.vectors vectors wide (or narrower on small layers),
/// so acc's weight panel b(tile, ko block) is t.kBlock × tile floats:
/// 16 KiB with the defaults on AVX2, resident in L1 while the task sweeps
/// its row tiles. The batch split guards its tail (dynamic batch, any
/// size); the column split shifts inwards (static, idempotent output).
/// The inner loop is the 4x2-vector FMA kernel: per k, 4 broadcasts and 2
/// loads feed 8 FMAs, accumulators in registers (checked in the assembly).
/// Tiling sweep (one core, same kernel): 4 rows x 2 vectors 1.29 ms,
/// 6x2 1.34, 4x3 1.25, 8x1 1.62, 2x2 2.27; kBlock 128/256/784: 1.31/1.29/
/// 1.23; rowBlock 32/64/128: 1.34/1.29/1.19. Within noise of each other
/// except 8x1 and 2x2; the defaults leave 64 tasks at batch 128 for the
/// two cores, which run it in 0.66 ms (1.85x one core, 155 GFLOP/s).
void scheduleMatmulCPU(Func out, Matmul mm, Var j, Var m, int cols,
                       const KernelTarget &target, const MatmulTiling &t) {
  if (!target.schedule)
    return;
  const int vec = target.natural_vector_size<float>();
  const int lanes = vectorWidthFor(cols, vec);
  const int colTile =
      std::max(lanes, std::min(cols / lanes, t.vectors) * lanes);

  Var jo("jo"), ji("ji"), mo("mo"), mi("mi"), task("task");
  out.split(m, mo, mi, t.rowBlock, TailStrategy::GuardWithIf)
      .split(j, jo, ji, colTile, TailStrategy::ShiftInwards)
      .reorder(ji, mi, jo, mo)
      .vectorize(ji, lanes)
      .fuse(jo, mo, task)
      .parallel(task);

  Var jv("jv"), mt("mt"), mr("mr");
  mm.acc.compute_at(out, task)
      .split(j, j, jv, lanes)
      .split(m, mt, mr, t.rows, TailStrategy::RoundUp)
      .reorder(jv, j, mr, mt)
      .vectorize(jv)
      .unroll(j)
      .unroll(mr);
  RVar ko("ko"), ki("ki");
  mm.acc.update()
      .split(j, j, jv, lanes)
      .split(m, mt, mr, t.rows, TailStrategy::RoundUp)
      .split(mm.k.x, ko, ki, t.kBlock, TailStrategy::GuardWithIf)
      .reorder(jv, j, mr, ki, mt, ko)
      .vectorize(jv)
      .unroll(j)
      .unroll(mr);

  // Pack b's panel for this reduction block into a dense colTile × kBlock
  // array. Straight from a (units, in) weight it sits at a 4·cols-byte
  // stride, 2 KiB for 512 units, so its kBlock lines land in two L1 sets
  // and evict each other. Measured on one Zen 3 core, 784x512 relu
  // forward at batch 128: 1.58 ms unpacked, 1.28 ms packed (80 GFLOP/s).
  Func panel = mm.b.in(mm.acc);
  panel.compute_at(mm.acc, ko).vectorize(panel.args()[0], lanes);
}

/// dz = dy ⊙ act'(y), materialized once per call (both the input and the
/// parameter gradients read it many times). Linear needs no stage.
Func activationGradStage(Activation act, ImageParam dy, ImageParam y, Var u,
                         Var n, int units, const KernelTarget &target) {
  Func dz("dense_dz");
  dz(u, n) = activationGrad(act, dy(u, n), y(u, n));
  if (act == Activation::Linear)
    return dz; // inlined: dz is dy
  if (!target.schedule)
    return dz;
  const int lanes = vectorWidthFor(units, target.natural_vector_size<float>());
  Var no("no"), ni("ni");
  dz.compute_root()
      .split(n, no, ni, 16, TailStrategy::GuardWithIf)
      .vectorize(u, lanes, TailStrategy::ShiftInwards)
      .parallel(no);
  return dz;
}

std::string kernelName(DenseShape shape, Activation act, const char *pass) {
  return "dense_" + std::to_string(shape.in) + "x" +
         std::to_string(shape.units) + "_" + activationName(act) + "_" + pass;
}

} // namespace

//===----------------------------------------------------------------------===//
// Builders
//===----------------------------------------------------------------------===//

Kernel denseForward(DenseShape shape, Activation act, const KernelTarget &target,
                    std::optional<MatmulTiling> tiling) {
  ImageParam x = batchMajorInput("x", shape.in);
  ImageParam w = staticInput("W", {shape.units, shape.in});
  ImageParam b = staticInput("b", {shape.units});

  // Algorithm. Rows past the batch read the last row (register tiles round
  // the batch up); their results are never stored.
  Var u("u"), n("n"), i("i");
  Func xRows("dense_x_rows"), y("y");
  xRows(i, n) = x(i, min(n, x.dim(1).max()));
  Matmul mm = matmulAlgorithm(xRows, w, b(u), shape.in, u, n);
  y(u, n) = activate(act, mm.acc(u, n));
  constrainBatchMajorOutput(y, shape.units, x.dim(1).extent());

  // Schedule.
  scheduleMatmulCPU(y, mm, u, n, shape.units, target,
                    tiling.value_or(defaultTiling(target)));

  Kernel kernel =
      makeKernel(kernelName(shape, act, "forward"), Pipeline(y), {}, {x, w, b}, target);
  kernel.flopsPerImage = 2.0 * shape.in * shape.units;
  return kernel;
}

Kernel denseBackwardInput(DenseShape shape, Activation act,
                          const KernelTarget &target,
                          std::optional<MatmulTiling> tiling) {
  ImageParam dy = batchMajorInput("dy", shape.units);
  ImageParam y = batchMajorInput("y", shape.units);
  ImageParam w = staticInput("W", {shape.units, shape.in});

  // Algorithm: dx(i, n) = Σ_u dz(u, n) · W(u, i). W is transposed first so
  // the matmul's weight panel is contiguous along the output axis i.
  Var u("u"), n("n"), i("i");
  Func dz = activationGradStage(act, dy, y, u, n, shape.units, target);
  Func dzRows("dense_dz_rows"), wt("dense_wt"), dx("dx");
  dzRows(u, n) = dz(u, min(n, dy.dim(1).max()));
  wt(i, u) = w(u, i);
  Matmul mm = matmulAlgorithm(dzRows, wt, 0.0f, shape.units, i, n);
  dx(i, n) = mm.acc(i, n);
  constrainBatchMajorOutput(dx, shape.in, dy.dim(1).extent());

  // Schedule. The transpose is in·units scalar moves in 8x8 tiles that stay
  // in L1; it costs about 1/batch of the matmul.
  if (target.schedule) {
    Var io("io"), uo("uo"), ii("ii"), ui("ui");
    wt.compute_root()
        .tile(i, u, io, uo, ii, ui, 8, 8, TailStrategy::GuardWithIf)
        .reorder(ii, ui, io, uo)
        .parallel(uo);
    scheduleMatmulCPU(dx, mm, i, n, shape.in, target,
                      tiling.value_or(defaultTiling(target)));
  }

  Kernel kernel = makeKernel(kernelName(shape, act, "backward_input"),
                             Pipeline(dx), {}, {dy, y, w}, target);
  kernel.gpuRoots = {wt};
  kernel.flopsPerImage = 2.0 * shape.in * shape.units;
  return kernel;
}

Kernel denseBackwardParams(DenseShape shape, Activation act,
                           const KernelTarget &target,
                           std::optional<MatmulTiling> tiling) {
  ImageParam dy = batchMajorInput("dy", shape.units);
  ImageParam y = batchMajorInput("y", shape.units);
  ImageParam x = batchMajorInput("x", shape.in);

  // Algorithm: dW(u, i) = Σ_n x(i, n) · dz(u, n), a matmul whose reduction
  // runs over the batch; db(u) = Σ_n dz(u, n).
  Var u("u"), n("n"), i("i");
  Func dz = activationGradStage(act, dy, y, u, n, shape.units, target);
  Func xCols("dense_x_cols"), dzPanel("dense_dz_panel"), dw("dW"), db("db");
  xCols(n, i) = x(min(i, shape.in - 1), n);
  dzPanel(u, n) = dz(u, n);
  Expr batch = dy.dim(1).extent();
  Matmul mm = matmulAlgorithm(xCols, dzPanel, 0.0f, batch, u, i);
  dw(u, i) = mm.acc(u, i);
  RDom rn(0, batch, "rn");
  db(u) = 0.0f;
  db(u) += dz(u, rn);
  constrainStaticOutput(dw, {shape.units, shape.in});
  constrainStaticOutput(db, {shape.units});

  // Schedule. dW's reduction blocks (t.kBlock samples) keep a dz panel in
  // L1; rows are the in axis, static, so only the last task is partial.
  // db is one pass over dz, vectorized across units.
  if (target.schedule) {
    scheduleMatmulCPU(dw, mm, u, i, shape.units, target,
                      tiling.value_or(defaultTiling(target)));
    const int lanes =
        vectorWidthFor(shape.units, target.natural_vector_size<float>());
    Var uo("uo"), ui("ui");
    db.update()
        .split(u, uo, ui, lanes, TailStrategy::GuardWithIf)
        .reorder(ui, rn, uo)
        .vectorize(ui);
  }

  Kernel kernel = makeKernel(kernelName(shape, act, "backward_params"),
                             Pipeline({dw, db}), {}, {dy, y, x}, target);
  kernel.flopsPerImage = 2.0 * shape.in * shape.units;
  return kernel;
}

//===----------------------------------------------------------------------===//
// Lowering (NN_KernelOpInterface)
//===----------------------------------------------------------------------===//

namespace {

using namespace mlir;
using namespace mnistc::nn;
using codegen::Lowering;
using codegen::shapeOf;

/// nn.linear: the forward kernel, with its activation.
struct LinearKernels : KernelOp::ExternalModel<LinearKernels, LinearOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto lin = cast<LinearOp>(op);
    auto k = shapeOf(lin.getKernel());
    int in = k[0], units = k[1];
    int bias = lin.getBias() ? l.buffer(lin.getBias())
                             : l.scratch({units}); // zeros, never written
    Activation act = codegen::kernelActivation(lin.getActivation());
    l.call(
        [=](const KernelTarget &target) {
          return denseForward({in, units}, act, target);
        },
           {},
           {l.buffer(lin.getInput()), l.buffer(lin.getKernel()), bias,
            l.buffer(lin.getOutput())},
           l.forwardSteps());
    return success();
  }
};

/// nn.matmul_grad_kernel with the nn.bias_grad of the same gradient:
/// backward_params, the activation gradient fused in when it can be.
struct MatmulGradKernelKernels
    : KernelOp::ExternalModel<MatmulGradKernelKernels, MatmulGradKernelOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto gk = cast<MatmulGradKernelOp>(op);
    auto [dy, y, act] = l.activationOf(gk.getGrad());
    auto shape = shapeOf(gk);
    DenseShape dense{int(shape[0]), int(shape[1])};
    l.call(
        [dense, act = act](const KernelTarget &target) {
          return denseBackwardParams(dense, act, target);
        },
           {},
           {l.buffer(dy), l.buffer(y), l.buffer(gk.getInput()),
            l.gradient(gk), l.biasGradient(gk.getGrad(), shape[1])},
           Lowering::Train);
    return success();
  }
};

struct MatmulGradInputKernels
    : KernelOp::ExternalModel<MatmulGradInputKernels, MatmulGradInputOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto gi = cast<MatmulGradInputOp>(op);
    auto [dy, y, act] = l.activationOf(gi.getGrad());
    auto k = shapeOf(gi.getKernel());
    DenseShape dense{int(k[0]), int(k[1])};
    l.call(
        [dense, act = act](const KernelTarget &target) {
          return denseBackwardInput(dense, act, target);
        },
        {},
           {l.buffer(dy), l.buffer(y), l.buffer(gi.getKernel()),
            l.buffer(gi.getResult())},
           Lowering::Train);
    return success();
  }
};

/// nn.bias_grad: computed by the backward_params kernel of its gradient's
/// Dense or Conv2D kernel gradient, never on its own.
struct BiasGradKernels : KernelOp::ExternalModel<BiasGradKernels, BiasGradOp> {
  LogicalResult lowerToKernels(Operation *, Lowering &) const {
    return success();
  }
};

} // namespace

void registerDenseKernels(MLIRContext *ctx) {
  LinearOp::attachInterface<LinearKernels>(*ctx);
  MatmulGradKernelOp::attachInterface<MatmulGradKernelKernels>(*ctx);
  MatmulGradInputOp::attachInterface<MatmulGradInputKernels>(*ctx);
  BiasGradOp::attachInterface<BiasGradKernels>(*ctx);
}

} // namespace mnistc::ops

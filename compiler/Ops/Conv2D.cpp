//===- Conv2D.cpp - Conv2D forward and backward kernels ------------------===//
//
// The three Conv2D kernels as direct (non-im2col) reductions over the
// window, channels-last so the innermost loop is a SIMD vector of output
// channels (forward, dW) or input channels (dx):
//
//   forward          y(co, ox, oy, n) = act(b(co) + Σ_{ky,kx,ci}
//                        W(co, ci, kx, ky) ·
//                        xp(ci, ox·sw+kx−pl, oy·sh+ky−pt, n))
//   backward input   dx(ci, ix, iy, n) = Σ_{ky,kx,co} Wt(ci, co, kx, ky) ·
//                        dz(co, (ix+pl−kx)/sw, (iy+pt−ky)/sh, n)
//                        over the (kx, ky) whose division is exact and in range
//   backward params  dW(co, ci, kx, ky) = Σ_{n,oy,ox} dz(co, ox, oy, n) ·
//                        xp(ci, ox·sw+kx−pl, oy·sh+ky−pt, n),
//                    db(co) = Σ_{n,oy,ox} dz(co, ox, oy, n)
//
// with xp the zero-padded input and dz = dy ⊙ act'(y). Each builder states
// its algorithm first and its CPU schedule after; every Func and Var is
// named. Forward and dx use register tiles of channels × output pixels
// over a per-row zero-padded operand, dW tiles of filters × kernel taps
// (each accumulates over the batch in a fixed order); see docs/kernels.md.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Conv2D.h"

#include "compiler/Codegen/Lowering.h"

#include <algorithm>

using namespace Halide;

namespace mnistc::ops {

ImageParam nhwcInput(const std::string &name, int c, int w, int h) {
  ImageParam in(Float(32), 4, name);
  in.dim(0).set_bounds(0, c).set_stride(1);
  in.dim(1).set_bounds(0, w).set_stride(c);
  in.dim(2).set_bounds(0, h).set_stride(c * w);
  in.dim(3).set_min(0).set_stride(c * w * h);
  in.set_estimates({{0, c}, {0, w}, {0, h}, {0, kBatchEstimate}});
  return in;
}

void constrainNhwcOutput(Func out, int c, int w, int h, Expr batch) {
  std::vector<OutputImageParam> buffers = out.output_buffers();
  buffers[0].dim(0).set_bounds(0, c);
  buffers[0].dim(1).set_bounds(0, w);
  buffers[0].dim(2).set_bounds(0, h);
  buffers[0].dim(3).set_bounds(0, batch);
  for (OutputImageParam buffer : buffers) {
    buffer.dim(0).set_stride(1);
    buffer.dim(1).set_stride(c);
    buffer.dim(2).set_stride(c * w);
    buffer.dim(3).set_stride(c * w * h);
  }
  out.set_estimates({{0, c}, {0, w}, {0, h}, {0, kBatchEstimate}});
}

/// Common schedule of an NHWC output out(c, w, h, n) computed from the
/// reduction `acc` (of the same pure vars): parallel over (h, n), acc per
/// vector of channels, channels vectorized. Channel tails shift inwards
/// (static extent, idempotent output).
void scheduleChannelsLastCPU(Func out, Func acc, int channels,
                             const KernelTarget &target) {
  if (!target.schedule)
    return;
  const int lanes = std::min(channels, target.natural_vector_size<float>());
  Var c = out.args()[0], w = out.args()[1], h = out.args()[2],
      n = out.args()[3];
  Var co("co_outer"), ci("co_inner"), task("task");
  out.split(c, co, ci, lanes, TailStrategy::ShiftInwards)
      .reorder(ci, co, w, h, n)
      .fuse(h, n, task)
      .parallel(task);
  acc.compute_at(out, co);
  if (lanes > 1) {
    Var ac = acc.args()[0];
    out.vectorize(ci);
    acc.vectorize(ac);
    acc.update().vectorize(ac);
  }
}

namespace {

//===----------------------------------------------------------------------===//
// Algorithm pieces
//===----------------------------------------------------------------------===//

/// The input with zeros outside its spatial extent (channel and batch are
/// never out of range). The clamp keeps the load in bounds; the select
/// zeroes it.
Func zeroPadded(ImageParam x, int inW, int inH, const std::string &name) {
  Var c("c"), ix("ix"), iy("iy"), n("n");
  Func padded(name);
  Expr inside = ix >= 0 && ix < inW && iy >= 0 && iy < inH;
  padded(c, ix, iy, n) = select(
      inside, x(c, clamp(ix, 0, inW - 1), clamp(iy, 0, inH - 1), n), 0.0f);
  return padded;
}

int lanesFor(int extent, const KernelTarget &target) {
  return std::min(extent, target.natural_vector_size<float>());
}

/// The CPU schedule of a convolution-like output out(c, w, h, n) computed
/// from the reduction `acc` over `r` (channels innermost, then kx, ky) of
/// the zero-bordered `padded` operand: parallel over (h, n) rows; per row,
/// register tiles of up to two SIMD vectors of channels × a run of output
/// pixels accumulate over the window, so each loaded weight vector serves
/// every pixel of the tile and each operand value every channel vector.
/// `padded` is materialized per row task (a few input rows), which keeps
/// the border selects out of the inner loop.
void scheduleConvCPU(Func out, Func acc, RDom r, Func padded,
                     int paddedChannels, int channels, int width,
                     const KernelTarget &target) {
  if (!target.schedule)
    return;
  const int natural = target.natural_vector_size<float>();
  const int lanes = std::min(channels, natural);
  const int cTile = channels >= 2 * natural ? 2 * natural : lanes;
  const int wTile = std::min(width, cTile > natural ? 4 : 8);
  Var c = out.args()[0], w = out.args()[1], h = out.args()[2],
      n = out.args()[3];
  Var co("co_outer"), ci("co_inner"), wo("w_outer"), wi("w_inner"),
      task("task");
  out.split(c, co, ci, cTile, TailStrategy::ShiftInwards)
      .split(w, wo, wi, wTile, TailStrategy::ShiftInwards)
      .reorder(ci, wi, co, wo, h, n)
      .fuse(h, n, task)
      .parallel(task)
      .vectorize(ci, lanes)
      .unroll(wi);
  Var ac = acc.args()[0], aw = acc.args()[1], ah = acc.args()[2],
      an = acc.args()[3];
  Var aco("acc_c_outer"), aci("acc_c_inner");
  acc.compute_at(out, co).vectorize(ac, lanes).unroll(aw);
  acc.update()
      .split(ac, aco, aci, lanes, TailStrategy::GuardWithIf)
      .reorder(aci, aco, aw, r.x, r.y, r.z, ah, an)
      .vectorize(aci)
      .unroll(aco)
      .unroll(aw);
  Var pc = padded.args()[0];
  padded.compute_at(out, task);
  if (paddedChannels >= natural)
    padded.vectorize(pc, natural, TailStrategy::GuardWithIf);
}

std::string kernelName(const Conv2DShape &s, Activation act, const char *pass) {
  auto str = [](int v) { return std::to_string(v); };
  return "conv2d_" + str(s.inH) + "x" + str(s.inW) + "x" + str(s.inC) + "_" +
         str(s.kh) + "x" + str(s.kw) + "x" + str(s.filters) + "_s" + str(s.sh) +
         "x" + str(s.sw) + (s.samePadding ? "_same_" : "_valid_") +
         activationName(act) + "_" + pass;
}

/// dz = dy ⊙ act'(y), materialized once per call when act is non-linear
/// and `root` (else the caller schedules it).
Func activationGradStage(Activation act, ImageParam dy, ImageParam y,
                         int filters, const KernelTarget &target, bool root = true) {
  Var co("co"), ox("ox"), oy("oy"), n("n");
  Func dz("conv2d_dz");
  dz(co, ox, oy, n) = activationGrad(act, dy(co, ox, oy, n), y(co, ox, oy, n));
  if (act == Activation::Linear || !root)
    return dz; // inlined: dz is dy
  if (!target.schedule)
    return dz;
  dz.compute_root().parallel(n);
  if (filters > 1)
    dz.vectorize(co, lanesFor(filters, target), TailStrategy::ShiftInwards);
  return dz;
}

} // namespace

//===----------------------------------------------------------------------===//
// Builders
//===----------------------------------------------------------------------===//

/// Multiply-adds of one image's convolution, twice: the same for the
/// forward pass, the input gradient and the weight gradient.
static double convFlops(const Conv2DShape &s) {
  return 2.0 * s.kh * s.kw * s.inC * s.filters * s.rows().out * s.cols().out;
}

Kernel conv2dForward(Conv2DShape s, Activation act, const KernelTarget &target) {
  const WindowAxis rows = s.rows(), cols = s.cols();
  ImageParam x = nhwcInput("x", s.inC, s.inW, s.inH);
  ImageParam w = staticInput("W", {s.filters, s.inC, s.kw, s.kh});
  ImageParam b = staticInput("b", {s.filters});

  // Algorithm.
  Var co("co"), ox("ox"), oy("oy"), n("n");
  Func xp = zeroPadded(x, s.inW, s.inH, "conv2d_x_padded");
  RDom r(0, s.inC, 0, s.kw, 0, s.kh, "r"); // ci innermost, then kx, ky
  RVar ci = r.x, kx = r.y, ky = r.z;
  Func acc("conv2d_acc"), y("y");
  acc(co, ox, oy, n) = b(co);
  acc(co, ox, oy, n) +=
      w(co, ci, kx, ky) * xp(ci, ox * s.sw + kx - cols.padBefore,
                             oy * s.sh + ky - rows.padBefore, n);
  y(co, ox, oy, n) = activate(act, acc(co, ox, oy, n));
  constrainNhwcOutput(y, s.filters, cols.out, rows.out, x.dim(3).extent());

  // Schedule: register tiles of filters × output pixels (scheduleConvCPU).
  scheduleConvCPU(y, acc, r, xp, s.inC, s.filters, cols.out, target);

  Kernel kernel =
      makeKernel(kernelName(s, act, "forward"), Pipeline(y), {}, {x, w, b}, target);
  kernel.flopsPerImage = convFlops(s);
  return kernel;
}

Kernel conv2dBackwardInput(Conv2DShape s, Activation act,
                           const KernelTarget &target) {
  const WindowAxis rows = s.rows(), cols = s.cols();
  ImageParam dy = nhwcInput("dy", s.filters, cols.out, rows.out);
  ImageParam y = nhwcInput("y", s.filters, cols.out, rows.out);
  ImageParam w = staticInput("W", {s.filters, s.inC, s.kw, s.kh});

  // Algorithm. Input cell (ix, iy) meets kernel tap (kx, ky) of output
  // (ox, oy) when ox·sw + kx − pl = ix; the division below is floor
  // division, and taps whose division is inexact or lands outside the
  // output read the zero border of dzp.
  Var ci("ci"), co("co"), ix("ix"), iy("iy"), ox("ox"), oy("oy"), n("n"),
      kxv("kx"), kyv("ky");
  Func dz = activationGradStage(act, dy, y, s.filters, target);
  Func dzp("conv2d_dz_padded"), wt("conv2d_wt"), acc("conv2d_dx_acc"), dx("dx");
  Expr inside = ox >= 0 && ox < cols.out && oy >= 0 && oy < rows.out;
  dzp(co, ox, oy, n) = select(
      inside, dz(co, clamp(ox, 0, cols.out - 1), clamp(oy, 0, rows.out - 1), n),
      0.0f);
  wt(ci, co, kxv, kyv) = w(co, ci, kxv, kyv);
  RDom r(0, s.filters, 0, s.kw, 0, s.kh, "r"); // co innermost, then kx, ky
  RVar rco = r.x, kx = r.y, ky = r.z;
  Expr xNum = ix + cols.padBefore - kx, yNum = iy + rows.padBefore - ky;
  Expr hit = (xNum % s.sw == 0) && (yNum % s.sh == 0);
  acc(ci, ix, iy, n) = 0.0f;
  acc(ci, ix, iy, n) += select(
      hit, wt(ci, rco, kx, ky) * dzp(rco, xNum / s.sw, yNum / s.sh, n), 0.0f);
  dx(ci, ix, iy, n) = acc(ci, ix, iy, n);
  constrainNhwcOutput(dx, s.inC, s.inW, s.inH, dy.dim(3).extent());

  // Schedule: W transposed once so input channels are contiguous, then the
  // same register tiles as the forward pass.
  if (target.schedule) {
    wt.compute_root();
    scheduleConvCPU(dx, acc, r, dzp, s.filters, s.inC, s.inW, target);
  }

  Kernel kernel = makeKernel(kernelName(s, act, "backward_input"), Pipeline(dx),
                             {}, {dy, y, w}, target);
  kernel.gpuRoots = {wt};
  kernel.flopsPerImage = convFlops(s);
  return kernel;
}

Kernel conv2dBackwardParams(Conv2DShape s, Activation act,
                            const KernelTarget &target) {
  const WindowAxis rows = s.rows(), cols = s.cols();
  ImageParam dy = nhwcInput("dy", s.filters, cols.out, rows.out);
  ImageParam y = nhwcInput("y", s.filters, cols.out, rows.out);
  ImageParam x = nhwcInput("x", s.inC, s.inW, s.inH);

  // Algorithm: the batch is cut into chunks of kChunk images; each chunk's
  // sum over its pixels (ox innermost, then oy, then its images) is a
  // partial dW and a partial db, and dW and db add the partials in chunk
  // order, so the sums do not depend on the schedule.
  constexpr int kChunk = 8;
  Var co("co"), ci("ci"), kx("kx"), ky("ky"), no("no");
  Func dz = activationGradStage(act, dy, y, s.filters, target, false);
  Func xp = zeroPadded(x, s.inW, s.inH, "conv2d_x_padded");
  Expr batch = dy.dim(3).extent();
  RDom r(0, cols.out, 0, rows.out, 0, kChunk, "r");
  RVar rox = r.x, roy = r.y, rni = r.z;
  Expr image = no * kChunk + rni;
  r.where(image < batch);
  // The predicate keeps images past the batch out of the sums; the clamp
  // keeps the last chunk's per-task stages (dz, the padded input) in
  // bounds, as bounds inference ignores the predicate.
  Expr in = min(image, batch - 1);
  Func chunkAcc("conv2d_dw_chunk_acc"), chunk("conv2d_dw_chunk");
  chunkAcc(co, ci, kx, ky, no) = 0.0f;
  chunkAcc(co, ci, kx, ky, no) +=
      dz(co, rox, roy, in) * xp(ci, rox * s.sw + kx - cols.padBefore,
                                roy * s.sh + ky - rows.padBefore, in);
  chunk(co, ci, kx, ky, no) = chunkAcc(co, ci, kx, ky, no);
  // db's own (inlined) copy of dz: dz itself is made per task of dW.
  Func dzDb = activationGradStage(act, dy, y, s.filters, target, false);
  Func dbChunk("conv2d_db_chunk");
  dbChunk(co, no) = 0.0f;
  dbChunk(co, no) += dzDb(co, rox, roy, in);
  RDom rc(0, (batch + kChunk - 1) / kChunk, "rc");
  Func dwAcc("conv2d_dw_acc"), dw("dW"), db("db");
  dwAcc(co, ci, kx, ky) = 0.0f;
  dwAcc(co, ci, kx, ky) += chunk(co, ci, kx, ky, rc);
  dw(co, ci, kx, ky) = dwAcc(co, ci, kx, ky);
  db(co) = 0.0f;
  db(co) += dbChunk(co, rc);
  constrainStaticOutput(dw, {s.filters, s.inC, s.kw, s.kh});
  constrainStaticOutput(db, {s.filters});

  // Schedule: one parallel task per chunk, whose dz and input rows stay
  // in L2 while every (ci, ky) reads them; in it, register tiles of up to
  // two vectors of filters × the kw taps of a kernel row accumulate over
  // the chunk's pixels, each loaded dz vector serving every tap. The
  // chunk's dz (the activation gradient) and its zero-bordered input are
  // made once per task, the input stored channel-outermost so a tile
  // reads one channel's pixels contiguously. The partials are then added
  // vector by vector.
  // Measured (Halide profiler, 2-core VM, AVX2, batch 128; ±20% noise):
  // cnn's 13x13x32 -> 3x3x64 dW 7.8 -> 5.5-6.3 ms (91-104 GFLOP/s), its
  // 28x28x1 -> 3x3x32 dW 4.2 -> 2.2 ms, lenet's 14x14x6 -> 5x5x12 dW
  // 5.0 -> 1.9 ms, against one task per (ci, ky) streaming the whole
  // batch (cnn's first convolution had 3 such tasks).
  if (target.schedule) {
    const int natural = target.natural_vector_size<float>();
    const int lanes = lanesFor(s.filters, target);
    const int cTile = s.filters >= 2 * natural ? 2 * natural : lanes;
    Var coo("co_outer"), coi("co_inner");
    chunk.compute_root()
        .split(co, coo, coi, cTile, TailStrategy::ShiftInwards)
        .reorder(coi, kx, coo, ci, ky, no)
        .parallel(no)
        .vectorize(coi, lanes);
    Var aco("acc_co_outer"), aci("acc_co_inner");
    chunkAcc.compute_at(chunk, coo).vectorize(co, lanes).unroll(kx);
    chunkAcc.update()
        .split(co, aco, aci, lanes, TailStrategy::GuardWithIf)
        .reorder(aci, aco, kx, rox, roy, rni, ci, ky, no)
        .vectorize(aci)
        .unroll(aco)
        .unroll(kx);
    Var px = xp.args()[1], pc = xp.args()[0], pn = xp.args()[3],
        py = xp.args()[2];
    xp.compute_at(chunk, no).reorder_storage(px, py, pn, pc);
    if (s.inW >= natural)
      xp.reorder(px, py, pn, pc).vectorize(px, natural, TailStrategy::GuardWithIf);
    dbChunk.compute_root().parallel(no);
    dbChunk.update().reorder(co, rox, roy, rni, no).parallel(no);
    dwAcc.compute_at(dw, Var::outermost());
    if (act != Activation::Linear)
      dz.compute_at(chunk, no);
    if (act != Activation::Linear && lanes > 1)
      dz.vectorize(dz.args()[0], lanes, TailStrategy::ShiftInwards);
    if (lanes > 1) {
      dbChunk.vectorize(co, lanes, TailStrategy::GuardWithIf);
      dbChunk.update().vectorize(co, lanes, TailStrategy::GuardWithIf);
      dwAcc.vectorize(co, lanes);
      dwAcc.update().vectorize(co, lanes);
      dw.vectorize(co, lanes);
      db.vectorize(co, lanes, TailStrategy::GuardWithIf);
      db.update().vectorize(co, lanes, TailStrategy::GuardWithIf);
    }
  }

  Kernel kernel = makeKernel(kernelName(s, act, "backward_params"),
                             Pipeline({dw, db}), {}, {dy, y, x}, target);
  kernel.flopsPerImage = convFlops(s);
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

Conv2DShape convShape(Value input, Value kernel, ArrayRef<int64_t> strides,
                      Padding padding) {
  auto x = shapeOf(input);
  auto k = shapeOf(kernel);
  Conv2DShape s;
  s.inH = x[1], s.inW = x[2], s.inC = x[3];
  s.kh = k[0], s.kw = k[1], s.filters = k[3];
  s.sh = strides[0], s.sw = strides[1];
  s.samePadding = padding == Padding::same;
  return s;
}

/// nn.conv: the forward kernel, with its activation.
struct ConvKernels : KernelOp::ExternalModel<ConvKernels, ConvOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto conv = cast<ConvOp>(op);
    auto s = convShape(conv.getInput(), conv.getKernel(), conv.getStrides(),
                       conv.getPadding());
    int bias = conv.getBias() ? l.buffer(conv.getBias())
                              : l.scratch({s.filters});
    Activation act = codegen::kernelActivation(conv.getActivation());
    l.call(
        [=](const KernelTarget &target) {
          return conv2dForward(s, act, target);
        },
           {},
           {l.buffer(conv.getInput()), l.buffer(conv.getKernel()), bias,
            l.buffer(conv.getOutput())},
           l.forwardSteps());
    return success();
  }
};

/// nn.conv_grad_kernel with the nn.bias_grad of the same gradient.
struct ConvGradKernelKernels
    : KernelOp::ExternalModel<ConvGradKernelKernels, ConvGradKernelOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto gk = cast<ConvGradKernelOp>(op);
    auto [dy, y, act] = l.activationOf(gk.getGrad());
    auto s = convShape(gk.getInput(), gk.getResult(), gk.getStrides(),
                       gk.getPadding());
    l.call(
        [s, act = act](const KernelTarget &target) {
          return conv2dBackwardParams(s, act, target);
        },
        {},
           {l.buffer(dy), l.buffer(y), l.buffer(gk.getInput()),
            l.gradient(gk), l.biasGradient(gk.getGrad(), s.filters)},
           Lowering::Train);
    return success();
  }
};

struct ConvGradInputKernels
    : KernelOp::ExternalModel<ConvGradInputKernels, ConvGradInputOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto gi = cast<ConvGradInputOp>(op);
    auto [dy, y, act] = l.activationOf(gi.getGrad());
    auto s = convShape(gi.getResult(), gi.getKernel(), gi.getStrides(),
                       gi.getPadding());
    l.call(
        [s, act = act](const KernelTarget &target) {
          return conv2dBackwardInput(s, act, target);
        },
        {},
           {l.buffer(dy), l.buffer(y), l.buffer(gi.getKernel()),
            l.buffer(gi.getResult())},
           Lowering::Train);
    return success();
  }
};

} // namespace

void registerConv2DKernels(MLIRContext *ctx) {
  ConvOp::attachInterface<ConvKernels>(*ctx);
  ConvGradKernelOp::attachInterface<ConvGradKernelKernels>(*ctx);
  ConvGradInputOp::attachInterface<ConvGradInputKernels>(*ctx);
}

} // namespace mnistc::ops

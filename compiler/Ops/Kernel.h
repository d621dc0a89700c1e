//===- Kernel.h - One generated kernel: pipeline plus signature -*- C++ -*-===//
//
// Every builder in compiler/Ops/ returns a Kernel: a Halide pipeline (the
// op's algorithm with the schedule chosen for one target), the C symbol it
// compiles to, and its ordered argument list. Codegen hands the three to
// `Pipeline::compile_to_object`; tests JIT the same pipeline through the
// ImageParam / Param handles kept alongside. The helpers below declare the
// buffers every op shares: batch-major activations whose batch extent is
// known only at run time, and parameters whose extents are static.
//
// Layout convention (all of compiler/Ops/): a Keras tensor [n, f] stored
// row-major is the Halide buffer (f, n): dimension 0 is the contiguous
// feature axis, dimension 1 the batch. A Dense kernel of Keras shape
// (in, units) is the Halide buffer (units, in).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_KERNEL_H
#define MNISTC_COMPILER_OPS_KERNEL_H

#include "Halide.h"

#include <functional>
#include <string>
#include <vector>

namespace mnistc::ops {

/// A pipeline ready for JIT or AOT compilation.
///
/// Signature of the compiled function: `int name(args..., outputs...)`.
/// `args` lists the inputs, scalars first and then buffers, in the order
/// each builder documents; the output buffers follow in
/// `pipeline.outputs()` order, a Tuple-valued output contributing one
/// buffer per element.
struct Kernel {
  std::string name;
  Halide::Pipeline pipeline;
  std::vector<Halide::Argument> args;
  /// The same inputs as handles, for JIT callers: `scalars[i].set<T>(v)`,
  /// `buffers[i].set(buffer)`, each in `args` order.
  std::vector<Halide::Param<>> scalars;
  std::vector<Halide::ImageParam> buffers;

  /// Whether the builder applied its hand-written schedule (false: every
  /// Func is unscheduled, for an autoscheduler; see KernelTarget).
  bool manualSchedule = true;

  /// Pure Funcs the GPU schedule computes once per call in a kernel of
  /// their own instead of inlining them (GPUSchedule.h): a weight
  /// transpose, read by every thread of the matrix product or convolution,
  /// so that neighbouring threads read neighbouring elements.
  std::vector<Halide::Func> gpuRoots;

  /// FLOPs per image (a multiply-add counts 2) of the Dense and Conv2D
  /// kernels' products, for `mnistc --report`; 0 for the kernels bound by
  /// memory traffic, which the report rates by bytes.
  double flopsPerImage = 0;

  /// The names of the output buffers of the compiled function, in order.
  std::vector<std::string> outputNames() const;
};

/// What a builder builds for: a Halide target, and whether the builder
/// applies its hand-written CPU schedule (`schedule`). Without it every
/// Func is left unscheduled, for `mnistc --schedule=auto:...` to hand the
/// pipeline to one of Halide's autoschedulers, or for the GPU schedule
/// (scheduleForGPU, GPUSchedule.h), which takes only unscheduled
/// pipelines. A Halide::Target converts to one that schedules.
struct KernelTarget : Halide::Target {
  KernelTarget(const Halide::Target &target, bool schedule = true)
      : Halide::Target(target), schedule(schedule) {}

  bool schedule;

  /// What kernels that update a buffer in place (the optimizer updates,
  /// l2_gradient, batch normalization's moving statistics) and the batch
  /// gather build for: their own schedule on a CPU whatever was asked, as
  /// an autoscheduler may compute an element twice (a tail shifted
  /// inwards), which in place would read an already updated value; none on
  /// a GPU, where scheduleForGPU computes every element once.
  KernelTarget inPlace() const { return {*this, !has_gpu_feature()}; }
};

/// A kernel to build: a builder with its arguments bound, which the
/// planner records and planModel runs for the target and schedule asked
/// (compiler/Codegen/Lowering.h).
using KernelRecipe = std::function<Kernel(const KernelTarget &)>;

/// Builds a Kernel whose argument list is `scalars` followed by `buffers`,
/// scheduled as `target` says.
Kernel makeKernel(std::string name, Halide::Pipeline pipeline,
                  std::vector<Halide::Param<>> scalars,
                  std::vector<Halide::ImageParam> buffers,
                  const KernelTarget &target);

/// The batch size schedules and estimates are tuned for (the MLP trains at
/// batch 128). Only an estimate: every kernel accepts any batch >= 1.
constexpr int kBatchEstimate = 128;

/// A dense row-major [batch, features] input: Halide dims (feature, batch),
/// feature extent static and contiguous, batch extent dynamic.
Halide::ImageParam batchMajorInput(const std::string &name, int features,
                                   Halide::Type type = Halide::Float(32));

/// A dense [batch] input (one value per sample, e.g. sparse labels).
Halide::ImageParam batchInput(const std::string &name,
                              Halide::Type type = Halide::Int(32));

/// A dense row-major input of static extents, given innermost first (a
/// Keras (in, units) kernel is `{units, in}`).
Halide::ImageParam staticInput(const std::string &name,
                               const std::vector<int> &extents,
                               Halide::Type type = Halide::Float(32));

/// A dense channels-last (C, S, n) input: a Keras tensor [n, d1, ..., dk,
/// C] with S = d1·…·dk (1 for rank 2); C contiguous, C and S static, batch
/// dynamic.
Halide::ImageParam channelsLastInput(const std::string &name, int channels,
                                     int spatial);

/// Constrains the output buffer of `out` to the channelsLastInput layout
/// with batch extent `batch`.
void constrainChannelsLastOutput(Halide::Func out, int channels, int spatial,
                                 Halide::Expr batch);

/// Constrains every output buffer of `out` (all Tuple elements) to the
/// batch-major layout of `batchMajorInput`, with batch extent `batch`.
void constrainBatchMajorOutput(Halide::Func out, int features,
                               Halide::Expr batch);

/// Constrains every output buffer of `out` to static dense extents,
/// innermost first.
void constrainStaticOutput(Halide::Func out, const std::vector<int> &extents);

/// The CPU schedule of an elementwise (features, n) output: vectorized
/// across features, parallel over blocks of rows; both tails guarded (no
/// element is computed twice, so an output may alias an input read at the
/// same element).
void scheduleRowsCPU(Halide::Func out, Halide::Var f, Halide::Var n,
                     int features, const KernelTarget &target);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_KERNEL_H

//===- ModelPlan.h - From the training graph to kernel calls --------------===//
//
// Decides, for one model, every buffer a step touches and every kernel
// call of the three step functions (train, eval, forward): which Halide
// kernel (compiler/Ops/) each training-graph op becomes, which buffers it
// reads and writes, and where each buffer lives (BufferTable.h). The plan
// is what the orchestration object and the kernel objects are emitted
// from.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_MODELPLAN_H
#define MNISTC_COMPILER_CODEGEN_MODELPLAN_H

#include "compiler/ModelSupport/BufferTable.h"
#include "compiler/Ops/Kernel.h"
#include "compiler/Dialect/NN/NNDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace mnistc::codegen {

// The plan is written in the buffer table's terms (BufferTable.h).
using modelso::ArenaSize;
using modelso::arenaRound;
using modelso::BufferRecord;
using modelso::kLearningRateSlot;
using modelso::kNumScalars;
using modelso::kOffsetSlot;
using modelso::kRecordWords;
using modelso::kStepSlot;
using modelso::Region;
using modelso::Role;

/// One call of a kernel in a step: the kernel's scalar arguments (slots of
/// the scalars array) then its buffers, inputs and outputs, as indices
/// into ModelPlan::buffers, in the order of Kernel::args + outputs.
struct KernelCall {
  size_t kernel;
  std::vector<int> scalars;
  std::vector<int> buffers;
  /// The DSL layers whose work the call does, "conv2d + activation" (the
  /// fusion group, shown by --emit=kernels); empty for the optimizer.
  std::string layers;
};

struct ModelPlan {
  /// recipes[i] builds kernels[i], which compiles to symbol(i).
  std::vector<ops::KernelRecipe> recipes;
  std::vector<ops::Kernel> kernels;
  std::vector<BufferRecord> buffers;
  std::vector<KernelCall> train, eval, forward;
  /// The last `updateCalls` calls of `train` are the optimizer update (they
  /// read only the parameters, gradients and state); the calls before them
  /// compute the gradients. The two halves are also step functions of their
  /// own, mnistc_gen_gradients and mnistc_gen_update, for data-parallel
  /// training (docs/distributed.md).
  size_t updateCalls = 0;
  /// The gather of a batch from a resident data set (a train step's
  /// images and labels picked by their places in an order), the step
  /// function mnistc_gen_gather; empty for a model without labels.
  std::vector<KernelCall> gather;
  /// The CPU variants of the model.so, best first (one unless
  /// --target=portable): each the suffix of its kernels' and step
  /// functions' symbols ("" or "_avx2") and its Halide target. The calls
  /// above are every variant's.
  struct Variant {
    std::string suffix, target;
  };
  std::vector<Variant> variants;
  std::string info;    // mnistc_gen_info
  std::string summary; // mnistc_gen_summary: the Keras-style table

  /// The steps, numbered as everything that lists them (the memory plan,
  /// mnistc_gen_calls, profiles): 0 train, 1 eval, 2 forward.
  static constexpr int kSteps = 3;
  static const char *stepName(int step);
  const std::vector<KernelCall> &calls(int step) const {
    return step == 0 ? train : step == 1 ? eval : forward;
  }

  /// The C symbol of kernel i: "mnistc_k<i>_<name>".
  std::string symbol(size_t kernel) const;
  /// mnistc_gen_buffers.
  std::vector<int64_t> table() const;
};

/// The mnistc_gen_info text of a planned model; `paramOffsets` maps each
/// nn.param to its offset (in floats) in the parameter buffer.
std::string describeModel(nn::ModelOp model, nn::TrainOp train,
                          const Halide::Target &target,
                          const llvm::DenseMap<mlir::Value, int64_t> &paramOffsets,
                          int64_t paramFloats, int64_t stateFloats);

/// The model's fit batch_size (Keras's default 32 when not given): the
/// batch the memory check and the memory plan's figures are for.
int64_t fitBatchSize(nn::ModelOp model);

/// Plans the nn.model and nn.train in `module` for `target`, then builds
/// its kernels from their recipes (scheduled as `target` says); errors
/// are emitted at the op that cannot be lowered.
mlir::FailureOr<ModelPlan> planModel(mlir::ModuleOp module,
                                     const ops::KernelTarget &target);

} // namespace mnistc::codegen

#endif

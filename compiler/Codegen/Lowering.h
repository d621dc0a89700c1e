//===- Lowering.h - What a kernel lowering asks of the planner -*- C++ -*-===//
//
// The planner (Planner.h) walks nn.train and hands each op that implements
// NN_KernelOpInterface a Lowering: the op's external model, in its kernel
// file in compiler/Ops/, builds its Halide kernels and asks here for the
// buffers they read and write, in the kernel's layout, and adds the calls
// to the steps. The planner owns buffers, views, calls and the memory
// plan; it knows no op by name.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_LOWERING_H
#define MNISTC_COMPILER_CODEGEN_LOWERING_H

#include "compiler/ModelSupport/BufferTable.h"
#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Ops/Activation.h"
#include "compiler/Ops/Kernel.h"

#include "mlir/IR/DialectRegistry.h"

#include <vector>

namespace mnistc::codegen {

/// The kernel activation of an nn activation (softmax never reaches here).
inline ops::Activation kernelActivation(nn::Activation act) {
  switch (act) {
  case nn::Activation::relu: return ops::Activation::Relu;
  case nn::Activation::sigmoid: return ops::Activation::Sigmoid;
  case nn::Activation::tanh: return ops::Activation::Tanh;
  default: return ops::Activation::Linear;
  }
}

/// The elements of one example of v: its shape past the batch axis.
inline int64_t features(mlir::Value v) {
  int64_t f = 1;
  for (int64_t d :
       mlir::cast<mlir::RankedTensorType>(v.getType()).getShape().drop_front())
    f *= d;
  return f;
}

/// The static shape of a ranked tensor value.
inline llvm::ArrayRef<int64_t> shapeOf(mlir::Value v) {
  return mlir::cast<mlir::RankedTensorType>(v.getType()).getShape();
}

class Lowering {
public:
  /// The steps a call runs in (a bit set).
  enum Step : unsigned { Train = 1, Eval = 2, Forward = 4 };

  virtual ~Lowering() = default;

  /// The steps of a forward kernel of the op being lowered: all three
  /// before the loss, only the train step after it.
  virtual unsigned forwardSteps() const = 0;

  /// Adds one call of the kernel `recipe` builds with these scalar slots
  /// (BufferTable.h) and buffers (in the kernel's argument order) to
  /// `steps`. The planner builds no kernel: planModel runs the recipes
  /// once the model is planned, for the target and schedule asked.
  virtual void call(ops::KernelRecipe recipe, std::vector<int> scalars,
                    std::vector<int> buffers, unsigned steps) = 0;

  // Buffers. Each returns an index into the plan's buffer table; asking
  // twice for the same value (and layout) gives the same buffer.
  /// v in its Keras shape (innermost extent first), in the arena unless v
  /// is a parameter, an input or a label.
  virtual int buffer(mlir::Value v) = 0;
  /// v as (features, n).
  virtual int rows(mlir::Value v) = 0;
  /// v as (C, S, n): channels last, the middle axes as S.
  virtual int channels(mlir::Value v) = 0;
  /// Makes `result` a view of `source`'s storage in its own shape.
  virtual void view(mlir::Value result, mlir::Value source) = 0;
  /// A parameter's storage in `region` (Params or Gradients), flat.
  virtual int flat(mlir::Value param, modelso::Region region) = 0;
  /// A float buffer of static `shape` that a kernel writes and no one
  /// reads (a bias gradient of a layer without bias, ...).
  virtual int scratch(llvm::ArrayRef<int64_t> shape) = 0;
  /// The gradient buffer of the parameter that `grad` updates, else
  /// grad's own buffer.
  virtual int gradient(mlir::Value grad) = 0;
  /// The bias gradient computed together with a kernel gradient from dz
  /// (the nn.bias_grad of dz), else scratch.
  virtual int biasGradient(mlir::Value dz, int64_t channels) = 0;
  /// A buffer of logits' shape for the forward step's probabilities.
  virtual int probabilities(mlir::Value logits) = 0;

  /// For a gradient dz read by an NN_ReadsActivationGrad op: (dy, y,
  /// activation) with dz = dy ⊙ act'(y) when dz is an nn.activation_grad
  /// that nn-fuse-activations fused into its readers, else (dz, dz,
  /// linear). The fused activation's layer joins the call's layers.
  struct FusedActivation {
    mlir::Value dy, y;
    ops::Activation activation;
  };
  virtual FusedActivation activationOf(mlir::Value dz) = 0;

  /// For the model of an NN_OptimizerUpdate op, which lowers the update
  /// of every trainable parameter at once (the planner calls the first
  /// update op's, after the rest of the train step): the flat buffers of
  /// `count` floats that hold every trainable parameter, their gradients
  /// and each of the optimizer's `slots` state slots.
  struct Update {
    int count;
    int params, gradients;
    std::vector<int> slots;
    /// The buffers of a kernel that reads w, g and the slots and writes w
    /// and the slots in place (Optimizers.h): w, g, slots..., w, slots....
    std::vector<int> inPlace() const {
      std::vector<int> buffers = {params, gradients};
      buffers.insert(buffers.end(), slots.begin(), slots.end());
      buffers.push_back(params);
      buffers.insert(buffers.end(), slots.begin(), slots.end());
      return buffers;
    }
  };
  virtual Update update(int slots) = 0;
};

/// Attaches every op kind's NN_KernelOpInterface model (the list is
/// compiler/Ops/OpKinds.def); tools that plan models call it on their
/// registry before loading the nn dialect.
void registerKernelLowerings(mlir::DialectRegistry &registry);

} // namespace mnistc::codegen

#endif // MNISTC_COMPILER_CODEGEN_LOWERING_H

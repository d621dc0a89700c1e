//===- Planner.h - The planner behind ModelPlan.h --------------*- C++ -*-===//
//
// The state planModel builds a ModelPlan with (its algorithm is in
// ModelPlan.cpp): the buffer table under construction, the parameter
// layout, and the helpers that give each training-graph value a buffer in
// the layout a kernel wants. ModelPlan.cpp defines the layout and the
// optimizer update; LowerOps.cpp maps each op to its kernels (step 3).
// Private to compiler/Codegen/.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_PLANNER_H
#define MNISTC_COMPILER_CODEGEN_PLANNER_H

#include "compiler/Codegen/MemoryPlan.h"
#include "compiler/Codegen/ModelPlan.h"
#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Ops/Conv2D.h"
#include "compiler/Ops/Pool.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"

#include <map>
#include <utility>
#include <vector>

namespace mnistc::codegen {

// Private to the two planner files, which are written against both.
using namespace mlir;
using namespace mnistc::nn;

/// The kernel activation of an nn activation (softmax never reaches here).
ops::Activation kernelActivation(nn::Activation act);

/// Plans one nn.model and its nn.train (planModel's worker).
class Planner {
public:
  Planner(ModelOp model, TrainOp train, const Halide::Target &target)
      : model_(model), train_(train), target_(target) {}

  FailureOr<ModelPlan> run() {
    layoutParams();
    for (Operation &layer : model_.getBody().front())
      if (auto name = layer.getAttrOfType<StringAttr>("name"))
        layerNames_[layer.getLoc()] = name.getValue();
    bool forwardPhase = true;
    for (Operation &op : train_.getBody().front()) {
      if (isa<SoftmaxCrossEntropyOp, MeanSquaredErrorOp>(op))
        forwardPhase = false;
      callLocs_ = {op.getLoc()};
      if (failed(lower(op, forwardPhase)))
        return failure();
    }
    callLocs_.clear();
    if (failed(lowerUpdates()))
      return failure();
    lowerGather();
    planArena(plan_);
    plan_.info = describeModel(model_, train_, target_, paramOffset_,
                               paramFloats_, stateFloats_);
    plan_.variants = {{"", target_.to_string()}};
    return std::move(plan_);
  }

private:
  // Step 1.
  void layoutParams() {
    for (bool trainable : {true, false})
      for (auto p : train_.getBody().front().getOps<ParamOp>())
        if (p.getTrainable() == trainable) {
          // Every tensor starts 64-byte aligned (the kernels' vector
          // stores need it); the padding stays zero and its updates are 0.
          paramFloats_ = (paramFloats_ + 15) / 16 * 16;
          paramOffset_[p] = paramFloats_;
          paramFloats_ += cast<RankedTensorType>(p.getType()).getNumElements();
          if (trainable)
            trainableFloats_ = paramFloats_;
        }
  }

  // Step 2.
  BufferRecord recordOf(Type type, Region region) {
    auto t = cast<RankedTensorType>(type);
    BufferRecord r;
    r.region = region;
    r.rank = t.getRank();
    r.typeCode = t.getElementType().isF32() ? 2 : 0; // float : int
    r.typeBits = t.getElementType().getIntOrFloatBitWidth();
    for (int k = 0; k < r.rank; ++k) {
      int64_t d = t.getDimSize(r.rank - 1 - k); // Halide order
      r.extents[k] = ShapedType::isDynamic(d) ? 1 : d;
      if (ShapedType::isDynamic(d))
        r.batchDim = k;
    }
    return r;
  }
  /// A buffer of its own in `region` shaped like `record`.
  int addIn(BufferRecord record, Region region) {
    record.region = region;
    record.alias = -1;
    record.role = Role::None;
    return add(record);
  }
  int add(BufferRecord r) {
    plan_.buffers.push_back(r);
    return static_cast<int>(plan_.buffers.size()) - 1;
  }
  int bufferFor(Value v, Region region = Region::Arena) {
    auto it = buffers_.find(v);
    if (it != buffers_.end())
      return it->second;
    return buffers_[v] = add(recordOf(v.getType(), region));
  }
  /// A view of `source`'s storage with `type`'s shape.
  int viewOf(Value source, Type type) {
    int target = bufferFor(source);
    BufferRecord r = recordOf(type, Region::Arena);
    r.alias = plan_.buffers[target].alias >= 0 ? plan_.buffers[target].alias
                                               : target;
    return add(r);
  }
  /// The gradient buffer of a trainable parameter.
  int gradientOf(Value param) {
    BufferRecord r = recordOf(param.getType(), Region::Gradients);
    r.offset = paramOffset_.lookup(param) * 4;
    return add(r);
  }
  /// The parameter whose update consumes `grad` (directly or after its
  /// L2 term is added), if any.
  Value paramUpdatedBy(Value grad) {
    for (Operation *user : grad.getUsers()) {
      if (isa<SGDUpdateOp, AdamUpdateOp, RMSpropUpdateOp>(user))
        return user->getOperand(0);
      if (auto l2 = dyn_cast<L2GradOp>(user))
        return l2.getParam();
    }
    return nullptr;
  }

  void call(ops::Kernel kernel, std::vector<int> scalars,
            std::vector<int> buffers, bool train, bool eval, bool forward) {
    plan_.kernels.push_back(std::move(kernel));
    KernelCall c{plan_.kernels.size() - 1, std::move(scalars),
                 std::move(buffers), layersOfCall()};
    if (train)
      plan_.train.push_back(c);
    if (eval)
      plan_.eval.push_back(c);
    if (forward)
      plan_.forward.push_back(c);
  }

  /// The names of the layers behind callLocs_, in order, each once: a
  /// fused op's location (nn-fuse-activations) holds several.
  std::string layersOfCall() const {
    std::vector<StringRef> names;
    for (Location loc : callLocs_)
      loc->walk([&](Location l) {
        auto it = layerNames_.find(l);
        if (it != layerNames_.end() && !llvm::is_contained(names, it->second))
          names.push_back(it->second);
        return WalkResult::advance();
      });
    return llvm::join(names, " + ");
  }

  /// Whether an activation gradient is computed inside the kernels that
  /// read it (every reader is a Dense or Conv2D backward) instead of by a
  /// kernel of its own.
  static bool fused(ActivationGradOp g) {
    return llvm::all_of(g->getUsers(), [](Operation *user) {
      return isa<MatmulGradKernelOp, MatmulGradInputOp, BiasGradOp,
                 ConvGradKernelOp, ConvGradInputOp>(user);
    });
  }

  /// For a gradient dz feeding a Dense or Conv2D backward: (dy, y,
  /// activation) with dz = dy ⊙ act'(y).
  std::tuple<Value, Value, ops::Activation> activationOf(Value dz) {
    if (auto g = dz.getDefiningOp<ActivationGradOp>(); g && fused(g)) {
      callLocs_.push_back(g.getLoc()); // its layer is in the call's group
      return {g.getGrad(), g.getOutput(), kernelActivation(g.getActivation())};
    }
    return {dz, dz, ops::Activation::Linear};
  }

  /// A scratch float buffer of static `shape` that a kernel writes and no
  /// one reads (a bias gradient of a layer without bias, ...).
  int scratch(ArrayRef<int64_t> shape) {
    return add(recordOf(
        RankedTensorType::get(shape, Float32Type::get(train_.getContext())),
        Region::Arena));
  }

  /// The gradient buffer of the parameter that `grad` updates, else its
  /// own (arena) buffer.
  int gradientBuffer(Value grad) {
    Value param = paramUpdatedBy(grad);
    return param ? gradientOf(param) : bufferFor(grad);
  }

  /// The bias gradient that shares the kernel gradient's `dz`.
  int biasGradientFor(Value dz, int64_t channels) {
    for (Operation *user : dz.getUsers())
      if (auto bg = dyn_cast<BiasGradOp>(user))
        return gradientBuffer(bg.getResult());
    return scratch({channels});
  }

  /// A view of v as the Halide buffer (`inner`..., batch): the Keras
  /// tensor flattened past its batch axis, innermost extent first. One
  /// record per (value, layout), however many kernels read it so.
  int viewAs(Value v, std::initializer_list<int64_t> inner) {
    std::vector<int64_t> key(inner);
    auto [it, added] =
        views_.try_emplace({v.getAsOpaquePointer(), key}, -1);
    if (!added)
      return it->second;
    int target = bufferFor(v);
    BufferRecord r;
    r.rank = static_cast<int>(inner.size()) + 1;
    int k = 0;
    for (int64_t e : inner)
      r.extents[k++] = e;
    r.batchDim = k;
    r.alias = plan_.buffers[target].alias >= 0 ? plan_.buffers[target].alias
                                               : target;
    return it->second = add(r);
  }
  static int64_t features(Value v) {
    int64_t f = 1;
    for (int64_t d : cast<RankedTensorType>(v.getType()).getShape().drop_front())
      f *= d;
    return f;
  }
  /// (features, n).
  int rows(Value v) { return viewAs(v, {features(v)}); }
  /// (C, S, n): channels last, the middle axes as S.
  int channelsView(Value v) {
    int64_t c = cast<RankedTensorType>(v.getType()).getShape().back();
    return viewAs(v, {c, features(v) / c});
  }

  static ops::Conv2DShape convShape(Value input, Value kernel,
                                    ArrayRef<int64_t> strides,
                                    Padding padding) {
    auto x = cast<RankedTensorType>(input.getType()).getShape();
    auto k = cast<RankedTensorType>(kernel.getType()).getShape();
    ops::Conv2DShape s;
    s.inH = x[1], s.inW = x[2], s.inC = x[3];
    s.kh = k[0], s.kw = k[1], s.filters = k[3];
    s.sh = strides[0], s.sw = strides[1];
    s.samePadding = padding == Padding::same;
    return s;
  }
  static ops::PoolShape poolShape(Value input, ArrayRef<int64_t> window,
                                  ArrayRef<int64_t> strides, Padding padding) {
    auto x = cast<RankedTensorType>(input.getType()).getShape();
    return {int(x[1]), int(x[2]), int(x[3]), int(window[0]), int(window[1]),
            int(strides[0]), int(strides[1]), padding == Padding::same};
  }
  // Step 3 (LowerOps.cpp).
  LogicalResult lower(Operation &op, bool forwardPhase);
  /// Step 3 for the backward ops: train step only.
  LogicalResult lowerBackward(Operation &op);
  /// A parameter's storage in `region` (Params or Gradients) as a flat
  /// array.
  int flat(Value param, Region region);
  /// Step 3, the updates: one kernel over all trainable parameters
  /// (ModelPlan.cpp).
  LogicalResult lowerUpdates();
  /// Step 5: the gather of a batch from a resident data set into the
  /// images and labels buffers (ModelPlan.cpp).
  void lowerGather();

  ModelOp model_;
  TrainOp train_;
  Halide::Target target_;
  ModelPlan plan_;
  llvm::DenseMap<Value, int> buffers_;
  std::map<std::pair<const void *, std::vector<int64_t>>, int> views_;
  llvm::DenseMap<Value, int64_t> paramOffset_; // in floats
  llvm::DenseMap<Location, StringRef> layerNames_; // nn.model layer locations
  SmallVector<Location> callLocs_; // of the ops the next call() computes
  int64_t paramFloats_ = 0, trainableFloats_ = 0, stateFloats_ = 0;
};

} // namespace mnistc::codegen

#endif // MNISTC_COMPILER_CODEGEN_PLANNER_H

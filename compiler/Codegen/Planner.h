//===- Planner.h - The planner behind ModelPlan.h --------------*- C++ -*-===//
//
// The state planModel builds a ModelPlan with (its algorithm is in
// ModelPlan.cpp): the buffer table under construction, the parameter
// layout, and the helpers that give each training-graph value a buffer in
// the layout a kernel wants, which each op's kernel lowering reaches as a
// Lowering (Lowering.h). ModelPlan.cpp defines the layout, the planner's
// own ops and the optimizer update. Private to compiler/Codegen/.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_PLANNER_H
#define MNISTC_COMPILER_CODEGEN_PLANNER_H

#include "compiler/Codegen/Lowering.h"
#include "compiler/Codegen/MemoryPlan.h"
#include "compiler/Codegen/ModelPlan.h"
#include "compiler/Dialect/NN/NNDialect.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"

#include <map>
#include <utility>
#include <vector>

namespace mnistc::codegen {

// Private to the two planner files, which are written against both.
using namespace mlir;
using namespace mnistc::nn;

/// Plans one nn.model and its nn.train (planModel's worker).
class Planner final : public Lowering {
public:
  Planner(ModelOp model, TrainOp train, const Halide::Target &target)
      : model_(model), train_(train), target_(target) {}

  FailureOr<ModelPlan> run() {
    layoutParams();
    for (Operation &layer : model_.getBody().front())
      if (auto name = layer.getAttrOfType<StringAttr>("name"))
        layerNames_[layer.getLoc()] = name.getValue();
    // The loss op, which also counts the correct predictions, ends the
    // forward pass.
    Value correct =
        cast<TrainYieldOp>(train_.getBody().front().getTerminator())
            .getCorrect();
    for (Operation &op : train_.getBody().front()) {
      callLocs_ = {op.getLoc()};
      if (failed(lower(op)))
        return failure();
      if (llvm::is_contained(op.getResults(), correct))
        beforeLoss_ = false;
    }
    callLocs_.clear();
    if (failed(lowerUpdates()))
      return failure();
    lowerGather();
    plan_.info = describeModel(model_, train_, target_, paramOffset_,
                               paramFloats_, stateFloats_);
    plan_.variants = {{"", target_.to_string()}};
    return std::move(plan_);
  }

  // Lowering.
  unsigned forwardSteps() const override {
    return beforeLoss_ ? Train | Eval | Forward : Train;
  }
  void call(ops::KernelRecipe recipe, std::vector<int> scalars,
            std::vector<int> buffers, unsigned steps) override {
    plan_.recipes.push_back(std::move(recipe));
    KernelCall c{plan_.recipes.size() - 1, std::move(scalars),
                 std::move(buffers), layersOfCall()};
    if (steps & Train)
      plan_.train.push_back(c);
    if (steps & Eval)
      plan_.eval.push_back(c);
    if (steps & Forward)
      plan_.forward.push_back(c);
  }
  int buffer(Value v) override { return bufferFor(v); }
  /// (features, n).
  int rows(Value v) override { return viewAs(v, {features(v)}); }
  /// (C, S, n): channels last, the middle axes as S.
  int channels(Value v) override {
    int64_t c = shapeOf(v).back();
    return viewAs(v, {c, features(v) / c});
  }
  void view(Value result, Value source) override {
    buffers_[result] = viewOf(source, result.getType());
  }
  int flat(Value param, Region region) override {
    return flatBuffer(region,
                      cast<RankedTensorType>(param.getType()).getNumElements(),
                      paramOffset_.lookup(param) * 4);
  }
  int scratch(ArrayRef<int64_t> shape) override {
    return add(recordOf(
        RankedTensorType::get(shape, Float32Type::get(train_.getContext())),
        Region::Arena));
  }
  int gradient(Value grad) override {
    Value param = paramUpdatedBy(grad);
    return param ? gradientOf(param) : bufferFor(grad);
  }
  int biasGradient(Value dz, int64_t channels) override {
    for (Operation *user : dz.getUsers())
      if (auto bg = dyn_cast<BiasGradOp>(user))
        return gradient(bg.getResult());
    return scratch({channels});
  }
  int probabilities(Value logits) override {
    return add(recordOf(logits.getType(), Region::Probabilities));
  }
  FusedActivation activationOf(Value dz) override {
    if (auto g = dz.getDefiningOp<ActivationGradOp>(); g && g.getFused()) {
      callLocs_.push_back(g.getLoc()); // its layer is in the call's group
      return {g.getGrad(), g.getOutput(), kernelActivation(g.getActivation())};
    }
    return {dz, dz, ops::Activation::Linear};
  }
  Update update(int slots) override;

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
  /// A float buffer of `floats` elements in `region`, `offset` bytes in.
  int flatBuffer(Region region, int64_t floats, int64_t offset) {
    BufferRecord r;
    r.region = region;
    r.rank = 1;
    r.extents[0] = floats;
    r.offset = offset;
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
      if (user->hasTrait<OptimizerUpdate>())
        return user->getOperand(0);
      if (auto l2 = dyn_cast<L2GradOp>(user))
        return l2.getParam();
    }
    return nullptr;
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
  // Step 3: the planner's own ops here, the rest through KernelOp.
  LogicalResult lower(Operation &op);
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
  bool beforeLoss_ = true; // while lowering the forward pass
  int64_t paramFloats_ = 0, trainableFloats_ = 0, stateFloats_ = 0;
};

} // namespace mnistc::codegen

#endif // MNISTC_COMPILER_CODEGEN_PLANNER_H

//===- ModelPlan.cpp - From the training graph to kernel calls ------------===//
//
// Algorithm:
// 1. Lay out the parameters: trainable ones first, then the others, in
//    graph order, each 64-byte aligned, so the gradients form one buffer
//    shaped like the trainable parameters and one optimizer kernel updates
//    them all.
// 2. Walk nn.train in order, giving every tensor a buffer: the caller's
//    images and labels, parameters and their gradients, arena buffers for
//    activations; Flatten and Reshape are views of their input.
// 3. Map each other op to its kernel calls through its NN_KernelOpInterface
//    model, in its kernel file in compiler/Ops/ (Lowering.h is what the
//    model may ask of the planner); docs/kernels.md has the table. A call
//    holds the recipe of its kernel, not the kernel: nothing is built
//    while planning. The
//    optimizer's update ops are left for the end, where one kernel updates
//    every trainable parameter.
//    Each call records the DSL layers of the ops it computes (their
//    locations; a fused op's holds several), which --emit=kernels prints.
//    Kernels see buffers in their own layout: a tensor flattened past the
//    batch axis (features, n) or channels-last (C, S, n) is a view.
// 4. The forward kernels and the loss form the eval step, the forward
//    kernels and the softmax the forward step; everything the train step.
// 5. Training from a resident data set: one gather_batch call that fills
//    the images and labels buffers from the data set's buffers (regions
//    DataImages, DataLabels, Order), before a train step.
// 6. planModel then builds every kernel from its recipe, for the target
//    and schedule asked, and plans the arena (MemoryPlan.h), which needs
//    to know each kernel's inputs.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/Planner.h"

#include "compiler/Ops/Gather.h"

using namespace mlir;
using namespace mnistc::nn;

namespace mnistc::codegen {

const char *ModelPlan::stepName(int step) {
  static const char *const names[kSteps] = {"train", "eval", "forward"};
  return names[step];
}

std::string ModelPlan::symbol(size_t kernel) const {
  return "mnistc_k" + std::to_string(kernel) + "_" + kernels[kernel].name;
}

std::vector<int64_t> ModelPlan::table() const {
  std::vector<int64_t> words(1 + buffers.size() * kRecordWords);
  words[0] = static_cast<int64_t>(buffers.size());
  for (size_t i = 0; i < buffers.size(); ++i)
    buffers[i].write(&words[1 + i * kRecordWords]);
  return words;
}

LogicalResult Planner::lower(Operation &op) {
  if (isa<LearningRateOp>(op) || op.hasTrait<OptimizerUpdate>())
    return success(); // lowerUpdates
  if (auto yield = dyn_cast<TrainYieldOp>(op)) {
    plan_.buffers[bufferFor(yield.getLoss())].role = Role::Loss;
    plan_.buffers[bufferFor(yield.getCorrect())].role = Role::Correct;
    return success();
  }
  if (auto images = dyn_cast<BatchImagesOp>(op)) {
    bufferFor(images, Region::Images);
    return success();
  }
  if (auto labels = dyn_cast<BatchLabelsOp>(op)) {
    bufferFor(labels, Region::Labels);
    return success();
  }
  if (auto p = dyn_cast<ParamOp>(op)) {
    int b = bufferFor(p, Region::Params);
    plan_.buffers[b].offset = paramOffset_.lookup(p) * 4;
    return success();
  }
  if (auto kernels = dyn_cast<KernelOp>(op))
    return kernels.lowerToKernels(*this);
  return op.emitError() << "this layer cannot be compiled into a model.so "
                        << "yet (no kernel for '" << op.getName() << "')";
}

LogicalResult Planner::lowerUpdates() {
  Operation *first = nullptr;
  for (Operation &op : train_.getBody().front())
    if (op.hasTrait<OptimizerUpdate>()) {
      if (!first)
        first = &op;
      else if (op.getName() != first->getName() ||
               op.getAttrDictionary() != first->getAttrDictionary())
        return op.emitError() << "all parameters must share one optimizer";
    }
  if (!first)
    return success();
  auto kernels = dyn_cast<KernelOp>(first);
  if (!kernels)
    return first->emitError() << "this optimizer cannot be compiled into a "
                                 "model.so yet (no kernel for '"
                              << first->getName() << "')";
  size_t before = plan_.train.size();
  if (failed(kernels.lowerToKernels(*this)))
    return failure();
  plan_.updateCalls = plan_.train.size() - before;
  return success();
}

Lowering::Update Planner::update(int slots) {
  int count = static_cast<int>(trainableFloats_);
  Update u{count, flatBuffer(Region::Params, count, 0),
           flatBuffer(Region::Gradients, count, 0), {}};
  for (int i = 0; i < slots; ++i)
    u.slots.push_back(
        flatBuffer(Region::State, count, int64_t(i) * count * 4));
  stateFloats_ = int64_t(slots) * count;
  return u;
}

void Planner::lowerGather() {
  Value images, labels;
  for (Operation &op : train_.getBody().front()) {
    if (auto i = dyn_cast<BatchImagesOp>(op))
      images = i;
    if (auto l = dyn_cast<BatchLabelsOp>(op))
      labels = l;
  }
  if (!images || !labels)
    return;
  // The kernel sees the images as rows (features, n), the data set's the
  // same way with the data set's count as n.
  int batchImages = bufferFor(images), batchLabels = bufferFor(labels);
  if (plan_.buffers[batchImages].rank != 2)
    batchImages = rows(images);
  BufferRecord labelRecord = plan_.buffers[batchLabels];
  bool sparse = labelRecord.typeCode != 2;
  int dataImages = addIn(plan_.buffers[batchImages], Region::DataImages);
  BufferRecord indices;
  indices.typeCode = 0; // int32 (n)
  indices.rank = 1;
  indices.batchDim = 0;
  int dataLabels = addIn(indices, Region::DataLabels);
  int order = addIn(indices, Region::Order);
  ops::GatherShape shape{int(features(images)),
                         sparse ? 0 : int(labelRecord.extents[0])};
  plan_.recipes.push_back([=](const ops::KernelTarget &t) {
    return ops::gatherBatch(shape, t);
  });
  plan_.gather = {KernelCall{plan_.recipes.size() - 1,
                             {kOffsetSlot},
                             {dataImages, dataLabels, order, batchImages,
                              batchLabels},
                             ""}};
}

FailureOr<ModelPlan> planModel(ModuleOp module,
                               const ops::KernelTarget &target) {
  auto model = *module.getOps<ModelOp>().begin();
  auto train = *module.getOps<TrainOp>().begin();
  FailureOr<ModelPlan> plan = Planner(model, train, target).run();
  if (failed(plan))
    return failure();
  for (const ops::KernelRecipe &recipe : plan->recipes)
    plan->kernels.push_back(recipe(target));
  planArena(*plan);
  return plan;
}

} // namespace mnistc::codegen

//===- FuseActivations.cpp - The nn-fuse-activations pass -----------------===//
//
// Folds standalone Activation layers of a training graph into the op that
// produces their input, activation gradients into the backward op next to
// them that can compute them (nn.max_pool2d_grad, nn.batch_norm_grad), and
// marks the activation gradients that the Dense and Conv2D backward
// kernels apply as they read them (algorithm in Passes.td). Which ops can
// take an activation is a property of the ops: the NN_AppliesActivation
// and NN_ReadsActivationGrad traits and the
// NN_AbsorbsActivationGradOpInterface (its implementations in
// NNTrainOps.cpp).
// The planner then gives each fused op one kernel per pass, so the fusion
// shows in `mnistc --emit=kernels`.
//
//===----------------------------------------------------------------------===//
#include "compiler/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mnistc::nn {
#define GEN_PASS_DEF_NNFUSEACTIVATIONS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mnistc::nn

using namespace mlir;
using namespace mnistc::nn;

namespace {

/// The op whose output `act` can apply as it writes it, or null: an
/// NN_AppliesActivation op whose first result only `act` reads, with no
/// activation of its own.
Operation *fusableProducer(ActivationOp act) {
  Value in = act.getInput();
  Operation *producer = in.getDefiningOp();
  if (!producer || !in.hasOneUse() ||
      !producer->hasTrait<AppliesActivation>() ||
      in != producer->getResult(0))
    return nullptr;
  auto own = producer->getAttrOfType<ActivationAttr>("activation");
  return !own || own.getValue() == Activation::linear ? producer : nullptr;
}

/// Step 1 for one Activation layer.
void fuseForward(ActivationOp act) {
  Activation kind = act.getActivation();
  if (kind == Activation::softmax)
    return; // only ever the loss's (nn-autodiff)
  if (kind != Activation::linear) {
    Operation *producer = fusableProducer(act);
    if (!producer)
      return;
    producer->setAttr("activation",
                      ActivationAttr::get(act.getContext(), kind));
    producer->setLoc(FusedLoc::get(act.getContext(),
                                   {producer->getLoc(), act.getLoc()}));
  }
  act.getOutput().replaceAllUsesWith(act.getInput());
  act.erase();
}

/// Step 3 for one activation gradient.
void fuseIntoReaders(ActivationGradOp grad) {
  if (llvm::all_of(grad->getUsers(), [](Operation *user) {
        return user->hasTrait<ReadsActivationGrad>();
      }))
    grad.setFused(true);
}

struct NNFuseActivationsPass
    : mnistc::nn::impl::NNFuseActivationsBase<NNFuseActivationsPass> {
  void runOnOperation() override {
    Block &body = getOperation().getBody().front();
    for (auto act : llvm::make_early_inc_range(body.getOps<ActivationOp>()))
      fuseForward(act);
    // Step 2, in graph order: a max-pooling gradient comes before the
    // activation gradient it would take in, and a batch norm gradient
    // after it, so the pooling's is tried first.
    for (auto grad : body.getOps<AbsorbsActivationGrad>())
      grad.absorbActivationGrad();
    for (auto grad : body.getOps<ActivationGradOp>())
      fuseIntoReaders(grad);
  }
};

} // namespace

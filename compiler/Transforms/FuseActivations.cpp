//===- FuseActivations.cpp - The nn-fuse-activations pass -----------------===//
//
// Folds standalone Activation layers of a training graph into the op that
// produces their input, activation gradients into the nn.max_pool2d_grad
// or nn.batch_norm_grad next to them, and marks the activation gradients
// that the Dense and Conv2D backward kernels apply as they read them
// (algorithm in Passes.td). Which ops can take an activation is a
// property of the ops (the NN_AppliesActivation and NN_ReadsActivationGrad
// traits).
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

/// Step 2 for one BatchNormalization gradient: the gradient of the
/// activation folded into its forward.
void fuseBackward(BatchNormGradOp grad) {
  auto d = grad.getGrad().getDefiningOp<ActivationGradOp>();
  if (!d || !d->hasOneUse() || grad.getActivation() != Activation::linear)
    return;
  auto bn = d.getOutput().getDefiningOp<BatchNormTrainOp>();
  if (!bn || bn.getActivation() != d.getActivation())
    return;
  grad.getGradMutable().assign(d.getGrad());
  grad.getOutputMutable().assign(d.getOutput());
  grad.setActivation(d.getActivation());
  grad->setLoc(
      FusedLoc::get(grad.getContext(), {grad->getLoc(), d->getLoc()}));
  d.erase();
}

/// Step 2 for one max-pooling gradient: the gradient of the activation
/// whose output the pooling read.
void fuseBackward(MaxPoolGradOp grad) {
  if (!grad->hasOneUse() || grad.getActivation() != Activation::linear)
    return;
  auto d = dyn_cast<ActivationGradOp>(*grad->user_begin());
  if (!d || d.getGrad() != grad.getResult() ||
      d.getOutput() != grad.getInput())
    return;
  grad.setActivation(d.getActivation());
  grad->setLoc(
      FusedLoc::get(grad.getContext(), {grad->getLoc(), d->getLoc()}));
  d.getResult().replaceAllUsesWith(grad.getResult());
  d.erase();
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
    for (auto grad : body.getOps<MaxPoolGradOp>())
      fuseBackward(grad);
    for (auto grad : body.getOps<BatchNormGradOp>())
      fuseBackward(grad);
    for (auto grad : body.getOps<ActivationGradOp>())
      fuseIntoReaders(grad);
  }
};

} // namespace

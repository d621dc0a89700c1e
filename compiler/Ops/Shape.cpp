//===- Shape.cpp - Flatten and Reshape in a model.so ----------------------===//
//
// Flatten and Reshape change only how a tensor is indexed, never its
// storage, so they have no kernel: each result is a view of its input's
// buffer (the planner's Lowering::view). Their gradients are views too
// (ShapeGradients.cpp).
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/Lowering.h"

namespace mnistc::ops {
namespace {

using namespace mlir;
using namespace mnistc::nn;
using codegen::Lowering;

template <typename ViewOp>
struct ViewKernels : KernelOp::ExternalModel<ViewKernels<ViewOp>, ViewOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    l.view(op->getResult(0), op->getOperand(0));
    return success();
  }
};

} // namespace

void registerShapeKernels(MLIRContext *ctx) {
  FlattenOp::attachInterface<ViewKernels<FlattenOp>>(*ctx);
  ReshapeOp::attachInterface<ViewKernels<ReshapeOp>>(*ctx);
}

} // namespace mnistc::ops

//===- Passes.td - Passes over the nn dialect -----------------------------===//
//
// Every pass is declared here, runs alone in mnistc-opt, and is tested with
// lit + FileCheck.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_NN_PASSES
#define MNISTC_NN_PASSES

include "mlir/Pass/PassBase.td"

def NNShapeInference : Pass<"nn-shape-inference", "::mnistc::nn::ModelOp"> {
  let summary = "Infer every layer's output shape";
  let description = [{
    Algorithm:
    1. Walk the model body in order (it is a DAG in topological order).
    2. For each op implementing ShapeInference whose operands are all
       ranked, call `inferShapes()`, which sets the result type or emits a
       located error. Then check the op's output (per image) and its
       parameter tensors against the largest tensor Halide 14 addresses,
       2^29 - 1 float32 values (just under 2 GiB): a larger one is a
       located error and the op counts as failed.
    3. Ops fed by a failed op are skipped, so one mistake is reported once.
    4. The pass fails if any op failed.
    Result types written as `tensor<*xf32>` become ranked tensors with a
    dynamic batch dimension, e.g. `tensor<?x26x26x32xf32>`.
  }];
}

def NNAutodiff : Pass<"nn-autodiff", "::mlir::ModuleOp"> {
  let summary = "Build the training graph (nn.train) of every nn.model";
  let description = [{
    Algorithm, for each nn.model (which must be shape-inferred and carry
    its compile settings):
    1. Create `nn.train @name` after it, with the batch's images and
       labels, the learning rate, and one nn.param per layer parameter.
    2. Forward: for each layer in order, its GradientOp rule emits the
       training forward. The last layer leaves out its softmax (always for
       a crossentropy loss, which takes logits; for mean squared error
       when the model ends in softmax, which the loss then applies).
    3. Loss: one fused nn.softmax_cross_entropy or nn.mean_squared_error
       (mean loss, correct count, gradient w.r.t. the last layer's
       output).
    4. Backward: layers in reverse; each rule emits its backward ops from
       the gradient of its output. Gradients of a tensor used by several
       layers are summed. Only tensors that depend on a trainable
       parameter get a gradient (never the images).
    5. One optimizer update op per trainable parameter (SGD, Adam or
       RMSprop with the compile settings), in parameter order; a kernel
       with an L2 regularizer first gets nn.l2_grad (its gradient plus
       2·l2·kernel) and adds nn.l2_penalty to the loss. Then
       nn.train_yield of the loss and the correct count.
    A layer without a GradientOp rule, or a setting not trainable yet, is
    reported at its DSL line.
  }];
}

def NNFuseActivations : Pass<"nn-fuse-activations", "::mnistc::nn::TrainOp"> {
  let summary = "Fold Activation layers into the op before them, forward and backward";
  let description = [{
    A standalone Activation layer costs a kernel and a trip through memory
    each way; the op that produces its input can apply it as it writes its
    output instead. Algorithm, on one nn.train:
    1. Forward. For each `nn.activation A` whose input is the first
       result of an op with the NN_AppliesActivation trait (`nn.linear`,
       `nn.conv`, `nn.add`, `nn.batch_norm_train`) with no activation of its
       own, read by A alone: set the producer's activation to A's, replace
       A's uses with the producer's output and erase A. An
       Activation("linear") is erased whatever its producer. The fused op's
       location becomes the fused location of both, so every kernel it
       becomes names both layers (`mnistc --emit=kernels`).
    2. Backward, where the gradient of such an activation, `nn.activation_grad
       D`, feeds one op that can take it in its kernel (the ops with
       NN_AbsorbsActivationGradOpInterface, asked in graph order):
       - an `nn.max_pool2d_grad G` whose input is D's output and whose
         result only D reads: G takes D's activation, D's readers read G
         instead and D is erased (the pooling backward already reads that
         output);
       - else an `nn.batch_norm_grad G` that only D feeds, where D's output
         is the output of an `nn.batch_norm_train` with D's activation: G
         takes D's gradient, D's output as its `output` and D's
         activation, and D is erased.
    3. Backward, into the kernels that read it: an `nn.activation_grad`
       that only NN_ReadsActivationGrad ops read (the Dense and Conv2D
       backward ops) stays an op but is marked `fused`: it gets no kernel,
       and its readers' kernels apply it as they read its gradient and
       output (`Lowering::activationOf`, compiler/Codegen/Lowering.h).
    The activation was already a pure function of the producer's output,
    so the graph computes the same values; only the kernel boundaries move.
  }];
}

#endif

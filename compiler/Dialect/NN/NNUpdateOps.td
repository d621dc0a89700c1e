//===- NNUpdateOps.td - The optimizers' update ops ------------------------===//
//
// One op per optimizer in the training graph: nn-autodiff ends nn.train
// with one update of each trainable parameter, all the same op with the
// same attributes (NN_OptimizerUpdate; the planner lowers them together).
// Included by NNTrainOps.td.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_NN_UPDATE_OPS
#define MNISTC_NN_UPDATE_OPS

//===----------------------------------------------------------------------===//
// Optimizer updates (Keras 3 formulas; see docs/training.md)
//===----------------------------------------------------------------------===//

class NN_UpdateOp<string mnemonic, string formula>
    : NN_Op<mnemonic, [NN_OptimizerUpdate,
                       TypesMatchWith<"gradient matches its parameter",
                                      "param", "grad", "$_self">]> {
  let description = [{
    Updates `param` in place from its gradient with the current learning
    rate: }] # formula # [{ Optimizer state (slots) is owned by the op and
    zero-initialized.

    Example:
    ```mlir
    nn.}] # mnemonic # [{ %2, %9, %lr {...} : tensor<512x10xf32>
    ```
  }];
  let assemblyFormat = "$param `,` $grad `,` $learning_rate attr-dict `:` type($param)";
}

def NN_SGDUpdateOp : NN_UpdateOp<"sgd_update",
    "without momentum w -= lr·g; with momentum μ: v ← μv − lr·g, then "
    "w ← w + v, or with nesterov w ← w + μv − lr·g."> {
  let summary = "SGD update (Keras SGD)";
  let arguments = (ins NN_Tensor:$param, NN_Tensor:$grad, F32:$learning_rate,
                       F64Attr:$momentum, BoolAttr:$nesterov);
}

def NN_AdamUpdateOp : NN_UpdateOp<"adam_update",
    "m ← m + (g − m)(1 − β1); v ← v + (g² − v)(1 − β2); "
    "α = lr·√(1 − β2^t)/(1 − β1^t); w ← w − α·m/(√v + ε), t the step count "
    "from 1."> {
  let summary = "Adam update (Keras Adam)";
  let arguments = (ins NN_Tensor:$param, NN_Tensor:$grad, F32:$learning_rate,
                       F64Attr:$beta_1, F64Attr:$beta_2, F64Attr:$epsilon);
}

def NN_RMSpropUpdateOp : NN_UpdateOp<"rmsprop_update",
    "v ← ρv + (1 − ρ)g²; inc = lr·g/√(v + ε) (ε inside the root); without "
    "momentum w −= inc, with momentum μ: b ← μb + inc, w −= b."> {
  let summary = "RMSprop update (Keras RMSprop)";
  let arguments = (ins NN_Tensor:$param, NN_Tensor:$grad, F32:$learning_rate,
                       F64Attr:$rho, F64Attr:$momentum, F64Attr:$epsilon);
}

#endif

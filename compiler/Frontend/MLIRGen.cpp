//===- MLIRGen.cpp - Checked layer graph to the nn dialect ----------------===//
//
// A direct translation: Sema has already checked every argument, so each
// LayerNode maps to one op with its attributes; nothing here can fail on
// user input. Shapes are inferred afterwards by the nn-shape-inference pass.
//
//===----------------------------------------------------------------------===//
#include "compiler/Frontend/MLIRGen.h"

#include "compiler/Dialect/NN/NNDialect.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mnistc::nn;

namespace mnistc {
namespace {

class Gen {
public:
  Gen(MLIRContext &ctx, const std::string &filename)
      : b_(&ctx), file_(b_.getStringAttr(filename)) {}

  OwningOpRef<ModuleOp> run(const ModelGraph &g) {
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc(g.loc));
    b_.setInsertionPointToEnd(module->getBody());
    auto model = b_.create<ModelOp>(loc(g.loc), b_.getStringAttr(g.name),
                                    dict(g.compile), dict(g.fit));
    Block *body = b_.createBlock(&model.getBody());
    b_.setInsertionPointToEnd(body);
    std::vector<mlir::Value> values;
    for (const LayerNode &n : g.nodes) {
      SmallVector<mlir::Value> inputs;
      for (int i : n.inputs)
        inputs.push_back(values[i]);
      values.push_back(build(n, inputs));
    }
    b_.create<OutputOp>(loc(g.nodes[g.output].loc), values[g.output]);
    return module;
  }

private:
  Location loc(dsl::Loc l) {
    return FileLineColLoc::get(file_, l.line, l.col);
  }

  /// compile/fit settings: a Call value becomes {name = "Adam", ...}.
  Attribute attr(const Value &v) {
    switch (v.kind) {
    case Value::None: return {};
    case Value::Int: return b_.getI64IntegerAttr(v.i);
    case Value::Float: return b_.getF64FloatAttr(v.f);
    case Value::Bool: return b_.getBoolAttr(v.b);
    case Value::String: return b_.getStringAttr(v.s);
    case Value::Ints: return b_.getDenseI64ArrayAttr(v.ints);
    case Value::List: {
      SmallVector<Attribute> items;
      for (const Value &item : v.items)
        items.push_back(attr(item));
      return b_.getArrayAttr(items);
    }
    case Value::Call: return dict(v);
    }
    return {};
  }

  DictionaryAttr dict(const Value &call) {
    SmallVector<NamedAttribute> entries;
    if (call.call->kind != CallKind::Section)
      entries.push_back(b_.getNamedAttr("name", b_.getStringAttr(call.call->name)));
    for (const auto &[name, v] : call.args)
      if (Attribute a = attr(v))
        entries.push_back(b_.getNamedAttr(name, a));
    return b_.getDictionaryAttr(entries);
  }

  ActivationAttr activation(const Value &v) {
    return ActivationAttr::get(b_.getContext(),
                               v.isNone() ? Activation::linear
                                          : *symbolizeActivation(v.s));
  }
  InitializerAttr initializer(const Value &v) {
    return InitializerAttr::get(b_.getContext(), *symbolizeInitializer(v.s));
  }
  PaddingAttr padding(const Value &v) {
    return PaddingAttr::get(b_.getContext(), *symbolizePadding(v.s));
  }
  FloatAttr l2(const Value &v) {
    return b_.getF64FloatAttr(v.isNone() ? 0.0 : v.f);
  }

  mlir::Value build(const LayerNode &n, ArrayRef<mlir::Value> in) {
    const Value &c = n.call;
    const std::string &kind = n.spec->name;
    Location at = loc(n.loc);
    Type t = UnrankedTensorType::get(b_.getF32Type());
    StringAttr name = b_.getStringAttr(n.name);
    auto i64 = [&](const char *arg) { return b_.getI64IntegerAttr(c.arg(arg).i); };
    auto f64 = [&](const char *arg) { return b_.getF64FloatAttr(c.arg(arg).f); };
    auto ints = [&](const Value &v) { return b_.getDenseI64ArrayAttr(v.ints); };
    if (n.spec->kind == CallKind::Input)
      return b_.create<InputOp>(at, t, name, ints(c.arg("shape")));
    if (kind == "Dense")
      return b_.create<DenseOp>(
          at, t, in[0], name, i64("units"), activation(c.arg("activation")),
          b_.getBoolAttr(c.arg("use_bias").b),
          initializer(c.arg("kernel_initializer")),
          initializer(c.arg("bias_initializer")),
          l2(c.arg("kernel_regularizer")));
    if (kind == "Conv2D")
      return b_.create<Conv2DOp>(
          at, t, in[0], name, i64("filters"), ints(c.arg("kernel_size")),
          ints(c.arg("strides")), padding(c.arg("padding")),
          activation(c.arg("activation")), b_.getBoolAttr(c.arg("use_bias").b),
          initializer(c.arg("kernel_initializer")),
          initializer(c.arg("bias_initializer")),
          l2(c.arg("kernel_regularizer")));
    if (kind == "MaxPooling2D" || kind == "AveragePooling2D") {
      const Value &pool = c.arg("pool_size");
      const Value &strides = c.arg("strides");
      DenseI64ArrayAttr s = ints(strides.isNone() ? pool : strides);
      if (kind == "MaxPooling2D")
        return b_.create<MaxPool2DOp>(at, t, in[0], name, ints(pool), s,
                                      padding(c.arg("padding")));
      return b_.create<AvgPool2DOp>(at, t, in[0], name, ints(pool), s,
                                    padding(c.arg("padding")));
    }
    if (kind == "Flatten")
      return b_.create<FlattenOp>(at, t, in[0], name);
    if (kind == "Reshape")
      return b_.create<ReshapeOp>(at, t, in[0], name,
                                  ints(c.arg("target_shape")));
    if (kind == "Dropout") {
      const Value &seed = c.arg("seed");
      return b_.create<DropoutOp>(
          at, t, in[0], name, f64("rate"),
          seed.isNone() ? IntegerAttr() : b_.getI64IntegerAttr(seed.i));
    }
    if (kind == "BatchNormalization")
      return b_.create<BatchNormOp>(at, t, in[0], name, i64("axis"),
                                    f64("momentum"), f64("epsilon"));
    if (kind == "Activation")
      return b_.create<ActivationOp>(at, t, in[0], name,
                                     activation(c.arg("activation")));
    if (kind == "Add")
      return b_.create<AddOp>(at, t, in, name,
                              /*activation=*/nullptr);
    if (kind == "Concatenate")
      return b_.create<ConcatenateOp>(at, t, in, name, i64("axis"));
    llvm_unreachable("a catalog layer without an nn op");
  }

  OpBuilder b_;
  StringAttr file_;
};

} // namespace

OwningOpRef<ModuleOp> mlirGen(MLIRContext &context, const ModelGraph &graph,
                              const std::string &filename) {
  context.getOrLoadDialect<NNDialect>();
  return Gen(context, filename).run(graph);
}

} // namespace mnistc

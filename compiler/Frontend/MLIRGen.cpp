//===- MLIRGen.cpp - Checked layer graph to the nn dialect ----------------===//
//
// A direct translation: Sema has already checked every argument, so each
// LayerNode maps to one op with its attributes, built by its layer kind's
// CallSpec::build (compiler/Ops/XLayer.cpp); nothing here can fail on user
// input. Shapes are inferred afterwards by the nn-shape-inference pass.
//
//===----------------------------------------------------------------------===//
#include "compiler/Frontend/MLIRGen.h"

#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Frontend/LayerBuilder.h"
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

  mlir::Value build(const LayerNode &n, ArrayRef<mlir::Value> in) {
    StringAttr name = b_.getStringAttr(n.name);
    if (n.spec->kind == CallKind::Input)
      return b_.create<InputOp>(
          loc(n.loc), UnrankedTensorType::get(b_.getF32Type()), name,
          b_.getDenseI64ArrayAttr(n.call.arg("shape").ints));
    LayerBuilder layer(b_, loc(n.loc), name, n.call, in);
    return n.spec->build(layer);
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

//===- ModelInfo.cpp - The description text a model.so carries -----------===//
//
// `mnistc_gen_info`: the model's name, target, input shape, classes, label
// kind, buffer sizes, compile/fit settings, parameter table and fingerprint
// as lines of text, which the support library parses into mnistc_model_info
// and mnistc_model_fingerprint (runtime/include/mnistc/model.h). The
// fingerprint is SHA-256 of the nn.train op as printed (the whole training
// graph: layers, parameter shapes, loss, optimizer; not the fit settings,
// nor the activation gradients' `fused` marks, which say where kernels
// lie, not what the model computes), so a checkpoint can tell the model it
// belongs to (docs/checkpoint.md).
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/ModelPlan.h"

#include "compiler/Dialect/NN/NNDialect.h"
#include "runtime/include/mnistc/model.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/SHA256.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mnistc::nn;

namespace mnistc::codegen {

namespace {

/// Keras's fans (KERAS_SEMANTICS §5) of a parameter of `shape`.
std::pair<int64_t, int64_t> fans(ArrayRef<int64_t> shape) {
  if (shape.size() == 2)
    return {shape[0], shape[1]};
  if (shape.size() == 4)
    return {shape[0] * shape[1] * shape[2], shape[0] * shape[1] * shape[3]};
  return {shape.empty() ? 1 : shape[0], shape.empty() ? 1 : shape[0]};
}

/// A fit setting as JSON: arrays, objects (the callbacks), strings,
/// numbers and booleans, all the DSL can write.
void writeJson(Attribute a, llvm::raw_ostream &os) {
  if (auto arr = dyn_cast<ArrayAttr>(a)) {
    os << "[";
    llvm::interleave(arr, os, [&](Attribute e) { writeJson(e, os); }, ", ");
    os << "]";
  } else if (auto dict = dyn_cast<DictionaryAttr>(a)) {
    os << "{";
    llvm::interleave(
        dict, os,
        [&](NamedAttribute n) {
          writeJson(n.getName(), os);
          os << ": ";
          writeJson(n.getValue(), os);
        },
        ", ");
    os << "}";
  } else if (auto str = dyn_cast<StringAttr>(a)) {
    os << '"';
    for (char c : str.getValue()) {
      if (c == '"' || c == '\\')
        os << '\\' << c;
      else if (static_cast<unsigned char>(c) < 0x20)
        os << llvm::format("\\u%04x", c);
      else
        os << c;
    }
    os << '"';
  } else if (auto b = dyn_cast<BoolAttr>(a)) {
    os << (b.getValue() ? "true" : "false");
  } else if (auto i = dyn_cast<IntegerAttr>(a)) {
    os << i.getInt();
  } else if (auto f = dyn_cast<FloatAttr>(a)) {
    os << llvm::format("%.17g", f.getValueAsDouble());
  } else {
    os << "null";
  }
}

/// The first 128 bits of SHA-256 over the printed nn.train op, without
/// its `fused` marks, in hex.
std::string fingerprint(TrainOp train) {
  llvm::SmallVector<ActivationGradOp> marked;
  train.walk([&](ActivationGradOp g) {
    if (g.getFused())
      marked.push_back(g);
    g.setFused(false);
  });
  std::string text;
  llvm::raw_string_ostream os(text);
  train->print(os, OpPrintingFlags());
  for (ActivationGradOp g : marked)
    g.setFused(true);
  std::array<uint8_t, 32> hash =
      llvm::SHA256::hash(llvm::arrayRefFromStringRef(os.str()));
  return llvm::toHex(llvm::ArrayRef<uint8_t>(hash).take_front(16),
                     /*LowerCase=*/true);
}

} // namespace

int64_t fitBatchSize(ModelOp model) {
  DictionaryAttr fit = model.getFitAttr();
  auto batch = fit ? fit.getAs<IntegerAttr>("batch_size") : nullptr;
  return batch ? batch.getInt() : 32; // Keras's default
}

std::string describeModel(ModelOp model, TrainOp train,
                          const Halide::Target &target,
                          const llvm::DenseMap<Value, int64_t> &paramOffsets,
                          int64_t paramFloats, int64_t stateFloats) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "abi " << MNISTC_ABI_VERSION << "\n";
  os << "name " << model.getSymName() << "\n";
  os << "target " << target.to_string() << "\n";
  auto input = *model.getBody().front().getOps<InputOp>().begin();
  os << "input " << input.getShape().size();
  for (int64_t d : input.getShape())
    os << " " << d;
  auto out = cast<RankedTensorType>(model.getOutputOp().getValue().getType());
  DictionaryAttr compile = model.getCompileAttr();
  StringRef loss = compile.getAs<StringAttr>("loss").getValue();
  os << "\nclasses " << out.getDimSize(1) << " "
     << (loss == "sparse_categorical_crossentropy") << "\n";
  os << "sizes " << paramFloats << " " << stateFloats << "\n";
  auto opt = compile.getAs<DictionaryAttr>("optimizer");
  os << "optimizer " << opt.getAs<StringAttr>("name").getValue() << " "
     << opt.getAs<FloatAttr>("learning_rate").getValueAsDouble() << "\n";
  os << "loss " << loss << "\n";
  DictionaryAttr fit = model.getFitAttr();
  auto i64 = [&](StringRef k, int64_t d) {
    auto a = fit ? fit.getAs<IntegerAttr>(k) : nullptr;
    return a ? a.getInt() : d;
  };
  auto vs = fit ? fit.getAs<FloatAttr>("validation_split") : nullptr;
  auto shuffle = fit ? fit.getAs<BoolAttr>("shuffle") : nullptr;
  os << "fit " << fitBatchSize(model) << " " << i64("epochs", 1) << " "
     << (vs ? vs.getValueAsDouble() : 0.0) << " "
     << (shuffle ? shuffle.getValue() : true) << " " << i64("seed", -1)
     << "\n";
  if (Attribute cb = fit ? fit.get("callbacks") : nullptr) {
    os << "callbacks ";
    writeJson(cb, os);
    os << "\n";
  }
  for (auto p : train.getBody().front().getOps<ParamOp>()) {
    auto t = cast<RankedTensorType>(p.getType());
    auto [fanIn, fanOut] = fans(t.getShape());
    os << "param " << p.getLayer() << " " << p.getParam() << " "
       << stringifyInitializer(p.getInitializer()) << " "
       << p.getTrainable() << " " << fanIn << " " << fanOut << " "
       << paramOffsets.lookup(p) << " " << t.getNumElements() << " "
       << t.getRank();
    for (int64_t d : t.getShape())
      os << " " << d;
    os << "\n";
  }
  os << "fingerprint " << fingerprint(train) << "\n";
  return os.str();
}

} // namespace mnistc::codegen

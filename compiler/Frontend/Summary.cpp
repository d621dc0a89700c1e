//===- Summary.cpp - Keras-style model summary ----------------------------===//
//
// Reproduces Keras 3's rich table as rendered without a terminal: a heavy header, a rule between rows, the parameter column
// right-aligned, long cells wrapped. A model is "sequential-like" (three
// columns, no input row) when every layer has at most one input and every
// tensor feeds at most one layer; otherwise a fourth column, "Connected to",
// lists each layer's inputs as name[0][0], as Keras does for functional
// models. Sizes count 4 bytes per float32 parameter, in 1024 steps.
//
//===----------------------------------------------------------------------===//
#include "compiler/Frontend/Summary.h"
#include "compiler/Support/Sizes.h"


#include <string>
#include <vector>

using namespace mlir;
using namespace mnistc::nn;

namespace mnistc {
namespace {

std::string kerasShape(Type type) {
  auto t = cast<RankedTensorType>(type);
  std::string s = "(";
  for (int64_t i = 0; i < t.getRank(); ++i) {
    s += i ? ", " : "";
    s += t.isDynamicDim(i) ? "None" : std::to_string(t.getDimSize(i));
  }
  return s + ")";
}

/// Splits `text` into lines of at most `width` characters, preferring to
/// break after a space or comma.
std::vector<std::string> wrap(const std::string &text, size_t width) {
  std::vector<std::string> lines;
  std::string rest = text;
  while (rest.size() > width) {
    size_t cut = rest.find_last_of(" ,", width - 1);
    cut = cut == std::string::npos || cut == 0 ? width : cut + 1;
    std::string line = rest.substr(0, cut);
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    lines.push_back(line);
    rest = rest.substr(cut);
    while (!rest.empty() && rest.front() == ' ')
      rest.erase(0, 1);
  }
  lines.push_back(rest);
  return lines;
}

std::string repeat(const char *s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += s;
  return out;
}

class Table {
public:
  Table(std::vector<size_t> widths, std::vector<bool> rightAligned)
      : widths_(std::move(widths)), right_(std::move(rightAligned)) {}

  void rule(llvm::raw_ostream &os, const char *left, const char *fill,
            const char *mid, const char *right) const {
    os << left;
    for (size_t i = 0; i < widths_.size(); ++i)
      os << repeat(fill, widths_[i]) << (i + 1 < widths_.size() ? mid : right);
    os << '\n';
  }

  void row(llvm::raw_ostream &os, const std::vector<std::string> &cells,
           const char *bar) const {
    std::vector<std::vector<std::string>> lines;
    size_t height = 1;
    for (size_t i = 0; i < cells.size(); ++i) {
      lines.push_back(wrap(cells[i], widths_[i] - 2));
      height = std::max(height, lines.back().size());
    }
    for (size_t l = 0; l < height; ++l) {
      os << bar;
      for (size_t i = 0; i < cells.size(); ++i) {
        std::string text = l < lines[i].size() ? lines[i][l] : "";
        std::string pad(widths_[i] - 2 - text.size(), ' ');
        os << ' ' << (right_[i] ? pad + text : text + pad) << ' ' << bar;
      }
      os << '\n';
    }
  }

private:
  std::vector<size_t> widths_;
  std::vector<bool> right_;
};

bool sequentialLike(ModelOp model) {
  for (Operation &op : model.getBody().front()) {
    if (op.getNumOperands() > 1)
      return false;
    for (Value r : op.getResults())
      if (!r.hasOneUse())
        return false;
  }
  return true;
}

} // namespace

void printSummary(ModelOp model, llvm::raw_ostream &os) {
  bool sequential = sequentialLike(model);
  // Column widths (with their one-space padding) of Keras's tables:
  // 76 columns at positions 0.45/0.80/1.0 for sequential models, 108 at
  // 0.3/0.6/0.7/1.0 for graphs.
  Table table = sequential ? Table({33, 24, 15}, {false, false, true})
                           : Table({31, 31, 10, 31},
                                   {false, false, true, false});
  std::vector<std::string> header{"Layer (type)", "Output Shape", "Param #"};
  if (!sequential)
    header.push_back("Connected to");

  os << "Model: \"" << model.getSymName() << "\"\n";
  table.rule(os, "┏", "━", "┳", "┓");
  table.row(os, header, "┃");
  table.rule(os, "┡", "━", "╇", "┩");

  int64_t trainable = 0, frozen = 0;
  bool first = true;
  for (Operation &op : model.getBody().front()) {
    auto layer = dyn_cast<LayerOp>(op);
    if (!layer || (sequential && isa<InputOp>(op)))
      continue;
    int64_t params = 0;
    for (const ParamInfo &p : layer.getParameters()) {
      params += p.numElements();
      (p.trainable ? trainable : frozen) += p.numElements();
    }
    std::vector<std::string> cells{
        (layer.getLayerName() + " (" + layer.getLayerClass() + ")").str(),
        kerasShape(op.getResult(0).getType()), grouped(params)};
    if (!sequential) {
      std::string from;
      for (Value in : op.getOperands()) {
        auto src = cast<LayerOp>(in.getDefiningOp());
        from += (from.empty() ? "" : ", ") + src.getLayerName().str() + "[0][0]";
      }
      cells.push_back(from.empty() ? "-" : from);
    }
    if (!first)
      table.rule(os, "├", "─", "┼", "┤");
    first = false;
    table.row(os, cells, "│");
  }
  table.rule(os, "└", "─", "┴", "┘");
  int64_t total = trainable + frozen;
  os << " Total params: " << grouped(total) << " ("
     << memorySize(4.0 * total) << ")\n";
  os << " Trainable params: " << grouped(trainable) << " ("
     << memorySize(4.0 * trainable) << ")\n";
  os << " Non-trainable params: " << grouped(frozen) << " ("
     << memorySize(4.0 * frozen) << ")\n";
}

} // namespace mnistc

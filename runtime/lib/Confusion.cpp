//===- Confusion.cpp - Per-class results: confusion matrix, precision, recall //
//
// The counting, the ratios and the report of confusion.h. The forward
// passes reuse one image buffer and one probability buffer for the whole
// data set.
//
//===----------------------------------------------------------------------===//
#include "mnistc/confusion.h"

#include "mnistc/batching.h"

#include <algorithm>
#include <cstdio>

namespace mnistc::rt {

int64_t ConfusionMatrix::total() const {
  int64_t n = 0;
  for (int64_t c : counts)
    n += c;
  return n;
}

double ConfusionMatrix::accuracy() const {
  int64_t right = 0, n = total();
  for (int32_t c = 0; c < classes; ++c)
    right += at(c, c);
  return n ? double(right) / double(n) : 0.0;
}

int64_t ConfusionMatrix::support(int32_t c) const {
  int64_t n = 0;
  for (int32_t p = 0; p < classes; ++p)
    n += at(c, p);
  return n;
}

double ConfusionMatrix::precision(int32_t c) const {
  int64_t predicted = 0;
  for (int32_t t = 0; t < classes; ++t)
    predicted += at(t, c);
  return predicted ? double(at(c, c)) / double(predicted) : 0.0;
}

double ConfusionMatrix::recall(int32_t c) const {
  int64_t n = support(c);
  return n ? double(at(c, c)) / double(n) : 0.0;
}

double ConfusionMatrix::f1(int32_t c) const {
  double p = precision(c), r = recall(c);
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

std::string ConfusionMatrix::report() const {
  std::string s = "class  precision  recall  f1-score  support\n";
  char line[128];
  double macro[3] = {0, 0, 0};
  for (int32_t c = 0; c < classes; ++c) {
    std::snprintf(line, sizeof line, "%5d  %9.4f  %6.4f  %8.4f  %7lld\n", c,
                  precision(c), recall(c), f1(c),
                  static_cast<long long>(support(c)));
    s += line;
    macro[0] += precision(c), macro[1] += recall(c), macro[2] += f1(c);
  }
  std::snprintf(line, sizeof line, "%5s  %9.4f  %6.4f  %8.4f  %7lld\n",
                "macro", macro[0] / classes, macro[1] / classes,
                macro[2] / classes, static_cast<long long>(total()));
  s += line;

  // The matrix, each column as wide as its largest count.
  int width = 3;
  for (int64_t c : counts)
    width = std::max<int>(width, int(std::to_string(c).size()));
  width = std::min(width, 20);
  s += "\nConfusion matrix (rows: true class, columns: predicted class):\n";
  s += "     ";
  for (int32_t p = 0; p < classes; ++p) {
    std::snprintf(line, sizeof line, " %*d", width, p);
    s += line;
  }
  s += "\n";
  for (int32_t t = 0; t < classes; ++t) {
    std::snprintf(line, sizeof line, "%5d", t);
    s += line;
    for (int32_t p = 0; p < classes; ++p) {
      std::snprintf(line, sizeof line, " %*lld", width,
                    static_cast<long long>(at(t, p)));
      s += line;
    }
    s += "\n";
  }
  return s;
}

Status confusionMatrix(ModelContext &ctx, const Dataset &data,
                       int32_t batchSize, ConfusionMatrix &out) {
  const mnistc_model_info &info = ctx.info();
  if (static_cast<int64_t>(data.imageSize()) != info.input_size)
    return Status::error(data.imagesPath + ": images do not match " +
                         ctx.path() + "'s input");
  size_t batch = std::min<size_t>(
      {size_t(std::max(batchSize, 1)), size_t(ctx.maxBatch()),
       size_t(std::max<uint32_t>(data.count, 1))});
  size_t classes = static_cast<size_t>(info.num_classes);
  std::vector<float> images(batch * data.imageSize());
  std::vector<int32_t> labels(batch);
  std::vector<float> probabilities(batch * classes);
  std::vector<uint32_t> order;
  orderIdentity(0, data.count, order);
  BatchIterator it;
  if (Status s = it.init(data, order.data(), order.size(), batch); s.failed())
    return s;
  ConfusionMatrix m(info.num_classes);
  while (size_t n = it.next(images.data(), labels.data())) {
    if (Status s = ctx.forward(images.data(), static_cast<int32_t>(n),
                               probabilities.data());
        s.failed())
      return s;
    for (size_t i = 0; i < n; ++i) {
      const float *row = probabilities.data() + i * classes;
      int32_t predicted =
          static_cast<int32_t>(std::max_element(row, row + classes) - row);
      if (labels[i] < 0 || labels[i] >= info.num_classes)
        return Status::error(data.labelsPath + ": label " +
                             std::to_string(labels[i]) + " is out of range");
      ++m.at(labels[i], predicted);
    }
  }
  out = std::move(m);
  return Status::success();
}

} // namespace mnistc::rt

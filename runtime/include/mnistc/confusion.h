//===- confusion.h - Per-class results: confusion matrix, precision, recall ===//
//
// What `mnistrt evaluate` reports beyond loss and accuracy: the predicted
// class of every test image (the arg-max of mnistc_forward's
// probabilities, the lower class on a tie, as numpy's argmax), counted in a
// confusion matrix (rows the true class, columns the predicted one), and
// from it each class's precision, recall and F1 score, printed like
// scikit-learn's classification_report.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_CONFUSION_H
#define MNISTC_RUNTIME_CONFUSION_H

#include "mnistc/dataset.h"
#include "mnistc/model_library.h"
#include "mnistc/status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mnistc::rt {

struct ConfusionMatrix {
  int32_t classes = 0;
  /// classes x classes, row = true class, column = predicted class.
  std::vector<int64_t> counts;

  explicit ConfusionMatrix(int32_t classes = 0)
      : classes(classes), counts(size_t(classes) * size_t(classes), 0) {}

  int64_t &at(int32_t truth, int32_t predicted) {
    return counts[size_t(truth) * size_t(classes) + size_t(predicted)];
  }
  int64_t at(int32_t truth, int32_t predicted) const {
    return counts[size_t(truth) * size_t(classes) + size_t(predicted)];
  }
  int64_t total() const;
  /// The diagonal over the total.
  double accuracy() const;
  /// Images of class c (the row's sum).
  int64_t support(int32_t c) const;
  /// Of the images predicted c, the share that are c (0 if none were).
  double precision(int32_t c) const;
  /// Of the images of class c, the share predicted c (0 if there are none).
  double recall(int32_t c) const;
  double f1(int32_t c) const;

  /// The per-class table and the matrix, as `mnistrt evaluate` prints them.
  std::string report() const;
};

/// Runs mnistc_forward over all of `data` in batches of `batchSize` (at
/// most ctx.maxBatch()) and counts each image's predicted class against
/// its label.
Status confusionMatrix(ModelContext &ctx, const Dataset &data,
                       int32_t batchSize, ConfusionMatrix &out);

} // namespace mnistc::rt

#endif

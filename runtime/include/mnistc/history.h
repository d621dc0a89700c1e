//===- history.h - The training history `mnistrt train` leaves behind -----===//
//
// Keras's History object, as the tutorials plot it: the fit loop hands each
// epoch's logs to a History, and after training History::write leaves three
// files in a directory:
//
//   history.csv  epoch,accuracy,loss,val_accuracy,val_loss[,learning_rate]
//                with CSVLogger's numbers (Python's str() of the float32
//                value), "NA" where an epoch has no such value, LF line ends;
//   history.png  loss and accuracy per epoch, train and validation, drawn by
//                gnuplot (found on PATH, run without a shell);
//   report.html  one self-contained page: the model name, the table of the
//                CSV, the plot, a link to the CSV and the caller's extra HTML.
//
// The plot is optional: without gnuplot, or when it fails, the CSV and the
// page are still written and the reason comes back as a warning, not as a
// failure. Every file is written atomically. Library code: prints nothing.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_HISTORY_H
#define MNISTC_RUNTIME_HISTORY_H

#include "mnistc/fit.h"
#include "mnistc/status.h"

#include <optional>
#include <string>
#include <vector>

namespace mnistc::rt {

class History {
public:
  /// One epoch's values, float32 as Keras logs them.
  struct Entry {
    int32_t epoch = 0; ///< 0-based, as the fit loop counts (resumes > 0)
    float loss = 0, accuracy = 0;
    std::optional<float> valLoss, valAccuracy, learningRate;
  };

  /// Records the epoch `logs.epoch` (call once per epoch, in order).
  void append(const EpochLogs &logs);
  const std::vector<Entry> &entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

  /// The text of history.csv. The val_ columns are always there (as
  /// CSVLogger's); learning_rate only when some epoch has one.
  std::string csv() const;

  /// The text of report.html. `plotWarning` empty: the page shows
  /// history.png; else it shows the warning in its place. `extraHtml` is
  /// inserted as it is (the caller's own, already escaped, HTML).
  std::string html(const std::string &modelName, const std::string &extraHtml,
                   const std::string &plotWarning = "") const;

  /// Draws the plot into `pngPath` (atomically) with gnuplot. A failure
  /// ("<path>: history.png not drawn: gnuplot not found; install
  /// gnuplot-nox") is meant to be printed as a warning.
  Status plot(const std::string &pngPath, const std::string &modelName) const;

  /// Creates `dir` (and its parents) and writes history.csv, history.png
  /// and report.html into it. Fails only when the directory, the CSV or
  /// the page cannot be written; when the plot cannot be drawn, its
  /// message goes to `warnings`, a stale history.png is removed and the
  /// page says why there is no plot.
  Status write(const std::string &dir, const std::string &modelName,
               std::vector<std::string> &warnings,
               const std::string &extraHtml = "") const;

private:
  std::vector<Entry> entries_;
};

/// `text` with & < > " ' replaced by HTML entities.
std::string htmlEscape(const std::string &text);

} // namespace mnistc::rt

#endif // MNISTC_RUNTIME_HISTORY_H

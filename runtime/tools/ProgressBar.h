//===- ProgressBar.h - Keras's live progress bar for fit -------------------===//
//
// KERAS_SEMANTICS.md §17, verbose=1: "Epoch e/E", then one line redrawn in
// place at most every 50 ms while the epoch trains,
//
//    123/469 ━━━━━━━━━━━━━━━━━━━━ 2s 5ms/step - accuracy: 0.9012 - loss: 0.3210 - 25000 images/s
//
// (the count right-aligned, 20 bar characters, the filled share green, the
// time the ETA mid-epoch and the elapsed time at the end, running means of
// the epoch, and the training throughput, which Keras does not print),
// finished after validation with the val_ entries and a
// newline. Used by `mnistrt train` when stdout is a terminal (or with
// --progress-bar); otherwise it prints one line per epoch.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_TOOLS_PROGRESSBAR_H
#define MNISTC_RUNTIME_TOOLS_PROGRESSBAR_H

#include "mnistc/fit.h"

#include <chrono>
#include <ostream>

namespace mnistc::tool {

class ProgressBar {
public:
  explicit ProgressBar(std::ostream &os) : os_(os) {}

  /// After each training step.
  void update(const rt::StepProgress &p);
  /// After the epoch's validation: the final line.
  void finish(const rt::EpochLogs &logs);
  /// Ends a half-drawn line (before a message or an interruption).
  void interrupt();

private:
  void draw(size_t batch, size_t batches, double seconds, bool eta,
            const std::string &metrics);

  std::ostream &os_;
  std::chrono::steady_clock::time_point last_{};
  int32_t epoch_ = -1;
  size_t batches_ = 0;
  bool drawn_ = false;
};

} // namespace mnistc::tool

#endif

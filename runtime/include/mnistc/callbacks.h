//===- callbacks.h - Keras's EarlyStopping and ReduceLROnPlateau ----------===//
//
// The fit callbacks the DSL declares, run by the fit loop with Keras 3's
// semantics (KERAS_SEMANTICS.md §13, §14): after each epoch they read the
// epoch's logs, may lower the learning rate for the next epoch, may stop
// training, and EarlyStopping(restore_best_weights=True) puts back the
// parameters of the best epoch when training ends. The model.so carries
// the callbacks as a JSON array of objects (mnistc_model_info::callbacks);
// this file reads that subset of JSON. CSVLogger writes the epoch logs as
// Keras's does (§16), rewriting its file atomically after each epoch.
// ModelCheckpoint saves the model through the tool's checkpoint writer
// (CallbackEnv), TensorBoard writes scalar event files (tensorboard.h).
// Each callback's state can be saved and restored, so a run resumed from a
// checkpoint makes the same decisions as one that never stopped.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_CALLBACKS_H
#define MNISTC_RUNTIME_CALLBACKS_H

#include "mnistc/fit.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mnistc::rt {

/// One callback as declared: its class name and its arguments, each value
/// as JSON text without quotes ("val_loss", "5", "true", "0.5").
struct CallbackSpec {
  std::string name;
  std::map<std::string, std::string> args;
};

/// Reads a JSON array of flat objects, each with a "name".
Status parseCallbacks(const std::string &json, std::vector<CallbackSpec> &out);

/// The model's parameter buffer (mnistc_params), which EarlyStopping
/// snapshots and restores (BatchNormalization's moving statistics
/// included, as Keras's weights include them).
struct Weights {
  float *data;
  size_t size;
};

/// One callback the loop runs.
class Callback {
public:
  virtual ~Callback() = default;
  /// After epoch `logs.epoch`: may add to the logs (seen by the callbacks
  /// after it), lower `learningRate` (used from the next epoch on) and
  /// append lines to print; returns true to stop training. A failure to
  /// write a file is an error.
  virtual Status onEpochEnd(EpochLogs &logs, Weights weights,
                            float &learningRate,
                            std::vector<std::string> &messages,
                            bool &stop) = 0;
  virtual void onTrainEnd(Weights, std::vector<std::string> &) {}

  /// What the callback carries from one epoch to the next (best value,
  /// patience counters, the best weights, the CSV text so far), as bytes
  /// for a checkpoint; loadState puts it back.
  virtual std::string saveState() const { return {}; }
  virtual Status loadState(const std::string &state) {
    return Status::success();
  }
};

/// What some callbacks need from the tool that runs them.
struct CallbackEnv {
  /// Saves the model (parameters, optimizer state, the run's position) to
  /// a file: ModelCheckpoint's save. Without it ModelCheckpoint is skipped.
  std::function<Status(const std::string &path)> saveModel;
  /// Overrides TensorBoard's log_dir (mnistrt train --logdir).
  std::string logDir;
  /// False for the ranks of a data-parallel job but rank 0: CSVLogger and
  /// TensorBoard keep their state there but write nothing (ModelCheckpoint
  /// writes through saveModel, which such a rank makes a no-op).
  bool writesFiles = true;
};

/// The callbacks of `specs` this runtime runs, in order; the names of the
/// others go to `skipped`. An argument of the wrong kind (a monitor that
/// is not a string, a negative patience) is an error naming it.
Status makeCallbacks(const std::vector<CallbackSpec> &specs,
                     std::vector<std::unique_ptr<Callback>> &out,
                     std::vector<std::string> &skipped,
                     const CallbackEnv &env = CallbackEnv());

} // namespace mnistc::rt

#endif // MNISTC_RUNTIME_CALLBACKS_H

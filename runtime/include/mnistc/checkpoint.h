//===- checkpoint.h - Saving and resuming a training run ------------------===//
//
// A checkpoint holds everything a run needs to go on as if it had never
// stopped: every parameter (BatchNormalization's moving statistics
// included), the optimizer state and step count, the run's settings (seed,
// batch size, validation split, shuffle, epochs), its position (epoch,
// batch, the epoch's running sums, learning rate), the history of finished
// epochs, the callbacks' states, and the weights training ended with when
// EarlyStopping restored earlier ones. The format (docs/checkpoint.md) is a
// magic, a version and checksummed sections; the file is written to a
// temporary file, flushed to disk and renamed, so it is never half-written.
// Loading checks the magic, the version, every section's length and
// checksum, and the model's fingerprint (mnistc_model_fingerprint) before
// it changes anything, and says which file is wrong and how.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_CHECKPOINT_H
#define MNISTC_RUNTIME_CHECKPOINT_H

#include "mnistc/fit.h"
#include "mnistc/model_library.h"
#include "mnistc/status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mnistc::rt {

/// "MNISTCKP", then this version (docs/checkpoint.md).
constexpr uint32_t kCheckpointVersion = 1;

/// A training run apart from the model's buffers.
struct TrainingState {
  /// The settings the run was started with; a resumed run keeps them
  /// (options.epochs may grow).
  FitOptions options;
  /// Where it stands.
  FitPosition position;
  /// A callback stopped training, or all epochs are done.
  bool finished = false;
  /// The finished epochs, oldest first.
  std::vector<EpochLogs> history;
  /// Each callback's state (Callback::saveState), in declaration order.
  /// False in files written by ModelCheckpoint in the middle of an epoch's
  /// callbacks: resuming from those starts the callbacks afresh.
  bool hasCallbackStates = false;
  std::vector<std::string> callbackStates;
  /// The weights training ended with when a callback replaced the last
  /// epoch's (EarlyStopping's restore_best_weights); empty otherwise. The
  /// context's buffer stays the last epoch's, which a resume continues.
  std::vector<float> finalParams;
};

/// Which weights checkpointLoad puts in the context.
enum class CheckpointUse {
  Resume, ///< the last step's: training goes on from them
  Final,  ///< what training ended with (evaluate, predict)
};

/// Whether a checkpoint may be written at `path`, before anything is
/// trained: nothing is there, or an mnistc checkpoint (which a new one
/// replaces), and not one of `inputs` (the run's model.so and data files),
/// in a directory that takes a new file. Refuses a device, a directory,
/// a pipe, and a file that is not a checkpoint (a user's, left alone),
/// each with a message naming it and suggesting another name.
Status checkpointWritable(const std::string &path,
                          const std::vector<std::string> &inputs = {});

/// Writes the context's parameters, optimizer state and step count with
/// `state` to `path`, atomically; refuses what checkpointWritable(path)
/// refuses there.
Status checkpointSave(const std::string &path, ModelContext &ctx,
                      const TrainingState &state);

/// Reads `path`, checks it in full and that it belongs to ctx's model
/// (same fingerprint and buffer sizes), then re-seeds ctx with the run's
/// seed (mnistc_init_params: Dropout's key comes from it), copies the
/// parameters, optimizer state and step count into ctx and the run into
/// `state`. On failure ctx and state are unchanged.
Status checkpointLoad(const std::string &path, ModelContext &ctx,
                      TrainingState &state,
                      CheckpointUse use = CheckpointUse::Resume);

} // namespace mnistc::rt

#endif // MNISTC_RUNTIME_CHECKPOINT_H

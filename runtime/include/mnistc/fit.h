//===- fit.h - Keras's fit loop and evaluate, generic over models ---------===//
//
// The training loop of KERAS_SEMANTICS.md §11 over any model.so: the data
// rules come from batching.h (validation split = the last fraction before
// any shuffle; a new seeded permutation every epoch; consecutive batches,
// the partial last one kept), the math from the model's step functions.
// Per epoch:
//
//  1. order the training samples (shuffled, or as they are);
//  2. for each batch: gather images and labels into preallocated buffers
//     (labels as one-hot rows when the model wants them), one
//     mnistc_train_step with the learning rate; loss += L_b * n_b,
//     correct += c_b, seen += n_b;
//  3. loss = Σ L_b n_b / Σ n_b, accuracy = correct / seen;
//  4. validation, if any: the same over the validation samples in order,
//     with mnistc_eval_step;
//  5. hand the epoch's logs to the callback, which may change the learning
//     rate of the next epochs or stop training (callbacks.h).
//
// Nothing is allocated per step: the batch buffers and the order are sized
// once, before the first epoch. There is no layer math here. Library code:
// it prints nothing; formatEpochLine and formatEvaluation make the lines a
// tool prints.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_FIT_H
#define MNISTC_RUNTIME_FIT_H

#include "mnistc/collective.h"
#include "mnistc/dataset.h"
#include "mnistc/model_library.h"
#include "mnistc/status.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mnistc::rt {

/// The fit(...) settings the loop uses.
struct FitOptions {
  int32_t epochs = 1;
  int32_t batchSize = 32;
  double validationSplit = 0.0;
  bool shuffle = true;
  /// Seeds the initial weights (the caller's mnistc_init_params) and the
  /// per-epoch permutations.
  uint64_t seed = 0;
  float learningRate = 0.001f;

  /// The model's own settings: the DSL's compile and fit calls as describe()
  /// reports them; seed 0 where the DSL gives none.
  static FitOptions fromModel(const mnistc_model_info &info);
};

/// Loss and accuracy over one pass of a data set.
struct Metrics {
  double loss = 0.0;
  double accuracy = 0.0;
  uint64_t samples = 0;
  double seconds = 0.0;

  double imagesPerSecond() const {
    return seconds > 0 ? double(samples) / seconds : 0.0;
  }
};

/// What one epoch produced (Keras's epoch logs, plus timing).
struct EpochLogs {
  int32_t epoch = 0; ///< 0-based; printed as epoch + 1
  int32_t epochs = 0;
  Metrics train;
  bool hasValidation = false;
  Metrics validation;
  /// The whole epoch: training and validation.
  double seconds = 0.0;
  /// The learning rate of this epoch, once a callback has put it in the
  /// logs (ReduceLROnPlateau does, as Keras's adds "learning_rate").
  std::optional<double> learningRate;
};

/// Where a run stands: the epoch in progress, how many of its training
/// batches are done and their running sums, and the learning rate. fit()
/// starts from it and keeps it current, so after an interruption it says
/// exactly where to go on; a checkpoint stores it (checkpoint.h).
struct FitPosition {
  int32_t epoch = 0;  ///< 0-based: the epoch in progress, or the next one
  uint32_t batch = 0; ///< training batches of `epoch` done
  double lossSum = 0.0; ///< Σ L_b n_b over those batches
  uint64_t correct = 0, seen = 0;
  double seconds = 0.0; ///< time spent in `epoch` so far
  float learningRate = 0.001f;
};

/// A training step just finished: the running means of its epoch.
struct StepProgress {
  int32_t epoch = 0, epochs = 0;
  size_t batch = 0; ///< batches done, 1..batches
  size_t batches = 0;
  uint64_t seen = 0; ///< training images of the epoch so far
  double loss = 0.0, accuracy = 0.0;
  double seconds = 0.0; ///< since the epoch started
};

/// Called once per epoch, after validation, with the learning rate the
/// next epoch will use (the callback may change it). Returns true to stop
/// training after this epoch.
using EpochCallback =
    std::function<bool(const EpochLogs &, float &learningRate)>;

/// How fit() ended.
enum class FitEnd {
  Done,        ///< all epochs, or a callback stopped training
  Interrupted, ///< onStep asked to stop; the position is after that step
  Diverged,    ///< a step's loss was NaN or infinite; fit() failed
};

/// What fit() calls back; either may be empty.
struct FitHooks {
  /// After each epoch; the position already points at the next epoch.
  EpochCallback onEpochEnd;
  /// After each training step. Returns true to interrupt: fit() returns
  /// at once with `interrupted` set and the position after this step.
  /// (Not in a data-parallel fit: its ranks could not agree on the step;
  /// there the return value is ignored.)
  std::function<bool(const StepProgress &)> onStep;
  /// Data-parallel training (collective.h): this process is one rank of a
  /// job; with more than one rank, each computes the gradients of its
  /// shard of every batch, the ranks sum them, and all apply the same
  /// update. The validation samples are split between the ranks as well,
  /// their sums added up, and the moving statistics averaged before
  /// validation (averageNonTrainable). Every rank gets the same logs, so
  /// callbacks decide alike everywhere. Needs a model.so with
  /// mnistc_compute_gradients.
  Collective *collective = nullptr;
};

/// The checks fit() makes before its first step: the options (batch size
/// within the context's), the data set against the model (image size,
/// labels in range, not empty) and the validation split. A tool runs it
/// first to tell bad input (exit 1) from a step that fails later.
Status fitCheck(const ModelContext &ctx, const Dataset &data,
                const FitOptions &options);

/// The checks evaluate() makes before its first step.
Status evaluateCheck(const ModelContext &ctx, const Dataset &data,
                     int32_t batchSize);

/// Runs `options.epochs` epochs of training on `data` (the training file;
/// the validation samples are cut from its end). `ctx` must be a context
/// for batches of at least options.batchSize whose parameters are already
/// initialised (a context for min(batchSize, data.count) is enough: a batch
/// size above the data's size gives one batch of everything). Fails before the first step on a bad option, a data set that
/// does not match the model, or a validation split that leaves nothing to
/// train or validate on; during training only if a step fails.
Status fit(ModelContext &ctx, const Dataset &data, const FitOptions &options,
           const EpochCallback &onEpochEnd);

/// The same, from `position` (a fresh FitPosition with options'
/// learning rate starts at the beginning; a checkpoint's goes on where it
/// stopped) until options.epochs are done, a callback stops training, or
/// onStep interrupts; `end` says which. Resuming from a position gives
/// bit-identical results to not having stopped: the epoch's order depends
/// only on (seed, epoch), and the running sums go on. A step whose loss is
/// NaN or infinite ends training as Keras's TerminateOnNaN would: fit()
/// fails with a message naming the epoch and batch, `end` is Diverged, and
/// the parameters (already updated by that step) are not to be kept.
Status fit(ModelContext &ctx, const Dataset &data, const FitOptions &options,
           FitPosition &position, const FitHooks &hooks, FitEnd &end);

/// Loss and accuracy of the model on all of `data`, in order, in batches of
/// `batchSize` (min(batchSize, data.count) at most ctx.maxBatch()), with
/// mnistc_eval_step. With a `collective` of several ranks each rank
/// evaluates its share of the samples and all get the sums (every rank
/// must call it).
Status evaluate(ModelContext &ctx, const Dataset &data, int32_t batchSize,
                Metrics &out, Collective *collective = nullptr);

/// A metric as Keras prints it: "%.4f" above 1e-3, "%.4e" otherwise.
std::string formatMetric(double value);

/// The epoch's metrics as Keras prints them, keys sorted:
///   " - accuracy: 0.9240 - loss: 0.2678 - val_accuracy: 0.9620 - val_loss: 0.1290"
/// (the val_ entries only with validation).
std::string formatEpochMetrics(const EpochLogs &logs);

/// The per-epoch line, Keras's verbose=2 form plus time and throughput:
///   Epoch 1/5 - 2.0s - 30000 images/s - accuracy: 0.9240 - loss: 0.2678
///   - val_accuracy: 0.9620 - val_loss: 0.1290
/// (one line; the val_ entries only with validation). images/s counts the
/// training images over the training part of the epoch.
std::string formatEpochLine(const EpochLogs &logs);

/// "test loss: 0.0712 - test accuracy: 0.9801" (with prefix "test").
std::string formatEvaluation(const Metrics &metrics,
                             const std::string &prefix = "test");

} // namespace mnistc::rt

#endif

//===- TrainRun.h - One run of mnistrt train, section by section -*- C++
//-*-===//
//
// `mnistrt train` parses its flags (TrainCommand.cpp) and hands them to a
// TrainRun, which does Keras's model.fit in the order a reader expects:
// open the model and its settings, read the data, make the context and
// its weights (or the checkpoint's), check every output location, make
// the callbacks, check everything else (and, under mpirun, that every
// rank agrees), say what it will do, train, and finish (the final
// checkpoint, the test set, the history). Each section is one method;
// each returns the exit code, Ok to go on.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_TOOLS_TRAINRUN_H
#define MNISTC_RUNTIME_TOOLS_TRAINRUN_H

#include "Commands.h"
#include "MpiJob.h"

#include "mnistc/batching.h"
#include "mnistc/callbacks.h"
#include "mnistc/fit.h"
#include "mnistc/history.h"

#include <iostream>
#include <memory>
#include <optional>

namespace mnistc::tool {

/// The flags of `train`; unset optionals keep the model's settings (or,
/// with --resume, the checkpoint's).
struct TrainFlags {
  std::string device = "auto";
  std::string model;
  std::string dataDir = kDefaultDataDir;
  std::optional<int32_t> epochs;
  std::optional<int32_t> batchSize;
  std::optional<int64_t> seed;
  std::optional<double> validationSplit;
  std::string checkpoint;
  std::string resume;
  std::string logDir;
  std::optional<std::string> callbacks; ///< JSON replacing the DSL's
  int verbosity = 1;                    ///< 0 --quiet, 1 default, 2 --verbose
  bool progressBar = false;
};

/// How a rank of an mpirun job ended its run.
struct RankOutcome {
  /// Every rank got ready to train (before that, a rank that fails says so
  /// to the others through mainTrain).
  bool agreed = false;
  /// A failure every rank meets at the same point (the ranks disagree, the
  /// loss diverged): no rank is left waiting for the others.
  bool sharedFailure = false;
};

class TrainRun {
public:
  /// Trains as `flags` say; under mpirun as one rank of `job`, where rank
  /// 0 alone prints and writes files.
  TrainRun(const TrainFlags &flags, MpiJob *job);

  /// Every section in order; the exit code.
  int run(RankOutcome &outcome);

private:
  int openModel();
  int loadData();
  int makeContext();
  int checkOutputs();
  int makeCallbacks();
  int checkReady(RankOutcome &outcome);
  void announce();
  int train(RankOutcome &outcome);
  int saveInterrupted();
  int finish();

  /// Writes the run to `path` (rank 0 only), with the callbacks' states
  /// or, as ModelCheckpoint does, without.
  Status save(const std::string &path, bool withCallbacks);
  /// The parameters, asked for at each use: on a GPU they are brought
  /// back to the host only then (model.h).
  rt::Weights weights();
  int32_t maxBatchFor(int32_t batchSize) const;

  const TrainFlags &flags_;
  MpiJob *job_;
  bool lead_;           ///< rank 0, or no mpirun
  std::ostream silent_; ///< where the other ranks' output goes
  std::ostream &out_;
  bool talk_;

  rt::ModelLibrary model_;
  const mnistc_model_info *info_ = nullptr;
  rt::FitOptions options_;
  rt::MnistData data_;
  rt::ModelContext ctx_;
  rt::TrainingState state_;
  rt::ValidationSplit split_;
  std::vector<std::unique_ptr<rt::Callback>> callbacks_;
  std::vector<std::string> skipped_; ///< callbacks this mnistrt lacks
  rt::History history_;
  /// The checkpoint that still holds a good run, for a divergence.
  std::string lastGood_;
};

} // namespace mnistc::tool

#endif

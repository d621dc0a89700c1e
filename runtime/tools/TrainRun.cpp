//===- TrainRun.cpp - One run of mnistrt train
//-----------------------------===//
//
// The sections of a training run (TrainRun.h), in the order they run:
// the model's compile/fit settings (flags override them), the data, the
// context with its weights, the output locations, the callbacks, the
// checks and the ranks' agreement, the banner, the fit loop with a live
// progress bar on a terminal (one line per epoch otherwise), a checkpoint
// after every epoch (--checkpoint) that --resume continues bit-identically,
// Ctrl-C (or SIGTERM) that finishes the step, saves a checkpoint and says
// how to resume, and at the end the test set and the history (CSV, plot,
// HTML report) in --logdir.
//
//===----------------------------------------------------------------------===//
#include "TrainRun.h"

#include "FileIO.h"
#include "ProgressBar.h"
#include "PythonFloat.h"

#include "mnistc/crc32c.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace mnistc::tool {

using namespace mnistc::rt;

namespace {

/// The signal that interrupted the run (SIGINT or SIGTERM), or 0.
volatile std::sig_atomic_t gInterrupted = 0;

/// The first Ctrl-C, or the SIGTERM that kill, systemd and batch
/// schedulers send, asks the loop to stop after its step and save; the
/// handler is then reset, so a second one ends the process at once.
void onInterrupt(int signal) { gInterrupted = signal; }

void catchInterrupts() {
  struct sigaction sa {};
  sa.sa_handler = onInterrupt;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

/// --logdir: a directory (made if missing) that takes new files, whose
/// outputs (History.cpp's, TensorBoard's) are not in the way as
/// directories, devices or pipes.
Status logDirWritable(const std::string &dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    return Status::error("--logdir " + dir +
                         ": exists and is not a directory; give a directory "
                         "for the history and TensorBoard files");
  fs::create_directories(dir, ec);
  if (ec)
    return Status::error("--logdir " + dir +
                         ": cannot be made: " + ec.message());
  for (const char *name : {"history.csv", "history.png", "report.html"}) {
    fs::path out = fs::path(dir) / name;
    if (fs::exists(out, ec) && !fs::is_regular_file(out, ec))
      return Status::error("--logdir " + dir + ": " + out.string() +
                           " exists and is not a regular file; move it, or "
                           "give another --logdir");
  }
  return detail::directoryTakesNewFile(dir, "--logdir " + dir);
}

/// A resumed run keeps the settings it was started with: a flag that
/// contradicts them would not continue the same run.
Status applyResumedSettings(const TrainFlags &flags, const FitOptions &saved,
                            FitOptions &options) {
  auto clash = [&](const std::string &flag, const std::string &was) {
    return Status::error(flags.resume + ": the run was started with " + flag +
                         " " + was +
                         "; resuming with another value would "
                         "not continue it (leave the flag out)");
  };
  if (flags.batchSize && *flags.batchSize != saved.batchSize)
    return clash("--batch-size", std::to_string(saved.batchSize));
  if (flags.seed && uint64_t(*flags.seed) != saved.seed)
    return clash("--seed", std::to_string(saved.seed));
  if (flags.validationSplit && *flags.validationSplit != saved.validationSplit)
    return clash("--validation-split", std::to_string(saved.validationSplit));
  int32_t epochs = flags.epochs ? *flags.epochs : saved.epochs;
  options = saved;
  options.epochs = epochs;
  return Status::success();
}

} // namespace

TrainRun::TrainRun(const TrainFlags &flags, MpiJob *job)
    : flags_(flags), job_(job), lead_(!job || job->rank() == 0),
      silent_(nullptr), out_(lead_ ? std::cout : silent_),
      talk_(flags.verbosity >= 1 && lead_) {}

int TrainRun::run(RankOutcome &outcome) {
  for (int (TrainRun::*section)() :
       {&TrainRun::openModel, &TrainRun::loadData, &TrainRun::makeContext,
        &TrainRun::checkOutputs, &TrainRun::makeCallbacks})
    if (int code = (this->*section)(); code != Ok)
      return code;
  if (int code = checkReady(outcome); code != Ok)
    return code;
  announce();
  if (int code = train(outcome); code != Ok)
    return code;
  return finish();
}

Status TrainRun::save(const std::string &path, bool withCallbacks) {
  if (!lead_) // rank 0 writes the job's files
    return Status::success();
  TrainingState snapshot = state_;
  snapshot.hasCallbackStates = withCallbacks;
  snapshot.callbackStates.clear();
  if (withCallbacks)
    for (const auto &cb : callbacks_)
      snapshot.callbackStates.push_back(cb->saveState());
  return checkpointSave(path, ctx_, snapshot);
}

Weights TrainRun::weights() {
  return Weights{ctx_.params(), static_cast<size_t>(info_->param_floats)};
}

/// The context is sized for the larger data set at most.
int32_t TrainRun::maxBatchFor(int32_t batchSize) const {
  return std::max<int32_t>(
      1, static_cast<int32_t>(std::min<int64_t>(
             batchSize, std::max(data_.train.count, data_.test.count))));
}

/// The model and its settings.
int TrainRun::openModel() {
  if (Status s = tool::openModel(flags_.model, flags_.device, model_);
      s.failed())
    return inputError(s);
  info_ = &model_.info();
  options_ = FitOptions::fromModel(*info_);
  if (flags_.epochs)
    options_.epochs = *flags_.epochs;
  if (flags_.batchSize)
    options_.batchSize = *flags_.batchSize;
  if (flags_.seed)
    options_.seed = static_cast<uint64_t>(*flags_.seed);
  if (flags_.validationSplit)
    options_.validationSplit = *flags_.validationSplit;
  if (options_.batchSize <= 0 || options_.epochs < 0)
    return inputError(Status::error(
        flags_.model + ": the model's fit settings are unusable (batch size " +
        std::to_string(options_.batchSize) + ", " +
        std::to_string(options_.epochs) +
        " epochs); pass --batch-size and --epochs"));
  return Ok;
}

int TrainRun::loadData() {
  LoadOptions load;
  if (Status s = loadOptionsFor(model_, flags_.dataDir, load); s.failed())
    return inputError(s);
  if (Status s = datasetLoadMnistDir(flags_.dataDir, load, data_); s.failed())
    return inputError(s);
  return Ok;
}

/// The context and its weights: the seed's initial ones, or the
/// checkpoint's.
int TrainRun::makeContext() {
  if (!flags_.resume.empty()) {
    // A context for the largest batch any run may use, until the
    // checkpoint says which.
    if (Status s = ctx_.create(model_, maxBatchFor(options_.batchSize));
        s.failed())
      return inputError(s);
    if (Status s = checkpointLoad(flags_.resume, ctx_, state_); s.failed())
      return inputError(s);
    state_.finalParams.clear(); // training goes on from the last weights
    if (Status s = applyResumedSettings(flags_, state_.options, options_);
        s.failed())
      return inputError(s);
    if (maxBatchFor(options_.batchSize) > ctx_.maxBatch()) {
      TrainingState again;
      if (Status s = ctx_.create(model_, maxBatchFor(options_.batchSize));
          s.failed())
        return inputError(s);
      if (Status s = checkpointLoad(flags_.resume, ctx_, again); s.failed())
        return inputError(s);
    }
  } else {
    if (Status s = ctx_.create(model_, maxBatchFor(options_.batchSize));
        s.failed())
      return inputError(s);
    ctx_.initParams(options_.seed);
    state_.position.learningRate = options_.learningRate;
  }
  state_.options = options_;
  // The run's split of the training set, for the check and the messages
  // below (fit() refuses a split that leaves nothing, with its reason).
  bool splits =
      splitValidation(data_.train.count, options_.validationSplit, split_).ok();
  // A resumed position must lie in an epoch of this data: at most every
  // batch done (a stop after the last step, before validation).
  uint64_t batches = (split_.trainCount + uint64_t(options_.batchSize) - 1) /
                     uint64_t(options_.batchSize);
  const FitPosition &position = state_.position;
  if (splits && !flags_.resume.empty() && position.batch > batches)
    return inputError(Status::error(
        flags_.resume + ": the run stopped after batch " +
        std::to_string(position.batch) + " of epoch " +
        std::to_string(position.epoch + 1) + ", but an epoch of " +
        flags_.dataDir + " has " + std::to_string(batches) +
        " batches; resume with the data it was trained on"));
  return Ok;
}

/// Every output location is checked before the first step, so that no
/// epoch is lost to an unwritable path, and no file the user had is
/// replaced by one of ours (the model.so, a data file, a file that is not
/// a checkpoint).
int TrainRun::checkOutputs() {
  if (!lead_)
    return Ok;
  std::vector<std::string> inputs = {flags_.model};
  for (const char *name : {kMnistTrainImages, kMnistTrainLabels,
                           kMnistTestImages, kMnistTestLabels})
    for (const char *suffix : {"", ".gz"})
      inputs.push_back(flags_.dataDir + "/" + name + suffix);
  if (!flags_.checkpoint.empty())
    if (Status s = checkpointWritable(flags_.checkpoint, inputs); s.failed())
      return inputError(Status::error("--checkpoint " + s.message()));
  if (!flags_.logDir.empty())
    if (Status s = logDirWritable(flags_.logDir); s.failed())
      return inputError(s);
  return Ok;
}

/// The callbacks, with their saved states when resuming.
int TrainRun::makeCallbacks() {
  CallbackEnv env;
  env.saveModel = [this](const std::string &path) { return save(path, false); };
  env.logDir = flags_.logDir;
  env.writesFiles = lead_;
  std::vector<CallbackSpec> specs;
  // A bad --callbacks is a bad flag (exit 2, as every other); bad
  // callbacks in the model.so are an error in the input (exit 1).
  auto callbackError = [&](const Status &s) {
    return flags_.callbacks
               ? usage("--callbacks: " + s.message(), "train")
               : inputError(Status::error(flags_.model + ": " + s.message()));
  };
  if (Status s = parseCallbacks(flags_.callbacks   ? *flags_.callbacks
                                : info_->callbacks ? info_->callbacks
                                                   : "[]",
                                specs);
      s.failed())
    return callbackError(s);
  if (Status s = rt::makeCallbacks(specs, callbacks_, skipped_, env);
      s.failed())
    return callbackError(s);
  if (flags_.resume.empty() || !state_.hasCallbackStates)
    return Ok;
  if (state_.callbackStates.size() != callbacks_.size())
    return inputError(Status::error(
        flags_.resume + ": holds the state of " +
        std::to_string(state_.callbackStates.size()) + " callbacks, but " +
        flags_.model + " runs " + std::to_string(callbacks_.size())));
  for (size_t i = 0; i < callbacks_.size(); ++i)
    if (Status s = callbacks_[i]->loadState(state_.callbackStates[i]);
        s.failed())
      return inputError(Status::error(flags_.resume + ": " + s.message()));
  return Ok;
}

/// Everything that can be checked, before the first step: a failure
/// after this is the model's (exit 3). Under mpirun, every rank must be
/// ready and have the same model, settings and data.
int TrainRun::checkReady(RankOutcome &outcome) {
  if (Status s = fitCheck(ctx_, data_.train, options_); s.failed())
    return inputError(s);
  if (Status s = evaluateCheck(ctx_, data_.test, options_.batchSize);
      s.failed())
    return inputError(s);
  if (!job_)
    return Ok;
  std::vector<int> failed;
  outcome.agreed = true;
  if (!job_->agree(true, failed)) {
    outcome.sharedFailure = true;
    if (lead_)
      std::cerr << "mnistrt: error: rank " << failed.front() << " of "
                << job_->size()
                << " could not start (its message says why); nothing was "
                   "trained\n";
    return InputError;
  }
  const FitPosition &position = state_.position;
  std::string settings =
      ctx_.fingerprint() + " " + std::to_string(options_.batchSize) + " " +
      std::to_string(options_.epochs) + " " + std::to_string(options_.seed) +
      " " + std::to_string(options_.validationSplit) + " " +
      std::to_string(data_.train.count) + " " +
      std::to_string(crc32c(data_.train.labels.data(),
                            data_.train.labels.size() * sizeof(int32_t))) +
      " " + std::to_string(position.epoch) + " " +
      std::to_string(position.batch);
  if (Status s = job_->same("the model, the settings or the data", settings);
      s.failed()) {
    outcome.sharedFailure = true; // every rank found it: rank 0 says it
    return lead_ ? inputError(s) : InputError;
  }
  job_->started();
  return Ok;
}

/// The banner: the model, the data, the run.
void TrainRun::announce() {
  const FitPosition &position = state_.position;
  if (talk_) {
    out_ << "Model " << info_->name << " (" << flags_.model << ", "
         << model_.target() << "): " << withCommas(parameterCount(*info_))
         << " parameters, " << info_->optimizer << " learning rate "
         << options_.learningRate << ", loss " << info_->loss << "\n";
    out_ << "Data " << flags_.dataDir << ": " << split_.trainCount
         << " training images";
    if (split_.valCount)
      out_ << " + " << split_.valCount << " for validation";
    out_ << ", " << data_.test.count << " test images; batch size "
         << options_.batchSize << ", " << options_.epochs
         << (options_.epochs == 1 ? " epoch, " : " epochs, ")
         << (options_.shuffle ? "shuffled" : "not shuffled") << ", seed "
         << options_.seed << std::endl;
    // Keras trains on what the split leaves without a word; a split that
    // leaves almost nothing is more likely a slip (0.999 for 0.1).
    bool underBatch = split_.trainCount < uint32_t(options_.batchSize);
    if (split_.valCount &&
        (underBatch || 100 * split_.trainCount < data_.train.count))
      warn("validation_split " + detail::pythonFloat(options_.validationSplit) +
           " leaves " + std::to_string(split_.trainCount) + " of " +
           std::to_string(data_.train.count) + " images for training (" +
           (underBatch
                ? "less than one batch of " + std::to_string(options_.batchSize)
                : std::string("less than 1 % of the data")) +
           ")");
    if (job_)
      out_ << "Data parallel: " << job_->size()
           << " processes (mpirun), each computing the gradients of its "
              "share of every batch"
           << std::endl;
    if (!flags_.resume.empty())
      out_ << "Resuming from " << flags_.resume << " at epoch "
           << position.epoch + 1 << ", batch " << position.batch
           << ", learning rate " << position.learningRate << std::endl;
  }
  if (flags_.verbosity >= 2 && model_.api().summary)
    out_ << model_.api().summary();
  std::string from = flags_.callbacks ? "--callbacks" : flags_.model;
  for (const std::string &name : skipped_)
    if (lead_)
      warn(from + ": the fit callback " + name + " is not run by this mnistrt");
  if (lead_ && !flags_.resume.empty() && !state_.hasCallbackStates &&
      !callbacks_.empty())
    warn(flags_.resume + ": was written by ModelCheckpoint, without the "
                         "callbacks' states; they start afresh");
}

/// The fit loop. After a divergence the user is told which checkpoint
/// still holds a good run; after Ctrl-C the run is saved.
int TrainRun::train(RankOutcome &outcome) {
  FitPosition &position = state_.position;
  if (!flags_.resume.empty())
    lastGood_ = flags_.resume + " (epoch " +
                std::to_string(position.epoch + 1) + ", batch " +
                std::to_string(position.batch) + ")";
  for (const EpochLogs &e : state_.history)
    history_.append(e);
  if (state_.finished && position.epoch >= options_.epochs) {
    if (talk_)
      out_ << "The run in " << flags_.resume << " has finished ("
           << position.epoch << " epochs); nothing left to train" << std::endl;
    return Ok;
  }
  // Under mpirun stdout is a pseudo-terminal whatever mpirun's own is.
  bool bar = talk_ && (flags_.progressBar || (isatty(STDOUT_FILENO) && !job_));
  ProgressBar progress(out_);
  std::vector<std::string> messages;
  Status callbackStatus = Status::success();
  FitHooks hooks;
  hooks.collective = job_;
  hooks.onStep = [&](const StepProgress &p) {
    if (bar)
      progress.update(p);
    return gInterrupted != 0;
  };
  hooks.onEpochEnd = [&](const EpochLogs &epochLogs, float &learningRate) {
    if (bar)
      progress.finish(epochLogs);
    else if (talk_)
      out_ << formatEpochLine(epochLogs) << std::endl;
    EpochLogs logs = epochLogs; // callbacks add to it, as Keras's do
    bool stop = false;
    for (auto &cb : callbacks_)
      if (callbackStatus.ok())
        callbackStatus =
            cb->onEpochEnd(logs, weights(), learningRate, messages, stop);
    for (const std::string &line : messages)
      if (talk_)
        out_ << line << std::endl;
    messages.clear();
    state_.history.push_back(logs);
    history_.append(logs);
    state_.finished = stop || position.epoch >= options_.epochs;
    // Every rank applied the same updates: their parameters must be equal.
    if (job_ && callbackStatus.ok()) {
      Weights w = weights();
      callbackStatus = job_->same(
          "their parameters after epoch " + std::to_string(epochLogs.epoch + 1),
          std::to_string(crc32c(w.data, w.size * sizeof(float))));
    }
    if (callbackStatus.ok() && !flags_.checkpoint.empty()) {
      callbackStatus = save(flags_.checkpoint, true);
      lastGood_ = flags_.checkpoint + " (after epoch " +
                  std::to_string(position.epoch) + ")";
    }
    return stop || callbackStatus.failed();
  };
  state_.finished = false;
  if (!job_) // mpirun ends a job on Ctrl-C, and SIGTERMs its ranks
    catchInterrupts();
  FitEnd end;
  Status fitted = fit(ctx_, data_.train, options_, position, hooks, end);
  if (!job_) {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
  }
  if (end == FitEnd::Diverged) {
    outcome.sharedFailure = true;
    progress.interrupt();
    if (lead_)
      std::cerr << "mnistrt: error: " << flags_.model << ": "
                << fitted.message() << "\n"
                << (!lastGood_.empty()
                        ? "The last good checkpoint is " + lastGood_ + "."
                    : flags_.checkpoint.empty()
                        ? std::string("No checkpoint holds the run before "
                                      "it (--checkpoint PATH writes one "
                                      "after every epoch).")
                        : "No epoch finished before it, so " +
                              flags_.checkpoint + " was not written.")
                << "\n";
    return InputError;
  }
  if (fitted.failed())
    return internalError(fitted);
  if (callbackStatus.failed())
    return inputError(callbackStatus);
  if (end == FitEnd::Interrupted) {
    progress.interrupt();
    return saveInterrupted();
  }
  return Ok;
}

/// Where an interrupted run goes: --checkpoint, else MODEL-interrupted.ckpt
/// here (MODEL cut to 100 bytes, so the name fits any file system). If
/// that cannot be written, a name in the temporary directory: the run is
/// never lost for want of a name.
int TrainRun::saveInterrupted() {
  std::string path =
      flags_.checkpoint.empty()
          ? std::string(info_->name).substr(0, 100) + "-interrupted.ckpt"
          : flags_.checkpoint;
  Status saved = save(path, true);
  if (saved.failed()) {
    const char *tmp = std::getenv("TMPDIR");
    std::string fallback = std::string(tmp && *tmp ? tmp : "/tmp") +
                           "/mnistrt-interrupted-" +
                           std::to_string(::getpid()) + ".ckpt";
    warn(saved.message() + "; saving the run in " + fallback + " instead");
    path = fallback;
    saved = save(path, true);
  }
  if (saved.failed())
    return inputError(saved);
  const FitPosition &position = state_.position;
  std::cerr
      << "mnistrt: " << (gInterrupted == SIGTERM ? "terminated" : "interrupted")
      << " in epoch " << position.epoch + 1 << " after batch " << position.batch
      << "; the run is saved in " << path << "\nResume it with: mnistrt train "
      << flags_.model << " --resume " << path
      << (flags_.dataDir != kDefaultDataDir ? " --data " + flags_.dataDir : "")
      << (flags_.checkpoint.empty() ? "" : " --checkpoint " + path) << "\n";
  return gInterrupted == SIGTERM ? Terminated : Interrupted;
}

/// The end: restored weights, the final checkpoint (the last epoch's
/// weights to resume from, and the restored ones), the test set, the
/// history.
int TrainRun::finish() {
  std::vector<std::string> messages;
  Weights final = weights();
  std::vector<float> last(final.data, final.data + final.size);
  for (auto &cb : callbacks_)
    cb->onTrainEnd(final, messages);
  for (const std::string &line : messages)
    if (talk_)
      out_ << line << std::endl;
  if (!flags_.checkpoint.empty()) {
    state_.finished = true;
    if (!std::equal(last.begin(), last.end(), final.data)) {
      state_.finalParams.assign(final.data, final.data + final.size);
      std::copy(last.begin(), last.end(), final.data);
    }
    Status s = save(flags_.checkpoint, true);
    if (!state_.finalParams.empty())
      std::copy(state_.finalParams.begin(), state_.finalParams.end(),
                final.data);
    if (s.failed())
      return inputError(s);
  }
  Metrics test;
  if (Status s = evaluate(ctx_, data_.test, options_.batchSize, test, job_);
      s.failed())
    return internalError(s);
  out_ << formatEvaluation(test) << std::endl;

  if (!flags_.logDir.empty() && lead_) {
    std::vector<std::string> warnings;
    std::string extra = "<p>" + htmlEscape(formatEvaluation(test)) + "</p>\n";
    if (Status s = history_.write(flags_.logDir, info_->name, warnings, extra);
        s.failed())
      return inputError(s);
    for (const std::string &w : warnings)
      warn(w);
    if (talk_)
      out_ << "History: " << flags_.logDir << "/report.html" << std::endl;
  }
  return Ok;
}

} // namespace mnistc::tool

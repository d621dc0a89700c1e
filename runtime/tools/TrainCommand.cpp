//===- TrainCommand.cpp - mnistrt train ------------------------------------===//
//
// Keras's model.fit from the command line: the model's compile/fit
// settings (flags override them), its callbacks, a live progress bar on a
// terminal (one line per epoch otherwise), a checkpoint after every epoch
// (--checkpoint) that --resume continues bit-identically, Ctrl-C that
// finishes the step, saves a checkpoint and says how to resume, and the
// history (CSV, plot, HTML report) and TensorBoard events in --logdir.
// Then the test set is evaluated.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "FileIO.h"
#include "MpiJob.h"
#include "ProgressBar.h"
#include "PythonFloat.h"

#include "mnistc/batching.h"
#include "mnistc/callbacks.h"
#include "mnistc/crc32c.h"
#include "mnistc/fit.h"
#include "mnistc/history.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <unistd.h>

namespace mnistc::tool {
namespace {

using namespace mnistc::rt;

/// The signal that interrupted the run (SIGINT or SIGTERM), or 0.
volatile std::sig_atomic_t gInterrupted = 0;

/// The first Ctrl-C, or the SIGTERM that kill, systemd and batch
/// schedulers send, asks the loop to stop after its step and save; the
/// handler is then reset, so a second one ends the process at once.
void onInterrupt(int signal) { gInterrupted = signal; }

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
    return Status::error("--logdir " + dir + ": cannot be made: " +
                         ec.message());
  for (const char *name : {"history.csv", "history.png", "report.html"}) {
    fs::path out = fs::path(dir) / name;
    if (fs::exists(out, ec) && !fs::is_regular_file(out, ec))
      return Status::error("--logdir " + dir + ": " + out.string() +
                           " exists and is not a regular file; move it, or "
                           "give another --logdir");
  }
  return detail::directoryTakesNewFile(dir, "--logdir " + dir);
}

void catchInterrupts() {
  struct sigaction sa {};
  sa.sa_handler = onInterrupt;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

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
  int verbosity = 1; ///< 0 --quiet, 1 default, 2 --verbose
  bool progressBar = false;
};

/// A resumed run keeps the settings it was started with: a flag that
/// contradicts them would not continue the same run.
Status applyResumedSettings(const TrainFlags &flags, const FitOptions &saved,
                            FitOptions &options) {
  auto clash = [&](const std::string &flag, const std::string &was) {
    return Status::error(flags.resume + ": the run was started with " + flag +
                         " " + was + "; resuming with another value would "
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

/// How a rank of an mpirun job ended runTrain.
struct RankOutcome {
  /// Every rank got ready to train (before that, a rank that fails says so
  /// to the others through mainTrain).
  bool agreed = false;
  /// A failure every rank meets at the same point (the ranks disagree, the
  /// loss diverged): no rank is left waiting for the others.
  bool sharedFailure = false;
};

/// Trains as `flags` say; under mpirun as one rank of `job`, where rank 0
/// alone prints and writes files.
int runTrain(const TrainFlags &flags, MpiJob *job, RankOutcome &outcome) {
  bool lead = !job || job->rank() == 0;
  std::ostream silent(nullptr);
  std::ostream &out = lead ? std::cout : silent;
  bool talk = flags.verbosity >= 1 && lead;

  // The model and its settings.
  ModelLibrary model;
  if (Status s = openModel(flags.model, flags.device, model); s.failed())
    return inputError(s);
  const mnistc_model_info &info = model.info();
  FitOptions options = FitOptions::fromModel(info);
  if (flags.epochs)
    options.epochs = *flags.epochs;
  if (flags.batchSize)
    options.batchSize = *flags.batchSize;
  if (flags.seed)
    options.seed = static_cast<uint64_t>(*flags.seed);
  if (flags.validationSplit)
    options.validationSplit = *flags.validationSplit;
  if (options.batchSize <= 0 || options.epochs < 0)
    return inputError(Status::error(
        flags.model + ": the model's fit settings are unusable (batch size " +
        std::to_string(options.batchSize) + ", " +
        std::to_string(options.epochs) +
        " epochs); pass --batch-size and --epochs"));

  // The data.
  LoadOptions load;
  if (Status s = loadOptionsFor(model, flags.dataDir, load); s.failed())
    return inputError(s);
  MnistData data;
  if (Status s = datasetLoadMnistDir(flags.dataDir, load, data); s.failed())
    return inputError(s);

  // The context, sized for the larger data set at most, and its weights:
  // the seed's initial ones, or the checkpoint's.
  ModelContext ctx;
  auto maxBatchFor = [&](int32_t batchSize) {
    return std::max<int32_t>(1, static_cast<int32_t>(std::min<int64_t>(
                                    batchSize, std::max(data.train.count,
                                                        data.test.count))));
  };
  TrainingState run;
  if (!flags.resume.empty()) {
    // A context for the largest batch any run may use, until the
    // checkpoint says which.
    if (Status s = ctx.create(model, maxBatchFor(options.batchSize));
        s.failed())
      return inputError(s);
    if (Status s = checkpointLoad(flags.resume, ctx, run); s.failed())
      return inputError(s);
    run.finalParams.clear(); // training goes on from the last weights
    if (Status s = applyResumedSettings(flags, run.options, options);
        s.failed())
      return inputError(s);
    if (maxBatchFor(options.batchSize) > ctx.maxBatch()) {
      TrainingState again;
      if (Status s = ctx.create(model, maxBatchFor(options.batchSize));
          s.failed())
        return inputError(s);
      if (Status s = checkpointLoad(flags.resume, ctx, again); s.failed())
        return inputError(s);
    }
  } else {
    if (Status s = ctx.create(model, maxBatchFor(options.batchSize));
        s.failed())
      return inputError(s);
    ctx.initParams(options.seed);
    run.position.learningRate = options.learningRate;
  }
  run.options = options;
  // The run's split of the training set, for the check and the messages
  // below (fit() refuses a split that leaves nothing, with its reason).
  ValidationSplit split;
  bool splits =
      splitValidation(data.train.count, options.validationSplit, split).ok();
  // A resumed position must lie in an epoch of this data: at most every
  // batch done (a stop after the last step, before validation).
  uint64_t batches = (split.trainCount + uint64_t(options.batchSize) - 1) /
                     uint64_t(options.batchSize);
  if (splits && !flags.resume.empty() && run.position.batch > batches)
    return inputError(Status::error(
        flags.resume + ": the run stopped after batch " +
        std::to_string(run.position.batch) + " of epoch " +
        std::to_string(run.position.epoch + 1) + ", but an epoch of " +
        flags.dataDir + " has " + std::to_string(batches) +
        " batches; resume with the data it was trained on"));

  // The callbacks, with their saved states when resuming.
  FitPosition &position = run.position;
  std::vector<std::unique_ptr<Callback>> callbacks;
  auto save = [&](const std::string &path, bool withCallbacks) {
    if (!lead) // rank 0 writes the job's files
      return Status::success();
    TrainingState snapshot = run;
    snapshot.hasCallbackStates = withCallbacks;
    snapshot.callbackStates.clear();
    if (withCallbacks)
      for (const auto &cb : callbacks)
        snapshot.callbackStates.push_back(cb->saveState());
    return checkpointSave(path, ctx, snapshot);
  };
  // Every output location is checked before the first step, so that no
  // epoch is lost to an unwritable path, and no file the user had is
  // replaced by one of ours (the model.so, a data file, a file that is not
  // a checkpoint).
  if (lead) {
    std::vector<std::string> inputs = {flags.model};
    for (const char *name : {kMnistTrainImages, kMnistTrainLabels,
                             kMnistTestImages, kMnistTestLabels})
      for (const char *suffix : {"", ".gz"})
        inputs.push_back(flags.dataDir + "/" + name + suffix);
    if (!flags.checkpoint.empty())
      if (Status s = checkpointWritable(flags.checkpoint, inputs); s.failed())
        return inputError(Status::error("--checkpoint " + s.message()));
    if (!flags.logDir.empty())
      if (Status s = logDirWritable(flags.logDir); s.failed())
        return inputError(s);
  }
  CallbackEnv env;
  env.saveModel = [&](const std::string &path) { return save(path, false); };
  env.logDir = flags.logDir;
  env.writesFiles = lead;
  std::vector<std::string> skipped;
  std::vector<CallbackSpec> specs;
  std::string from = flags.callbacks ? "--callbacks" : flags.model;
  // A bad --callbacks is a bad flag (exit 2, as every other); bad
  // callbacks in the model.so are an error in the input (exit 1).
  auto callbackError = [&](const Status &s) {
    return flags.callbacks ? usage("--callbacks: " + s.message(), "train")
                           : inputError(Status::error(flags.model + ": " +
                                                      s.message()));
  };
  if (Status s = parseCallbacks(flags.callbacks ? *flags.callbacks
                                : info.callbacks  ? info.callbacks
                                                  : "[]",
                                specs);
      s.failed())
    return callbackError(s);
  if (Status s = makeCallbacks(specs, callbacks, skipped, env); s.failed())
    return callbackError(s);
  if (!flags.resume.empty() && run.hasCallbackStates) {
    if (run.callbackStates.size() != callbacks.size())
      return inputError(Status::error(
          flags.resume + ": holds the state of " +
          std::to_string(run.callbackStates.size()) + " callbacks, but " +
          flags.model + " runs " + std::to_string(callbacks.size())));
    for (size_t i = 0; i < callbacks.size(); ++i)
      if (Status s = callbacks[i]->loadState(run.callbackStates[i]);
          s.failed())
        return inputError(Status::error(flags.resume + ": " + s.message()));
  }

  // Everything that can be checked, before the first step: a failure
  // after this is the model's (exit 3).
  if (Status s = fitCheck(ctx, data.train, options); s.failed())
    return inputError(s);
  if (Status s = evaluateCheck(ctx, data.test, options.batchSize); s.failed())
    return inputError(s);
  if (job) {
    std::vector<int> failed;
    outcome.agreed = true;
    if (!job->agree(true, failed)) {
      outcome.sharedFailure = true;
      if (lead)
        std::cerr << "mnistrt: error: rank " << failed.front() << " of "
                  << job->size()
                  << " could not start (its message says why); nothing was "
                     "trained\n";
      return InputError;
    }
    std::string settings =
        ctx.fingerprint() + " " + std::to_string(options.batchSize) + " " +
        std::to_string(options.epochs) + " " + std::to_string(options.seed) +
        " " + std::to_string(options.validationSplit) + " " +
        std::to_string(data.train.count) + " " +
        std::to_string(crc32c(data.train.labels.data(),
                              data.train.labels.size() * sizeof(int32_t))) +
        " " + std::to_string(position.epoch) + " " +
        std::to_string(position.batch);
    if (Status s = job->same("the model, the settings or the data", settings);
        s.failed()) {
      outcome.sharedFailure = true; // every rank found it: rank 0 says it
      return lead ? inputError(s) : InputError;
    }
    job->started();
  }

  if (talk) {
    out << "Model " << info.name << " (" << flags.model << ", "
        << model.target() << "): " << withCommas(parameterCount(info))
        << " parameters, " << info.optimizer << " learning rate "
        << options.learningRate << ", loss " << info.loss << "\n";
    out << "Data " << flags.dataDir << ": " << split.trainCount
        << " training images";
    if (split.valCount)
      out << " + " << split.valCount << " for validation";
    out << ", " << data.test.count << " test images; batch size "
        << options.batchSize << ", " << options.epochs
        << (options.epochs == 1 ? " epoch, " : " epochs, ")
        << (options.shuffle ? "shuffled" : "not shuffled") << ", seed "
        << options.seed << std::endl;
    // Keras trains on what the split leaves without a word; a split that
    // leaves almost nothing is more likely a slip (0.999 for 0.1).
    if (split.valCount && (split.trainCount < options.batchSize ||
                           100 * split.trainCount < data.train.count))
      warn("validation_split " + detail::pythonFloat(options.validationSplit) +
           " leaves " + std::to_string(split.trainCount) + " of " +
           std::to_string(data.train.count) +
           " images for training (" +
           (split.trainCount < options.batchSize
                ? "less than one batch of " + std::to_string(options.batchSize)
                : std::string("less than 1 % of the data")) +
           ")");
    if (job)
      out << "Data parallel: " << job->size()
          << " processes (mpirun), each computing the gradients of its "
             "share of every batch" << std::endl;
    if (!flags.resume.empty())
      out << "Resuming from " << flags.resume << " at epoch "
          << position.epoch + 1 << ", batch " << position.batch
          << ", learning rate " << position.learningRate << std::endl;
  }
  if (flags.verbosity >= 2 && model.api().summary)
    out << model.api().summary();
  for (const std::string &name : skipped)
    if (lead)
      warn(from + ": the fit callback " + name +
           " is not run by this mnistrt");
  if (lead && !flags.resume.empty() && !run.hasCallbackStates &&
      !callbacks.empty())
    warn(flags.resume + ": was written by ModelCheckpoint, without the "
                        "callbacks' states; they start afresh");

  // The loop. After a divergence the user is told which checkpoint still
  // holds a good run.
  std::string lastGood =
      flags.resume.empty()
          ? ""
          : flags.resume + " (epoch " + std::to_string(position.epoch + 1) +
                ", batch " + std::to_string(position.batch) + ")";
  History history;
  for (const EpochLogs &e : run.history)
    history.append(e);
  // Under mpirun stdout is a pseudo-terminal whatever mpirun's own is.
  bool bar = talk && (flags.progressBar || (isatty(STDOUT_FILENO) && !job));
  ProgressBar progress(out);
  std::vector<std::string> messages;
  // Asked for at each use: on a GPU the parameters are brought back to
  // the host only then (model.h).
  auto weights = [&] {
    return Weights{ctx.params(), static_cast<size_t>(info.param_floats)};
  };
  Status callbackStatus = Status::success();
  // For the tests: a Ctrl-C (or a SIGTERM) sent by the process itself
  // after N steps of this run, at a point that does not depend on timing.
  const char *sigintAfter = std::getenv("MNISTRT_SIGINT_AFTER_STEPS");
  const char *sigtermAfter = std::getenv("MNISTRT_SIGTERM_AFTER_STEPS");
  const int testSignal = sigtermAfter ? SIGTERM : SIGINT;
  long stepsToSigint = sigtermAfter  ? std::atol(sigtermAfter)
                       : sigintAfter ? std::atol(sigintAfter)
                                     : 0;
  FitHooks hooks;
  hooks.collective = job;
  hooks.onStep = [&](const StepProgress &p) {
    if (bar)
      progress.update(p);
    if (stepsToSigint > 0 && --stepsToSigint == 0)
      std::raise(testSignal);
    return gInterrupted != 0;
  };
  hooks.onEpochEnd = [&](const EpochLogs &epochLogs, float &learningRate) {
    if (bar)
      progress.finish(epochLogs);
    else if (talk)
      out << formatEpochLine(epochLogs) << std::endl;
    EpochLogs logs = epochLogs; // callbacks add to it, as Keras's do
    bool stop = false;
    for (auto &cb : callbacks)
      if (callbackStatus.ok())
        callbackStatus =
            cb->onEpochEnd(logs, weights(), learningRate, messages, stop);
    for (const std::string &line : messages)
      if (talk)
        out << line << std::endl;
    messages.clear();
    run.history.push_back(logs);
    history.append(logs);
    run.finished = stop || position.epoch >= options.epochs;
    // Every rank applied the same updates: their parameters must be equal.
    if (job && callbackStatus.ok()) {
      Weights w = weights();
      callbackStatus = job->same(
          "their parameters after epoch " + std::to_string(epochLogs.epoch + 1),
          std::to_string(crc32c(w.data, w.size * sizeof(float))));
    }
    if (callbackStatus.ok() && !flags.checkpoint.empty()) {
      callbackStatus = save(flags.checkpoint, true);
      lastGood = flags.checkpoint + " (after epoch " +
                 std::to_string(position.epoch) + ")";
    }
    return stop || callbackStatus.failed();
  };
  if (!run.finished || position.epoch < options.epochs) {
    run.finished = false;
    if (!job) // mpirun ends a job on Ctrl-C, and SIGTERMs its ranks
      catchInterrupts();
    FitEnd end;
    Status fitted = fit(ctx, data.train, options, position, hooks, end);
    if (!job) {
      std::signal(SIGINT, SIG_DFL);
      std::signal(SIGTERM, SIG_DFL);
    }
    if (end == FitEnd::Diverged) {
      outcome.sharedFailure = true;
      progress.interrupt();
      if (lead)
        std::cerr << "mnistrt: error: " << flags.model << ": "
                  << fitted.message() << "\n"
                  << (!lastGood.empty()
                          ? "The last good checkpoint is " + lastGood + "."
                      : flags.checkpoint.empty()
                          ? std::string("No checkpoint holds the run before "
                                        "it (--checkpoint PATH writes one "
                                        "after every epoch).")
                          : "No epoch finished before it, so " +
                                flags.checkpoint + " was not written.")
                  << "\n";
      return InputError;
    }
    if (fitted.failed())
      return internalError(fitted);
    if (callbackStatus.failed())
      return inputError(callbackStatus);
    if (end == FitEnd::Interrupted) {
      progress.interrupt();
      // Where the interrupted run goes: --checkpoint, else
      // MODEL-interrupted.ckpt here (MODEL cut to 100 bytes, so the name
      // fits any file system). If that cannot be written, a name in the
      // temporary directory: the run is never lost for want of a name.
      std::string path = flags.checkpoint.empty()
                             ? std::string(info.name).substr(0, 100) +
                                   "-interrupted.ckpt"
                             : flags.checkpoint;
      Status saved = save(path, true);
      if (saved.failed()) {
        const char *tmp = std::getenv("TMPDIR");
        std::string fallback = std::string(tmp && *tmp ? tmp : "/tmp") +
                               "/mnistrt-interrupted-" +
                               std::to_string(::getpid()) + ".ckpt";
        warn(saved.message() + "; saving the run in " + fallback +
             " instead");
        path = fallback;
        saved = save(path, true);
      }
      if (saved.failed())
        return inputError(saved);
      std::cerr << "mnistrt: "
                << (gInterrupted == SIGTERM ? "terminated" : "interrupted")
                << " in epoch " << position.epoch + 1
                << " after batch " << position.batch
                << "; the run is saved in " << path
                << "\nResume it with: mnistrt train " << flags.model
                << " --resume " << path
                << (flags.dataDir != kDefaultDataDir
                        ? " --data " + flags.dataDir
                        : "")
                << (flags.checkpoint.empty() ? ""
                                             : " --checkpoint " + path)
                << "\n";
      return gInterrupted == SIGTERM ? Terminated : Interrupted;
    }
  } else if (talk) {
    out << "The run in " << flags.resume << " has finished ("
        << position.epoch << " epochs); nothing left to train" << std::endl;
  }

  // The end: restored weights, the final checkpoint (the last epoch's
  // weights to resume from, and the restored ones), the test set.
  Weights final = weights();
  std::vector<float> last(final.data, final.data + final.size);
  for (auto &cb : callbacks)
    cb->onTrainEnd(final, messages);
  for (const std::string &line : messages)
    if (talk)
      out << line << std::endl;
  if (!flags.checkpoint.empty()) {
    run.finished = true;
    if (!std::equal(last.begin(), last.end(), final.data)) {
      run.finalParams.assign(final.data, final.data + final.size);
      std::copy(last.begin(), last.end(), final.data);
    }
    Status s = save(flags.checkpoint, true);
    if (!run.finalParams.empty())
      std::copy(run.finalParams.begin(), run.finalParams.end(), final.data);
    if (s.failed())
      return inputError(s);
  }
  Metrics test;
  if (Status s = evaluate(ctx, data.test, options.batchSize, test, job);
      s.failed())
    return internalError(s);
  out << formatEvaluation(test) << std::endl;

  if (!flags.logDir.empty() && lead) {
    std::vector<std::string> warnings;
    std::string extra = "<p>" + htmlEscape(formatEvaluation(test)) + "</p>\n";
    if (Status s = history.write(flags.logDir, info.name, warnings, extra);
        s.failed())
      return inputError(s);
    for (const std::string &w : warnings)
      warn(w);
    if (talk)
      out << "History: " << flags.logDir << "/report.html" << std::endl;
  }
  return Ok;
}

} // namespace

int mainTrain(const std::vector<std::string> &args) {
  TrainFlags flags;
  int32_t epochs = 0, batchSize = 0;
  int64_t seed = 0;
  double split = 0;
  po::options_description visible(
      "Usage: mnistrt train [options] MODEL.so\n\n"
      "Trains MODEL.so (built by `mnistc MODEL.dsl -o MODEL.so`) on MNIST with "
      "the\nmodel's compile and fit settings and callbacks, then evaluates "
      "it on the test\nset. The flags override the model's settings. Ctrl-C "
      "finishes the current step,\nsaves a checkpoint and says how to "
      "resume.\nUnder `mpirun -np N`, N processes train the model together, "
      "each on its\nshare of every batch (docs/distributed.md).\n\n"
      "Options");
  visible.add_options()
      ("help,h", "print this help and exit")
      ("data", po::value(&flags.dataDir)->value_name("DIR"),
       "the data directory: the four MNIST-format IDX files, plain or .gz "
       "(default: data/mnist; Fashion-MNIST: /usr/share/datasets/fashion-"
       "mnist)")
      ("epochs", po::value(&epochs)->value_name("N"),
       "train until epoch N (0: evaluate only)")
      ("batch-size", po::value(&batchSize)->value_name("N"),
       "images per step")
      ("seed", po::value(&seed)->value_name("N"),
       "seed of the initial weights, the shuffle and Dropout (default: the "
       "DSL's, else 0)")
      ("validation-split", po::value(&split)->value_name("F"),
       "validate on the last fraction F of the training images, in [0, 1)")
      ("checkpoint", po::value(&flags.checkpoint)->value_name("PATH"),
       "write a checkpoint to PATH after every epoch and at the end "
       "(docs/checkpoint.md)")
      ("resume", po::value(&flags.resume)->value_name("PATH"),
       "go on with the run saved in the checkpoint PATH, exactly as if it "
       "had not stopped")
      ("callbacks", po::value<std::string>()->value_name("JSON"),
       "run these callbacks instead of the DSL's, as a JSON array such as "
       "'[{\"name\": \"EarlyStopping\", \"patience\": 3}]' ('[]': none)")
      ("logdir", po::value(&flags.logDir)->value_name("DIR"),
       "write history.csv, history.png and report.html to DIR, and the "
       "TensorBoard callback's events under it")
      ("quiet,q", "print only the test result and errors")
      ("verbose,v", "also print the model summary before training")
      ("progress-bar", "draw the live progress bar even when stdout is not a "
                       "terminal");
  po::variables_map vm;
  addDeviceOption(visible, flags.device);
  if (int code = parseCommandLine(args, "train", visible, flags.model, vm);
      code >= 0)
    return code;

  if (flags.model.empty())
    return usage("no model; usage: mnistrt train [options] MODEL.so",
                 "train");
  if (flags.dataDir.empty())
    return usage("--data needs a directory", "train");
  if (vm.count("epochs")) {
    if (epochs < 0)
      return usage("--epochs must be 0 or more, not " +
                       std::to_string(epochs),
                   "train");
    flags.epochs = epochs;
  }
  if (vm.count("batch-size")) {
    if (batchSize <= 0)
      return usage("--batch-size must be at least 1, not " +
                       std::to_string(batchSize),
                   "train");
    flags.batchSize = batchSize;
  }
  if (vm.count("seed")) {
    if (seed < 0)
      return usage("--seed must be 0 or more, not " + std::to_string(seed),
                   "train");
    flags.seed = seed;
  }
  if (vm.count("validation-split")) {
    if (!(split >= 0.0 && split < 1.0))
      return usage("--validation-split must be in [0, 1), such as 0.1 (0: "
                   "no validation)",
                   "train");
    flags.validationSplit = split;
  }
  if (vm.count("quiet") && vm.count("verbose"))
    return usage("--quiet and --verbose contradict each other", "train");
  flags.verbosity = vm.count("quiet") ? 0 : vm.count("verbose") ? 2 : 1;
  flags.progressBar = vm.count("progress-bar") > 0;
  if (vm.count("callbacks"))
    flags.callbacks = vm["callbacks"].as<std::string>();
  if (vm.count("checkpoint") && flags.checkpoint.empty())
    return usage("--checkpoint needs a file name", "train");
  if (vm.count("resume") && flags.resume.empty())
    return usage("--resume needs a checkpoint file", "train");
  if (vm.count("logdir") && flags.logDir.empty())
    return usage("--logdir needs a directory", "train");
  rt::Status joined;
  std::unique_ptr<MpiJob> job = MpiJob::join(joined);
  if (joined.failed())
    return inputError(joined);
  if (job)
    setMessagePrefix(job->name());
  RankOutcome outcome;
  int code = runTrain(flags, job.get(), outcome);
  if (job && !outcome.agreed) {
    std::vector<int> failed;
    job->agree(false, failed);
  } else if (job && code != Ok && !outcome.sharedFailure) {
    job->abort(code); // the other ranks may be waiting in a collective
  }
  return code;
}

} // namespace mnistc::tool

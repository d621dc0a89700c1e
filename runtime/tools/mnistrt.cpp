//===- mnistrt.cpp - The mnistc runtime tool ------------------------------===//
//
// `mnistrt train MODEL.so`: loads a model.so built by mnistc, reads MNIST,
// runs Keras's fit loop with the model's compile/fit settings (flags
// override them), then evaluates on the test set (docs/runtime.md).
// Exit codes:
//   0  success
//   1  the model file or the data cannot be used (message on stderr)
//   2  bad command line
//   3  internal error (a model step failed)
// Everything else lives in the runtime library; this file only wires it.
//
//===----------------------------------------------------------------------===//
#include "mnistc/batching.h"
#include "mnistc/callbacks.h"
#include "mnistc/dataset.h"
#include "mnistc/fit.h"
#include "mnistc/model.h"
#include "mnistc/model_library.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace po = boost::program_options;
using namespace mnistc::rt;

namespace {

enum ExitCode { Ok = 0, InputError = 1, UsageError = 2, InternalError = 3 };

const char *kVersion = "0.1.0";
const char *kDefaultDataDir = "data/mnist";

int usage(const std::string &msg, const std::string &command = "") {
  std::cerr << "mnistrt: error: " << msg << "\n"
            << "Try 'mnistrt " << (command.empty() ? "" : command + " ")
            << "--help' for more information.\n";
  return UsageError;
}

int inputError(const Status &s) {
  std::cerr << "mnistrt: error: " << s.message() << "\n";
  return InputError;
}

int internalError(const Status &s) {
  std::cerr << "mnistrt: internal error: " << s.message() << "\n";
  return InternalError;
}

/// The flags of `train`; unset optionals keep the model's settings.
struct TrainFlags {
  std::string model;
  std::string dataDir = kDefaultDataDir;
  std::optional<int32_t> epochs;
  std::optional<int32_t> batchSize;
  std::optional<int64_t> seed;
  std::optional<double> validationSplit;
};

/// 1,234,567
std::string withCommas(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

/// How to read the data for this model: image geometry and classes. A
/// rank-1 input (784,) accepts any geometry here; the fit loop checks that
/// rows x cols matches.
Status loadOptionsFor(const ModelLibrary &model, const std::string &dataDir,
                      LoadOptions &out) {
  const mnistc_model_info &info = model.info();
  out.numClasses = static_cast<uint32_t>(info.num_classes);
  out.rows = out.cols = 0;
  if (info.input_rank >= 2) {
    int64_t channels = 1;
    for (int32_t i = 2; i < info.input_rank && i < MNISTC_MAX_RANK; ++i)
      channels *= info.input_shape[i];
    if (channels != 1)
      return Status::error(model.path() + ": the model takes images with " +
                           std::to_string(channels) +
                           " channels; MNIST-format IDX data has one");
    out.rows = static_cast<uint32_t>(info.input_shape[0]);
    out.cols = static_cast<uint32_t>(info.input_shape[1]);
  }
  if (dataDir != kDefaultDataDir)
    out.hint = "give --data a directory holding the four MNIST files "
               "(docs/data.md)";
  return Status::success();
}

int runTrain(const TrainFlags &flags) {
  // The model.
  ModelLibrary model;
  if (Status s = model.open(flags.model); s.failed())
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

  // The DSL's fit callbacks.
  std::vector<std::unique_ptr<Callback>> callbacks;
  std::vector<std::string> skipped;
  std::vector<CallbackSpec> specs;
  if (Status s = parseCallbacks(info.callbacks ? info.callbacks : "[]", specs);
      s.failed())
    return inputError(Status::error(flags.model + ": " + s.message()));
  if (Status s = makeCallbacks(specs, callbacks, skipped); s.failed())
    return inputError(Status::error(flags.model + ": " + s.message()));

  // The data.
  LoadOptions load;
  if (Status s = loadOptionsFor(model, flags.dataDir, load); s.failed())
    return inputError(s);
  MnistData data;
  if (Status s = datasetLoadMnistDir(flags.dataDir, load, data); s.failed())
    return inputError(s);

  // The context and the initial weights. No batch is larger than the
  // larger data set, whatever --batch-size says.
  ModelContext ctx;
  int32_t maxBatch = static_cast<int32_t>(std::min<int64_t>(
      options.batchSize, std::max(data.train.count, data.test.count)));
  if (Status s = ctx.create(model, std::max(maxBatch, 1)); s.failed())
    return inputError(s);
  ctx.initParams(options.seed);

  // Everything that can be checked, before the first step: a failure
  // after this is the model's (exit 3).
  if (Status s = fitCheck(ctx, data.train, options); s.failed())
    return inputError(s);
  if (Status s = evaluateCheck(ctx, data.test, options.batchSize); s.failed())
    return inputError(s);

  std::cout << "Model " << info.name << " (" << flags.model << ", "
            << info.target << "): " << withCommas(info.param_floats)
            << " parameters, " << info.optimizer << " learning rate "
            << options.learningRate << ", loss " << info.loss << "\n";
  ValidationSplit split;
  (void)splitValidation(data.train.count, options.validationSplit, split);
  std::cout << "Data " << flags.dataDir << ": " << split.trainCount
            << " training images";
  if (split.valCount)
    std::cout << " + " << split.valCount << " for validation";
  std::cout << ", " << data.test.count << " test images; batch size "
            << options.batchSize << ", " << options.epochs
            << (options.epochs == 1 ? " epoch, " : " epochs, ")
            << (options.shuffle ? "shuffled" : "not shuffled") << ", seed "
            << options.seed << std::endl;
  for (const std::string &name : skipped)
    std::cerr << "mnistrt: warning: " << flags.model << ": the fit callback "
              << name << " is not run by this mnistrt\n";

  std::vector<std::string> messages;
  Weights weights{ctx.params(), static_cast<size_t>(info.param_floats)};
  Status callbackStatus = Status::success();
  auto onEpochEnd = [&](const EpochLogs &epochLogs, float &learningRate) {
    std::cout << formatEpochLine(epochLogs) << std::endl;
    EpochLogs logs = epochLogs; // callbacks add to it, as Keras's do
    bool stop = false;
    for (auto &cb : callbacks)
      if (callbackStatus.ok())
        callbackStatus =
            cb->onEpochEnd(logs, weights, learningRate, messages, stop);
    for (const std::string &line : messages)
      std::cout << line << std::endl;
    messages.clear();
    return stop || callbackStatus.failed();
  };
  if (Status s = fit(ctx, data.train, options, onEpochEnd); s.failed())
    return internalError(s);
  if (callbackStatus.failed())
    return inputError(callbackStatus);
  for (auto &cb : callbacks)
    cb->onTrainEnd(weights, messages);
  for (const std::string &line : messages)
    std::cout << line << std::endl;
  Metrics test;
  if (Status s = evaluate(ctx, data.test, options.batchSize, test);
      s.failed())
    return internalError(s);
  std::cout << formatEvaluation(test) << std::endl;
  return Ok;
}

int mainTrain(const std::vector<std::string> &args) {
  TrainFlags flags;
  int32_t epochs = 0, batchSize = 0;
  int64_t seed = 0;
  double split = 0;
  po::options_description visible(
      "Usage: mnistrt train [options] MODEL.so\n\n"
      "Trains MODEL.so (built by `mnistc MODEL.dsl -o MODEL.so`) on MNIST with "
      "the\nmodel's compile and fit settings (its EarlyStopping, "
      "ReduceLROnPlateau and\nCSVLogger callbacks included), then evaluates "
      "it on the test set. The flags\noverride the model's settings.\n\n"
      "Options");
  visible.add_options()
      ("help,h", "print this help and exit")
      ("data", po::value(&flags.dataDir)->value_name("DIR"),
       "the MNIST directory (default: data/mnist, relative to the working "
       "directory)")
      ("epochs", po::value(&epochs)->value_name("N"),
       "train N epochs (0: evaluate only)")
      ("batch-size", po::value(&batchSize)->value_name("N"),
       "images per step")
      ("seed", po::value(&seed)->value_name("N"),
       "seed of the initial weights and of the shuffle (default: the DSL's, "
       "else 0)")
      ("validation-split", po::value(&split)->value_name("F"),
       "validate on the last fraction F of the training images, in [0, 1)");
  po::options_description hidden;
  hidden.add_options()("model", po::value(&flags.model));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("model", 1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args)
                  .options(all)
                  .positional(positional)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error &e) {
    return usage(e.what(), "train");
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return Ok;
  }
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
  return runTrain(flags);
}

int mainSummary(const std::vector<std::string> &args) {
  const char *help =
      "Usage: mnistrt summary MODEL.so\n\n"
      "Prints the model's Keras-style summary (layers, output shapes, "
      "parameter\ncounts), as `mnistc MODEL.dsl --summary` does.\n";
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << help;
    return Ok;
  }
  if (args.size() != 1 || args[0].empty() || args[0][0] == '-')
    return usage("usage: mnistrt summary MODEL.so", "summary");
  ModelLibrary model;
  if (Status s = model.open(args[0]); s.failed())
    return inputError(s);
  if (!model.api().summary)
    return inputError(Status::error(
        args[0] + ": carries no summary (built by an older mnistc); rebuild "
                  "it with `mnistc MODEL.dsl -o " + args[0] + "`"));
  std::cout << model.api().summary();
  return Ok;
}

const char *kMainHelp =
    "Usage: mnistrt [--help] [--version] COMMAND [options]\n"
    "\n"
    "Runs a model.so built by mnistc. Exit codes: 0 success, 1 the model or "
    "the\ndata cannot be used, 2 bad command line, 3 internal error.\n"
    "\n"
    "Commands:\n"
    "  train MODEL.so   train on MNIST with the model's compile/fit "
    "settings,\n"
    "                   then evaluate on the test set\n"
    "  summary MODEL.so the model's Keras-style summary table\n"
    "\n"
    "Run 'mnistrt COMMAND --help' for the options of a command.\n";

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty())
    return usage("no command; usage: mnistrt [--help] [--version] COMMAND "
                 "[options]");
  const std::string &first = args.front();
  if (first == "--help" || first == "-h" || first == "help") {
    std::cout << kMainHelp;
    return Ok;
  }
  if (first == "--version") {
    std::cout << "mnistrt " << kVersion << " (model ABI version "
              << MNISTC_ABI_VERSION << ")\n";
    return Ok;
  }
  if (!first.empty() && first[0] == '-')
    return usage("unrecognised option '" + first +
                 "' before the command; usage: mnistrt [--help] [--version] "
                 "COMMAND [options]");
  try {
    if (first == "train")
      return mainTrain(std::vector<std::string>(args.begin() + 1, args.end()));
    if (first == "summary")
      return mainSummary(
          std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const std::exception &e) {
    std::cerr << "mnistrt: internal error: " << e.what() << "\n";
    return InternalError;
  }
  return usage("unknown command '" + first +
               "'; the commands are: train, summary");
}

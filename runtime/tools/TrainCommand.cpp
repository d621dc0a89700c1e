//===- TrainCommand.cpp - mnistrt train ------------------------------------===//
//
// Keras's model.fit from the command line: reads the flags of `train`,
// joins the mpirun job if there is one, and hands the run to TrainRun
// (TrainRun.h), which trains, saves and evaluates.
//
//===----------------------------------------------------------------------===//
#include "TrainRun.h"

namespace mnistc::tool {

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
  int code = TrainRun(flags, job.get()).run(outcome);
  if (job && !outcome.agreed) {
    std::vector<int> failed;
    job->agree(false, failed);
  } else if (job && code != Ok && !outcome.sharedFailure) {
    job->abort(code); // the other ranks may be waiting in a collective
  }
  return code;
}

} // namespace mnistc::tool

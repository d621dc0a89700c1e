//===- mnistrt.cpp - The mnistc runtime tool ------------------------------===//
//
// `mnistrt COMMAND MODEL.so ...` runs a model.so built by mnistc
// (docs/runtime.md): train (Keras's fit, then the test set), evaluate
// (loss, accuracy, per-class precision and recall, confusion matrix),
// predict (the classes of PNG or JPEG images), summary and bench (the
// throughput bench/run compares with PyTorch). This file
// dispatches to the commands (Commands.h) and holds `summary`. Exit codes:
//   0    success
//   1    the model, weights or data cannot be used (message on stderr)
//   2    bad command line
//   3    internal error (a model step failed)
//   130  training interrupted by Ctrl-C, after saving a checkpoint
// Everything else lives in the runtime library; the tools only wire it.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include <iostream>
#include <string>
#include <vector>

using namespace mnistc::tool;

namespace {

const char *kVersion = "0.1.0";

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
  mnistc::rt::ModelLibrary model;
  if (Status s = model.open(args[0]); s.failed())
    return inputError(s);
  if (!model.api().summary)
    return inputError(mnistc::rt::Status::error(
        args[0] + ": carries no summary (built by an older mnistc); rebuild "
                  "it with `mnistc MODEL.dsl -o " + args[0] + "`"));
  std::cout << model.api().summary();
  return Ok;
}

const char *kMainHelp =
    "Usage: mnistrt [--help] [--version] COMMAND [options]\n"
    "\n"
    "Runs a model.so built by mnistc. Exit codes: 0 success, 1 the model, "
    "weights\nor data cannot be used, 2 bad command line, 3 internal error, "
    "130 training\ninterrupted by Ctrl-C, 143 by SIGTERM (a checkpoint was "
    "saved).\n"
    "\n"
    "Commands:\n"
    "  train MODEL.so   train on MNIST with the model's compile/fit "
    "settings,\n"
    "                   then evaluate on the test set\n"
    "  evaluate MODEL.so --weights CKPT\n"
    "                   loss, accuracy, per-class precision and recall "
    "and the\n"
    "                   confusion matrix on the test set\n"
    "  predict MODEL.so --weights CKPT IMAGE...\n"
    "                   the digit in each PNG or JPEG image, with the top 3\n"
    "  summary MODEL.so the model's Keras-style summary table\n"
    "  bench MODEL.so   training and inference throughput (bench/run)\n"
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
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (first == "train")
      return mainTrain(rest);
    if (first == "evaluate")
      return mainEvaluate(rest);
    if (first == "predict")
      return mainPredict(rest);
    if (first == "bench")
      return mainBench(rest);
    if (first == "summary")
      return mainSummary(rest);
  } catch (const std::exception &e) {
    std::cerr << "mnistrt: internal error: " << e.what() << "\n";
    return InternalError;
  }
  return usage("unknown command '" + first +
               "'; the commands are: train, evaluate, predict, summary, bench");
}

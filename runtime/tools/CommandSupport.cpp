//===- CommandSupport.cpp - What the commands of mnistrt share ------------===//
//
// The definitions behind Commands.h: messages, the command line, and a
// model opened with its weights.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include <cstring>
#include <iostream>

namespace mnistc::tool {

namespace {
/// "mnistrt: " and, under mpirun, "rank R of N: ".
std::string gPrefix = "mnistrt: ";
} // namespace

void setMessagePrefix(const std::string &who) {
  gPrefix = "mnistrt: " + who + ": ";
}

int usage(const std::string &msg, const std::string &command) {
  std::cerr << gPrefix << "error: " << msg << "\n"
            << "Try 'mnistrt " << (command.empty() ? "" : command + " ")
            << "--help' for more information.\n";
  return UsageError;
}

int inputError(const Status &s) {
  std::cerr << gPrefix << "error: " << s.message() << "\n";
  return InputError;
}

int internalError(const Status &s) {
  std::cerr << gPrefix << "internal error: " << s.message() << "\n";
  return InternalError;
}

void warn(const std::string &msg) {
  std::cerr << gPrefix << "warning: " << msg << "\n";
}

int parseCommandLine(const std::vector<std::string> &args,
                     const std::string &command,
                     const po::options_description &visible,
                     std::string &model, po::variables_map &vm,
                     std::vector<std::string> *more) {
  po::options_description hidden;
  hidden.add_options()("model", po::value(&model));
  po::positional_options_description positional;
  positional.add("model", 1);
  if (more) {
    hidden.add_options()("more", po::value(more)->multitoken());
    positional.add("more", -1);
  }
  po::options_description all;
  all.add(visible).add(hidden);
  try {
    po::store(po::command_line_parser(args)
                  .options(all)
                  .positional(positional)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error &e) {
    return usage(e.what(), command);
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return Ok;
  }
  return -1;
}

int64_t parameterCount(const mnistc_model_info &info) {
  int64_t count = 0;
  for (int32_t i = 0; i < info.num_params; ++i)
    count += info.params[i].size;
  return count;
}

std::string withCommas(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

/// A rank-1 input (784,) accepts any geometry here; the fit loop checks
/// that rows x cols matches.
Status loadOptionsFor(const rt::ModelLibrary &model,
                      const std::string &dataDir, rt::LoadOptions &out) {
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

void addDeviceOption(po::options_description &visible, std::string &device) {
  visible.add_options()(
      "device", po::value(&device)->value_name("D")->default_value("auto"),
      "where the model runs: auto (where its model.so was compiled to run), "
      "cpu, or cuda (an NVIDIA GPU: a model.so from mnistc --target=cuda)");
}

Status openModel(const std::string &modelPath, const std::string &device,
                 rt::ModelLibrary &model) {
  if (device != "auto" && device != "cpu" && device != "cuda")
    return Status::error("unknown --device '" + device +
                         "'; expected auto, cpu or cuda");
  if (Status s = model.open(modelPath); s.failed())
    return s;
  const bool cuda = std::strstr(model.info().target, "cuda") != nullptr;
  if (device == "cuda" && !cuda)
    return Status::error(
        modelPath + " was compiled for the CPU (target " +
        model.info().target +
        "); to run it on an NVIDIA GPU, compile it with mnistc --target=cuda");
  if (device == "cpu" && cuda)
    return Status::error(
        modelPath + " was compiled with --target=cuda and runs on an NVIDIA "
                    "GPU; to run it on the CPU, compile it without "
                    "--target=cuda");
  return Status::success();
}

Status openWithWeights(const std::string &modelPath,
                       const std::string &device, const std::string &weights,
                       int32_t maxBatch, rt::ModelLibrary &model,
                       rt::ModelContext &ctx) {
  if (Status s = openModel(modelPath, device, model); s.failed())
    return s;
  if (Status s = ctx.create(model, maxBatch); s.failed())
    return s;
  rt::TrainingState unused;
  return rt::checkpointLoad(weights, ctx, unused, rt::CheckpointUse::Final);
}

} // namespace mnistc::tool

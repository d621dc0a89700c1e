//===- Commands.h - The commands of mnistrt and what they share -----------===//
//
// mnistrt.cpp dispatches to one function per command, each in its own
// file (TrainCommand.cpp, whose run is TrainRun.cpp; EvaluateCommand.cpp,
// PredictCommand.cpp, BenchCommand.cpp; summary is small enough to live
// in mnistrt.cpp). This header declares them and
// the few things they share: the exit codes, turning a Status or a usage
// error into a message on stderr, reading the command line with
// Boost.Program_options, and opening a model with its weights.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_TOOLS_COMMANDS_H
#define MNISTC_RUNTIME_TOOLS_COMMANDS_H

#include "mnistc/checkpoint.h"
#include "mnistc/dataset.h"
#include "mnistc/model_library.h"
#include "mnistc/status.h"

#include <boost/program_options.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mnistc::tool {

using rt::Status;
namespace po = boost::program_options;

enum ExitCode {
  Ok = 0,
  InputError = 1,    ///< the model, weights or data cannot be used
  UsageError = 2,    ///< bad command line
  InternalError = 3, ///< a model step failed
  Interrupted = 130, ///< Ctrl-C (128 + SIGINT), after saving a checkpoint
  Terminated = 143,  ///< SIGTERM (128 + SIGTERM), after saving a checkpoint
};

constexpr const char *kDefaultDataDir = "data/mnist";

/// "mnistrt: error: MSG" and the --help hint; returns UsageError.
int usage(const std::string &msg, const std::string &command = "");
/// "mnistrt: error: ..." ; returns InputError.
int inputError(const Status &s);
/// "mnistrt: internal error: ..."; returns InternalError.
int internalError(const Status &s);
/// "mnistrt: warning: ..." on stderr.
void warn(const std::string &msg);
/// Names the process in the messages above: "mnistrt: rank 1 of 2: error:
/// ..." (a rank of an mpirun job).
void setMessagePrefix(const std::string &who);

/// Parses `args` for `command` ("train") into `vm`: the visible options,
/// then the positional MODEL.so into `model` and, if `more` is given, the
/// positional arguments after it. Returns -1 to go on, or the exit code to
/// return (the help was printed, or a usage error).
int parseCommandLine(const std::vector<std::string> &args,
                     const std::string &command,
                     const po::options_description &visible,
                     std::string &model, po::variables_map &vm,
                     std::vector<std::string> *more = nullptr);

/// 1,234,567
std::string withCommas(int64_t n);

/// The model's parameters, trainable or not, as the summary counts them
/// (the parameter buffer is larger: each tensor starts aligned).
int64_t parameterCount(const mnistc_model_info &info);

/// How to read data for this model: its image geometry and classes.
Status loadOptionsFor(const rt::ModelLibrary &model,
                      const std::string &dataDir, rt::LoadOptions &out);

/// --device D, taken by every command that runs a model: auto (where
/// the model.so was compiled to run), cpu, or cuda (docs/cuda.md).
void addDeviceOption(po::options_description &visible, std::string &device);

/// Opens `modelPath` and checks that it runs on `device` (--device): a
/// model.so runs where mnistc compiled it for, the CPU or, with
/// --target=cuda, an NVIDIA GPU.
Status openModel(const std::string &modelPath, const std::string &device,
                 rt::ModelLibrary &model);

/// Opens `modelPath` for `device`, creates a context for batches of up to
/// `maxBatch` and loads the parameters of the checkpoint `weights` into it.
Status openWithWeights(const std::string &modelPath,
                       const std::string &device, const std::string &weights,
                       int32_t maxBatch, rt::ModelLibrary &model,
                       rt::ModelContext &ctx);

int mainTrain(const std::vector<std::string> &args);
int mainEvaluate(const std::vector<std::string> &args);
int mainPredict(const std::vector<std::string> &args);
int mainBench(const std::vector<std::string> &args);

} // namespace mnistc::tool

#endif

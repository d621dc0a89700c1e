//===- BenchCommand.cpp - mnistrt bench ------------------------------------===//
//
// The measurement bench/run makes (docs/performance.md): training
// throughput over whole epochs of the training file (no validation, no
// callbacks, the model's optimizer, shuffled batches as fit makes them)
// and inference throughput over the test file with mnistc_forward, the way
// the PyTorch peer measures (one batch of every test image unless
// --inference-batch says otherwise; the best of --repeat passes, default
// 5, as one pass of a small model takes a few milliseconds and a 2-core
// machine's timings jitter). Prints one line per measurement in a
// fixed "key value" form that bench/run reads, times to 4 significant
// digits (a GPU's inference pass takes milliseconds):
//
//   train epoch 1: 4.93 s, 12170 images/s, 10.5 ms/step
//   inference: 0.4102 s, 24378 images/s (batch 10000, best of 5)
//   memory: ...
//
// --profile FILE times every kernel call of the run (mnistc_profile) and
// writes the counts to FILE, which `mnistc MODEL.dsl --report --profile
// FILE` turns into a roofline table (docs/performance.md).
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "FileIO.h"

#include "mnistc/batching.h"
#include "mnistc/fit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

namespace mnistc::tool {
namespace {

/// `x` to 4 significant digits in fixed notation, for people ("0.00007611",
/// "12.35"; never "7.611e-05").
std::string fourDigits(double x) {
  int decimals = 3;
  if (x > 0)
    decimals = std::clamp(3 - static_cast<int>(std::floor(std::log10(x))), 0,
                          12);
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, x);
  return text;
}

using namespace mnistc::rt;

struct BenchFlags {
  std::string device = "auto";
  std::string model;
  std::string dataDir = kDefaultDataDir;
  int32_t epochs = 1;
  int32_t batchSize = 128;
  int32_t inferenceBatch = 0; ///< 0: every test image in one batch
  int32_t repeat = 5;         ///< inference passes; the fastest counts
  uint64_t seed = 0;
  std::string profile; ///< where to write the per-kernel timing, or ""
};

int runBench(const BenchFlags &flags) {
  ModelLibrary model;
  if (Status s = openModel(flags.model, flags.device, model); s.failed())
    return inputError(s);
  LoadOptions load;
  if (Status s = loadOptionsFor(model, flags.dataDir, load); s.failed())
    return inputError(s);
  MnistData data;
  if (Status s = datasetLoadMnistDir(flags.dataDir, load, data); s.failed())
    return inputError(s);

  int32_t inferenceBatch =
      flags.inferenceBatch > 0
          ? std::min<int32_t>(flags.inferenceBatch, int32_t(data.test.count))
          : int32_t(data.test.count);
  ModelContext ctx;
  if (Status s = ctx.create(model, std::max(flags.batchSize, inferenceBatch));
      s.failed())
    return inputError(s);
  ctx.initParams(flags.seed);

  FitOptions options = FitOptions::fromModel(model.info());
  options.epochs = flags.epochs;
  options.batchSize = flags.batchSize;
  options.validationSplit = 0;
  options.seed = flags.seed;
  if (Status s = fitCheck(ctx, data.train, options); s.failed())
    return inputError(s);
  if (!flags.profile.empty() && !ctx.profile(true))
    return inputError(Status::error(
        flags.model + ": has no per-kernel timing (mnistc_profile); rebuild "
                      "it with this mnistc"));
  std::cout << "Model " << model.info().name << " (" << flags.model << ", "
            << model.target() << "), batch size " << flags.batchSize
            << std::endl;
  size_t steps = (data.train.count + flags.batchSize - 1) / flags.batchSize;
  FitHooks hooks;
  hooks.onEpochEnd = [&](const EpochLogs &logs, float &) {
    char line[160];
    std::snprintf(line, sizeof line,
                  "train epoch %d: %s s, %.0f images/s, %s ms/step, "
                  "accuracy %.4f",
                  logs.epoch + 1, fourDigits(logs.train.seconds).c_str(),
                  logs.train.imagesPerSecond(),
                  fourDigits(1e3 * logs.train.seconds / double(steps)).c_str(),
                  logs.train.accuracy);
    std::cout << line << std::endl;
    return false;
  };
  FitPosition position;
  position.learningRate = options.learningRate;
  FitEnd end;
  if (Status s = fit(ctx, data.train, options, position, hooks, end);
      s.failed())
    return internalError(s);

  // Inference: forward passes over the test images, in order.
  std::vector<uint32_t> order;
  orderIdentity(0, data.test.count, order);
  std::vector<float> images(size_t(inferenceBatch) * data.test.imageSize());
  std::vector<int32_t> labels(static_cast<size_t>(inferenceBatch));
  std::vector<float> probabilities(size_t(inferenceBatch) *
                                   size_t(model.info().num_classes));
  BatchIterator it;
  if (Status s = it.init(data.test, order.data(), order.size(),
                         size_t(inferenceBatch));
      s.failed())
    return inputError(s);
  double seconds = 0;
  for (int32_t pass = 0; pass < flags.repeat; ++pass) {
    double passSeconds = 0;
    it.reset();
    while (size_t n = it.next(images.data(), labels.data())) {
      auto start = std::chrono::steady_clock::now();
      if (Status s = ctx.forward(images.data(), int32_t(n),
                                 probabilities.data());
          s.failed())
        return internalError(s);
      passSeconds += std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    }
    seconds = pass == 0 ? passSeconds : std::min(seconds, passSeconds);
  }
  char line[320];
  std::snprintf(line, sizeof line,
                "inference: %s s, %.0f images/s (batch %d, best of %d)",
                fourDigits(seconds).c_str(), seconds > 0 ? data.test.count / seconds : 0.0,
                inferenceBatch, flags.repeat);
  std::cout << line << std::endl;
  // Sizes as mnistc --summary and --emit=memory-plan write them (MB:
  // 2^20 bytes, Keras's convention).
  if (mnistc_memory_usage m{}; ctx.memory(m)) {
    auto mb = [](int64_t bytes) { return double(bytes) / (1 << 20); };
    std::snprintf(line, sizeof line,
                  "memory: %.2f MB: parameters %.2f MB, gradients %.2f MB, "
                  "optimizer state %.2f MB, arena %.2f MB for batches of up "
                  "to %d, kernel scratch %.2f MB",
                  mb(m.params + m.gradients + m.state + m.arena + m.scratch),
                  mb(m.params), mb(m.gradients), mb(m.state), mb(m.arena),
                  ctx.maxBatch(), mb(m.scratch));
    std::cout << line << std::endl;
  }
  if (!flags.profile.empty()) {
    ctx.profile(false);
    std::string text = "mnistc-profile 1\nmodel " +
                       std::string(model.info().name) + "\n" +
                       ctx.profileReport();
    if (Status s = detail::writeFileAtomic(flags.profile,
                                           {{text.data(), text.size()}});
        s.failed())
      return inputError(s);
  }
  return Ok;
}

} // namespace

int mainBench(const std::vector<std::string> &args) {
  BenchFlags flags;
  po::options_description visible(
      "Usage: mnistrt bench [options] MODEL.so\n\n"
      "Measures MODEL.so's training throughput (whole epochs, no validation "
      "or\ncallbacks) and inference throughput (mnistc_forward over the test "
      "images),\nas bench/run compares them with PyTorch "
      "(docs/performance.md).\n\nOptions");
  visible.add_options()
      ("help,h", "print this help and exit")
      ("data", po::value(&flags.dataDir)->value_name("DIR"),
       "the data directory (default: data/mnist)")
      ("epochs", po::value(&flags.epochs)->value_name("N"),
       "training epochs to time (default 1)")
      ("batch-size", po::value(&flags.batchSize)->value_name("N"),
       "training batch size (default 128, as the PyTorch peer)")
      ("inference-batch", po::value(&flags.inferenceBatch)->value_name("N"),
       "inference batch size (default: all test images in one batch)")
      ("repeat", po::value(&flags.repeat)->value_name("N"),
       "inference passes, the fastest counts (default 5)")
      ("seed", po::value(&flags.seed)->value_name("N"),
       "seed of the weights and the shuffle (default 0)")
      ("profile", po::value(&flags.profile)->value_name("FILE"),
       "time every kernel call and write the counts to FILE, for "
       "'mnistc MODEL.dsl --report --profile FILE'");
  po::variables_map vm;
  addDeviceOption(visible, flags.device);
  if (int code = parseCommandLine(args, "bench", visible, flags.model, vm);
      code >= 0)
    return code;
  if (flags.model.empty())
    return usage("no model; usage: mnistrt bench [options] MODEL.so",
                 "bench");
  if (flags.epochs < 1 || flags.batchSize < 1 || flags.repeat < 1 ||
      flags.inferenceBatch < 0)
    return usage("--epochs, --batch-size and --repeat must be at least 1, "
                 "--inference-batch 0 or more",
                 "bench");
  return runBench(flags);
}

} // namespace mnistc::tool

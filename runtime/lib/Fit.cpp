//===- Fit.cpp - Keras's fit loop and evaluate, generic over models -------===//
//
// The loop of fit.h. Everything that can be checked is checked before the
// first step (options, the data set's geometry and labels against the
// model's description, the validation split), so a run either fails at once
// with a message or trains to the end. The buffers a batch lives in are
// allocated once per fit/evaluate call; the per-step path only gathers,
// builds one-hot rows when the model wants them, and calls the model.
// Where the model.so can (mnistc_set_dataset), fit and evaluate hand it
// the data set once, and the order of each pass (an epoch's training
// order, the validation samples), and each step names its batch by its
// place in the order: the model.so gathers it (on the GPU, in device
// memory).
//
//===----------------------------------------------------------------------===//
#include "mnistc/fit.h"

#include "mnistc/batching.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>

namespace mnistc::rt {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The buffers one batch lives in, sized once for the largest batch.
class BatchBuffers {
public:
  BatchBuffers(const mnistc_model_info &info, size_t batchSize)
      : sparse_(info.sparse_labels != 0),
        classes_(static_cast<size_t>(info.num_classes)),
        images_(batchSize * static_cast<size_t>(info.input_size)),
        labels_(batchSize) {
    if (!sparse_)
      oneHot_.resize(batchSize * classes_);
  }

  float *images() { return images_.data(); }
  int32_t *labels() { return labels_.data(); }

  /// The labels of the first `n` samples as the model takes them: the int32
  /// indices, or one-hot float rows [n][classes] built in place. The labels
  /// were range-checked by checkData.
  const void *modelLabels(size_t n) {
    if (sparse_)
      return labels_.data();
    std::fill(oneHot_.begin(), oneHot_.begin() + n * classes_, 0.0f);
    for (size_t i = 0; i < n; ++i)
      oneHot_[i * classes_ + static_cast<size_t>(labels_[i])] = 1.0f;
    return oneHot_.data();
  }

private:
  bool sparse_;
  size_t classes_;
  std::vector<float> images_;
  std::vector<int32_t> labels_;
  std::vector<float> oneHot_;
};

/// The data set must fit the model: images of input_size floats, labels in
/// 0 .. num_classes-1, at least one sample.
Status checkData(const ModelContext &ctx, const Dataset &data) {
  const mnistc_model_info &info = ctx.info();
  const std::string &where =
      data.imagesPath.empty() ? std::string("the data set") : data.imagesPath;
  if (data.count == 0)
    return Status::error(where + ": holds no images; nothing to use");
  if (static_cast<int64_t>(data.imageSize()) != info.input_size)
    return Status::error(
        where + ": images are " + std::to_string(data.rows) + "x" +
        std::to_string(data.cols) + " (" + std::to_string(data.imageSize()) +
        " values), but " + ctx.path() + " takes " +
        std::to_string(info.input_size) +
        " values per image; use data that matches the model's input");
  if (data.images.size() != size_t(data.count) * data.imageSize() ||
      data.labels.size() != data.count)
    return Status::error(where + ": the data set is inconsistent (" +
                         std::to_string(data.count) + " samples, " +
                         std::to_string(data.images.size()) + " pixels, " +
                         std::to_string(data.labels.size()) + " labels)");
  const std::string &labelsWhere =
      data.labelsPath.empty() ? where : data.labelsPath;
  for (uint32_t i = 0; i < data.count; ++i) {
    int32_t label = data.labels[i];
    if (label < 0 || label >= info.num_classes)
      return Status::error(labelsWhere + ": label " + std::to_string(label) +
                           " at index " + std::to_string(i) +
                           " is out of range 0.." +
                           std::to_string(info.num_classes - 1) + " (" +
                           ctx.path() + " has " +
                           std::to_string(info.num_classes) + " classes)");
  }
  return Status::success();
}

/// A step's failure, named by its batch.
Status namedByBatch(Status s, const BatchIterator &it, bool training) {
  if (s.ok())
    return s;
  return Status::error(s.message() + " (" +
                       (training ? "training" : "evaluation") + " batch " +
                       std::to_string(it.batchIndex()) + " of " +
                       std::to_string(it.numBatches()) + ")");
}

/// The job a fit is one rank of, when it has more than one rank.
Collective *dataParallel(const FitHooks &hooks) {
  return hooks.collective && hooks.collective->size() > 1 ? hooks.collective
                                                          : nullptr;
}

/// Where the batches of a pass come from: the context's own copy of the
/// data set, which a kernel gathers each batch from by its place in the
/// order the context holds (`resident`), or batches gathered here and
/// handed over.
struct BatchSource {
  const Dataset &data;
  BatchBuffers &buffers;
  bool resident = false;
  const uint32_t *order = nullptr; // the order the context holds

  /// Hands the context the data set where it can take it
  /// (mnistc_set_dataset) and its images fit one buffer (2^31 bytes).
  Status hold(ModelContext &ctx) {
    resident = ctx.canStepFromDataset() &&
               data.images.size() * sizeof(float) <= size_t(INT32_MAX);
    return resident ? ctx.setDataset(data) : Status::success();
  }
  /// The batches come from the `count` places at `places` from now on.
  Status use(ModelContext &ctx, const uint32_t *places, size_t count) {
    if (!resident || count == 0)
      return Status::success();
    order = places;
    return ctx.setOrder(places, count);
  }
  /// The place in the order of the batch `indices`.
  int32_t offsetOf(const uint32_t *indices) const {
    return int32_t(indices - order);
  }
  /// Gathers the n samples `indices` into the buffers here (not
  /// resident); returns their labels as the model takes them.
  const void *gather(const uint32_t *indices, size_t n) const {
    gatherBatch(data, indices, n, buffers.images(), buffers.labels());
    return buffers.modelLabels(n);
  }
};

/// One training step on the batch `indices` of n samples.
Status trainStep(ModelContext &ctx, const BatchSource &source,
                 const uint32_t *indices, size_t n, float lr, float &loss,
                 int32_t &correct) {
  int32_t count = int32_t(n);
  if (source.resident)
    return ctx.trainStepAt(source.offsetOf(indices), count, lr, loss, correct);
  const void *labels = source.gather(indices, n);
  return ctx.trainStep(source.buffers.images(), labels, count, lr, loss,
                       correct);
}

/// One data-parallel training step (collective.h) on the batch `indices`
/// of n samples: this rank's shard forward and backward, the weighted
/// gradients and the loss and correct sums added up over the ranks, the
/// update. `loss` and `correct` are the whole batch's.
Status shardedStep(ModelContext &ctx, const BatchSource &source,
                   const uint32_t *indices, size_t n, Collective &collective,
                   float lr, float &loss, int32_t &correct) {
  Shard shard = shardOf(n, collective.rank(), collective.size());
  size_t m = shard.count(), floats = trainableFloats(ctx.info());
  float shardLoss = 0.0f;
  int32_t shardCorrect = 0;
  if (m > 0) {
    const uint32_t *first = indices + shard.begin;
    Status s = source.resident
                   ? ctx.computeGradientsAt(source.offsetOf(first),
                                            int32_t(m), int32_t(shard.begin),
                                            shardLoss, shardCorrect)
                   : ctx.computeGradients(source.buffers.images(),
                                          source.gather(first, m), int32_t(m),
                                          int32_t(shard.begin), shardLoss,
                                          shardCorrect);
    if (s.failed())
      return s;
  } else {
    std::fill_n(ctx.gradientBuffer(), floats, 0.0f);
  }
  double sums[2] = {double(shardLoss) * double(m), double(shardCorrect)};
  if (Status s = collective.sumGradients(ctx, floats,
                                         float(double(m) / double(n)), sums, 2);
      s.failed())
    return s;
  if (Status s = ctx.applyUpdate(lr); s.failed())
    return s;
  loss = float(sums[0] / double(n));
  correct = int32_t(sums[1] + 0.5);
  return Status::success();
}

/// One eval step on the batch `indices` of n samples.
Status evalStep(ModelContext &ctx, const BatchSource &source,
                const uint32_t *indices, size_t n, float &loss,
                int32_t &correct) {
  int32_t count = int32_t(n);
  if (source.resident)
    return ctx.evalStepAt(source.offsetOf(indices), count, loss, correct);
  const void *labels = source.gather(indices, n);
  return ctx.evalStep(source.buffers.images(), labels, count, loss, correct);
}

/// One inference pass over the batches of `it`: loss weighted by batch
/// size, accuracy = correct / seen.
Status evalPass(ModelContext &ctx, const BatchSource &source,
                BatchIterator &it, Metrics &out) {
  Clock::time_point start = Clock::now();
  double lossSum = 0.0;
  uint64_t correctSum = 0, seen = 0;
  const uint32_t *indices = nullptr;
  while (size_t n = it.nextIndices(indices)) {
    float loss = 0.0f;
    int32_t correct = 0;
    if (Status s = namedByBatch(evalStep(ctx, source, indices, n, loss,
                                         correct),
                                it, false);
        s.failed())
      return s;
    lossSum += double(loss) * double(n);
    correctSum += static_cast<uint64_t>(std::max<int32_t>(correct, 0));
    seen += n;
  }
  out.samples = seen;
  out.loss = seen ? lossSum / double(seen) : 0.0;
  out.accuracy = seen ? double(correctSum) / double(seen) : 0.0;
  out.seconds = secondsSince(start);
  return Status::success();
}

/// Metrics of a pass each rank made over its share of a data set, added
/// up over the ranks (the seconds are this rank's).
Status sumOverRanks(Collective &collective, Metrics &metrics) {
  double sums[3] = {metrics.loss * double(metrics.samples),
                    metrics.accuracy * double(metrics.samples),
                    double(metrics.samples)};
  if (Status s = collective.sum(sums, 3); s.failed())
    return s;
  metrics.samples = static_cast<uint64_t>(sums[2] + 0.5);
  metrics.loss = metrics.samples ? sums[0] / sums[2] : 0.0;
  metrics.accuracy = metrics.samples ? std::round(sums[1]) / sums[2] : 0.0;
  return Status::success();
}

/// An inference pass over the samples `order`, each rank of `parallel`
/// (if any) over its share of them, the metrics added up over the ranks.
Status evalShares(ModelContext &ctx, BatchSource &source,
                  const std::vector<uint32_t> &order, size_t batchSize,
                  Collective *parallel, Metrics &out) {
  Shard shard = parallel ? shardOf(order.size(), parallel->rank(),
                                   parallel->size())
                         : Shard{0, order.size()};
  const uint32_t *share = order.data() + shard.begin;
  BatchIterator it;
  if (Status s = it.init(source.data, share, shard.count(), batchSize);
      s.failed())
    return s;
  if (Status s = source.use(ctx, share, shard.count()); s.failed())
    return s;
  if (Status s = evalPass(ctx, source, it, out); s.failed())
    return s;
  return parallel ? sumOverRanks(*parallel, out) : Status::success();
}

/// The training batches of `position.epoch` from `position.batch` on,
/// the position's running sums carried along; `end` Interrupted when
/// onStep asks, Diverged (and a failure) when a loss is not finite. `out`
/// is the whole epoch's training metrics once it is done.
Status trainPass(ModelContext &ctx, const BatchSource &source,
                 BatchIterator &it, int32_t epochs, FitPosition &position,
                 const FitHooks &hooks, FitEnd &end, Metrics &out) {
  Clock::time_point start = Clock::now();
  double before = position.seconds;
  Collective *parallel = dataParallel(hooks);
  const uint32_t *indices = nullptr;
  while (it.batchIndex() < position.batch && it.nextIndices(indices)) {
  }
  while (size_t n = it.nextIndices(indices)) {
    float loss = 0.0f;
    int32_t correct = 0;
    Status s =
        parallel ? shardedStep(ctx, source, indices, n, *parallel,
                               position.learningRate, loss, correct)
                 : trainStep(ctx, source, indices, n, position.learningRate,
                             loss, correct);
    if (s = namedByBatch(s, it, true); s.failed())
      return s;
    if (!std::isfinite(loss)) {
      end = FitEnd::Diverged;
      return Status::error(
          std::string("the loss became ") + (std::isnan(loss) ? "NaN" : "infinite") +
          " in epoch " + std::to_string(position.epoch + 1) + " at batch " +
          std::to_string(it.batchIndex()) + " of " +
          std::to_string(it.numBatches()) +
          ": training diverged; lower the learning rate");
    }
    position.lossSum += double(loss) * double(n);
    position.correct += static_cast<uint64_t>(std::max<int32_t>(correct, 0));
    position.seen += n;
    position.batch = static_cast<uint32_t>(it.batchIndex());
    position.seconds = before + secondsSince(start);
    if (hooks.onStep) {
      StepProgress p;
      p.epoch = position.epoch;
      p.epochs = epochs;
      p.batch = it.batchIndex();
      p.batches = it.numBatches();
      p.seen = position.seen;
      p.loss = position.lossSum / double(position.seen);
      p.accuracy = double(position.correct) / double(position.seen);
      p.seconds = position.seconds;
      if (hooks.onStep(p) && !parallel && it.batchIndex() < it.numBatches()) {
        end = FitEnd::Interrupted;
        return Status::success();
      }
    }
  }
  out.samples = position.seen;
  out.loss = position.seen ? position.lossSum / double(position.seen) : 0.0;
  out.accuracy =
      position.seen ? double(position.correct) / double(position.seen) : 0.0;
  out.seconds = position.seconds;
  return Status::success();
}

/// The largest batch a pass over `count` samples uses: a batch size above
/// the data's size (allowed, as in Keras) means one batch of everything.
size_t largestBatch(int32_t batchSize, uint32_t count) {
  return std::min<size_t>(static_cast<size_t>(batchSize), count);
}

Status checkBatchSize(const ModelContext &ctx, int32_t batchSize,
                      uint32_t count) {
  if (batchSize <= 0)
    return Status::error("the batch size must be at least 1, not " +
                         std::to_string(batchSize));
  if (largestBatch(batchSize, count) > static_cast<size_t>(ctx.maxBatch()))
    return Status::error(ctx.path() + ": batch size " +
                         std::to_string(batchSize) +
                         " is larger than the context's " +
                         std::to_string(ctx.maxBatch()));
  return Status::success();
}

} // namespace

FitOptions FitOptions::fromModel(const mnistc_model_info &info) {
  FitOptions o;
  o.epochs = info.epochs;
  o.batchSize = info.batch_size;
  o.validationSplit = info.validation_split;
  o.shuffle = info.shuffle != 0;
  o.seed = info.seed >= 0 ? static_cast<uint64_t>(info.seed) : 0;
  o.learningRate = static_cast<float>(info.learning_rate);
  return o;
}

Status fitCheck(const ModelContext &ctx, const Dataset &data,
                const FitOptions &options) {
  if (!ctx.isCreated())
    return Status::error("fit: no model context; create one first");
  if (options.epochs < 0)
    return Status::error("the number of epochs must be 0 or more, not " +
                         std::to_string(options.epochs));
  if (Status s = checkBatchSize(ctx, options.batchSize, data.count);
      s.failed())
    return s;
  if (!std::isfinite(options.learningRate) || options.learningRate < 0)
    return Status::error(ctx.path() + ": the learning rate must be a finite "
                                      "number >= 0");
  if (Status s = checkData(ctx, data); s.failed())
    return s;
  ValidationSplit split;
  if (Status s = splitValidation(data.count, options.validationSplit, split);
      s.failed())
    return Status::error(data.imagesPath + ": " + s.message());
  return Status::success();
}

Status evaluateCheck(const ModelContext &ctx, const Dataset &data,
                     int32_t batchSize) {
  if (!ctx.isCreated())
    return Status::error("evaluate: no model context; create one first");
  if (Status s = checkBatchSize(ctx, batchSize, data.count); s.failed())
    return s;
  return checkData(ctx, data);
}

Status fit(ModelContext &ctx, const Dataset &data, const FitOptions &options,
           const EpochCallback &onEpochEnd) {
  FitPosition position;
  position.learningRate = options.learningRate;
  FitEnd end;
  return fit(ctx, data, options, position, FitHooks{onEpochEnd, nullptr},
             end);
}

Status fit(ModelContext &ctx, const Dataset &data, const FitOptions &options,
           FitPosition &position, const FitHooks &hooks, FitEnd &end) {
  end = FitEnd::Done;
  if (Status s = fitCheck(ctx, data, options); s.failed())
    return s;
  ValidationSplit split;
  if (Status s = splitValidation(data.count, options.validationSplit, split);
      s.failed())
    return s;
  Collective *parallel = dataParallel(hooks);
  if (parallel && !ctx.canSplitSteps())
    return Status::error(ctx.path() + ": has no mnistc_compute_gradients, "
                                      "which training on several processes "
                                      "needs; recompile it with this mnistc");

  // Everything a step touches, allocated once.
  size_t batchSize = static_cast<size_t>(options.batchSize);
  BatchBuffers buffers(ctx.info(), largestBatch(options.batchSize, data.count));
  std::vector<uint32_t> trainOrder, valOrder;
  trainOrder.reserve(split.trainCount);
  orderIdentity(0, split.trainCount, trainOrder);
  orderIdentity(split.trainCount, split.valCount, valOrder);
  BatchSource source{data, buffers};
  if (Status s = source.hold(ctx); s.failed())
    return s;

  while (position.epoch < options.epochs) {
    Clock::time_point start = Clock::now();
    double before = position.seconds;
    EpochLogs logs;
    logs.epoch = position.epoch;
    logs.epochs = options.epochs;
    std::string where = " in epoch " + std::to_string(position.epoch + 1);

    // 1. This epoch's order.
    if (options.shuffle)
      orderForEpoch(options.seed, static_cast<uint64_t>(position.epoch), 0,
                    split.trainCount, trainOrder);

    // 2-3. The training steps.
    BatchIterator it;
    if (Status s = it.init(data, trainOrder.data(), trainOrder.size(),
                           batchSize);
        s.failed())
      return s;
    if (Status s = source.use(ctx, trainOrder.data(), trainOrder.size());
        s.failed())
      return s;
    if (Status s = trainPass(ctx, source, it, options.epochs, position,
                             hooks, end, logs.train);
        s.failed())
      return end == FitEnd::Diverged ? s : Status::error(s.message() + where);
    if (end == FitEnd::Interrupted)
      return Status::success();

    // 4. Validation, in order, inference mode (data-parallel: each rank
    // its share of the samples, with the averaged moving statistics).
    if (parallel)
      if (Status s = averageNonTrainable(ctx, *parallel); s.failed())
        return Status::error(s.message() + where);
    if (split.valCount > 0) {
      if (Status s = evalShares(ctx, source, valOrder, batchSize, parallel,
                                logs.validation);
          s.failed())
        return Status::error(s.message() + where);
      logs.hasValidation = true;
    }
    logs.seconds = before + secondsSince(start);

    // 5. The callback, with the position at the start of the next epoch.
    float learningRate = position.learningRate;
    position = FitPosition();
    position.epoch = logs.epoch + 1;
    position.learningRate = learningRate;
    if (hooks.onEpochEnd && hooks.onEpochEnd(logs, position.learningRate))
      break;
  }
  return Status::success();
}

Status evaluate(ModelContext &ctx, const Dataset &data, int32_t batchSize,
                Metrics &out, Collective *collective) {
  if (Status s = evaluateCheck(ctx, data, batchSize); s.failed())
    return s;
  BatchBuffers buffers(ctx.info(), largestBatch(batchSize, data.count));
  std::vector<uint32_t> order;
  orderIdentity(0, data.count, order);
  Collective *parallel =
      collective && collective->size() > 1 ? collective : nullptr;
  BatchSource source{data, buffers};
  if (Status s = source.hold(ctx); s.failed())
    return s;
  return evalShares(ctx, source, order, static_cast<size_t>(batchSize),
                    parallel, out);
}

std::string formatMetric(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, value > 1e-3 ? "%.4f" : "%.4e", value);
  return buf;
}

std::string formatEpochMetrics(const EpochLogs &logs) {
  // Keras's order: the keys sorted.
  std::string text = " - accuracy: " + formatMetric(logs.train.accuracy) +
                     " - loss: " + formatMetric(logs.train.loss);
  if (logs.hasValidation)
    text += " - val_accuracy: " + formatMetric(logs.validation.accuracy) +
            " - val_loss: " + formatMetric(logs.validation.loss);
  return text;
}

std::string formatEpochLine(const EpochLogs &logs) {
  char head[128];
  std::snprintf(head, sizeof head, "Epoch %d/%d - %.1fs - %.0f images/s",
                logs.epoch + 1, logs.epochs, logs.seconds,
                logs.train.imagesPerSecond());
  return head + formatEpochMetrics(logs);
}

std::string formatEvaluation(const Metrics &metrics,
                             const std::string &prefix) {
  return prefix + " loss: " + formatMetric(metrics.loss) + " - " + prefix +
         " accuracy: " + formatMetric(metrics.accuracy);
}

} // namespace mnistc::rt

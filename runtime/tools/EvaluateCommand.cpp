//===- EvaluateCommand.cpp - mnistrt evaluate ------------------------------===//
//
// Keras's model.evaluate and then some: a model.so with the weights of a
// checkpoint (--checkpoint, ModelCheckpoint or an interrupted run), run
// over the test set: loss and accuracy (mnistc_eval_step), each class's
// precision, recall and F1, the confusion matrix as text and as a PNG heat
// map.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "mnistc/confusion.h"
#include "mnistc/fit.h"
#include "mnistc/heatmap.h"

#include <filesystem>
#include <iostream>

namespace mnistc::tool {
namespace {

using namespace mnistc::rt;

struct EvaluateFlags {
  std::string device = "auto";
  std::string model, weights, heatmap;
  std::string dataDir = kDefaultDataDir;
  int32_t batchSize = 0;
};

/// CKPT's name with ".confusion.png" for its extension.
std::string defaultHeatmap(const std::string &weights) {
  std::filesystem::path p(weights);
  p.replace_extension(".confusion.png");
  return p.string();
}

int runEvaluate(const EvaluateFlags &flags) {
  ModelLibrary model;
  if (Status s = openModel(flags.model, flags.device, model); s.failed())
    return inputError(s);
  // The weights first: the cheaper check.
  int32_t batchSize = std::max<int32_t>(
      1, flags.batchSize > 0 ? flags.batchSize : model.info().batch_size);
  ModelContext ctx;
  if (Status s = ctx.create(model, batchSize); s.failed())
    return inputError(s);
  TrainingState run;
  if (Status s = checkpointLoad(flags.weights, ctx, run, CheckpointUse::Final);
      s.failed())
    return inputError(s);

  LoadOptions load;
  if (Status s = loadOptionsFor(model, flags.dataDir, load); s.failed())
    return inputError(s);
  Dataset test;
  std::string images, labels;
  if (Status s = datasetFindFile(flags.dataDir, kMnistTestImages, load,
                                 images);
      s.failed())
    return inputError(s);
  if (Status s = datasetFindFile(flags.dataDir, kMnistTestLabels, load,
                                 labels);
      s.failed())
    return inputError(s);
  if (Status s = datasetLoad(images, labels, load, test); s.failed())
    return inputError(s);
  if (Status s = evaluateCheck(ctx, test, batchSize); s.failed())
    return inputError(s);

  Metrics metrics;
  if (Status s = evaluate(ctx, test, batchSize, metrics); s.failed())
    return internalError(s);
  ConfusionMatrix confusion;
  if (Status s = confusionMatrix(ctx, test, batchSize, confusion); s.failed())
    return internalError(s);

  std::cout << "Model " << model.info().name << " (" << flags.model
            << ") with the weights of " << flags.weights << " (after "
            << run.position.epoch << (run.position.epoch == 1 ? " epoch" : " epochs");
  if (run.position.batch)
    std::cout << " and " << run.position.batch << " batches";
  std::cout << ")\nData " << images << ": " << test.count << " images\n"
            << formatEvaluation(metrics) << "\n\n"
            << confusion.report();
  std::string heatmap =
      flags.heatmap.empty() ? defaultHeatmap(flags.weights) : flags.heatmap;
  if (Status s = confusionMatrixPng(heatmap, confusion.counts,
                                    confusion.classes);
      s.failed())
    return inputError(s);
  std::cout << "\nHeat map: " << heatmap << std::endl;
  return Ok;
}

} // namespace

int mainEvaluate(const std::vector<std::string> &args) {
  EvaluateFlags flags;
  po::options_description visible(
      "Usage: mnistrt evaluate [options] MODEL.so --weights CKPT\n\n"
      "Evaluates MODEL.so with the weights of the checkpoint CKPT (written "
      "by\n`mnistrt train --checkpoint`, ModelCheckpoint or an interrupted "
      "run) on the\ntest set: loss, accuracy, each class's precision, recall "
      "and F1, and the\nconfusion matrix, printed and drawn as a PNG heat "
      "map.\n\nOptions");
  visible.add_options()
      ("help,h", "print this help and exit")
      ("weights", po::value(&flags.weights)->value_name("CKPT"),
       "the checkpoint whose weights to use (required)")
      ("data", po::value(&flags.dataDir)->value_name("DIR"),
       "the data directory (default: data/mnist); its t10k files are used")
      ("batch-size", po::value(&flags.batchSize)->value_name("N"),
       "images per step (default: the model's)")
      ("heatmap", po::value(&flags.heatmap)->value_name("FILE"),
       "where to draw the confusion matrix (default: CKPT with the "
       "extension .confusion.png)");
  po::variables_map vm;
  addDeviceOption(visible, flags.device);
  if (int code = parseCommandLine(args, "evaluate", visible, flags.model, vm);
      code >= 0)
    return code;
  if (flags.model.empty())
    return usage("no model; usage: mnistrt evaluate MODEL.so --weights CKPT",
                 "evaluate");
  if (flags.weights.empty())
    return usage("--weights CKPT is required: the checkpoint of a trained "
                 "model (mnistrt train --checkpoint CKPT)",
                 "evaluate");
  if (vm.count("batch-size") && flags.batchSize <= 0)
    return usage("--batch-size must be at least 1, not " +
                     std::to_string(flags.batchSize),
                 "evaluate");
  return runEvaluate(flags);
}

} // namespace mnistc::tool

//===- PredictCommand.cpp - mnistrt predict --------------------------------===//
//
// Keras's model.predict on the user's own pictures: each PNG or JPEG image,
// of any size and colour, is turned into a 28x28 grey digit the way MNIST
// was made (image.h: inverted when the background is light, cropped to the
// ink, scaled to 20 pixels, centred by centre of mass), run through
// mnistc_forward with the weights of a checkpoint, and printed with its
// class and the top three probabilities. --save-preprocessed writes what
// the model saw. An image that cannot be read is reported and the others
// still run; the exit code is then 1.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "mnistc/image.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <numeric>

namespace mnistc::tool {
namespace {

using namespace mnistc::rt;

struct PredictFlags {
  std::string device = "auto";
  std::string model, weights, saveDir;
  std::vector<std::string> images;
};

/// "7 (99.81%) - top 3: 7 0.9981, 1 0.0012, 2 0.0003"
std::string describe(const std::vector<float> &probabilities) {
  std::vector<int> order(probabilities.size());
  std::iota(order.begin(), order.end(), 0);
  size_t top = std::min<size_t>(3, order.size());
  std::partial_sort(order.begin(), order.begin() + top, order.end(),
                    [&](int a, int b) {
                      return probabilities[a] > probabilities[b] ||
                             (probabilities[a] == probabilities[b] && a < b);
                    });
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d (%.2f%%) - top %zu:", order[0],
                100.0 * probabilities[order[0]], top);
  std::string s = buf;
  for (size_t i = 0; i < top; ++i) {
    std::snprintf(buf, sizeof buf, "%s %d %.4f", i ? "," : "", order[i],
                  probabilities[order[i]]);
    s += buf;
  }
  return s;
}

int runPredict(const PredictFlags &flags) {
  ModelLibrary model;
  ModelContext ctx;
  if (Status s = openWithWeights(flags.model, flags.device, flags.weights, 1, model, ctx);
      s.failed())
    return inputError(s);
  const mnistc_model_info &info = model.info();
  bool is28x28 =
      info.input_size == 28 * 28 &&
      (info.input_rank == 1 || (info.input_shape[0] == 28 &&
                                info.input_shape[1] == 28));
  if (!is28x28)
    return inputError(Status::error(
        flags.model + ": takes " + std::to_string(info.input_size) +
        " values per image; predict makes 28x28 grey images (MNIST's)"));
  if (!flags.saveDir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(flags.saveDir, ec);
  }

  // DIR/NAME.28x28.png, NAME the image's stem; where two images of the run
  // share a stem (a.png, a.jpg) their whole file names, and where those
  // are shared too (x/a.png, y/a.png) a count after them, so that no
  // image's file replaces another's.
  std::vector<std::string> names;
  std::map<std::string, int> stems, used;
  for (const std::string &path : flags.images)
    ++stems[std::filesystem::path(path).stem().string()];
  for (const std::string &path : flags.images) {
    std::filesystem::path p(path);
    std::string name = stems[p.stem().string()] > 1 ? p.filename().string()
                                                    : p.stem().string();
    int n = ++used[name];
    names.push_back(n > 1 ? name + "-" + std::to_string(n) : name);
  }

  int code = Ok;
  std::vector<float> probabilities(static_cast<size_t>(info.num_classes));
  for (size_t i = 0; i < flags.images.size(); ++i) {
    const std::string &path = flags.images[i];
    GreyImage image, digit;
    Status s = imageRead(path, image);
    if (s.ok())
      s = imagePreprocessMnist(image, digit);
    if (s.ok() && !flags.saveDir.empty())
      s = pngWriteGrey((std::filesystem::path(flags.saveDir) /
                        (names[i] + ".28x28.png"))
                           .string(),
                       digit);
    if (s.failed()) {
      code = inputError(s);
      continue;
    }
    if (Status f = ctx.forward(digit.pixels.data(), 1, probabilities.data());
        f.failed())
      return internalError(f);
    std::cout << path << ": " << describe(probabilities) << std::endl;
  }
  return code;
}

} // namespace

int mainPredict(const std::vector<std::string> &args) {
  PredictFlags flags;
  po::options_description visible(
      "Usage: mnistrt predict [options] MODEL.so --weights CKPT IMAGE...\n\n"
      "Classifies PNG or JPEG images of digits (any size or colour) with "
      "MODEL.so and\nthe weights of the checkpoint CKPT. Each image is "
      "prepared as MNIST's were:\ninverted if its background is light, "
      "cropped to the digit, scaled to 20x20\nkeeping its aspect, centred "
      "by centre of mass in 28x28.\n\nOptions");
  visible.add_options()
      ("help,h", "print this help and exit")
      ("weights", po::value(&flags.weights)->value_name("CKPT"),
       "the checkpoint whose weights to use (required)")
      ("save-preprocessed", po::value(&flags.saveDir)->value_name("DIR"),
       "write each 28x28 image the model saw to DIR/NAME.28x28.png");
  po::variables_map vm;
  addDeviceOption(visible, flags.device);
  if (int code = parseCommandLine(args, "predict", visible, flags.model, vm,
                                  &flags.images);
      code >= 0)
    return code;
  if (flags.model.empty() || flags.images.empty())
    return usage("usage: mnistrt predict MODEL.so --weights CKPT IMAGE...",
                 "predict");
  if (flags.weights.empty())
    return usage("--weights CKPT is required: the checkpoint of a trained "
                 "model (mnistrt train --checkpoint CKPT)",
                 "predict");
  if (vm.count("save-preprocessed") && flags.saveDir.empty())
    return usage("--save-preprocessed needs a directory", "predict");
  return runPredict(flags);
}

} // namespace mnistc::tool

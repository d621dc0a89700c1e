//===- classify.cpp - A program with a model linked in at link time -------===//
//
//   classify WEIGHTS.ckpt IMAGE...
//
// The example of docs/embedding.md. The model (digits.so, compiled from
// digits.dsl by mnistc_add_model) is linked into this program like any
// shared library; libmnistrt adopts it (no dlopen), loads the weights a
// training run ended with from a checkpoint written by `mnistrt train
// --checkpoint`, and classifies each PNG or JPEG picture of a digit after
// preparing it as MNIST's digits were. One line per image:
//
//   seven.png: 7 (0.9981)
//
// the class and its probability. Errors go to stderr; an image that cannot
// be read does not stop the others, but the exit code is then 1.
//
//===----------------------------------------------------------------------===//
#include "mnistc/checkpoint.h"
#include "mnistc/image.h"
#include "mnistc/linked_model.h"
#include "mnistc/model_library.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace mnistc::rt;

/// The name messages give the linked model.
constexpr const char *kModelName = "digits.so";

int fail(const Status &s) {
  std::cerr << "classify: error: " << s.message() << "\n";
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::cerr << "usage: classify WEIGHTS.ckpt IMAGE...\n"
                 "Classifies PNG or JPEG pictures of digits with the linked "
                 "model and the\nweights of a checkpoint (mnistrt train "
                 "--checkpoint WEIGHTS.ckpt).\n";
    return 2;
  }
  std::string weights = argv[1];

  // The model's functions come from the link, not from dlopen: adopt()
  // checks its ABI version and description as ModelLibrary::open would.
  ModelLibrary model;
  if (Status s = model.adopt(linkedModelApi(), kModelName); s.failed())
    return fail(s);
  const mnistc_model_info &info = model.info();
  if (info.input_size != 28 * 28)
    return fail(Status::error(std::string(kModelName) + ": takes " +
                              std::to_string(info.input_size) +
                              " values per image, not 28x28 grey pixels"));

  // A context for one image at a time, holding the weights training ended
  // with (checkpoint.h); the checkpoint must come from this model.
  ModelContext ctx;
  if (Status s = ctx.create(model, 1); s.failed())
    return fail(s);
  TrainingState run;
  if (Status s = checkpointLoad(weights, ctx, run, CheckpointUse::Final);
      s.failed())
    return fail(s);

  int code = 0;
  std::vector<float> probabilities(size_t(info.num_classes));
  for (int i = 2; i < argc; ++i) {
    std::string path = argv[i];
    // Any size and colour in; 28x28, white digit on black, out (image.h).
    GreyImage picture, digit;
    Status s = imageRead(path, picture);
    if (s.ok())
      s = imagePreprocessMnist(picture, digit);
    if (s.ok())
      s = ctx.forward(digit.pixels.data(), 1, probabilities.data());
    if (s.failed()) {
      code = fail(s);
      continue;
    }
    auto best = std::max_element(probabilities.begin(), probabilities.end());
    char line[64];
    std::snprintf(line, sizeof line, "%d (%.4f)",
                  int(best - probabilities.begin()), double(*best));
    std::cout << path << ": " << line << "\n";
  }
  return code;
}

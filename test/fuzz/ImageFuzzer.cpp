//===- ImageFuzzer.cpp - Fuzz target: the PNG/JPEG loader ------------------===//
//
// Any file given to `mnistrt predict`: decoded (PNG, JPEG, either gzip-
// compressed) and, when that works, brought into MNIST's form. A refused
// file must be named in the message; an accepted one must have the size
// its header gave and values in [0, 1]. Seeds: examples/images/ and
// test/fuzz/Inputs/ (scripts/fuzz.sh); regressions:
// test/fuzz/regressions/image/.
//
//===----------------------------------------------------------------------===//
#include "FuzzScratchFile.h"
#include "mnistc/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace mnistc::rt;
  static mnistc::fuzz::ScratchFile scratch(".img");
  const std::string &path = scratch.write(data, size);
  GreyImage image;
  Status s = imageRead(path, image);
  if (s.failed()) {
    if (s.message().rfind(path, 0) != 0)
      std::abort();
    return 0;
  }
  if (image.pixels.size() != size_t(image.width) * image.height)
    std::abort();
  for (float v : image.pixels)
    if (!(v >= 0.0f && v <= 1.0f))
      std::abort();
  GreyImage digit;
  s = imagePreprocessMnist(image, digit);
  if (s.ok() && (digit.width != kMnistSide || digit.height != kMnistSide))
    std::abort();
  return 0;
}

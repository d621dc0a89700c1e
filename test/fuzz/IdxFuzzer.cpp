//===- IdxFuzzer.cpp - Fuzz target: the IDX data set reader ----------------===//
//
// Any file given as MNIST data (--data): read as an image file and as a
// label file, plain or gzip-compressed (the reader looks at the first two
// bytes). Accepted files must hold what their header promised; refused ones
// must say so in a message that names the file. Seeds: a few images and
// labels of MNIST, plain and gzip (scripts/fuzz.sh); regressions:
// test/fuzz/regressions/idx/.
//
//===----------------------------------------------------------------------===//
#include "FuzzScratchFile.h"
#include "mnistc/dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace mnistc::rt;
  static mnistc::fuzz::ScratchFile scratch(".idx");
  const std::string &path = scratch.write(data, size);
  LoadOptions options;
  IdxImages images;
  Status s = idxReadImages(path, options, images);
  if (s.ok() ? images.pixels.size() != size_t(images.count) * 28 * 28
             : s.message().rfind(path, 0) != 0)
    std::abort();
  IdxLabels labels;
  s = idxReadLabels(path, options, labels);
  if (s.ok() ? labels.labels.size() != labels.count
             : s.message().rfind(path, 0) != 0)
    std::abort();
  return 0;
}

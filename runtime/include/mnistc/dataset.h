//===- dataset.h - MNIST-format IDX data sets ------------------------------===//
//
// Reads and writes the IDX files MNIST and Fashion-MNIST ship in: an image
// file (magic 0x00000803: unsigned bytes, 3 dimensions N x rows x cols) and a
// label file (magic 0x00000801: unsigned bytes, 1 dimension N), each either
// plain or gzip-compressed (recognised by its first bytes, not its name; gzip
// needs the runtime built with zlib). Every header is validated before
// anything is allocated: magic, dimension count, item count against a limit,
// image geometry against the model's input, and the header's length against
// the file's size; labels are checked against the number of classes and the
// two files' counts against each other. A failure is a Status whose message
// names the file (docs/data.md lists every message).
//
// A loaded Dataset holds float32 pixels scaled to [0, 1] (pixel / 255.0f, as
// Keras tutorials do) and int32 labels, ready for the batcher (batching.h).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_DATASET_H
#define MNISTC_RUNTIME_DATASET_H

#include "mnistc/status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mnistc::rt {

/// The IDX magic numbers: 0x0000, type 0x08 (unsigned byte), dimensions.
constexpr uint32_t kIdxImageMagic = 0x00000803;
constexpr uint32_t kIdxLabelMagic = 0x00000801;

/// The four standard MNIST file names (each may also carry a ".gz" suffix).
constexpr const char *kMnistTrainImages = "train-images-idx3-ubyte";
constexpr const char *kMnistTrainLabels = "train-labels-idx1-ubyte";
constexpr const char *kMnistTestImages = "t10k-images-idx3-ubyte";
constexpr const char *kMnistTestLabels = "t10k-labels-idx1-ubyte";

/// What a file must look like to be accepted.
struct LoadOptions {
  /// Expected image geometry (the model's input); 0 accepts any size.
  uint32_t rows = 28;
  uint32_t cols = 28;
  /// Labels must lie in 0 .. numClasses-1.
  uint32_t numClasses = 10;
  /// Headers claiming more items, or a larger payload, are refused before
  /// anything is allocated (they are corrupt, or not the data meant).
  uint32_t maxItems = 10'000'000;
  uint64_t maxBytes = uint64_t(4) << 30;
  /// Appended to messages about damaged or missing files: what to do. Empty
  /// for none.
  std::string hint = "run `make setup` to fetch MNIST again";
};

/// The raw content of an IDX image file: count x rows x cols bytes.
struct IdxImages {
  uint32_t count = 0;
  uint32_t rows = 0;
  uint32_t cols = 0;
  std::vector<uint8_t> pixels;
};

/// The raw content of an IDX label file: count bytes.
struct IdxLabels {
  uint32_t count = 0;
  std::vector<uint8_t> labels;
};

/// Images and their labels, ready for training.
struct Dataset {
  uint32_t count = 0;
  uint32_t rows = 0;
  uint32_t cols = 0;
  /// count x rows x cols, row-major, each pixel / 255.0f, in [0, 1].
  std::vector<float> images;
  /// count labels in 0 .. numClasses-1.
  std::vector<int32_t> labels;
  /// Where the data came from, for messages.
  std::string imagesPath;
  std::string labelsPath;

  size_t imageSize() const { return size_t(rows) * cols; }
  const float *image(uint32_t i) const {
    return images.data() + size_t(i) * imageSize();
  }
};

/// The training and test halves of an MNIST-layout directory.
struct MnistData {
  Dataset train;
  Dataset test;
};

/// True when this build reads and writes gzip-compressed files.
bool idxHaveZlib();

/// Reads and validates an IDX image file (plain or gzip).
Status idxReadImages(const std::string &path, const LoadOptions &options,
                     IdxImages &out);

/// Reads and validates an IDX label file (plain or gzip): every label must be
/// below options.numClasses.
Status idxReadLabels(const std::string &path, const LoadOptions &options,
                     IdxLabels &out);

/// Writes an IDX image file atomically (a temporary file in the same
/// directory, flushed, then renamed over `path`); gzip-compressed when `path`
/// ends in ".gz". `pixels` holds count x rows x cols bytes.
Status idxWriteImages(const std::string &path, const uint8_t *pixels,
                      uint32_t count, uint32_t rows, uint32_t cols);

/// Writes an IDX label file atomically, like idxWriteImages.
Status idxWriteLabels(const std::string &path, const uint8_t *labels,
                      uint32_t count);

/// Turns raw IDX content into a Dataset: checks that both hold the same
/// number of items, scales pixels to [0, 1] and widens labels to int32.
/// The paths are only used in messages and kept in `out`.
Status datasetFromIdx(const IdxImages &images, const std::string &imagesPath,
                      const IdxLabels &labels, const std::string &labelsPath,
                      Dataset &out);

/// Reads an image file and its label file into `out`.
Status datasetLoad(const std::string &imagesPath,
                   const std::string &labelsPath, const LoadOptions &options,
                   Dataset &out);

/// Finds a file of `dir` by its standard MNIST name: `name` if present, else
/// `name.gz`. Fails, naming both, if neither is a file there.
Status datasetFindFile(const std::string &dir, const std::string &name,
                       const LoadOptions &options, std::string &path);

/// Loads the four standard MNIST files of `dir` (train-images-idx3-ubyte,
/// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
/// each optionally gzipped as NAME.gz).
Status datasetLoadMnistDir(const std::string &dir, const LoadOptions &options,
                           MnistData &out);

} // namespace mnistc::rt

#endif

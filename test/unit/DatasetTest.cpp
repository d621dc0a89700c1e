// Unit tests of runtime/lib/Dataset.cpp and FileIO.cpp: the real MNIST files
// from data/mnist (counts, per-class label counts, known first labels, and
// every pixel compared with the raw bytes read here with plain fread), a
// suite of small broken files written to a temporary directory (each error
// must name the file and the problem), gzip round trips, and atomic writes.
#include "mnistc/dataset.h"

#include "TempDirTest.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>

#if MNISTC_TEST_ZLIB
#include <zlib.h>
#endif

using namespace mnistc::rt;
namespace fs = std::filesystem;

#ifndef MNISTC_MNIST_DIR
#error "MNISTC_MNIST_DIR must name the data/mnist directory"
#endif

namespace {

const std::string kMnistDir = MNISTC_MNIST_DIR;
const std::string kSetupHint = "; run `make setup` to fetch MNIST again";

void putBe32(std::vector<uint8_t> &out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(uint8_t(v >> shift));
}

/// An IDX file: magic, the dimensions, then `payload` bytes of `fill`.
std::vector<uint8_t> idx(uint32_t magic, std::vector<uint32_t> dims,
                         size_t payload, uint8_t fill = 0) {
  std::vector<uint8_t> out;
  putBe32(out, magic);
  for (uint32_t d : dims)
    putBe32(out, d);
  out.insert(out.end(), payload, fill);
  return out;
}

/// gzip-compresses `bytes` into `path` with zlib directly (for contents the
/// library's writers would not produce).
void writeGz(const std::string &path, const std::vector<uint8_t> &bytes) {
#if MNISTC_TEST_ZLIB
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  if (!bytes.empty()) {
    ASSERT_EQ(gzwrite(f, bytes.data(), unsigned(bytes.size())),
              int(bytes.size()));
  }
  ASSERT_EQ(gzclose(f), Z_OK);
#else
  FAIL() << "built without zlib";
#endif
}

bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

/// Reading the real MNIST takes ~0.1 s; do it once per process.
const MnistData &mnist() {
  static MnistData data;
  static Status status = datasetLoadMnistDir(kMnistDir, LoadOptions(), data);
  EXPECT_TRUE(status.ok()) << status.message();
  return data;
}

/// Files in a fresh temporary directory per test (TempDirTest.h).
class DatasetFiles : public TempDirTest {
protected:
  /// Writes `bytes` to `name` and reads it as images; returns the message.
  std::string imageError(const std::string &name,
                         const std::vector<uint8_t> &bytes,
                         const LoadOptions &options = LoadOptions()) {
    writeRaw(path(name), bytes);
    IdxImages images;
    Status s = idxReadImages(path(name), options, images);
    EXPECT_TRUE(s.failed()) << name;
    EXPECT_TRUE(contains(s.message(), path(name) + ": ")) << s.message();
    return s.message();
  }
  std::string labelError(const std::string &name,
                         const std::vector<uint8_t> &bytes,
                         const LoadOptions &options = LoadOptions()) {
    writeRaw(path(name), bytes);
    IdxLabels labels;
    Status s = idxReadLabels(path(name), options, labels);
    EXPECT_TRUE(s.failed()) << name;
    EXPECT_TRUE(contains(s.message(), path(name) + ": ")) << s.message();
    return s.message();
  }

};

} // namespace

//===--- the real MNIST ---------------------------------------------------===//

TEST(RealMnist, CountsAndGeometry) {
  const MnistData &d = mnist();
  EXPECT_EQ(d.train.count, 60000u);
  EXPECT_EQ(d.test.count, 10000u);
  EXPECT_EQ(d.train.rows, 28u);
  EXPECT_EQ(d.train.cols, 28u);
  EXPECT_EQ(d.train.images.size(), 60000u * 784);
  EXPECT_EQ(d.test.images.size(), 10000u * 784);
  EXPECT_EQ(d.train.labels.size(), 60000u);
  EXPECT_EQ(d.train.imagesPath, kMnistDir + "/train-images-idx3-ubyte");
  EXPECT_EQ(d.test.labelsPath, kMnistDir + "/t10k-labels-idx1-ubyte");
}

TEST(RealMnist, PerClassLabelCounts) {
  const MnistData &d = mnist();
  std::vector<int> train(10, 0), test(10, 0);
  for (int32_t l : d.train.labels)
    ++train.at(l);
  for (int32_t l : d.test.labels)
    ++test.at(l);
  EXPECT_EQ(train, (std::vector<int>{5923, 6742, 5958, 6131, 5842, 5421, 5918,
                                     6265, 5851, 5949}));
  EXPECT_EQ(test, (std::vector<int>{980, 1135, 1032, 1010, 982, 892, 958, 1028,
                                    974, 1009}));
  // The well-known first labels of each file.
  EXPECT_EQ(std::vector<int32_t>(d.train.labels.begin(),
                                 d.train.labels.begin() + 10),
            (std::vector<int32_t>{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}));
  EXPECT_EQ(std::vector<int32_t>(d.test.labels.begin(),
                                 d.test.labels.begin() + 10),
            (std::vector<int32_t>{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}));
}

TEST(RealMnist, PixelsAreRawBytesOver255) {
  const MnistData &d = mnist();
  std::vector<uint8_t> raw = readRaw(kMnistDir + "/train-images-idx3-ubyte");
  ASSERT_EQ(raw.size(), 16u + 60000u * 784);
  const uint8_t *px = raw.data() + 16;
  double rawSum = 0, sum = 0;
  float lo = 1, hi = 0;
  size_t mismatches = 0;
  for (size_t i = 0; i < d.train.images.size(); ++i) {
    float v = d.train.images[i];
    mismatches += v != float(px[i]) / 255.0f;
    rawSum += px[i];
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, 1.0f);
  double n = 60000.0 * 784;
  // The mean pixel computed from the raw bytes, and the famous 0.1307.
  EXPECT_NEAR(sum / n, rawSum / 255.0 / n, 1e-7);
  EXPECT_NEAR(rawSum / 255.0 / n, 0.1306604762738429, 1e-12);

  std::vector<uint8_t> rawLabels =
      readRaw(kMnistDir + "/t10k-labels-idx1-ubyte");
  ASSERT_EQ(rawLabels.size(), 8u + 10000);
  for (size_t i = 0; i < 10000; ++i)
    ASSERT_EQ(d.test.labels[i], int32_t(rawLabels[8 + i])) << i;
}

TEST(RealMnist, TestPixelsInRange) {
  const MnistData &d = mnist();
  auto [lo, hi] = std::minmax_element(d.test.images.begin(),
                                      d.test.images.end());
  EXPECT_EQ(*lo, 0.0f);
  EXPECT_EQ(*hi, 1.0f);
}

//===--- broken files -----------------------------------------------------===//

TEST_F(DatasetFiles, TruncatedImagesSayWhatTheHeaderPromised) {
  std::vector<uint8_t> bytes = idx(0x803, {60000, 28, 28}, 1000 - 16);
  std::string msg = imageError("train-images-idx3-ubyte", bytes);
  EXPECT_EQ(msg, path("train-images-idx3-ubyte") +
                     ": truncated: header says 60000 images of 28x28 "
                     "(47040016 bytes), file has 1000 bytes" +
                     kSetupHint);
}

TEST_F(DatasetFiles, OversizedHeaderCount) {
  // A count larger than the data: truncated.
  LoadOptions any;
  any.rows = any.cols = 0;
  std::string msg = imageError("more", idx(0x803, {3, 2, 2}, 2 * 4), any);
  EXPECT_TRUE(contains(msg, "truncated: header says 3 images of 2x2 (28 "
                            "bytes), file has 24 bytes"))
      << msg;
  // An absurd count: refused before anything is allocated.
  msg = imageError("absurd", idx(0x803, {1000000000, 28, 28}, 0), any);
  EXPECT_TRUE(contains(msg, "header says 1000000000 images, more than the "
                            "limit of 10000000 (LoadOptions::maxItems)"))
      << msg;
  msg = labelError("absurd-labels", idx(0x801, {4000000000u}, 0));
  EXPECT_TRUE(contains(msg, "header says 4000000000 labels, more than"))
      << msg;
  // Huge images: over the byte limit, with no 64-bit overflow.
  msg = imageError("huge", idx(0x803, {9000000, 0xFFFFFFFF, 0xFFFFFFFF}, 0),
                   any);
  EXPECT_TRUE(contains(msg, "more than the limit of 4294967296 bytes")) << msg;
}

TEST_F(DatasetFiles, TooLong) {
  std::string msg = imageError("long", idx(0x803, {2, 28, 28}, 2 * 784 + 5));
  EXPECT_TRUE(contains(msg, "too long: header says 2 images of 28x28 (1584 "
                            "bytes), file has 1589 bytes (5 bytes more)"))
      << msg;
}

TEST_F(DatasetFiles, BadMagic) {
  std::string msg = imageError("magic", idx(0x12345678, {1, 28, 28}, 784));
  EXPECT_TRUE(contains(msg, "not an IDX file: it starts with 0x12345678, an "
                            "IDX image file starts with 0x00000803"))
      << msg;
  EXPECT_TRUE(contains(msg, kSetupHint));
  msg = labelError("text", {'h', 'e', 'l', 'l', 'o', '\n', 'x', 'y'});
  EXPECT_TRUE(contains(msg, "not an IDX file: it starts with 0x68656C6C"))
      << msg;
}

TEST_F(DatasetFiles, SwappedImagesAndLabels) {
  std::string msg = imageError("labels-as-images", idx(0x801, {5}, 5));
  EXPECT_TRUE(contains(msg, "is an IDX label file (magic 0x00000801), "
                            "expected an IDX image file (0x00000803); are the "
                            "image and label files swapped?"))
      << msg;
  msg = labelError("images-as-labels", idx(0x803, {1, 28, 28}, 784));
  EXPECT_TRUE(contains(msg, "is an IDX image file")) << msg;
}

TEST_F(DatasetFiles, WrongTypeOrDimensionCount) {
  std::string msg = imageError("floats", idx(0xD03, {1, 28, 28}, 784 * 4));
  EXPECT_TRUE(contains(msg, "holds IDX data of type 0x0D (float32); only "
                            "unsigned bytes"))
      << msg;
  msg = imageError("two-dims", idx(0x802, {1, 784}, 784));
  EXPECT_TRUE(contains(msg, "has 2 dimensions (magic 0x00000802), an IDX "
                            "image file has 3 (count, rows, cols"))
      << msg;
}

TEST_F(DatasetFiles, WrongGeometry) {
  std::string msg = imageError("cifar-sized", idx(0x803, {2, 32, 32}, 2048));
  EXPECT_TRUE(contains(msg, "images are 32x32, expected 28x28 (the model's "
                            "input size)"))
      << msg;
  EXPECT_FALSE(contains(msg, "make setup")) << msg; // refetching won't help
  // The expected geometry is a parameter; 0 accepts any.
  LoadOptions opt;
  opt.rows = opt.cols = 32;
  IdxImages images;
  ASSERT_TRUE(idxReadImages(path("cifar-sized"), opt, images).ok());
  EXPECT_EQ(images.rows, 32u);
  opt.rows = opt.cols = 0;
  ASSERT_TRUE(idxReadImages(path("cifar-sized"), opt, images).ok());
  msg = imageError("zero-rows", idx(0x803, {2, 0, 28}, 0), opt);
  EXPECT_TRUE(contains(msg, "header says images of 0x28")) << msg;
}

TEST_F(DatasetFiles, LabelOutOfRange) {
  std::vector<uint8_t> bytes = idx(0x801, {6}, 0);
  for (uint8_t l : {1, 2, 3, 10, 4, 255})
    bytes.push_back(l);
  std::string msg = labelError("labels", bytes);
  EXPECT_TRUE(contains(msg, "label 10 at index 3 is out of range 0..9 (10 "
                            "classes), as are 1 more"))
      << msg;
  // The class count is a parameter.
  LoadOptions five;
  five.numClasses = 5;
  bytes = idx(0x801, {3}, 0);
  bytes.insert(bytes.end(), {0, 4, 7});
  msg = labelError("five", bytes, five);
  EXPECT_TRUE(contains(msg, "label 7 at index 2 is out of range 0..4 (5 "
                            "classes)"))
      << msg;
}

TEST_F(DatasetFiles, CountMismatchBetweenImagesAndLabels) {
  writeRaw(path("images"), idx(0x803, {3, 28, 28}, 3 * 784, 255));
  writeRaw(path("labels"), idx(0x801, {2}, 2, 1));
  Dataset data;
  Status s = datasetLoad(path("images"), path("labels"), LoadOptions(), data);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message(), path("labels") + ": holds 2 labels but " +
                             path("images") +
                             " holds 3 images; use the label file that "
                             "belongs to those images");
}

TEST_F(DatasetFiles, EmptyShortDirectoryMissing) {
  std::string msg = imageError("empty", {});
  EXPECT_TRUE(contains(msg, "empty file (0 bytes), expected an IDX image "
                            "file"))
      << msg;
  msg = imageError("short", idx(0x803, {5}, 0)); // 8 of 16 header bytes
  EXPECT_TRUE(contains(msg, "too short for an IDX image header: file has 8 "
                            "bytes, the header needs 16"))
      << msg;
  msg = labelError("two-bytes", {0, 0});
  EXPECT_TRUE(contains(msg, "too short for an IDX label header: file has 2 "
                            "bytes, the header needs 8"))
      << msg;

  fs::create_directory(path("a-directory"));
  IdxImages images;
  Status s = idxReadImages(path("a-directory"), LoadOptions(), images);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message(),
            path("a-directory") + ": is a directory, not a file" + kSetupHint);

  IdxLabels labels;
  s = idxReadLabels(path("nope"), LoadOptions(), labels);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message(), path("nope") +
                             ": cannot open: no such file or directory" +
                             kSetupHint);
}

TEST_F(DatasetFiles, HintIsTheCallers) {
  LoadOptions opt;
  opt.hint = "check --data";
  writeRaw(path("x"), idx(0x803, {2, 28, 28}, 10));
  IdxImages images;
  Status s = idxReadImages(path("x"), opt, images);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(contains(s.message(), "file has 26 bytes; check --data"))
      << s.message();
  opt.hint.clear();
  s = idxReadImages(path("x"), opt, images);
  EXPECT_TRUE(contains(s.message(), "file has 26 bytes") &&
              s.message().back() == 's')
      << s.message();
}

TEST_F(DatasetFiles, DirectoryMissingFilesAreNamed) {
  MnistData data;
  Status s = datasetLoadMnistDir(dir_, LoadOptions(), data);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message(), path("train-images-idx3-ubyte") +
                             ": missing (and no train-images-idx3-ubyte.gz "
                             "there either)" +
                             kSetupHint);
  s = datasetLoadMnistDir(path("no-such-dir"), LoadOptions(), data);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(contains(s.message(),
                       path("no-such-dir") + ": cannot open the data "
                                             "directory: no such file or "
                                             "directory"))
      << s.message();
  writeRaw(path("file"), {1});
  s = datasetLoadMnistDir(path("file"), LoadOptions(), data);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(contains(s.message(), path("file") + ": is not a directory"))
      << s.message();
}

TEST_F(DatasetFiles, LoadsATinyDirectoryAndScalesPixels) {
  std::vector<uint8_t> images = idx(0x803, {2, 28, 28}, 0);
  for (int i = 0; i < 2 * 784; ++i)
    images.push_back(uint8_t(i % 256));
  writeRaw(path(kMnistTrainImages), images);
  writeRaw(path(kMnistTrainLabels), idx(0x801, {2}, 2, 9));
  writeRaw(path(kMnistTestImages), idx(0x803, {1, 28, 28}, 784, 51));
  writeRaw(path(kMnistTestLabels), idx(0x801, {1}, 1, 0));
  MnistData data;
  Status s = datasetLoadMnistDir(dir_ + "/", LoadOptions(), data);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(data.train.count, 2u);
  EXPECT_EQ(data.train.images[255], 1.0f);
  EXPECT_EQ(data.train.images[1], 1.0f / 255.0f);
  EXPECT_EQ(data.test.images[0], 0.2f); // 51 / 255
  EXPECT_EQ(data.train.labels, (std::vector<int32_t>{9, 9}));
  EXPECT_EQ(data.train.imagesPath, path(kMnistTrainImages));
}

//===--- gzip and writing -------------------------------------------------===//

TEST_F(DatasetFiles, WritesAtomicallyAndReadsBack) {
  std::vector<uint8_t> px(3 * 28 * 28);
  std::iota(px.begin(), px.end(), 0);
  ASSERT_TRUE(idxWriteImages(path("img"), px.data(), 3, 28, 28).ok());
  std::vector<uint8_t> raw = readRaw(path("img"));
  EXPECT_EQ(raw.size(), 16u + px.size());
  EXPECT_EQ(std::vector<uint8_t>(raw.begin(), raw.begin() + 8),
            (std::vector<uint8_t>{0, 0, 8, 3, 0, 0, 0, 3}));
  // Overwriting replaces the whole file; no temporary files stay behind.
  ASSERT_TRUE(idxWriteImages(path("img"), px.data(), 1, 28, 28).ok());
  IdxImages back;
  ASSERT_TRUE(idxReadImages(path("img"), LoadOptions(), back).ok());
  EXPECT_EQ(back.count, 1u);
  EXPECT_EQ(back.pixels, std::vector<uint8_t>(px.begin(), px.begin() + 784));
  size_t files = 0;
  for (const auto &entry : fs::directory_iterator(dir_)) {
    ++files;
    EXPECT_FALSE(contains(entry.path().string(), ".tmp.")) << entry.path();
  }
  EXPECT_EQ(files, 1u);

  Status s = idxWriteLabels(path("no-dir/labels"), px.data(), 3);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message(), path("no-dir/labels") +
                             ": cannot create a temporary file next to it: no "
                             "such file or directory");
}

TEST_F(DatasetFiles, GzipRoundTripOfRealMnist) {
  if (!idxHaveZlib())
    GTEST_SKIP() << "built without zlib";
  // The first 1000 training and 500 test samples, gzipped under the standard
  // names; loading the directory must give the same data as the plain files.
  std::vector<uint8_t> trainImages =
      readRaw(kMnistDir + "/train-images-idx3-ubyte");
  std::vector<uint8_t> trainLabels =
      readRaw(kMnistDir + "/train-labels-idx1-ubyte");
  std::vector<uint8_t> testImages =
      readRaw(kMnistDir + "/t10k-images-idx3-ubyte");
  std::vector<uint8_t> testLabels =
      readRaw(kMnistDir + "/t10k-labels-idx1-ubyte");
  ASSERT_EQ(trainImages.size(), 47040016u);
  std::string gz = std::string(".gz");
  ASSERT_TRUE(idxWriteImages(path(kMnistTrainImages + gz),
                             trainImages.data() + 16, 1000, 28, 28)
                  .ok());
  ASSERT_TRUE(
      idxWriteLabels(path(kMnistTrainLabels + gz), trainLabels.data() + 8, 1000)
          .ok());
  ASSERT_TRUE(idxWriteImages(path(kMnistTestImages + gz),
                             testImages.data() + 16, 500, 28, 28)
                  .ok());
  ASSERT_TRUE(
      idxWriteLabels(path(kMnistTestLabels + gz), testLabels.data() + 8, 500)
          .ok());
  std::vector<uint8_t> compressed = readRaw(path(kMnistTrainImages + gz));
  ASSERT_GE(compressed.size(), 2u);
  EXPECT_EQ(compressed[0], 0x1f);
  EXPECT_EQ(compressed[1], 0x8b);
  EXPECT_LT(compressed.size(), 1000u * 784 / 2);

  MnistData data;
  Status s = datasetLoadMnistDir(dir_, LoadOptions(), data);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(data.train.count, 1000u);
  EXPECT_EQ(data.test.count, 500u);
  EXPECT_EQ(data.train.imagesPath, path(kMnistTrainImages + gz));
  const MnistData &real = mnist();
  EXPECT_TRUE(std::equal(data.train.images.begin(), data.train.images.end(),
                         real.train.images.begin()));
  EXPECT_TRUE(std::equal(data.test.labels.begin(), data.test.labels.end(),
                         real.test.labels.begin()));

  // A plain file next to the .gz wins.
  writeRaw(path(kMnistTestLabels), idx(0x801, {500}, 500, 3));
  ASSERT_TRUE(datasetLoadMnistDir(dir_, LoadOptions(), data).ok());
  EXPECT_EQ(data.test.labels[0], 3);
}

TEST_F(DatasetFiles, GzipIsRecognisedByContentNotName) {
  if (!idxHaveZlib())
    GTEST_SKIP() << "built without zlib";
  uint8_t labels[4] = {1, 2, 3, 4};
  ASSERT_TRUE(idxWriteLabels(path("l.gz"), labels, 4).ok());
  fs::rename(path("l.gz"), path("labels-no-suffix"));
  IdxLabels back;
  Status s = idxReadLabels(path("labels-no-suffix"), LoadOptions(), back);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(back.labels, (std::vector<uint8_t>{1, 2, 3, 4}));
}

TEST_F(DatasetFiles, BrokenGzipFiles) {
  if (!idxHaveZlib())
    GTEST_SKIP() << "built without zlib";
  // Truncated compressed stream.
  std::vector<uint8_t> px(200 * 784);
  for (size_t i = 0; i < px.size(); ++i)
    px[i] = uint8_t((i * 2654435761u) >> 13); // poorly compressible
  ASSERT_TRUE(idxWriteImages(path("t.gz"), px.data(), 200, 28, 28).ok());
  std::vector<uint8_t> gz = readRaw(path("t.gz"));
  gz.resize(gz.size() / 2);
  std::string msg = imageError("t.gz", gz);
  EXPECT_TRUE(contains(msg, "truncated: header says 200 images of 28x28 "
                            "(156816 bytes), decompressed data has"))
      << msg;
  EXPECT_TRUE(contains(msg, "(the gzip stream ends early)")) << msg;

  // Decompressed data longer than the header says.
  writeGz(path("long.gz"), idx(0x801, {10}, 11, 1));
  msg = labelError("long.gz", readRaw(path("long.gz")));
  EXPECT_TRUE(contains(msg, "too long: header says 10 labels (18 bytes), "
                            "decompressed data has more"))
      << msg;

  // An absurd header inside a gzip stream is refused before allocating.
  writeGz(path("absurd.gz"), idx(0x803, {1000000000, 28, 28}, 64));
  msg = imageError("absurd.gz", readRaw(path("absurd.gz")));
  EXPECT_TRUE(contains(msg, "header says 1000000000 images, more than the "
                            "limit"))
      << msg;

  // Nothing inside.
  writeGz(path("empty.gz"), {});
  msg = labelError("empty.gz", readRaw(path("empty.gz")));
  EXPECT_TRUE(contains(msg, "empty after decompression (0 bytes), expected "
                            "an IDX label file"))
      << msg;

  // A damaged CRC: zlib's own words, without its "<fd:N>" prefix.
  uint8_t labels[5] = {1, 2, 3, 4, 5};
  ASSERT_TRUE(idxWriteLabels(path("crc.gz"), labels, 5).ok());
  gz = readRaw(path("crc.gz"));
  gz[gz.size() - 6] ^= 1; // the trailer: CRC32 (4 bytes), then the length
  msg = labelError("crc.gz", gz);
  EXPECT_EQ(msg, path("crc.gz") + ": corrupt gzip data: incorrect data check" +
                     kSetupHint);

  // Damaged compressed bytes: the deflate data or its CRC no longer check.
  gz = readRaw(path("t.gz"));
  for (size_t i = gz.size() / 3; i < gz.size() / 3 + 64; ++i)
    gz[i] ^= 0x5a;
  msg = imageError("damaged.gz", gz);
  EXPECT_TRUE(contains(msg, "corrupt gzip data") ||
              contains(msg, "truncated") || contains(msg, "too long"))
      << msg;
}

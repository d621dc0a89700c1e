// Unit tests of runtime/lib/Batching.cpp: Keras's validation split (edge
// cases, and the double-precision floor Keras uses), the SplitMix64 generator
// against Vigna's reference outputs, the per-epoch shuffle against golden
// permutations computed by an independent Python implementation of the rule
// in docs/data.md, and batch iteration with a partial last batch.
#include "mnistc/batching.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

using namespace mnistc::rt;

namespace {

/// A small data set whose pixels encode their sample index: image k holds
/// rows*cols copies of k, label k % 10.
Dataset indexDataset(uint32_t n, uint32_t rows = 2, uint32_t cols = 3) {
  Dataset d;
  d.count = n;
  d.rows = rows;
  d.cols = cols;
  d.images.resize(size_t(n) * rows * cols);
  d.labels.resize(n);
  for (uint32_t k = 0; k < n; ++k) {
    std::fill_n(d.images.begin() + size_t(k) * rows * cols, rows * cols,
                float(k));
    d.labels[k] = int32_t(k % 10);
  }
  d.imagesPath = "<index data>";
  return d;
}

bool isPermutationOf(std::vector<uint32_t> order, uint32_t first, uint32_t n) {
  if (order.size() != n)
    return false;
  std::sort(order.begin(), order.end());
  for (uint32_t i = 0; i < n; ++i)
    if (order[i] != first + i)
      return false;
  return true;
}

} // namespace

//===--- validation split -------------------------------------------------===//

TEST(ValidationSplit, TenPercentOfMnist) {
  ValidationSplit s;
  ASSERT_TRUE(splitValidation(60000, 0.1, s).ok());
  EXPECT_EQ(s.trainCount, 54000u);
  EXPECT_EQ(s.valCount, 6000u);
}

TEST(ValidationSplit, ZeroMeansNoValidation) {
  ValidationSplit s;
  ASSERT_TRUE(splitValidation(60000, 0.0, s).ok());
  EXPECT_EQ(s.trainCount, 60000u);
  EXPECT_EQ(s.valCount, 0u);
}

// Values from Python: math.floor(n * (1.0 - split)), as Keras computes it.
// The exact rational result differs for (10, 0.8) and (5, 0.8): the split is
// done in double, on purpose.
TEST(ValidationSplit, FloorsInDoubleLikeKeras) {
  struct Case {
    uint32_t n;
    double split;
    uint32_t train;
  } cases[] = {{10, 0.3, 7}, {10, 0.2, 8}, {100, 0.07, 93}, {1000, 0.001, 999},
               {3, 0.5, 1},  {7, 0.29, 4}, {10, 0.8, 1}};
  for (const Case &c : cases) {
    ValidationSplit s;
    ASSERT_TRUE(splitValidation(c.n, c.split, s).ok()) << c.n << " " << c.split;
    EXPECT_EQ(s.trainCount, c.train) << c.n << " " << c.split;
    EXPECT_EQ(s.valCount, c.n - c.train) << c.n << " " << c.split;
  }
}

TEST(ValidationSplit, NoTrainingSamplesLeftIsAnError) {
  ValidationSplit s;
  // floor(5 * (1.0 - 0.8)) = floor(0.9999999999999998) = 0.
  Status st = splitValidation(5, 0.8, s);
  ASSERT_TRUE(st.failed());
  EXPECT_NE(st.message().find("validation_split=0.8 of 5 samples leaves no "
                              "training samples"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("smaller validation_split"), std::string::npos);
  EXPECT_TRUE(splitValidation(1, 0.5, s).failed());
  EXPECT_TRUE(splitValidation(60000, 0.99999999, s).failed());
}

TEST(ValidationSplit, NoValidationSamplesLeftIsAnError) {
  ValidationSplit s;
  Status st = splitValidation(100, 0.001, s); // floor(99.9) = 99
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(s.valCount, 1u);
  st = splitValidation(100, 0.0001, s); // floor(99.99) = 99
  ASSERT_TRUE(st.ok());
  st = splitValidation(60000, 1e-9, s); // floor(59999.99994) = 59999
  ASSERT_TRUE(st.ok());
  st = splitValidation(10, 1e-17, s); // 1 - 1e-17 == 1.0 in double
  ASSERT_TRUE(st.failed());
  EXPECT_NE(st.message().find("leaves no validation samples"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("= 10)"), std::string::npos) << st.message();
}

TEST(ValidationSplit, OutOfRangeSplitsAreErrors) {
  ValidationSplit s;
  for (double bad : {-0.1, 1.0, 1.5, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()}) {
    Status st = splitValidation(100, bad, s);
    ASSERT_TRUE(st.failed()) << bad;
    EXPECT_NE(st.message().find("is outside [0, 1)"), std::string::npos)
        << st.message();
  }
}

//===--- SplitMix64 and the shuffle ---------------------------------------===//

TEST(SplitMix64, MatchesTheReferenceImplementation) {
  SplitMix64 rng(0);
  EXPECT_EQ(rng.next(), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(rng.next(), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(rng.next(), 0x06C45D188009454Full);
  SplitMix64 again(0);
  again.next();
  EXPECT_EQ(SplitMix64::output(0, 2), (again.next()));
}

TEST(SplitMix64, BelowStaysInRangeAndCoversIt) {
  SplitMix64 rng(123);
  int seen[7] = {0};
  for (int i = 0; i < 7000; ++i) {
    uint64_t r = rng.below(7);
    ASSERT_LT(r, 7u);
    ++seen[r];
  }
  for (int c : seen) // 1000 expected each; 6 sigma is about 190
    EXPECT_NEAR(c, 1000, 200);
  EXPECT_EQ(rng.below(1), 0u);
}

// Golden permutations from the Python reference of the rule in docs/data.md.
TEST(Shuffle, MatchesGoldenPermutations) {
  std::vector<uint32_t> order;
  orderForEpoch(42, 0, 0, 10, order);
  EXPECT_EQ(order, (std::vector<uint32_t>{4, 6, 7, 0, 9, 5, 1, 2, 3, 8}));
  orderForEpoch(42, 1, 0, 10, order);
  EXPECT_EQ(order, (std::vector<uint32_t>{5, 7, 3, 1, 8, 2, 9, 4, 0, 6}));
  orderForEpoch(7, 0, 100, 12, order);
  EXPECT_EQ(order, (std::vector<uint32_t>{101, 100, 108, 104, 105, 102, 103,
                                          106, 111, 107, 110, 109}));
  orderForEpoch(2024, 3, 0, 60000, order);
  EXPECT_EQ(std::vector<uint32_t>(order.begin(), order.begin() + 8),
            (std::vector<uint32_t>{50574, 37087, 28679, 3231, 54841, 19796,
                                   27565, 8835}));
  EXPECT_EQ(std::vector<uint32_t>(order.end() - 4, order.end()),
            (std::vector<uint32_t>{49466, 23482, 11653, 24740}));
}

TEST(Shuffle, SameSeedSamePermutationDifferentSeedDifferent) {
  std::vector<uint32_t> a, b, c;
  orderForEpoch(1234, 0, 0, 54000, a);
  orderForEpoch(1234, 0, 0, 54000, b);
  orderForEpoch(1235, 0, 0, 54000, c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_TRUE(isPermutationOf(a, 0, 54000));
  EXPECT_TRUE(isPermutationOf(c, 0, 54000));
  // Not the identity, and not nearly so.
  size_t fixed = 0;
  for (uint32_t i = 0; i < a.size(); ++i)
    fixed += a[i] == i;
  EXPECT_LT(fixed, 20u); // about 1 expected
}

TEST(Shuffle, EachEpochIsANewPermutationOfEverySample) {
  std::vector<uint32_t> prev, cur;
  orderForEpoch(99, 0, 0, 1000, prev);
  for (uint64_t epoch = 1; epoch < 10; ++epoch) {
    orderForEpoch(99, epoch, 0, 1000, cur);
    EXPECT_TRUE(isPermutationOf(cur, 0, 1000)) << epoch;
    EXPECT_NE(cur, prev) << epoch;
    prev = cur;
  }
  // Resuming at epoch 5 gives what an uninterrupted run gives.
  std::vector<uint32_t> resumed;
  orderForEpoch(99, 9, 0, 1000, resumed);
  EXPECT_EQ(resumed, cur);
}

TEST(Shuffle, TinyOrdersAndOffsets) {
  std::vector<uint32_t> order;
  orderForEpoch(5, 0, 0, 0, order);
  EXPECT_TRUE(order.empty());
  orderForEpoch(5, 0, 17, 1, order);
  EXPECT_EQ(order, std::vector<uint32_t>{17});
  orderForEpoch(5, 0, 54000, 6000, order);
  EXPECT_TRUE(isPermutationOf(order, 54000, 6000));
}

//===--- batches ----------------------------------------------------------===//

TEST(Batches, MnistSizedOrderWithPartialLastBatch) {
  Dataset data = indexDataset(60000, 1, 2);
  std::vector<uint32_t> order;
  orderForEpoch(3, 0, 0, 60000, order);
  BatchIterator it;
  ASSERT_TRUE(it.init(data, order.data(), order.size(), 128).ok());
  EXPECT_EQ(it.numBatches(), 469u);

  // Buffers sized once; a sentinel after them catches overruns.
  std::vector<float> x(128 * 2 + 1, -1.0f);
  std::vector<int32_t> y(128 + 1, -1);
  size_t batches = 0, seen = 0, last = 0;
  std::vector<uint32_t> visited(60000, 0);
  while (size_t n = it.next(x.data(), y.data())) {
    ++batches;
    last = n;
    for (size_t i = 0; i < n; ++i) {
      uint32_t k = order[seen + i]; // consecutive slices of the order
      ASSERT_EQ(x[2 * i], float(k));
      ASSERT_EQ(x[2 * i + 1], float(k));
      ASSERT_EQ(y[i], int32_t(k % 10));
      ++visited[uint32_t(x[2 * i])];
    }
    seen += n;
    EXPECT_EQ(it.batchIndex(), batches);
  }
  EXPECT_EQ(batches, 469u);
  EXPECT_EQ(last, 96u);
  EXPECT_EQ(seen, 60000u);
  EXPECT_EQ(x.back(), -1.0f);
  EXPECT_EQ(y.back(), -1);
  EXPECT_TRUE(std::all_of(visited.begin(), visited.end(),
                          [](uint32_t v) { return v == 1; }));
  EXPECT_EQ(it.next(x.data(), y.data()), 0u); // stays done

  it.reset();
  EXPECT_EQ(it.batchIndex(), 0u);
  EXPECT_EQ(it.next(x.data(), y.data()), 128u);
  EXPECT_EQ(y[0], int32_t(order[0] % 10));
}

TEST(Batches, PartialBatchLeavesTheRestOfTheBufferAlone) {
  Dataset data = indexDataset(10);
  std::vector<uint32_t> order;
  orderIdentity(0, 10, order);
  BatchIterator it;
  ASSERT_TRUE(it.init(data, order.data(), order.size(), 4).ok());
  EXPECT_EQ(it.numBatches(), 3u);
  std::vector<float> x(4 * 6, -1.0f);
  std::vector<int32_t> y(4, -1);
  EXPECT_EQ(it.next(x.data(), y.data()), 4u);
  EXPECT_EQ(it.next(x.data(), y.data()), 4u);
  std::fill(x.begin(), x.end(), -1.0f);
  std::fill(y.begin(), y.end(), -1);
  EXPECT_EQ(it.next(x.data(), y.data()), 2u);
  EXPECT_EQ(y, (std::vector<int32_t>{8, 9, -1, -1}));
  EXPECT_EQ(x[6], 9.0f);
  EXPECT_EQ(x[12], -1.0f);
}

TEST(Batches, ValidationRangeInOrderByIndices) {
  Dataset data = indexDataset(100);
  ValidationSplit split;
  ASSERT_TRUE(splitValidation(100, 0.25, split).ok());
  std::vector<uint32_t> val;
  orderIdentity(split.trainCount, split.valCount, val);
  BatchIterator it;
  ASSERT_TRUE(it.init(data, val.data(), val.size(), 32).ok());
  const uint32_t *idx = nullptr;
  ASSERT_EQ(it.nextIndices(idx), 25u); // one batch, the last 25 samples
  EXPECT_EQ(idx[0], 75u);
  EXPECT_EQ(idx[24], 99u);
  EXPECT_EQ(it.nextIndices(idx), 0u);
}

TEST(Batches, BatchLargerThanTheData) {
  Dataset data = indexDataset(5);
  std::vector<uint32_t> order;
  orderIdentity(0, 5, order);
  BatchIterator it;
  ASSERT_TRUE(it.init(data, order.data(), order.size(), 32).ok());
  EXPECT_EQ(it.numBatches(), 1u);
  std::vector<float> x(32 * 6);
  std::vector<int32_t> y(32);
  EXPECT_EQ(it.next(x.data(), y.data()), 5u);
  EXPECT_EQ(it.next(x.data(), y.data()), 0u);
}

TEST(Batches, RejectsZeroBatchAndIndicesPastTheEnd) {
  Dataset data = indexDataset(10);
  std::vector<uint32_t> order;
  orderIdentity(0, 10, order);
  BatchIterator it;
  Status s = it.init(data, order.data(), order.size(), 0);
  ASSERT_TRUE(s.failed());
  EXPECT_NE(s.message().find("batch_size is 0"), std::string::npos);
  order[7] = 10;
  s = it.init(data, order.data(), order.size(), 4);
  ASSERT_TRUE(s.failed());
  EXPECT_NE(s.message().find("index 10 at position 7 is past the end of the "
                             "data set (10 samples)"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(it.numBatches(), 0u); // a failed init leaves nothing to iterate
}

TEST(Batches, EmptyOrderHasNoBatches) {
  Dataset data = indexDataset(3);
  BatchIterator it;
  ASSERT_TRUE(it.init(data, nullptr, 0, 8).ok());
  EXPECT_EQ(it.numBatches(), 0u);
  const uint32_t *idx = nullptr;
  EXPECT_EQ(it.nextIndices(idx), 0u);
}

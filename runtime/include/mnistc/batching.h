//===- batching.h - Validation split, seeded shuffle, batches -------------===//
//
// The three data rules of Keras's fit loop (docs/data.md,
// KERAS_SEMANTICS.md §11), made bit-reproducible:
//
//  1. validation_split takes the LAST fraction of the samples, before any
//     shuffle: split_at = floor(N * (1 - split)) computed in double; samples
//     [0, split_at) train, [split_at, N) validate; split 0 means no
//     validation; split_at of 0 or N is an error.
//  2. shuffle: every epoch a new permutation of all training samples. The
//     permutation of epoch e depends only on (seed, e, N): Fisher-Yates driven
//     by our own SplitMix64 generator, so it is identical on every machine,
//     compiler and standard library, and a resumed run reshuffles exactly as
//     an uninterrupted one.
//  3. batches are consecutive slices of that order; the last, partial batch is
//     kept (ceil(N / batch_size) batches).
//
// A BatchIterator gathers each batch's images and labels into buffers the
// caller owns (sized once for the full batch); it allocates nothing per batch.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_BATCHING_H
#define MNISTC_RUNTIME_BATCHING_H

#include "mnistc/dataset.h"
#include "mnistc/status.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mnistc::rt {

/// SplitMix64 (Steele, Lea, Flood 2014; Vigna's reference splitmix64.c):
///   state += 0x9E3779B97F4A7C15;
///   z = state;
///   z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
///   z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
///   return z ^ (z >> 31);
/// Seed 0 yields 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F.
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t next();

  /// A uniform integer in [0, bound), bound > 0, without modulo bias: draws
  /// r until r >= (2^64 - bound) mod bound, then returns r mod bound.
  uint64_t below(uint64_t bound);

  /// The k-th output (k >= 1) of SplitMix64(seed), in O(1).
  static uint64_t output(uint64_t seed, uint64_t k);

private:
  uint64_t state_;
};

/// Where validation_split cuts N samples: [0, trainCount) train,
/// [trainCount, trainCount + valCount) validate.
struct ValidationSplit {
  uint32_t trainCount = 0;
  uint32_t valCount = 0;
};

/// Applies Keras's rule: split 0 leaves all N samples for training; split in
/// (0, 1) gives split_at = floor(N * (1 - split)) in double, an error if that
/// is 0 or N; a split outside [0, 1) or not a number is an error.
Status splitValidation(uint32_t n, double split, ValidationSplit &out);

/// Fills `order` with the identity order first, first+1, ..., first+n-1
/// (validation, evaluate, predict, and fit with shuffle=false).
void orderIdentity(uint32_t first, uint32_t n, std::vector<uint32_t> &order);

/// Shuffles `order[0..n)` in place: Fisher-Yates from the back,
///   for i = n-1 down to 1: j = rng.below(i + 1); swap(order[i], order[j]).
void orderShuffle(SplitMix64 &rng, uint32_t *order, size_t n);

/// The training order of `epoch` (0-based): the indices first .. first+n-1
/// shuffled by orderShuffle with SplitMix64(SplitMix64::output(seed,
/// epoch + 1)), i.e. a generator seeded by the (epoch+1)-th output of one
/// seeded by `seed`. Depends only on (seed, epoch, first, n); reuses the
/// vector's storage.
void orderForEpoch(uint64_t seed, uint64_t epoch, uint32_t first, uint32_t n,
                   std::vector<uint32_t> &order);

/// Walks an order in batches of `batchSize` consecutive entries; the last
/// batch holds the remainder. The order and the data set are borrowed and
/// must outlive the iterator.
///
///   BatchIterator it;
///   if (Status s = it.init(train, order.data(), order.size(), 128);
///       s.failed()) ...
///   std::vector<float> x(128 * train.imageSize());
///   std::vector<int32_t> y(128);
///   while (size_t n = it.next(x.data(), y.data())) step(x, y, n);
class BatchIterator {
public:
  /// Checks batchSize > 0 and every index of the order < data.count.
  Status init(const Dataset &data, const uint32_t *order, size_t count,
              size_t batchSize);

  /// ceil(count / batchSize).
  size_t numBatches() const;
  size_t batchSize() const { return batchSize_; }
  /// Batches handed out since init or reset.
  size_t batchIndex() const { return batch_; }

  /// The indices of the next batch: returns how many (0 when done) and points
  /// `indices` into the order.
  size_t nextIndices(const uint32_t *&indices);

  /// Gathers the next batch: its images into `images` (room for batchSize x
  /// imageSize floats, sample after sample) and its labels into `labels`
  /// (room for batchSize). Returns the samples written, 0 when done; a
  /// partial batch leaves the rest of the buffers untouched.
  size_t next(float *images, int32_t *labels);

  /// Starts again from the first batch of the same order.
  void reset() { pos_ = 0, batch_ = 0; }

private:
  const Dataset *data_ = nullptr;
  const uint32_t *order_ = nullptr;
  size_t count_ = 0;
  size_t batchSize_ = 0;
  size_t pos_ = 0;
  size_t batch_ = 0;
};

/// Copies the samples `indices[0..n)` of `data` into `images` and `labels`.
void gatherBatch(const Dataset &data, const uint32_t *indices, size_t n,
                 float *images, int32_t *labels);

} // namespace mnistc::rt

#endif

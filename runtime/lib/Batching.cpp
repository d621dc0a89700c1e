//===- Batching.cpp - Validation split, seeded shuffle, batches -----------===//
//
// The split follows keras/src/trainers/data_adapters/array_slicing.py
// (train_validation_split); the shuffle is Fisher-Yates over our own
// SplitMix64 so that a seed means the same order everywhere (std::shuffle and
// the std distributions differ between standard libraries). See batching.h
// and docs/data.md.
//
//===----------------------------------------------------------------------===//
#include "mnistc/batching.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>

namespace mnistc::rt {

namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

} // namespace

uint64_t SplitMix64::next() {
  state_ += kGolden;
  return mix64(state_);
}

uint64_t SplitMix64::below(uint64_t bound) {
  // (2^64 - bound) mod bound, computed in 64 bits as (-bound) % bound: the
  // count of values at the bottom of the range that would make r % bound
  // favour small results.
  uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    uint64_t r = next();
    if (r >= threshold)
      return r % bound;
  }
}

uint64_t SplitMix64::output(uint64_t seed, uint64_t k) {
  return mix64(seed + k * kGolden);
}

Status splitValidation(uint32_t n, double split, ValidationSplit &out) {
  out = ValidationSplit{n, 0};
  if (!(split >= 0.0 && split < 1.0)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", split);
    return Status::error(std::string("validation_split=") + buf +
                         " is outside [0, 1); use a fraction such as 0.1, or "
                         "0 for no validation");
  }
  if (split == 0.0)
    return Status::success();
  // Keras: split_at = int(math.floor(batch_dim * (1.0 - validation_split))).
  double at = std::floor(double(n) * (1.0 - split));
  uint32_t splitAt = uint32_t(at); // 0 <= at <= n
  if (splitAt == 0 || splitAt == n) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "validation_split=%g of %" PRIu32 " samples leaves %s "
                  "(split_at = floor(%" PRIu32 " * (1 - %g)) = %" PRIu32
                  "); use more data, a %s validation_split, or 0 for no "
                  "validation",
                  split, n,
                  splitAt == 0 ? "no training samples"
                               : "no validation samples",
                  n, split, splitAt, splitAt == 0 ? "smaller" : "larger");
    return Status::error(buf);
  }
  out = ValidationSplit{splitAt, n - splitAt};
  return Status::success();
}

void orderIdentity(uint32_t first, uint32_t n, std::vector<uint32_t> &order) {
  order.resize(n);
  for (uint32_t i = 0; i < n; ++i)
    order[i] = first + i;
}

void orderShuffle(SplitMix64 &rng, uint32_t *order, size_t n) {
  for (size_t i = n; i-- > 1;) {
    size_t j = size_t(rng.below(uint64_t(i) + 1));
    std::swap(order[i], order[j]);
  }
}

void orderForEpoch(uint64_t seed, uint64_t epoch, uint32_t first, uint32_t n,
                   std::vector<uint32_t> &order) {
  orderIdentity(first, n, order);
  SplitMix64 rng(SplitMix64::output(seed, epoch + 1));
  orderShuffle(rng, order.data(), order.size());
}

Status BatchIterator::init(const Dataset &data, const uint32_t *order,
                           size_t count, size_t batchSize) {
  *this = BatchIterator();
  if (batchSize == 0)
    return Status::error("batch_size is 0; use a positive batch size such "
                         "as 32 (Keras's default) or 128");
  if (count > 0 && !order)
    return Status::error("batch order: no indices given");
  for (size_t i = 0; i < count; ++i)
    if (order[i] >= data.count) {
      char buf[160];
      std::snprintf(buf, sizeof buf,
                    "batch order: index %" PRIu32 " at position %zu is past "
                    "the end of the data set (%" PRIu32 " samples)",
                    order[i], i, data.count);
      return Status::error(std::string(buf) + " from " + data.imagesPath);
    }
  data_ = &data;
  order_ = order;
  count_ = count;
  batchSize_ = batchSize;
  return Status::success();
}

size_t BatchIterator::numBatches() const {
  return batchSize_ ? (count_ + batchSize_ - 1) / batchSize_ : 0;
}

size_t BatchIterator::nextIndices(const uint32_t *&indices) {
  indices = order_ + pos_;
  if (pos_ >= count_)
    return 0;
  size_t n = std::min(batchSize_, count_ - pos_);
  pos_ += n;
  ++batch_;
  return n;
}

size_t BatchIterator::next(float *images, int32_t *labels) {
  const uint32_t *indices = nullptr;
  size_t n = nextIndices(indices);
  if (n)
    gatherBatch(*data_, indices, n, images, labels);
  return n;
}

void gatherBatch(const Dataset &data, const uint32_t *indices, size_t n,
                 float *images, int32_t *labels) {
  const size_t size = data.imageSize();
  for (size_t i = 0; i < n; ++i) {
    uint32_t k = indices[i];
    std::memcpy(images + i * size, data.image(k), size * sizeof(float));
    labels[i] = data.labels[k];
  }
}

} // namespace mnistc::rt

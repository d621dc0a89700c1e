//===- BufferTable.h - The buffer table a model.so carries ----------------===//
//
// Shared by the compiler (which writes the table into the orchestration
// object as the int64 array `mnistc_gen_buffers`) and ModelSupport.cpp
// (which reads it in mnistc_create). Entry 0 is the number of buffers; then
// kRecordWords words per buffer:
//   region, role, offset (bytes; see below), alias (buffer index whose
//   storage a view shares, or -1), type code, type bits, rank, batch dim
//   (index of the dynamic batch extent, or -1), extents[kMaxRank]
// Extents are in Halide order: innermost (contiguous) first. Strides are
// dense. Plain C++ with no dependency, so it compiles into model.so.
//
// Offsets: in the Params, State and Gradients regions, bytes from the
// region's start. In the arena (ArenaSize below), the compiler's memory
// plan (MemoryPlan.cpp) places buffers that live at different times at the
// same offset: buffers without a batch axis first, at `offset` bytes;
// then the batch-sized ones, at fixedBytes + offset × max_batch, so one
// plan serves every max_batch.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_MODELSUPPORT_BUFFERTABLE_H
#define MNISTC_COMPILER_MODELSUPPORT_BUFFERTABLE_H

#include <cstdint>

namespace mnistc::modelso {

constexpr int kMaxRank = 4;
constexpr int kRecordWords = 8 + kMaxRank;

/// Where a buffer's storage lives.
enum class Region : int64_t {
  Arena = 0,         // the context's arena, sized for the max batch
  Params = 1,        // the parameter buffer (offset in bytes)
  State = 2,         // the optimizer state buffer (offset in bytes)
  Images = 3,        // the caller's images, set per step
  Labels = 4,        // the caller's labels, set per step
  Probabilities = 5, // the caller's output of mnistc_forward
  Gradients = 6,     // the gradient buffer, laid out like the trainable
                     // parameters (offset in bytes)
  DataImages = 7,    // the data set's images (mnistc_set_dataset), its
                     // batch extent the data set's count
  DataLabels = 8,    // the data set's class indices, int32
  Order = 9,         // the places of the data set's images in the order
                     // training takes them (mnistc_set_order)
};

/// Whether `region` holds a data set or an order: set by the caller
/// (mnistc_set_dataset, mnistc_set_order), not per step, its "batch"
/// extent the data set's count or the order's length.
constexpr bool isDataRegion(Region r) {
  return r == Region::DataImages || r == Region::DataLabels ||
         r == Region::Order;
}

/// What a step reads back from a buffer.
enum class Role : int64_t { None = 0, Loss = 1, Correct = 2 };

/// Slots of the scalars array every step function receives.
constexpr int kLearningRateSlot = 0; // float
constexpr int kStepSlot = 1;         // int32, Adam's t and Dropout's step
constexpr int kSeedSlot = 2;         // uint32, Dropout's seed
constexpr int kFirstSlot = 3;        // int32, Dropout: the index of the
                                     // batch's first image in the whole
                                     // batch (a data-parallel shard's start)
constexpr int kOffsetSlot = 4;       // int32, the batch's first place in
                                     // the order (mnistc_train_step_at)
constexpr int kNumScalars = 5;

struct BufferRecord {
  Region region = Region::Arena;
  Role role = Role::None;
  int64_t offset = 0;
  int64_t alias = -1;
  int64_t typeCode = 2; // halide_type_float
  int64_t typeBits = 32;
  int rank = 0;
  int batchDim = -1;
  int64_t extents[kMaxRank] = {1, 1, 1, 1};

  int64_t elementBytes() const { return typeBits / 8; }
  /// Bytes for a batch of `batch` images (the batch extent; buffers
  /// without one ignore it). bytes(1) of a batch-sized buffer is its share
  /// per image.
  int64_t bytes(int64_t batch) const {
    int64_t n = elementBytes();
    for (int k = 0; k < rank; ++k)
      n *= k == batchDim ? batch : extents[k];
    return n;
  }

  static BufferRecord read(const int64_t *table, int64_t index) {
    const int64_t *w = table + 1 + index * kRecordWords;
    BufferRecord r;
    r.region = static_cast<Region>(w[0]);
    r.role = static_cast<Role>(w[1]);
    r.offset = w[2];
    r.alias = w[3];
    r.typeCode = w[4];
    r.typeBits = w[5];
    r.rank = static_cast<int>(w[6]);
    r.batchDim = static_cast<int>(w[7]);
    for (int k = 0; k < kMaxRank; ++k)
      r.extents[k] = w[8 + k];
    return r;
  }

  /// Whether the buffer takes arena storage of its own (not a view).
  bool ownsArena() const { return region == Region::Arena && alias < 0; }

  void write(int64_t *words) const {
    words[0] = static_cast<int64_t>(region);
    words[1] = static_cast<int64_t>(role);
    words[2] = offset;
    words[3] = alias;
    words[4] = typeCode;
    words[5] = typeBits;
    words[6] = rank;
    words[7] = batchDim;
    for (int k = 0; k < kMaxRank; ++k)
      words[8 + k] = extents[k];
  }
};

/// Arena storage is handed out in 64-byte units (per image for batch-sized
/// buffers), so every buffer starts on a cache line at any batch.
constexpr int64_t kArenaAlign = 64;
inline int64_t arenaRound(int64_t bytes) {
  return (bytes + kArenaAlign - 1) / kArenaAlign * kArenaAlign;
}

/// The arena's extent, from the offsets of the buffers that own storage:
/// fixedBytes for buffers without a batch axis, then perImageBytes per
/// image of the max batch.
struct ArenaSize {
  int64_t fixedBytes = 0;
  int64_t perImageBytes = 0;

  void add(const BufferRecord &r) {
    if (!r.ownsArena())
      return;
    int64_t &end = r.batchDim >= 0 ? perImageBytes : fixedBytes;
    int64_t reach = r.offset + arenaRound(r.bytes(1));
    end = reach > end ? reach : end;
  }
  static ArenaSize of(const int64_t *table) {
    ArenaSize size;
    for (int64_t i = 0; i < table[0]; ++i)
      size.add(BufferRecord::read(table, i));
    return size;
  }
  int64_t bytes(int64_t batch) const {
    return fixedBytes + perImageBytes * batch;
  }
  /// Where `r` (one that owns arena storage) starts, at max batch `batch`.
  int64_t offsetOf(const BufferRecord &r, int64_t batch) const {
    return r.batchDim >= 0 ? fixedBytes + r.offset * batch : r.offset;
  }
};

} // namespace mnistc::modelso

#endif

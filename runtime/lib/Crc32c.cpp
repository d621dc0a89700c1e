//===- Crc32c.cpp - CRC-32C, one table, byte at a time --------------------===//
//
// Fast enough for what it guards: checkpoints of a few megabytes are
// checksummed at several hundred MB/s, far below the time to train one
// step of the models they hold.
//
//===----------------------------------------------------------------------===//
#include "mnistc/crc32c.h"

#include <array>

namespace mnistc::rt {
namespace {

std::array<uint32_t, 256> makeTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    table[i] = c;
  }
  return table;
}

} // namespace

uint32_t crc32c(const void *data, size_t n, uint32_t crc) {
  static const std::array<uint32_t, 256> table = makeTable();
  const auto *p = static_cast<const uint8_t *>(data);
  crc = ~crc;
  for (size_t i = 0; i < n; ++i)
    crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

} // namespace mnistc::rt

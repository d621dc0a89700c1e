//===- crc32c.h - CRC-32C (Castagnoli), plain and masked ------------------===//
//
// The checksum of the checkpoint sections (docs/checkpoint.md) and of
// TensorBoard's TFRecord framing: CRC-32C, polynomial 0x1EDC6F41 (reflected
// 0x82F63B78), initial value and final xor 0xFFFFFFFF, as iSCSI (RFC 3720)
// and TensorFlow use it. crc32c("123456789") == 0xE3069283.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_CRC32C_H
#define MNISTC_RUNTIME_CRC32C_H

#include <cstddef>
#include <cstdint>

namespace mnistc::rt {

/// CRC-32C of `n` bytes; `crc` continues an earlier call (0 to start).
uint32_t crc32c(const void *data, size_t n, uint32_t crc = 0);

/// TensorFlow's masked form, which TFRecord stores: rotate right by 15,
/// add 0xa282ead8.
inline uint32_t maskCrc32c(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

} // namespace mnistc::rt

#endif

// Tests of runtime/lib/Crc32c.cpp: CRC32C against published vectors
// (RFC 3720 B.4), against a bit-by-bit CRC written independently
// (TfRecordDecoding.h), and the masked form of TFRecord (tensorboard.h).
#include "mnistc/crc32c.h"
#include "mnistc/tensorboard.h"

#include "TfRecordDecoding.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using namespace mnistc::rt;
using namespace mnistc::test;

namespace {

TEST(Crc32c, PublishedVectors) {
  EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
  EXPECT_EQ(crc32c("", 0), 0u);
  // RFC 3720, B.4.
  unsigned char buf[32];
  std::memset(buf, 0, sizeof buf);
  EXPECT_EQ(crc32c(buf, 32), 0x8A9136AAu);
  std::memset(buf, 0xFF, sizeof buf);
  EXPECT_EQ(crc32c(buf, 32), 0x62A8AB43u);
  for (int i = 0; i < 32; ++i)
    buf[i] = static_cast<unsigned char>(i);
  EXPECT_EQ(crc32c(buf, 32), 0x46DD794Eu);
  for (int i = 0; i < 32; ++i)
    buf[i] = static_cast<unsigned char>(31 - i);
  EXPECT_EQ(crc32c(buf, 32), 0x113FDB5Cu);
}

TEST(Crc32c, TableMatchesBitByBit) {
  EXPECT_EQ(bitwiseCrc32c("123456789", 9), 0xE3069283u); // the reference
  std::string data;
  uint32_t x = 12345;
  for (int i = 0; i < 1000; ++i) {
    x = x * 1103515245u + 12345u;
    data += char(x >> 24);
  }
  for (size_t n : {size_t(1), size_t(7), size_t(8), size_t(255), size_t(1000)})
    for (size_t start : {size_t(0), size_t(3)}) {
      if (start + n > data.size())
        continue;
      EXPECT_EQ(crc32c(data.data() + start, n),
                bitwiseCrc32c(data.data() + start, n))
          << n << " bytes from " << start;
    }
}

TEST(Crc32c, Masked) {
  // ((0xE3069283 >> 15) | (0xE3069283 << 17)) + 0xa282ead8, by hand.
  EXPECT_EQ(maskedCrc32c("123456789", 9), 0xC78AB0E5u);
  EXPECT_EQ(maskedCrc32c("abc", 3), bitwiseMasked("abc", 3));
}


} // namespace

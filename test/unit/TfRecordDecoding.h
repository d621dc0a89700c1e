//===- TfRecordDecoding.h - TFRecord and protobuf bytes, decoded by hand -===//
//
// For the tests of runtime/lib/TensorBoard.cpp and CRC-32C: independent
// of the code under test, a bit-by-bit CRC32C, TFRecord framing and the
// protobuf wire format decoded by hand with TensorFlow's field numbers.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_TEST_UNIT_TFRECORDDECODING_H
#define MNISTC_TEST_UNIT_TFRECORDDECODING_H

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace mnistc::test {


inline uint32_t bitwiseCrc32c(const void *data, size_t n) {
  const unsigned char *p = static_cast<const unsigned char *>(data);
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

inline uint32_t bitwiseMasked(const void *data, size_t n) {
  uint32_t c = bitwiseCrc32c(data, n);
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

inline uint64_t le(const std::string &s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(s.at(at + size_t(i)));
  return v;
}

inline std::string putLe(uint64_t v, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i)
    out += char((v >> (8 * i)) & 0xFF);
  return out;
}

/// One TFRecord around `data`, framed with the bit-by-bit CRC.
inline std::string frame(const std::string &data) {
  std::string len = putLe(data.size(), 8);
  return len + putLe(bitwiseMasked(len.data(), 8), 4) + data +
         putLe(bitwiseMasked(data.data(), data.size()), 4);
}

struct RawRecord {
  size_t offset;
  std::string data;
};

/// Splits `bytes` into records, checking the framing as TensorFlow's
/// RecordReader does.
inline std::vector<RawRecord> records(const std::string &bytes) {
  std::vector<RawRecord> out;
  size_t off = 0;
  while (off < bytes.size()) {
    EXPECT_GE(bytes.size() - off, 16u) << "at " << off;
    if (bytes.size() - off < 16)
      break;
    uint64_t length = le(bytes, off, 8);
    EXPECT_EQ(le(bytes, off + 8, 4), bitwiseMasked(bytes.data() + off, 8))
        << "length CRC at " << off;
    EXPECT_LE(length, bytes.size() - off - 16) << "at " << off;
    if (length > bytes.size() - off - 16)
      break;
    std::string data = bytes.substr(off + 12, size_t(length));
    EXPECT_EQ(le(bytes, off + 12 + size_t(length), 4),
              bitwiseMasked(data.data(), data.size()))
        << "data CRC at " << off;
    out.push_back({off, data});
    off += 16 + size_t(length);
  }
  return out;
}

/// One protobuf field: wire type 0 (varint), 1 (fixed64), 2 (bytes) or
/// 5 (fixed32).
struct Field {
  int number = 0;
  int wireType = 0;
  uint64_t number64 = 0; // varint, fixed64 or fixed32 value
  std::string bytes;
};

inline bool varint(const std::string &s, size_t &at, uint64_t &v) {
  v = 0;
  for (int shift = 0; at < s.size() && shift < 64; shift += 7) {
    unsigned char b = static_cast<unsigned char>(s[at++]);
    v |= uint64_t(b & 0x7F) << shift;
    if (!(b & 0x80))
      return true;
  }
  return false;
}

inline std::vector<Field> decode(const std::string &msg) {
  std::vector<Field> out;
  size_t at = 0;
  while (at < msg.size()) {
    uint64_t key = 0;
    Field f;
    EXPECT_TRUE(varint(msg, at, key));
    f.number = int(key >> 3);
    f.wireType = int(key & 7);
    if (f.wireType == 0) {
      EXPECT_TRUE(varint(msg, at, f.number64));
    } else if (f.wireType == 1 || f.wireType == 5) {
      int n = f.wireType == 1 ? 8 : 4;
      EXPECT_LE(at + size_t(n), msg.size());
      if (at + size_t(n) > msg.size())
        return out;
      f.number64 = le(msg, at, n);
      at += size_t(n);
    } else if (f.wireType == 2) {
      uint64_t n = 0;
      EXPECT_TRUE(varint(msg, at, n));
      EXPECT_LE(n, msg.size() - at);
      if (n > msg.size() - at)
        return out;
      f.bytes = msg.substr(at, size_t(n));
      at += size_t(n);
    } else {
      ADD_FAILURE() << "unexpected wire type " << f.wireType;
      return out;
    }
    out.push_back(f);
  }
  return out;
}

/// The only field numbered `number`, which must have `wireType`.
inline Field only(const std::vector<Field> &fields, int number,
                  int wireType) {
  Field found;
  int count = 0;
  for (const Field &f : fields)
    if (f.number == number) {
      found = f;
      ++count;
    }
  EXPECT_EQ(count, 1) << "field " << number;
  EXPECT_EQ(found.wireType, wireType) << "field " << number;
  return found;
}

inline bool has(const std::vector<Field> &fields, int number) {
  for (const Field &f : fields)
    if (f.number == number)
      return true;
  return false;
}

inline double asDouble(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}
inline float asFloat(uint64_t bits) {
  uint32_t b = uint32_t(bits);
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}
inline uint32_t floatBits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}


} // namespace mnistc::test

#endif // MNISTC_TEST_UNIT_TFRECORDDECODING_H

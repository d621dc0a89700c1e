//===- Bytes.h - Little-endian byte strings for checkpoints ---------------===//
//
// ByteWriter appends fixed-width numbers, length-prefixed strings and float
// arrays to a byte string; ByteReader reads them back, never past the end:
// a read beyond it sets a sticky failure and yields zeros, so a parser
// checks ok() once at the end instead of after every field. Numbers are
// stored little-endian, which is this runtime's only host byte order
// (x86-64 and AArch64 Linux). Internal to libmnistrt.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_LIB_BYTES_H
#define MNISTC_RUNTIME_LIB_BYTES_H

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace mnistc::rt::detail {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "checkpoints are little-endian; this host is not");

class ByteWriter {
public:
  template <typename T> void put(T v) {
    static_assert(std::is_arithmetic_v<T>);
    bytes_.append(reinterpret_cast<const char *>(&v), sizeof v);
  }
  void putString(const std::string &s) {
    put<uint32_t>(static_cast<uint32_t>(s.size()));
    bytes_ += s;
  }
  void putFloats(const float *data, size_t n) {
    put<uint64_t>(n);
    bytes_.append(reinterpret_cast<const char *>(data), n * sizeof(float));
  }
  const std::string &bytes() const { return bytes_; }
  std::string take() { return std::move(bytes_); }

private:
  std::string bytes_;
};

class ByteReader {
public:
  explicit ByteReader(const std::string &bytes)
      : data_(bytes.data()), size_(bytes.size()) {}
  ByteReader(const char *data, size_t size) : data_(data), size_(size) {}

  template <typename T> T get() {
    static_assert(std::is_arithmetic_v<T>);
    T v{};
    if (take(sizeof v))
      std::memcpy(&v, data_ + pos_ - sizeof v, sizeof v);
    return v;
  }
  std::string getString() {
    uint32_t n = get<uint32_t>();
    return take(n) ? std::string(data_ + pos_ - n, n) : std::string();
  }
  /// A float array of exactly `expected` floats (a mismatch fails).
  void getFloats(float *out, size_t expected) {
    uint64_t n = get<uint64_t>();
    if (n != expected) {
      ok_ = false;
      return;
    }
    if (take(n * sizeof(float)) && n > 0)
      std::memcpy(out, data_ + pos_ - n * sizeof(float), n * sizeof(float));
  }
  std::vector<float> getFloatVector() {
    uint64_t n = get<uint64_t>();
    std::vector<float> v;
    if (n <= remaining() / sizeof(float) && take(n * sizeof(float))) {
      v.resize(n);
      if (n > 0) // memcpy's pointers must not be null, even for 0 bytes
        std::memcpy(v.data(), data_ + pos_ - n * sizeof(float),
                    n * sizeof(float));
    } else {
      ok_ = false;
    }
    return v;
  }
  size_t remaining() const { return size_ - pos_; }
  /// No read went past the end and nothing was left unread.
  bool done() const { return ok_ && pos_ == size_; }
  bool ok() const { return ok_; }

private:
  bool take(size_t n) {
    if (!ok_ || n > size_ - pos_) {
      ok_ = false;
      return false;
    }
    pos_ += n;
    return true;
  }
  const char *data_;
  size_t size_;
  size_t pos_ = 0;
  bool ok_ = true;
};

} // namespace mnistc::rt::detail

#endif

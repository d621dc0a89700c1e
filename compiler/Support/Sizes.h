//===- Sizes.h - Counts and byte sizes as mnistc writes them --------------===//
//
// One way to write a count ("1,234,567") and a size in bytes ("1.55 MB",
// Keras's readable_memory_size: powers of 1024, two decimals) for the
// summary table and for the messages about sizes (tensor limits in
// nn-shape-inference, the memory check before code generation). Header
// only, so every compiler library can use it.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_SUPPORT_SIZES_H
#define MNISTC_COMPILER_SUPPORT_SIZES_H

#include <cstdint>
#include <cstdio>
#include <string>

namespace mnistc {

/// 1234567 -> "1,234,567".
inline std::string grouped(int64_t n) {
  std::string digits = std::to_string(n), out;
  size_t start = n < 0 ? 1 : 0;
  out = digits.substr(0, start);
  for (size_t i = start; i < digits.size(); ++i) {
    if (i > start && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

/// Keras's readable_memory_size: 1625292.8 -> "1.55 MB".
inline std::string memorySize(double bytes) {
  const char *units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes / 1024 >= 1 && u < 4) {
    bytes /= 1024;
    ++u;
  }
  char text[64];
  std::snprintf(text, sizeof text, "%.2f %s", bytes, units[u]);
  return text;
}

} // namespace mnistc

#endif

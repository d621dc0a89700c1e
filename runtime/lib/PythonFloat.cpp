//===- PythonFloat.cpp - A double as Python's str() writes it -------------===//
//
// std::to_chars gives the shortest round-trip digits; this file places the
// decimal point and exponent as Python's float repr does.
//
//===----------------------------------------------------------------------===//
#include "PythonFloat.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace mnistc::rt::detail {

std::string pythonFloat(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  char buf[64];
  auto end = std::to_chars(buf, buf + sizeof buf, v,
                           std::chars_format::scientific)
                 .ptr;
  std::string s(buf, end);
  size_t e = s.find('e');
  int exp = std::stoi(s.substr(e + 1));
  std::string sign = s[0] == '-' ? "-" : "";
  std::string digits;
  for (char c : s.substr(sign.size(), e - sign.size()))
    if (c != '.')
      digits += c;
  if (exp >= -4 && exp < 16) {
    if (exp < 0)
      return sign + "0." + std::string(size_t(-exp - 1), '0') + digits;
    if (digits.size() <= size_t(exp) + 1)
      return sign + digits + std::string(exp + 1 - digits.size(), '0') + ".0";
    return sign + digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
  }
  std::string mantissa =
      digits.size() > 1 ? digits.substr(0, 1) + "." + digits.substr(1) : digits;
  std::string e2 = std::to_string(std::abs(exp));
  return sign + mantissa + (exp < 0 ? "e-" : "e+") +
         (e2.size() < 2 ? "0" : "") + e2;
}

} // namespace mnistc::rt::detail

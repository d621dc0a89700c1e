//===- Value.h - Checked argument values of DSL calls ---------------------===//
//
// What Sema makes of an argument once it has been checked against its
// ArgSpec: a number, a string, a tuple of integers, a list, or a nested call
// (an optimizer, a callback, a regularizer) with its own checked arguments.
// Every value remembers where it was written.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_FRONTEND_VALUE_H
#define MNISTC_COMPILER_FRONTEND_VALUE_H

#include "dsl/Diagnostics.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace mnistc {

struct CallSpec;

struct Value {
  enum Kind { None, Int, Float, Bool, String, Ints, List, Call };
  Kind kind = None;
  int64_t i = 0;
  double f = 0;
  bool b = false;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<Value> items;                        // List
  const CallSpec *call = nullptr;                  // Call
  std::vector<std::pair<std::string, Value>> args; // Call, in spec order
  dsl::Loc loc;

  static Value none() { return Value(); }
  static Value integer(int64_t v) {
    Value x; x.kind = Int; x.i = v; x.f = double(v); return x;
  }
  static Value real(double v) { Value x; x.kind = Float; x.f = v; return x; }
  static Value boolean(bool v) { Value x; x.kind = Bool; x.b = v; return x; }
  static Value str(std::string v) {
    Value x; x.kind = String; x.s = std::move(v); return x;
  }
  static Value pair(int64_t a, int64_t b) {
    Value x; x.kind = Ints; x.ints = {a, b}; return x;
  }
  static Value list() { Value x; x.kind = List; return x; }

  bool isNone() const { return kind == None; }
  /// The named argument of a Call value (always present: defaults are
  /// filled in). Aborts on a name the spec does not have.
  const Value &arg(const std::string &name) const {
    for (const auto &[n, v] : args)
      if (n == name)
        return v;
    std::abort(); // a typo in compiler code, not user input
  }
};

} // namespace mnistc

#endif

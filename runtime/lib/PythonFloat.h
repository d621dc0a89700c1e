//===- PythonFloat.h - A double as Python's str() writes it ---------------===//
//
// Keras writes its logs (CSVLogger, the history) with Python's str() of a
// float: the shortest digits that read back to the same double. The
// runtime's CSV files use the same text so they compare equal to Keras's.
// Internal to libmnistrt.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_LIB_PYTHONFLOAT_H
#define MNISTC_RUNTIME_LIB_PYTHONFLOAT_H

#include <string>

namespace mnistc::rt::detail {

/// Python's str() of a float: the shortest digits that read back to the
/// same double, in fixed notation for exponents -4..15, else d.ddde±XX.
std::string pythonFloat(double v);

} // namespace mnistc::rt::detail

#endif

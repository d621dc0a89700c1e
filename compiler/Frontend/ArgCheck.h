//===- ArgCheck.h - Checking a DSL call against its CallSpec --------------===//
//
// Turns `Conv2D(32, kernel_size=3, activation="relu")` into a checked Value
// with every argument typed and every default filled in, reporting each
// problem (unknown or duplicate argument, missing required one, wrong type,
// out-of-range value, unknown name) at its location with a suggestion.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_FRONTEND_ARGCHECK_H
#define MNISTC_COMPILER_FRONTEND_ARGCHECK_H

#include "compiler/Frontend/Catalog.h"
#include "dsl/AST.h"

namespace mnistc {

/// Checks the arguments of `call` (a Call expression) against `spec`.
/// Arguments in error take their defaults so checking can go on; the
/// caller learns of errors through `diags`.
Value checkCall(const dsl::Expr &call, const CallSpec &spec,
                dsl::DiagnosticEngine &diags);

/// The callee name without a Keras module prefix: `layers.Dense` -> `Dense`.
std::string baseName(const std::string &dotted);

/// "the string \"512\"", "(3, 3)", ... for "found ..." in messages.
std::string describeFound(const dsl::Expr &e);

} // namespace mnistc

#endif

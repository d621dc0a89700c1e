//===- Parser.h - Recursive-descent parser for model descriptions --------===//
//
// Builds the AST (AST.h) from tokens. Syntax errors are reported with their
// location and what was expected; the parser then skips to the end of the
// statement and goes on, so one run reports every independent mistake.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_DSL_PARSER_H
#define MNISTC_DSL_PARSER_H

#include "dsl/AST.h"
#include "dsl/Diagnostics.h"

namespace mnistc::dsl {

/// Lexes and parses `file`. Returns the (possibly partial) module; check
/// `diags.hadError()` before using it.
Module parse(const SourceFile &file, DiagnosticEngine &diags);

} // namespace mnistc::dsl

#endif

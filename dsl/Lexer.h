//===- Lexer.h - Tokens of the model description language ----------------===//
//
// Splits a .dsl file into tokens, each with its line, column and length.
// Newlines end statements; the parser skips them inside (), [] so calls may
// span lines, as in Python. `#` starts a comment to the end of
// the line. Malformed tokens (unterminated strings, stray characters, bad
// numbers) are reported through the DiagnosticEngine and lexed as Error
// tokens so the parser can recover. The parser pulls tokens one at a time
// (TokenStream), so lexer and parser errors come out in source order.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_DSL_LEXER_H
#define MNISTC_DSL_LEXER_H

#include "dsl/Diagnostics.h"

#include <memory>
#include <string>
#include <vector>

namespace mnistc::dsl {

enum class Tok {
  Eof,
  Newline,
  Ident,
  Int,
  Float,
  String,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Equal,
  Dot,
  Minus,
  Error,
};

/// How a token kind reads in a message ("'('", "a number", ...).
const char *describe(Tok kind);

struct Token {
  Tok kind = Tok::Eof;
  Loc loc;
  /// The source spelling; for strings, the decoded contents.
  std::string text;
};

/// Lexes on demand: each next() scans one more token (blank lines collapse
/// into one Newline; after the end, Eof again), reporting its errors then.
class TokenStream {
public:
  TokenStream(const SourceFile &file, DiagnosticEngine &diags);
  ~TokenStream();
  Token next();

private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  Tok last_ = Tok::Newline; // collapses leading and repeated newlines
};

/// Lexes the whole file at once.
std::vector<Token> lex(const SourceFile &file, DiagnosticEngine &diags);

} // namespace mnistc::dsl

#endif

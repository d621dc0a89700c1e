//===- AST.h - Syntax tree of a model description -------------------------===//
//
// The parser's output: a file holds one `model NAME { ... }` block and
// top-level calls such as compile(...) and fit(...). Every node records the
// location of its first token, so later stages report errors where the user
// wrote the construct. The AST is purely syntactic: it does not know which
// names are layers or which arguments they take.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_DSL_AST_H
#define MNISTC_DSL_AST_H

#include "dsl/Diagnostics.h"

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace mnistc::dsl {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// One argument of a call: positional (keyword empty) or `keyword=value`.
struct Argument {
  std::string keyword;
  Loc keywordLoc;
  ExprPtr value;
};

/// An expression. Which fields are meaningful depends on `kind`.
struct Expr {
  enum Kind { Int, Float, String, Bool, None, Name, Tuple, List, Call };
  Kind kind;
  Loc loc;
  int64_t intValue = 0;     // Int, Bool (0/1)
  double floatValue = 0;    // Int, Float
  std::string text;         // String contents, Name (dotted), number spelling
  std::vector<ExprPtr> elements; // Tuple, List
  ExprPtr callee;           // Call
  std::vector<Argument> args; // Call
  Loc endLoc;               // Call: the closing ')'

  Expr(Kind k, Loc l) : kind(k), loc(l) {}
  bool isNumber() const { return kind == Int || kind == Float; }
  /// The callee's name for a call whose callee is a (dotted) name, else "".
  std::string calleeName() const;
};

/// `target = value`, or a bare expression statement (target empty).
struct Statement {
  std::string target;
  Loc targetLoc;
  ExprPtr value;
};

struct ModelDecl {
  std::string name;
  Loc loc;     // the `model` keyword
  Loc nameLoc;
  std::vector<Statement> body;
};

struct Module {
  std::vector<ModelDecl> models;
  /// Top-level statements: compile(...), fit(...).
  std::vector<Statement> sections;
};

/// Prints the tree with locations (`mnistc --emit=ast`).
void dumpAST(const Module &module, std::ostream &os);

/// Renders an expression back as source text (for messages).
std::string toSource(const Expr &e);

} // namespace mnistc::dsl

#endif

//===- AST.cpp - Printing the syntax tree --------------------------------===//
//
// `mnistc --emit=ast` output: an indented tree, one node per line, each with
// its `@line:col` location, in the spirit of MLIR Toy's AST dump.
//
//===----------------------------------------------------------------------===//
#include "dsl/AST.h"

#include <sstream>

namespace mnistc::dsl {

std::string Expr::calleeName() const {
  return kind == Call && callee && callee->kind == Name ? callee->text : "";
}

static std::string at(Loc loc) {
  return " @" + std::to_string(loc.line) + ":" + std::to_string(loc.col);
}

static std::string quote(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out + "\"";
}

std::string toSource(const Expr &e) {
  switch (e.kind) {
  case Expr::Int:
  case Expr::Float:
  case Expr::Name:
    return e.text;
  case Expr::String:
    return quote(e.text);
  case Expr::Bool:
    return e.intValue ? "True" : "False";
  case Expr::None:
    return "None";
  case Expr::Tuple:
  case Expr::List: {
    std::string s = e.kind == Expr::Tuple ? "(" : "[";
    for (size_t i = 0; i < e.elements.size(); ++i)
      s += (i ? ", " : "") + toSource(*e.elements[i]);
    if (e.kind == Expr::Tuple && e.elements.size() == 1)
      s += ",";
    return s + (e.kind == Expr::Tuple ? ")" : "]");
  }
  case Expr::Call: {
    std::string s = toSource(*e.callee) + "(";
    for (size_t i = 0; i < e.args.size(); ++i) {
      s += i ? ", " : "";
      if (!e.args[i].keyword.empty())
        s += e.args[i].keyword + "=";
      s += toSource(*e.args[i].value);
    }
    return s + ")";
  }
  }
  return "";
}

static void dump(const Expr &e, std::ostream &os, int indent);

static void dumpArgs(const std::vector<Argument> &args, std::ostream &os,
                     int indent) {
  for (const Argument &a : args) {
    os << std::string(indent, ' ');
    if (a.keyword.empty())
      os << "Arg" << '\n';
    else
      os << "Kwarg " << a.keyword << at(a.keywordLoc) << '\n';
    dump(*a.value, os, indent + 2);
  }
}

static void dump(const Expr &e, std::ostream &os, int indent) {
  os << std::string(indent, ' ');
  switch (e.kind) {
  case Expr::Int:
    os << "Int " << e.intValue << at(e.loc) << '\n';
    return;
  case Expr::Float:
    os << "Float " << e.text << at(e.loc) << '\n';
    return;
  case Expr::String:
    os << "String " << quote(e.text) << at(e.loc) << '\n';
    return;
  case Expr::Bool:
    os << "Bool " << (e.intValue ? "True" : "False") << at(e.loc) << '\n';
    return;
  case Expr::None:
    os << "None" << at(e.loc) << '\n';
    return;
  case Expr::Name:
    os << "Name " << e.text << at(e.loc) << '\n';
    return;
  case Expr::Tuple:
  case Expr::List:
    os << (e.kind == Expr::Tuple ? "Tuple" : "List") << at(e.loc) << '\n';
    for (const ExprPtr &el : e.elements)
      dump(*el, os, indent + 2);
    return;
  case Expr::Call:
    if (e.callee->kind == Expr::Name) {
      os << "Call " << e.callee->text << at(e.loc) << '\n';
    } else {
      os << "Call" << at(e.loc) << '\n';
      dump(*e.callee, os, indent + 2);
    }
    dumpArgs(e.args, os, indent + 2);
    return;
  }
}

void dumpAST(const Module &module, std::ostream &os) {
  os << "Module\n";
  for (const ModelDecl &m : module.models) {
    os << "  Model " << m.name << at(m.loc) << '\n';
    for (const Statement &s : m.body) {
      if (s.target.empty()) {
        dump(*s.value, os, 4);
      } else {
        os << "    Assign " << s.target << at(s.targetLoc) << '\n';
        dump(*s.value, os, 6);
      }
    }
  }
  for (const Statement &s : module.sections)
    dump(*s.value, os, 2);
}

} // namespace mnistc::dsl

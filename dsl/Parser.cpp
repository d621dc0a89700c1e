//===- Parser.cpp - Recursive-descent parser for model descriptions ------===//
//
// One function per grammar rule; the rule is written above it. Statements
// end at a newline; inside () and [] newlines are skipped. After a syntax
// error the parser skips to the next statement (or the closing '}') and
// continues, stopping early only when the DiagnosticEngine hits its cap.
// Tokens are lexed as the parser reaches them, so every error comes out in
// source order; an error at a token the lexer already reported (an Error
// token) is not reported again.
//
//===----------------------------------------------------------------------===//
#include "dsl/Parser.h"

#include "dsl/Lexer.h"

#include <deque>

namespace mnistc::dsl {
namespace {

/// Thrown to unwind out of a statement after a reported syntax error.
struct SyntaxError {};

class Parser {
public:
  Parser(const SourceFile &file, DiagnosticEngine &diags)
      : stream_(file, diags), diags_(diags) {}

  // file := (model-decl | section)* EOF
  Module parseFile() {
    Module module;
    skipNewlines();
    while (cur().kind != Tok::Eof && !diags_.shouldStop()) {
      try {
        if (cur().kind == Tok::Ident && cur().text == "model" &&
            (peek(1).kind == Tok::Ident || peek(1).kind == Tok::LBrace)) {
          module.models.push_back(parseModel());
        } else {
          Statement s = parseStatement();
          if (!s.target.empty())
            diags_.error(s.targetLoc, "assignments belong inside a model "
                                      "block: model NAME { ... }");
          module.sections.push_back(std::move(s));
          endStatement();
        }
      } catch (SyntaxError &) {
        recover(/*insideModel=*/false);
      }
      skipNewlines();
    }
    return module;
  }

private:
  /// Token `i`, lexing up to it first; past the end, the Eof token.
  const Token &at(size_t i) const {
    while (toks_.size() <= i &&
           (toks_.empty() || toks_.back().kind != Tok::Eof))
      toks_.push_back(stream_.next());
    return toks_[std::min(i, toks_.size() - 1)];
  }
  const Token &cur() const { return at(pos_); }
  const Token &peek(size_t n) const { return at(pos_ + n); }
  const Token &prev() const { return at(pos_ ? pos_ - 1 : 0); }
  Token take() {
    Token t = cur();
    if (t.kind != Tok::Eof)
      ++pos_;
    return t;
  }
  void skipNewlines() {
    while (cur().kind == Tok::Newline)
      ++pos_;
  }
  /// The position just after the previous token: where a missing token goes.
  Loc afterPrev() const {
    Loc l = prev().loc;
    return Loc{l.line, l.col + l.len, 1};
  }
  std::string found() const {
    const Token &t = cur();
    switch (t.kind) {
    case Tok::Ident: return "'" + t.text + "'";
    case Tok::Int:
    case Tok::Float: return "number " + t.text;
    case Tok::String: return "string \"" + t.text + "\"";
    default: return describe(t.kind);
    }
  }
  [[noreturn]] void fail(Loc loc, const std::string &msg,
                         const std::string &fixit = "") {
    diags_.error(loc, msg, fixit);
    throw SyntaxError();
  }
  /// Fails at the current token, silently if the lexer already explained
  /// it.
  [[noreturn]] void failHere(const std::string &msg) {
    if (cur().kind == Tok::Error)
      throw SyntaxError();
    fail(cur().loc, msg);
  }
  [[noreturn]] void expected(const std::string &what) {
    failHere("expected " + what + ", found " + found());
  }

  /// Skips to the start of the next statement. Inside a model, stops before
  /// the closing '}' so the block still closes.
  void recover(bool insideModel) {
    int depth = 0;
    while (cur().kind != Tok::Eof) {
      Tok k = cur().kind;
      if (k == Tok::LParen || k == Tok::LBracket || k == Tok::LBrace) {
        ++depth;
      } else if (k == Tok::RParen || k == Tok::RBracket) {
        depth = std::max(0, depth - 1);
      } else if (k == Tok::RBrace) {
        if (depth == 0) {
          if (!insideModel)
            ++pos_;
          return;
        }
        --depth;
      } else if (k == Tok::Newline && depth == 0) {
        ++pos_;
        return;
      }
      ++pos_;
    }
  }

  void endStatement() {
    if (cur().kind == Tok::Newline || cur().kind == Tok::Eof ||
        cur().kind == Tok::RBrace)
      return;
    if (cur().kind == Tok::RParen || cur().kind == Tok::RBracket)
      fail(cur().loc, "unmatched " + std::string(describe(cur().kind)));
    failHere("expected the end of the line after the statement, found " +
             found() + "; put each layer on its own line");
  }

  // model-decl := 'model' IDENT '{' (statement NEWLINE)* '}'
  ModelDecl parseModel() {
    ModelDecl m;
    m.loc = take().loc;
    if (cur().kind == Tok::LBrace) {
      diags_.error(cur().loc, "expected a name for the model before '{', "
                              "e.g. model mnist { ... }");
      m.nameLoc = cur().loc;
    } else {
      Token name = take();
      m.name = name.text;
      m.nameLoc = name.loc;
    }
    std::string what = m.name.empty() ? "the model" : "model '" + m.name + "'";
    if (cur().kind != Tok::LBrace) {
      // At the end of the line the '{' was most likely forgotten: say so
      // and read the block anyway, so the report stops there.
      diags_.error(afterPrev(), "expected '{' after 'model " + m.name + "'",
                   "{");
      if (cur().kind != Tok::Newline)
        throw SyntaxError();
    } else {
      take();
    }
    skipNewlines();
    while (cur().kind != Tok::RBrace && !diags_.shouldStop()) {
      if (cur().kind == Tok::Eof)
        fail(m.loc, what + " is not closed; add '}' after its last layer");
      try {
        m.body.push_back(parseStatement());
        endStatement();
      } catch (SyntaxError &) {
        recover(/*insideModel=*/true);
      }
      skipNewlines();
    }
    take();
    return m;
  }

  // statement := IDENT '=' expr | expr
  Statement parseStatement() {
    Statement s;
    if (cur().kind == Tok::Ident && peek(1).kind == Tok::Equal) {
      Token target = take();
      s.target = target.text;
      s.targetLoc = target.loc;
      take();
    }
    s.value = parseExpr();
    const Token &next = cur();
    if (s.value->kind != Expr::Name || s.target.size() ||
        next.loc.line != prev().loc.line)
      return s;
    // `Model m {`: a misspelled keyword.
    if (next.kind == Tok::Ident && s.value->text != "model" &&
        !closestMatch(s.value->text, {"model"}).empty())
      fail(s.value->loc, "unknown keyword '" + s.value->text +
                             "'; did you mean 'model'?",
           "model");
    // `Dense 10`: a layer name followed by its arguments without '('.
    if (next.kind == Tok::Int || next.kind == Tok::Float ||
        next.kind == Tok::String)
      fail(afterPrev(), "expected '(' after '" + s.value->text +
                            "'; layers are called like Dense(10)",
           "(");
    return s;
  }

  // expr := '-' (INT | FLOAT) | postfix
  ExprPtr parseExpr() {
    // Bound the recursion so that a pathological file cannot overflow the
    // stack; no real model nests anywhere near this deep.
    struct Nest {
      int &depth;
      explicit Nest(int &d) : depth(++d) {}
      ~Nest() { --depth; }
    } nest(depth_);
    if (depth_ > kMaxDepth)
      fail(cur().loc, "expression nested too deeply (more than " +
                          std::to_string(kMaxDepth) + " levels)");
    if (cur().kind == Tok::Minus) {
      Loc minus = take().loc;
      if (cur().kind != Tok::Int && cur().kind != Tok::Float)
        expected("a number after '-'");
      ExprPtr e = parsePrimary();
      e->intValue = -e->intValue;
      e->floatValue = -e->floatValue;
      e->text = "-" + e->text;
      e->loc = Loc{minus.line, minus.col, e->loc.len + (e->loc.col - minus.col)};
      return e;
    }
    return parsePostfix();
  }

  // postfix := primary ('(' arguments ')' | '.' IDENT)*
  ExprPtr parsePostfix() {
    ExprPtr e = parsePrimary();
    for (;;) {
      if (cur().kind == Tok::Dot && e->kind == Expr::Name) {
        take();
        if (cur().kind != Tok::Ident)
          expected("a name after '.'");
        Token t = take();
        e->text += "." + t.text;
        e->loc.len = t.loc.col + t.loc.len - e->loc.col;
      } else if (cur().kind == Tok::LParen) {
        auto call = std::make_unique<Expr>(Expr::Call, e->loc);
        take();
        parseArguments(*call);
        call->callee = std::move(e);
        e = std::move(call);
      } else {
        return e;
      }
    }
  }

  // arguments := [argument (',' argument)* [',']] ')'
  // argument  := IDENT '=' expr | expr
  void parseArguments(Expr &call) {
    bool sawKeyword = false;
    for (;;) {
      skipNewlines();
      if (cur().kind == Tok::RParen) {
        call.endLoc = take().loc;
        return;
      }
      Argument arg;
      if (cur().kind == Tok::Ident && peek(1).kind == Tok::Equal) {
        Token kw = take();
        arg.keyword = kw.text;
        arg.keywordLoc = kw.loc;
        take();
        skipNewlines();
        sawKeyword = true;
      } else if (sawKeyword) {
        ExprPtr v = parseExpr();
        fail(v->loc, "positional argument follows a keyword argument; write "
                     "it as name=value or move it before the keywords");
      }
      arg.value = parseExpr();
      call.args.push_back(std::move(arg));
      bool lineBreak = cur().kind == Tok::Newline;
      Loc afterArg = afterPrev();
      skipNewlines();
      if (cur().kind == Tok::Comma) {
        take();
        continue;
      }
      if (cur().kind == Tok::RParen)
        continue;
      if (lineBreak || cur().kind == Tok::RBrace || cur().kind == Tok::Eof) {
        // The call most likely lacks its ')': say so and let the next line
        // parse as its own statement.
        Loc open = call.loc;
        diags_.error(afterArg, "expected ')' to close the call that "
                               "starts at line " + std::to_string(open.line) +
                               ", column " + std::to_string(open.col), ")");
        call.endLoc = afterArg;
        if (pos_ > 0 && toks_[pos_ - 1].kind == Tok::Newline)
          --pos_; // leave the newline to end this statement
        return;
      }
      failHere("expected ',' or ')' after the argument, found " + found());
    }
  }

  // primary := IDENT | INT | FLOAT | STRING | tuple | list
  // tuple   := '(' [expr (',' expr)* [',']] ')'     -- '(x)' is just x
  // list    := '[' [expr (',' expr)* [',']] ']'
  ExprPtr parsePrimary() {
    const Token &t = cur();
    switch (t.kind) {
    case Tok::Ident: {
      Token tok = take();
      bool lowerBool = tok.text == "true" || tok.text == "false";
      if (lowerBool)
        diags_.error(tok.loc, "booleans are spelled True and False",
                     tok.text == "true" ? "True" : "False");
      Expr::Kind k = tok.text == "True" || tok.text == "False" || lowerBool
                         ? Expr::Bool
                     : tok.text == "None" ? Expr::None
                                          : Expr::Name;
      auto e = std::make_unique<Expr>(k, tok.loc);
      e->text = tok.text;
      e->intValue = tok.text == "True" || tok.text == "true";
      return e;
    }
    case Tok::Int:
    case Tok::Float: {
      Token tok = take();
      auto e = std::make_unique<Expr>(
          tok.kind == Tok::Int ? Expr::Int : Expr::Float, tok.loc);
      e->text = tok.text;
      try {
        e->floatValue = std::stod(tok.text);
        if (tok.kind == Tok::Int)
          e->intValue = std::stoll(tok.text);
      } catch (...) {
        fail(tok.loc, "number '" + tok.text + "' is out of range");
      }
      return e;
    }
    case Tok::String: {
      Token tok = take();
      auto e = std::make_unique<Expr>(Expr::String, tok.loc);
      e->text = tok.text;
      return e;
    }
    case Tok::LParen:
    case Tok::LBracket:
      return parseSequence();
    default:
      expected("a value (a number, a string, a name, a tuple or a list)");
    }
  }

  ExprPtr parseSequence() {
    bool isList = cur().kind == Tok::LBracket;
    Tok close = isList ? Tok::RBracket : Tok::RParen;
    Token open = take();
    auto e = std::make_unique<Expr>(isList ? Expr::List : Expr::Tuple, open.loc);
    bool trailingComma = false;
    for (;;) {
      skipNewlines();
      if (cur().kind == close)
        break;
      if (cur().kind == Tok::Eof || cur().kind == Tok::RBrace ||
          cur().kind == (isList ? Tok::RParen : Tok::RBracket))
        fail(afterPrev(), std::string("expected ") + describe(close) +
                              " to close the " + (isList ? "list" : "tuple") +
                              " that starts at line " +
                              std::to_string(open.loc.line) + ", column " +
                              std::to_string(open.loc.col),
             isList ? "]" : ")");
      e->elements.push_back(parseExpr());
      skipNewlines();
      trailingComma = false;
      if (cur().kind == Tok::Comma) {
        take();
        trailingComma = true;
      } else if (cur().kind != close) {
        failHere(std::string("expected ',' or ") + describe(close) +
                 " in the " + (isList ? "list" : "tuple") + ", found " +
                 found());
      }
    }
    Token end = take();
    if (end.loc.line == e->loc.line)
      e->loc.len = end.loc.col + 1 - e->loc.col;
    if (!isList && e->elements.size() == 1 && !trailingComma)
      return std::move(e->elements[0]); // parenthesized expression
    return e;
  }

  mutable TokenStream stream_;
  /// Lexed so far; a deque, so references to tokens survive more lexing.
  mutable std::deque<Token> toks_;
  size_t pos_ = 0;
  static constexpr int kMaxDepth = 200;
  int depth_ = 0; // parseExpr calls in progress
  DiagnosticEngine &diags_;
};

} // namespace

Module parse(const SourceFile &file, DiagnosticEngine &diags) {
  return Parser(file, diags).parseFile();
}

} // namespace mnistc::dsl

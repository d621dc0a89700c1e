//===- Lexer.cpp - Tokens of the model description language --------------===//
//
// A hand-written scanner over the file text (see Lexer.h for the rules).
//
//===----------------------------------------------------------------------===//
#include "dsl/Lexer.h"

#include <algorithm>
#include <cctype>

namespace mnistc::dsl {

const char *describe(Tok kind) {
  switch (kind) {
  case Tok::Eof: return "end of file";
  case Tok::Newline: return "end of line";
  case Tok::Ident: return "a name";
  case Tok::Int: return "an integer";
  case Tok::Float: return "a number";
  case Tok::String: return "a string";
  case Tok::LParen: return "'('";
  case Tok::RParen: return "')'";
  case Tok::LBracket: return "'['";
  case Tok::RBracket: return "']'";
  case Tok::LBrace: return "'{'";
  case Tok::RBrace: return "'}'";
  case Tok::Comma: return "','";
  case Tok::Equal: return "'='";
  case Tok::Dot: return "'.'";
  case Tok::Minus: return "'-'";
  case Tok::Error: return "an invalid token";
  }
  return "a token";
}

namespace {

class Lexer {
public:
  Lexer(const SourceFile &file, DiagnosticEngine &diags)
      : src_(file.text()), diags_(diags) {}

  /// The next token, blank lines not yet collapsed (TokenStream does that).
  Token next() { return scan(); }

private:
  bool atEnd() const { return pos_ >= src_.size(); }
  /// A control character the language refuses anywhere (a NUL byte
  /// included): all but tab, CR and LF.
  static bool isControl(char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7f;
  }
  void controlError(Loc loc, char c) {
    diags_.error(loc, "unexpected control character (code " +
                          std::to_string(static_cast<unsigned char>(c)) + ")");
  }
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  void advance() {
    if (src_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }
  Token make(Tok kind, Loc loc, std::string text) {
    loc.len = std::max(1, col_ - loc.col);
    if (loc.line != line_) // a token that spans lines underlines one char
      loc.len = 1;
    return Token{kind, loc, std::move(text)};
  }

  Token scan() {
    // Skip blanks and comments.
    for (;;) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\r') {
        advance();
      } else if (c == '#') {
        while (!atEnd() && peek() != '\n') {
          if (isControl(peek()))
            controlError(Loc{line_, col_, 1}, peek());
          advance();
        }
      } else if (c == '\\' && peek(1) == '\n') { // explicit line joining
        advance();
        advance();
      } else {
        break;
      }
    }
    Loc loc{line_, col_, 1};
    size_t start = pos_;
    char c = peek();
    if (atEnd())
      return Token{Tok::Eof, loc, ""};
    if (c == '\n') {
      advance();
      return Token{Tok::Newline, loc, "\n"};
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')
        advance();
      return make(Tok::Ident, loc, src_.substr(start, pos_ - start));
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && std::isdigit(static_cast<unsigned char>(peek(1)))))
      return number(loc);
    if (c == '"' || c == '\'')
      return string(loc);
    advance();
    switch (c) {
    case '(': return make(Tok::LParen, loc, "(");
    case '[': return make(Tok::LBracket, loc, "[");
    case ')': return make(Tok::RParen, loc, ")");
    case ']': return make(Tok::RBracket, loc, "]");
    case '{': return make(Tok::LBrace, loc, "{");
    case '}': return make(Tok::RBrace, loc, "}");
    case ',': return make(Tok::Comma, loc, ",");
    case '=': return make(Tok::Equal, loc, "=");
    case '.': return make(Tok::Dot, loc, ".");
    case '-': return make(Tok::Minus, loc, "-");
    case ':':
      diags_.error(loc, "unexpected ':'; arguments are written name=value",
                   "=");
      return make(Tok::Equal, loc, ":");
    case ';':
      diags_.error(loc, "unexpected ';'; statements end at the end of a line "
                        "(remove the ';')");
      return make(Tok::Error, loc, ";");
    default:
      break;
    }
    // Swallow a whole UTF-8 sequence so the caret covers one character.
    while ((static_cast<unsigned char>(peek()) & 0xC0) == 0x80)
      ++pos_;
    std::string text = src_.substr(start, pos_ - start);
    if (static_cast<unsigned char>(c) >= 0x80)
      diags_.error(loc, "unexpected character '" + text +
                            "'; only ASCII is allowed outside strings and "
                            "comments (check for curly quotes)");
    else if (std::isprint(static_cast<unsigned char>(c)))
      diags_.error(loc, "unexpected character '" + text + "'");
    else
      controlError(loc, c);
    return make(Tok::Error, loc, text);
  }

  // number := digits ('.' digits?)? ([eE] [+-]? digits)? | '.' digits ...
  Token number(Loc loc) {
    size_t start = pos_;
    bool isFloat = false;
    auto digits = [&] {
      while (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '_')
        advance();
    };
    digits();
    if (peek() == '.' && !std::isalpha(static_cast<unsigned char>(peek(1)))) {
      isFloat = true;
      advance();
      digits();
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (std::isdigit(static_cast<unsigned char>(peek(1))) ||
         ((peek(1) == '-' || peek(1) == '+') &&
          std::isdigit(static_cast<unsigned char>(peek(2)))))) {
      isFloat = true;
      advance();
      if (peek() == '-' || peek() == '+')
        advance();
      digits();
    }
    std::string text;
    for (char ch : src_.substr(start, pos_ - start))
      if (ch != '_')
        text += ch;
    if (std::isalpha(static_cast<unsigned char>(peek())) || peek() == '_') {
      while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')
        advance();
      Token t = make(Tok::Error, loc, src_.substr(start, pos_ - start));
      diags_.error(t.loc, "invalid number '" + t.text + "'");
      return t;
    }
    return make(isFloat ? Tok::Float : Tok::Int, loc, text);
  }

  // string := '"' chars '"' | "'" chars "'"   (escapes \\ \" \' \n \t)
  Token string(Loc loc) {
    char quote = peek();
    advance();
    std::string value;
    while (peek() != quote) {
      if (atEnd() || peek() == '\n') {
        Token t = make(Tok::Error, loc, value);
        t.loc.len = 1;
        diags_.error(loc, "unterminated string; add the closing " +
                              std::string(1, quote));
        return t;
      }
      if (peek() == '\\' && peek(1) && peek(1) != '\n') {
        advance();
        char e = peek();
        value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        advance();
        continue;
      }
      if (isControl(peek()))
        controlError(Loc{line_, col_, 1}, peek());
      value += peek();
      advance();
    }
    advance();
    return make(Tok::String, loc, value);
  }

  const std::string &src_;
  DiagnosticEngine &diags_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
};

} // namespace

class TokenStream::Impl : public Lexer {
public:
  using Lexer::Lexer;
};

TokenStream::TokenStream(const SourceFile &file, DiagnosticEngine &diags)
    : impl_(std::make_unique<Impl>(file, diags)) {}

TokenStream::~TokenStream() = default;

Token TokenStream::next() {
  for (;;) {
    Token t = impl_->next();
    // Collapse blank lines; the parser skips newlines inside brackets.
    if (t.kind == Tok::Newline && last_ == Tok::Newline)
      continue;
    last_ = t.kind;
    return t;
  }
}

std::vector<Token> lex(const SourceFile &file, DiagnosticEngine &diags) {
  TokenStream stream(file, diags);
  std::vector<Token> out;
  do
    out.push_back(stream.next());
  while (out.back().kind != Tok::Eof);
  return out;
}

} // namespace mnistc::dsl

// Unit tests of the lexer: token kinds, locations and lengths, comments,
// newline collapsing, string escapes, and located errors.
#include "dsl/Lexer.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace mnistc::dsl;

namespace {
std::vector<Token> lexString(const std::string &text, std::string *errors) {
  SourceFile file("l.dsl", text);
  std::ostringstream out;
  DiagnosticEngine diags(file, out);
  std::vector<Token> toks = lex(file, diags);
  *errors = out.str();
  return toks;
}
} // namespace

TEST(Lexer, TokensWithLocations) {
  std::string errors;
  auto t = lexString("Dense(512, rate=1e-3)  # hidden\n\n\nx", &errors);
  ASSERT_EQ(errors, "");
  std::vector<Tok> kinds{Tok::Ident, Tok::LParen, Tok::Int,   Tok::Comma,
                         Tok::Ident, Tok::Equal,  Tok::Float, Tok::RParen,
                         Tok::Newline, Tok::Ident, Tok::Eof};
  ASSERT_EQ(t.size(), kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i)
    EXPECT_EQ(t[i].kind, kinds[i]) << "token " << i;
  EXPECT_EQ(t[0].loc.len, 5);
  EXPECT_EQ(t[6].text, "1e-3");
  EXPECT_EQ(t[6].loc.col, 17);
  EXPECT_EQ(t[9].loc.line, 4);
}

TEST(Lexer, StringsAndEscapes) {
  std::string errors;
  auto t = lexString("'a\\'b' \"c\"", &errors);
  ASSERT_EQ(errors, "");
  EXPECT_EQ(t[0].text, "a'b");
  EXPECT_EQ(t[1].text, "c");
}

TEST(Lexer, UnterminatedStringIsLocated) {
  std::string errors;
  auto t = lexString("x = \"relu\n", &errors);
  EXPECT_EQ(t[2].kind, Tok::Error);
  EXPECT_NE(errors.find("l.dsl:1:5: error: unterminated string"),
            std::string::npos);
}

TEST(Lexer, StrayCharacterAndBadNumber) {
  std::string errors;
  lexString("a $ 12abc", &errors);
  EXPECT_NE(errors.find("1:3: error: unexpected character '$'"),
            std::string::npos);
  EXPECT_NE(errors.find("1:5: error: invalid number '12abc'"),
            std::string::npos);
}

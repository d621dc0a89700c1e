// Unit tests of the parser: the AST shape of a model, tuples versus
// parentheses, dotted names, and recovery after several errors.
#include "dsl/Parser.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace mnistc::dsl;

namespace {
Module parseString(const std::string &text, std::string *errors) {
  SourceFile file("p.dsl", text);
  std::ostringstream out;
  DiagnosticEngine diags(file, out);
  Module m = parse(file, diags);
  *errors = out.str();
  return m;
}
} // namespace

TEST(Parser, ModelAndSections) {
  std::string errors;
  Module m = parseString("model m {\n  input(shape=(28, 28, 1))\n"
                         "  layers.Dense(10,\n    activation=\"softmax\")\n}\n"
                         "compile(loss=\"mse\")\n",
                         &errors);
  ASSERT_EQ(errors, "");
  ASSERT_EQ(m.models.size(), 1u);
  ASSERT_EQ(m.models[0].body.size(), 2u);
  const Expr &dense = *m.models[0].body[1].value;
  EXPECT_EQ(dense.calleeName(), "layers.Dense");
  ASSERT_EQ(dense.args.size(), 2u);
  EXPECT_EQ(dense.args[1].keyword, "activation");
  EXPECT_EQ(m.sections.size(), 1u);
}

TEST(Parser, TupleVersusParentheses) {
  std::string errors;
  Module m = parseString("model m {\n  a = f((3), (3,), (2, 2))\n}\n", &errors);
  ASSERT_EQ(errors, "");
  const Expr &call = *m.models[0].body[0].value;
  EXPECT_EQ(m.models[0].body[0].target, "a");
  EXPECT_EQ(call.args[0].value->kind, Expr::Int);
  EXPECT_EQ(call.args[1].value->kind, Expr::Tuple);
  EXPECT_EQ(call.args[2].value->elements.size(), 2u);
}

TEST(Parser, RecoversAndReportsEveryStatement) {
  std::string errors;
  Module m = parseString("model m {\n  Dense(10 20)\n  Dense(=)\n"
                         "  Dense(5)\n}\n",
                         &errors);
  EXPECT_NE(errors.find("p.dsl:2:12: error: expected ',' or ')'"),
            std::string::npos);
  EXPECT_NE(errors.find("p.dsl:3:9: error: expected a value"),
            std::string::npos);
  ASSERT_EQ(m.models.size(), 1u);
  EXPECT_EQ(m.models[0].body.size(), 1u); // the good statement survives
}

TEST(Parser, MissingCloseParenAtEndOfLine) {
  std::string errors;
  Module m = parseString("model m {\n  Dense(10\n  Dense(5)\n}\n", &errors);
  EXPECT_NE(errors.find("p.dsl:2:11: error: expected ')' to close the call"),
            std::string::npos);
  EXPECT_EQ(m.models[0].body.size(), 2u);
}

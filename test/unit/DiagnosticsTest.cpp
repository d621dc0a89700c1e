// Unit tests of the diagnostic printer: location format, quoted line,
// caret and underline, fix-it line, the error cap, and "did you mean".
#include "dsl/Diagnostics.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace mnistc::dsl;

TEST(Diagnostics, PrintsLocationLineCaretAndFixit) {
  SourceFile file("m.dsl", "model m {\n  Conv2d(32, 3)\n}\n");
  std::ostringstream out;
  DiagnosticEngine diags(file, out);
  diags.error(Loc{2, 3, 6}, "unknown layer 'Conv2d'", "Conv2D");
  EXPECT_EQ(out.str(), "m.dsl:2:3: error: unknown layer 'Conv2d'\n"
                       "  Conv2d(32, 3)\n"
                       "  ^~~~~~\n"
                       "  Conv2D\n");
  EXPECT_EQ(diags.errorCount(), 1u);
}

TEST(Diagnostics, KeepsTabsSoTheCaretLinesUp) {
  SourceFile file("t.dsl", "\tDense(x)\n");
  std::ostringstream out;
  DiagnosticEngine diags(file, out);
  diags.warning(Loc{1, 8, 1}, "w");
  EXPECT_EQ(out.str(), "t.dsl:1:8: warning: w\n\tDense(x)\n\t      ^\n");
  EXPECT_FALSE(diags.hadError());
}

TEST(Diagnostics, StopsAtTheCap) {
  SourceFile file("c.dsl", "a\n");
  std::ostringstream out;
  DiagnosticEngine diags(file, out, 2);
  for (int i = 0; i < 5; ++i)
    diags.error(Loc{1, 1, 1}, "e" + std::to_string(i));
  EXPECT_EQ(diags.errorCount(), 2u);
  EXPECT_TRUE(diags.shouldStop());
  EXPECT_NE(out.str().find("too many errors emitted (2)"), std::string::npos);
  EXPECT_EQ(out.str().find("e2"), std::string::npos);
}

TEST(Diagnostics, ClosestMatch) {
  std::vector<std::string> layers{"Dense", "Conv2D", "MaxPooling2D",
                                  "Dropout"};
  EXPECT_EQ(closestMatch("Conv2d", layers), "Conv2D");
  EXPECT_EQ(closestMatch("dense", layers), "Dense");
  EXPECT_EQ(closestMatch("MaxPool2D", layers), "MaxPooling2D");
  EXPECT_EQ(closestMatch("Transformer", layers), "");
}

TEST(Diagnostics, LineTextHandlesCRLFAndMissingLines) {
  SourceFile file("w.dsl", "one\r\ntwo");
  EXPECT_EQ(file.lineText(1), "one");
  EXPECT_EQ(file.lineText(2), "two");
  EXPECT_EQ(file.lineText(3), "");
}

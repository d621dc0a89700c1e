//===- Diagnostics.h - Located errors with a caret and a fix-it -----------===//
//
// Every message a user of mnistc sees about their model goes through a
// DiagnosticEngine: it prints `file:line:col: error: message`, quotes the
// source line, underlines the offending token with `^~~~`, and prints a
// suggested replacement under it when one is obvious (clang's fix-it style).
// It counts errors and stops the front end after a cap so a badly broken file
// gives a readable, bounded report.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_DSL_DIAGNOSTICS_H
#define MNISTC_DSL_DIAGNOSTICS_H

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace mnistc::dsl {

/// A position in a source file: 1-based line and column, and the length of
/// the token it points at (for the `^~~~` underline).
struct Loc {
  int line = 0;
  int col = 0;
  int len = 1;
  bool valid() const { return line > 0; }
};

/// The text of one source file, kept so diagnostics can quote lines; a
/// UTF-8 byte-order mark at its start is dropped.
class SourceFile {
public:
  SourceFile(std::string name, std::string text);
  const std::string &name() const { return name_; }
  const std::string &text() const { return text_; }
  /// The text of 1-based line `line`, without its newline; empty if absent.
  std::string lineText(int line) const;

private:
  std::string name_;
  std::string text_;
  std::vector<size_t> lineStarts_;
};

enum class Severity { Error, Warning, Note };

class DiagnosticEngine {
public:
  DiagnosticEngine(const SourceFile &file, std::ostream &os,
                   unsigned maxErrors = 20);

  /// Reports at `loc`. `fixit`, when not empty, is printed under the caret as
  /// the text that should replace the underlined token.
  void error(Loc loc, const std::string &msg, const std::string &fixit = "");
  void warning(Loc loc, const std::string &msg, const std::string &fixit = "");
  void note(Loc loc, const std::string &msg);
  void report(Severity sev, Loc loc, const std::string &msg,
              const std::string &fixit = "");

  unsigned errorCount() const { return errors_; }
  bool hadError() const { return errors_ > 0; }
  /// True once the error cap was reached; callers stop producing errors.
  bool shouldStop() const { return stopped_; }
  const SourceFile &file() const { return file_; }

private:
  const SourceFile &file_;
  std::ostream &os_;
  unsigned maxErrors_;
  unsigned errors_ = 0;
  bool stopped_ = false;
};

/// Returns the candidate closest to `word` (case-insensitive edit distance,
/// at most about a third of the word's length), or "" if none is close.
std::string closestMatch(const std::string &word,
                         const std::vector<std::string> &candidates);

} // namespace mnistc::dsl

#endif

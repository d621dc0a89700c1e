//===- Diagnostics.cpp - Located errors with a caret and a fix-it ---------===//
//
// Formatting of diagnostics (see Diagnostics.h) and the "did you mean"
// helper used across the front end.
//
//===----------------------------------------------------------------------===//
#include "dsl/Diagnostics.h"

#include <algorithm>
#include <cctype>

namespace mnistc::dsl {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  // A UTF-8 byte-order mark, which some editors write, is not text.
  if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0)
    text_.erase(0, 3);
  lineStarts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n')
      lineStarts_.push_back(i + 1);
}

std::string SourceFile::lineText(int line) const {
  if (line < 1 || static_cast<size_t>(line) > lineStarts_.size())
    return "";
  size_t begin = lineStarts_[line - 1];
  size_t end = text_.find('\n', begin);
  if (end == std::string::npos)
    end = text_.size();
  std::string s = text_.substr(begin, end - begin);
  if (!s.empty() && s.back() == '\r')
    s.pop_back();
  return s;
}

DiagnosticEngine::DiagnosticEngine(const SourceFile &file, std::ostream &os,
                                   unsigned maxErrors)
    : file_(file), os_(os), maxErrors_(maxErrors ? maxErrors : 1) {}

void DiagnosticEngine::error(Loc loc, const std::string &msg,
                             const std::string &fixit) {
  report(Severity::Error, loc, msg, fixit);
}
void DiagnosticEngine::warning(Loc loc, const std::string &msg,
                               const std::string &fixit) {
  report(Severity::Warning, loc, msg, fixit);
}
void DiagnosticEngine::note(Loc loc, const std::string &msg) {
  report(Severity::Note, loc, msg);
}

void DiagnosticEngine::report(Severity sev, Loc loc, const std::string &msg,
                              const std::string &fixit) {
  if (stopped_)
    return;
  if (sev == Severity::Error && errors_ == maxErrors_) {
    os_ << file_.name() << ": fatal error: too many errors emitted ("
        << maxErrors_ << "), stopping now [use --max-errors=N to see more]\n";
    stopped_ = true;
    return;
  }
  const char *label = sev == Severity::Error     ? "error"
                      : sev == Severity::Warning ? "warning"
                                                 : "note";
  os_ << file_.name();
  if (loc.valid())
    os_ << ':' << loc.line << ':' << loc.col;
  os_ << ": " << label << ": " << msg << '\n';
  if (sev == Severity::Error)
    ++errors_;
  if (!loc.valid())
    return;
  std::string line = file_.lineText(loc.line);
  os_ << line << '\n';
  // Keep tabs in the indentation so the caret lines up with the quoted text.
  std::string pad;
  for (int i = 0; i + 1 < loc.col && i < static_cast<int>(line.size()); ++i)
    pad += line[i] == '\t' ? '\t' : ' ';
  int len = std::max(1, loc.len);
  os_ << pad << '^' << std::string(len - 1, '~') << '\n';
  if (!fixit.empty())
    os_ << pad << fixit << '\n';
}

static unsigned editDistance(const std::string &a, const std::string &b) {
  std::vector<unsigned> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      unsigned sub = std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closestMatch(const std::string &word,
                         const std::vector<std::string> &candidates) {
  std::string best;
  unsigned bestDist = ~0u;
  for (const std::string &c : candidates) {
    unsigned d = editDistance(word, c);
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  unsigned limit = std::max<unsigned>(1, (word.size() + 2) / 3);
  return bestDist <= limit ? best : "";
}

} // namespace mnistc::dsl

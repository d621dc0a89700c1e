//===- History.cpp - history.csv, history.png and report.html -------------===//
//
// The files of history.h. The plot is a gnuplot script with the data
// inline (a datablock), written to a temporary file next to the PNG and
// run by posix_spawn (no shell) with stdin from /dev/null and stdout and
// stderr into a pipe, whose text becomes the warning when gnuplot fails.
// gnuplot draws into a temporary file; once it exits cleanly and the file
// starts with the PNG signature, writeFileAtomic puts it in place.
//
//===----------------------------------------------------------------------===//
#include "mnistc/history.h"

#include "FileIO.h"
#include "PythonFloat.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

extern char **environ;

namespace mnistc::rt {
namespace {

/// How long gnuplot may take to draw one plot.
constexpr int kGnuplotTimeoutMs = 60000;

using detail::pythonFloat;

std::string cell(const std::optional<float> &v) {
  return v ? pythonFloat(*v) : "NA";
}

/// `s` as a single-quoted gnuplot string (no escapes but '' for ').
std::string gnuplotQuote(const std::string &s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "''";
    else
      out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "'";
}

/// The executable `name` in a directory of $PATH, or "".
std::string findOnPath(const std::string &name) {
  const char *env = std::getenv("PATH");
  std::string path = env ? env : "/usr/local/bin:/usr/bin:/bin";
  for (size_t start = 0; start <= path.size();) {
    size_t end = path.find(':', start);
    if (end == std::string::npos)
      end = path.size();
    std::string dir = path.substr(start, end - start);
    start = end + 1;
    if (dir.empty()) // the current directory: not searched
      continue;
    std::string file = dir + "/" + name;
    struct stat st;
    if (::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(file.c_str(), X_OK) == 0)
      return file;
  }
  return "";
}

/// Runs `exe script`; fills `output` with what it wrote to stdout and
/// stderr. Returns "" on exit status 0, else what went wrong.
std::string runGnuplot(const std::string &exe, const std::string &script,
                       std::string &output) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return "cannot make a pipe: " + detail::errnoText(errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  std::string arg0 = "gnuplot";
  // A relative name could start with '-' and read as an option.
  std::string arg1 = script[0] == '/' ? script : "./" + script;
  char *argv[] = {arg0.data(), arg1.data(), nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return "cannot run " + exe + ": " + detail::errnoText(rc);
  }
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(kGnuplotTimeoutMs);
  bool timedOut = false;
  for (char buf[4096];;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    pollfd p{fds[0], POLLIN, 0};
    int n = left > 0 ? ::poll(&p, 1, int(left)) : 0;
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      timedOut = true;
      ::kill(pid, SIGKILL);
      break;
    }
    ssize_t got = ::read(fds[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    if (output.size() < 65536)
      output.append(buf, size_t(got));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timedOut)
    return "gnuplot took over " + std::to_string(kGnuplotTimeoutMs / 1000) +
           "s and was stopped";
  if (WIFSIGNALED(status))
    return "gnuplot was killed by signal " + std::to_string(WTERMSIG(status));
  if (WEXITSTATUS(status) != 0)
    return "gnuplot failed (exit status " +
           std::to_string(WEXITSTATUS(status)) + ")";
  return "";
}

/// gnuplot's output on one line, at most ~300 characters.
std::string oneLine(const std::string &text) {
  std::string out;
  for (char c : text) {
    bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space && (out.empty() || out.back() == ' '))
      continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out.size() > 300 ? out.substr(0, 297) + "..." : out;
}

} // namespace

void History::append(const EpochLogs &logs) {
  Entry e;
  e.epoch = logs.epoch;
  e.loss = float(logs.train.loss);
  e.accuracy = float(logs.train.accuracy);
  if (logs.hasValidation) {
    e.valLoss = float(logs.validation.loss);
    e.valAccuracy = float(logs.validation.accuracy);
  }
  if (logs.learningRate)
    e.learningRate = float(*logs.learningRate);
  entries_.push_back(e);
}

std::string History::csv() const {
  bool lr = false;
  for (const Entry &e : entries_)
    lr |= e.learningRate.has_value();
  std::string text = "epoch,accuracy,loss,val_accuracy,val_loss";
  text += lr ? ",learning_rate\n" : "\n";
  for (const Entry &e : entries_) {
    text += std::to_string(e.epoch) + "," + pythonFloat(e.accuracy) + "," +
            pythonFloat(e.loss) + "," + cell(e.valAccuracy) + "," +
            cell(e.valLoss);
    text += lr ? "," + cell(e.learningRate) + "\n" : "\n";
  }
  return text;
}

std::string htmlEscape(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string History::html(const std::string &modelName,
                          const std::string &extraHtml,
                          const std::string &plotWarning) const {
  bool lr = false;
  for (const Entry &e : entries_)
    lr |= e.learningRate.has_value();
  auto td = [](const std::optional<float> &v) {
    return "<td>" + (v ? formatMetric(*v) : std::string("NA")) + "</td>";
  };
  std::string name = htmlEscape(modelName);
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>" + name + " \xE2\x80\x94 training history</title>\n"
      "<style>\nbody { font-family: sans-serif; margin: 2em; }\n"
      "table { border-collapse: collapse; }\n"
      "th, td { border: 1px solid #bbb; padding: 2px 10px; "
      "text-align: right; }\n"
      ".warning { color: #a40; }\n</style>\n</head>\n<body>\n"
      "<h1>" + name + "</h1>\n<p>Training history: " +
      std::to_string(entries_.size()) +
      (entries_.size() == 1 ? " epoch" : " epochs") +
      " (<a href=\"history.csv\">history.csv</a>).</p>\n";
  if (plotWarning.empty())
    h += "<p><img src=\"history.png\" alt=\"loss and accuracy per epoch, "
         "train and validation\"></p>\n";
  else
    h += "<p class=\"warning\">" + htmlEscape(plotWarning) + "</p>\n";
  h += "<table>\n<tr><th>epoch</th><th>accuracy</th><th>loss</th>"
       "<th>val_accuracy</th><th>val_loss</th>";
  h += lr ? "<th>learning_rate</th></tr>\n" : "</tr>\n";
  for (const Entry &e : entries_) {
    h += "<tr><td>" + std::to_string(e.epoch + 1) + "</td>" + td(e.accuracy) +
         td(e.loss) + td(e.valAccuracy) + td(e.valLoss);
    h += lr ? td(e.learningRate) + "</tr>\n" : "</tr>\n";
  }
  h += "</table>\n";
  if (!extraHtml.empty())
    h += extraHtml + (extraHtml.back() == '\n' ? "" : "\n");
  return h + "</body>\n</html>\n";
}

Status History::plot(const std::string &pngPath,
                     const std::string &modelName) const {
  auto warn = [&](const std::string &why) {
    return Status::error(pngPath + ": history.png not drawn: " + why);
  };
  if (entries_.empty())
    return warn("no epochs to plot");
  std::string exe = findOnPath("gnuplot");
  if (exe.empty())
    return warn("gnuplot not found on PATH; install gnuplot-nox");

  // Temporary files next to the PNG: the script and gnuplot's image.
  std::string scriptPath = pngPath + ".gp.XXXXXX";
  std::string imagePath = pngPath + ".tmp.XXXXXX";
  int scriptFd = ::mkstemp(scriptPath.data());
  if (scriptFd < 0)
    return warn("cannot create a temporary file next to it: " +
                detail::errnoText(errno));
  ::close(scriptFd);
  int imageFd = ::mkstemp(imagePath.data());
  if (imageFd < 0) {
    ::unlink(scriptPath.c_str());
    return warn("cannot create a temporary file next to it: " +
                detail::errnoText(errno));
  }
  ::close(imageFd);

  bool val = false;
  int32_t first = entries_.front().epoch, last = first;
  for (const Entry &e : entries_) {
    val |= e.valLoss.has_value();
    first = std::min(first, e.epoch);
    last = std::max(last, e.epoch);
  }
  std::string s =
      "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
      "  set terminal pngcairo noenhanced size 1100,440 font 'sans,11'\n"
      "} else {\n"
      "  set terminal png noenhanced size 1100,440\n"
      "}\n"
      "set output " + gnuplotQuote(imagePath) + "\n"
      "set datafile missing 'NA'\n"
      "$history << EOD\n";
  // Columns: epoch (1-based), loss, accuracy, val_loss, val_accuracy.
  for (const Entry &e : entries_)
    s += std::to_string(e.epoch + 1) + " " + pythonFloat(e.loss) + " " +
         pythonFloat(e.accuracy) + " " + cell(e.valLoss) + " " +
         cell(e.valAccuracy) + "\n";
  s += "EOD\n"
       "set multiplot layout 1,2 title " +
       gnuplotQuote(modelName + ": training history") + "\n"
       "set grid\nset xlabel 'epoch'\n";
  // The epochs there are, 1-based, with a margin; integer tics.
  double pad = std::max(0.5, 0.03 * (last - first));
  s += "set xrange [" + std::to_string(first + 1 - pad) + ":" +
       std::to_string(last + 1 + pad) + "]\n";
  s += last - first < 20 ? "set xtics 1\n" : "set xtics\nset format x '%g'\n";
  s += "set style line 1 lc rgb '#1f77b4' lw 2 pt 7 ps 0.8\n"
       "set style line 2 lc rgb '#ff7f0e' lw 2 pt 5 ps 0.8\n";
  for (int panel = 0; panel < 2; ++panel) {
    const char *what = panel == 0 ? "loss" : "accuracy";
    int col = panel == 0 ? 2 : 3;
    s += std::string("set title '") + what + "'\nset ylabel '" + what +
         "'\nset key " + (panel == 0 ? "top" : "bottom") + " right\n" +
         "plot $history using 1:" + std::to_string(col) +
         " with linespoints ls 1 title 'train'";
    if (val)
      s += ", $history using 1:" + std::to_string(col + 2) +
           " with linespoints ls 2 title 'validation'";
    s += "\n";
  }
  s += "unset multiplot\nset output\n";

  auto cleanup = [&] {
    ::unlink(scriptPath.c_str());
    ::unlink(imagePath.c_str());
  };
  if (Status st = detail::writeFileAtomic(scriptPath, {{s.data(), s.size()}});
      st.failed()) {
    cleanup();
    return warn(st.message());
  }
  std::string output;
  std::string problem = runGnuplot(exe, scriptPath, output);
  if (!problem.empty()) {
    cleanup();
    std::string said = oneLine(output);
    return warn(problem + (said.empty() ? "" : ": " + said));
  }
  std::ifstream in(imagePath, std::ios::binary);
  std::string png((std::istreambuf_iterator<char>(in)),
                  std::istreambuf_iterator<char>());
  if (png.size() < 8 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    cleanup();
    std::string said = oneLine(output);
    return warn("gnuplot (" + exe + ") wrote no PNG" +
                (said.empty() ? "" : ": " + said));
  }
  Status st = detail::writeFileAtomic(pngPath, {{png.data(), png.size()}});
  cleanup();
  return st.failed() ? warn(st.message()) : Status::success();
}

Status History::write(const std::string &dir, const std::string &modelName,
                      std::vector<std::string> &warnings,
                      const std::string &extraHtml) const {
  std::error_code ec;
  if (dir.empty())
    return Status::error("<empty path>: no directory given for the history");
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    return Status::error(dir + ": cannot create the history directory: " +
                         (ec ? ec.message() : "not a directory") +
                         "; choose a directory you can write to");
  std::string base = dir.back() == '/' ? dir : dir + "/";
  std::string text = csv();
  if (Status s = detail::writeFileAtomic(base + "history.csv",
                                         {{text.data(), text.size()}});
      s.failed())
    return s;
  std::string plotWarning;
  if (Status s = plot(base + "history.png", modelName); s.failed()) {
    plotWarning = s.message();
    warnings.push_back(plotWarning);
    ::unlink((base + "history.png").c_str()); // no stale plot
  }
  text = html(modelName, extraHtml, plotWarning);
  return detail::writeFileAtomic(base + "report.html",
                                 {{text.data(), text.size()}});
}

} // namespace mnistc::rt

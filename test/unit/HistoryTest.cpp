// Tests of runtime/lib/History.cpp: history.csv's exact text for hand-made
// epoch logs, the PNG gnuplot draws (signature and IHDR size), the HTML
// page's table and escaping, and what write() does without gnuplot, with a
// failing gnuplot and with a directory it cannot create.
#include "mnistc/history.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

using namespace mnistc::rt;
namespace fs = std::filesystem;

namespace {

EpochLogs logs(int epoch, double acc, double loss) {
  EpochLogs l;
  l.epoch = epoch;
  l.train.accuracy = acc;
  l.train.loss = loss;
  return l;
}

EpochLogs withVal(EpochLogs l, double acc, double loss) {
  l.hasValidation = true;
  l.validation.accuracy = acc;
  l.validation.loss = loss;
  return l;
}

/// Three epochs with validation, as a short run leaves them.
History threeEpochs() {
  History h;
  h.append(withVal(logs(0, 0.9, 0.5), 0.75, 0.25));
  h.append(withVal(logs(1, 0.95, 0.25), 0.875, 0.125));
  h.append(withVal(logs(2, 0.96875, 0.125), 0.9375, 0.1));
  return h;
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

/// A fresh directory, removed with the object.
struct TempDir {
  std::string path;
  TempDir() {
    const char *tmp = std::getenv("TMPDIR");
    std::string t = std::string(tmp && *tmp ? tmp : "/tmp") +
                     "/mnistc-history-XXXXXX";
    path = ::mkdtemp(t.data()) ? t : "";
    EXPECT_FALSE(path.empty());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

/// Sets PATH for the lifetime of the object.
struct ScopedPath {
  std::string old;
  bool had;
  explicit ScopedPath(const std::string &value) {
    const char *p = std::getenv("PATH");
    had = p != nullptr;
    old = p ? p : "";
    ::setenv("PATH", value.c_str(), 1);
  }
  ~ScopedPath() {
    if (had)
      ::setenv("PATH", old.c_str(), 1);
    else
      ::unsetenv("PATH");
  }
};

bool gnuplotOnPath() {
  const char *p = std::getenv("PATH");
  std::string path = p ? p : "";
  for (size_t s = 0; s <= path.size();) {
    size_t e = path.find(':', s);
    if (e == std::string::npos)
      e = path.size();
    std::string f = path.substr(s, e - s) + "/gnuplot";
    if (e > s && ::access(f.c_str(), X_OK) == 0)
      return true;
    s = e + 1;
  }
  return false;
}

uint32_t bigEndian32(const std::string &s, size_t at) {
  return uint32_t(uint8_t(s[at])) << 24 | uint32_t(uint8_t(s[at + 1])) << 16 |
         uint32_t(uint8_t(s[at + 2])) << 8 | uint32_t(uint8_t(s[at + 3]));
}

} // namespace

TEST(History, CsvWithValidation) {
  // float32 values as Python's str() prints them widened to double.
  EXPECT_EQ(threeEpochs().csv(),
            "epoch,accuracy,loss,val_accuracy,val_loss\n"
            "0,0.8999999761581421,0.5,0.75,0.25\n"
            "1,0.949999988079071,0.25,0.875,0.125\n"
            "2,0.96875,0.125,0.9375,0.10000000149011612\n");
}

TEST(History, CsvWithoutValidationHasNAColumns) {
  History h;
  h.append(logs(0, 0.5, 2.0));
  h.append(logs(1, 0.625, 1e-5));
  EXPECT_EQ(h.csv(), "epoch,accuracy,loss,val_accuracy,val_loss\n"
                     "0,0.5,2.0,NA,NA\n"
                     "1,0.625,9.999999747378752e-06,NA,NA\n");
}

TEST(History, CsvLearningRateAndResumedEpochs) {
  History h;
  EpochLogs a = withVal(logs(3, 0.5, 0.5), 0.5, 0.5);
  EpochLogs b = withVal(logs(4, 0.75, 0.25), 0.625, 0.375);
  b.learningRate = 0.0005;
  h.append(a);
  h.append(b);
  EXPECT_EQ(h.csv(),
            "epoch,accuracy,loss,val_accuracy,val_loss,learning_rate\n"
            "3,0.5,0.5,0.5,0.5,NA\n"
            "4,0.75,0.25,0.625,0.375,0.0005000000237487257\n");
  ASSERT_EQ(h.entries().size(), 2u);
  EXPECT_EQ(h.entries()[1].epoch, 4);
}

TEST(History, HtmlTableAndEscaping) {
  History h = threeEpochs();
  std::string page = h.html("a<b&c", "<p id=\"extra\">test accuracy</p>");
  EXPECT_NE(page.find("<h1>a&lt;b&amp;c</h1>"), std::string::npos) << page;
  EXPECT_EQ(page.find("a<b&c"), std::string::npos) << page;
  // 1-based, as the training log prints epochs.
  EXPECT_NE(page.find("<tr><td>1</td><td>0.9000</td><td>0.5000</td>"
                      "<td>0.7500</td><td>0.2500</td></tr>"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<tr><td>3</td><td>0.9688</td><td>0.1250</td>"
                      "<td>0.9375</td><td>0.1000</td></tr>"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<img src=\"history.png\""), std::string::npos);
  EXPECT_NE(page.find("<a href=\"history.csv\">"), std::string::npos);
  EXPECT_NE(page.find("<p id=\"extra\">test accuracy</p>"), std::string::npos);
  EXPECT_EQ(htmlEscape("\"x'y\" <&>"), "&quot;x&#39;y&quot; &lt;&amp;&gt;");
}

TEST(History, WritesCsvPngAndHtml) {
  // scripts/setup.sh installs gnuplot-nox, so a missing gnuplot is a fault.
  ASSERT_TRUE(gnuplotOnPath()) << "gnuplot is not on PATH (install gnuplot-nox)";
  TempDir tmp;
  std::string dir = tmp.path + "/run/history"; // parents created too
  std::vector<std::string> warnings;
  History h = threeEpochs();
  Status s = h.write(dir, "it's a <model>", warnings, "<p>extra</p>");
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  EXPECT_EQ(readFile(dir + "/history.csv"), h.csv());
  std::string page = readFile(dir + "/report.html");
  EXPECT_NE(page.find("<img src=\"history.png\""), std::string::npos);
  EXPECT_NE(page.find("<p>extra</p>"), std::string::npos);

  std::string png = readFile(dir + "/history.png");
  ASSERT_GT(png.size(), 33u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  uint32_t width = bigEndian32(png, 16), height = bigEndian32(png, 20);
  EXPECT_GE(width, 600u);
  EXPECT_LE(width, 3000u);
  EXPECT_GE(height, 250u);
  EXPECT_LE(height, 2000u);
  EXPECT_GT(width, height); // two panels side by side
  EXPECT_GT(png.size(), 5000u) << "too small to hold two plots";
  // No temporary files left behind.
  size_t files = 0;
  for (const auto &entry : fs::directory_iterator(dir))
    files += entry.path().filename().string()[0] != '.';
  EXPECT_EQ(files, 3u);
}

TEST(History, WithoutGnuplotStillWritesCsvAndHtml) {
  TempDir tmp;
  std::string empty = tmp.path + "/emptybin";
  ASSERT_EQ(::mkdir(empty.c_str(), 0755), 0);
  std::string dir = tmp.path + "/out";
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
  { std::ofstream(dir + "/history.png") << "stale"; }
  std::vector<std::string> warnings;
  History h = threeEpochs();
  Status s = [&] {
    ScopedPath path(empty);
    return h.write(dir, "m", warnings);
  }();
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("history.png not drawn: gnuplot not found"),
            std::string::npos)
      << warnings[0];
  EXPECT_NE(warnings[0].find("install gnuplot-nox"), std::string::npos);
  EXPECT_EQ(readFile(dir + "/history.csv"), h.csv());
  std::string page = readFile(dir + "/report.html");
  EXPECT_NE(page.find("<tr><td>2</td>"), std::string::npos) << page;
  EXPECT_EQ(page.find("<img"), std::string::npos) << page;
  EXPECT_NE(page.find("gnuplot not found"), std::string::npos) << page;
  EXPECT_FALSE(fs::exists(dir + "/history.png")) << "stale plot kept";
}

TEST(History, FailingGnuplotIsAWarningWithItsOutput) {
  TempDir tmp;
  std::string bin = tmp.path + "/bin";
  ASSERT_EQ(::mkdir(bin.c_str(), 0755), 0);
  {
    std::ofstream fake(bin + "/gnuplot");
    fake << "#!/bin/sh\necho 'line 3: unknown terminal' >&2\nexit 1\n";
  }
  ASSERT_EQ(::chmod((bin + "/gnuplot").c_str(), 0755), 0);
  std::vector<std::string> warnings;
  Status s = [&] {
    ScopedPath path(bin);
    return threeEpochs().write(tmp.path + "/out", "m", warnings);
  }();
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("exit status 1"), std::string::npos)
      << warnings[0];
  EXPECT_NE(warnings[0].find("unknown terminal"), std::string::npos)
      << warnings[0];
  EXPECT_TRUE(fs::exists(tmp.path + "/out/report.html"));
  EXPECT_FALSE(fs::exists(tmp.path + "/out/history.png"));
}

TEST(History, UncreatableDirectoryNamesIt) {
  TempDir tmp;
  std::string file = tmp.path + "/file";
  { std::ofstream(file) << "x"; }
  std::string dir = file + "/history"; // a regular file as parent
  std::vector<std::string> warnings;
  Status s = threeEpochs().write(dir, "m", warnings);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message().rfind(dir + ": ", 0), 0u) << s.message();
  // The directory itself a regular file.
  s = threeEpochs().write(file, "m", warnings);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message().rfind(file + ": ", 0), 0u) << s.message();
}

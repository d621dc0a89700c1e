//===- TempDirTest.h - A fresh temporary directory per test ---------------===//
//
// What the runtime's file tests share: the fixture TempDirTest (SetUp
// makes a new directory under GoogleTest's TempDir(), TearDown removes it
// with everything in it, path(name) names a file inside it), and reading
// and writing a file's raw bytes.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_TEST_UNIT_TEMPDIRTEST_H
#define MNISTC_TEST_UNIT_TEMPDIRTEST_H

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

/// The bytes of `path`; empty if it cannot be read.
inline std::vector<uint8_t> readRaw(const std::string &path) {
  std::vector<uint8_t> bytes;
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return bytes;
  unsigned char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    bytes.insert(bytes.end(), buf, buf + n);
  std::fclose(f);
  return bytes;
}

/// Writes `bytes` to `path` (a test failure if it cannot).
inline void writeRaw(const std::string &path,
                     const std::vector<uint8_t> &bytes) {
  FILE *f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  if (!bytes.empty()) {
    ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  }
  ASSERT_EQ(std::fclose(f), 0);
}

class TempDirTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "mnistrt-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string path(const std::string &name) const { return dir_ + "/" + name; }

  std::string dir_;
};

#endif

//===- TempDirTest.h - A fresh temporary directory per test ---------------===//
//
// The fixture the runtime's file tests share: SetUp makes a new directory
// under GoogleTest's TempDir(), TearDown removes it with everything in it,
// and path(name) names a file inside it.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_TEST_UNIT_TEMPDIRTEST_H
#define MNISTC_TEST_UNIT_TEMPDIRTEST_H

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

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

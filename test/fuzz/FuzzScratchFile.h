//===- FuzzScratchFile.h - One fuzz input as a file on disk ----------------===//
//
// The runtime's readers take paths, as users give them, so the file fuzzers
// write each input to a scratch file and hand over its path. One file per
// process, rewritten for every input, removed at exit; under /dev/shm where
// it exists so the writes never touch a disk.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_TEST_FUZZ_FUZZSCRATCHFILE_H
#define MNISTC_TEST_FUZZ_FUZZSCRATCHFILE_H

#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace mnistc::fuzz {

class ScratchFile {
public:
  /// `suffix` ends the name (".gz" makes the writers compress; the readers
  /// look at the bytes, not the name).
  explicit ScratchFile(const std::string &suffix) {
    struct stat st;
    std::string dir = ::stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp";
    path_ = dir + "/mnistc-fuzz-" + std::to_string(::getpid()) + suffix;
  }
  ~ScratchFile() { std::remove(path_.c_str()); }

  /// Replaces the file's contents with [data, data + size); aborts when the
  /// file cannot be written (the fuzzer would test nothing).
  const std::string &write(const uint8_t *data, size_t size) {
    FILE *f = std::fopen(path_.c_str(), "wb");
    if (!f || std::fwrite(data, 1, size, f) != size || std::fclose(f) != 0) {
      std::perror(path_.c_str());
      std::abort();
    }
    return path_;
  }

private:
  std::string path_;
};

} // namespace mnistc::fuzz

#endif

//===- FileIO.h - Checked file reading and atomic writing -----------------===//
//
// The runtime's only door to the file system for data files. InputFile opens
// a regular file for one front-to-back read, recognises gzip by its first two
// bytes (0x1f 0x8b) and decompresses it transparently when zlib is built in;
// it reports the size of a plain file up front so formats can check their
// headers against it before allocating. writeFileAtomic writes a temporary
// file next to the target, flushes it to disk and renames it over the target,
// so a reader never sees half a file. Every message starts with the path.
// Internal to libmnistrt (not installed).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_LIB_FILEIO_H
#define MNISTC_RUNTIME_LIB_FILEIO_H

#include "mnistc/status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mnistc::rt::detail {

/// True when zlib is compiled in.
bool haveZlib();

class InputFile {
public:
  InputFile() = default;
  InputFile(const InputFile &) = delete;
  InputFile &operator=(const InputFile &) = delete;
  ~InputFile() { close(); }

  /// Opens `path`: fails if it is missing, unreadable, not a regular file, or
  /// gzip-compressed in a build without zlib.
  Status open(const std::string &path);
  void close();

  const std::string &path() const { return path_; }
  bool compressed() const { return gz_ != nullptr; }
  /// The size in bytes of a plain file; for gzip, of the compressed file.
  uint64_t fileSize() const { return fileSize_; }

  /// Reads up to `n` bytes into `dst`; `got` < n only at the end of the data.
  /// Fails on an I/O error or corrupt compressed data. `endedEarly` (gzip
  /// only) is set when the compressed stream stops in the middle.
  Status read(void *dst, size_t n, size_t &got);
  bool endedEarly() const { return endedEarly_; }

private:
  std::string path_;
  int fd_ = -1;
  void *gz_ = nullptr; // gzFile when compressed
  uint64_t fileSize_ = 0;
  bool endedEarly_ = false;
};

/// Appends the whole content of `path` (decompressed if gzip) to `out`.
Status readWholeFile(const std::string &path, std::string &out);

/// One piece of a file to write.
using Chunk = std::pair<const void *, size_t>;

/// Writes the concatenated chunks to `path` atomically: to a temporary file
/// `path.tmp.PID.XXXXXX` in the same directory, fsync'd, then renamed over
/// `path`. gzip-compresses when `path` ends in ".gz". On failure the
/// temporary file is removed and `path` is left as it was. Temporaries of
/// `path` that a killed writer left (their PID runs no more) are removed
/// first.
Status writeFileAtomic(const std::string &path,
                       const std::vector<Chunk> &chunks);

/// Whether directory `dir` ("" for the working directory) takes a new
/// file, as writeFileAtomic's temporary: one is made there and removed.
/// On failure the message starts with `name`: "NAME: cannot be written:
/// <why>".
Status directoryTakesNewFile(const std::string &dir, const std::string &name);

/// "No such file or directory" etc. for errno `err`.
std::string errnoText(int err);

} // namespace mnistc::rt::detail

#endif

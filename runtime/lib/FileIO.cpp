//===- FileIO.cpp - Checked file reading and atomic writing ---------------===//
//
// POSIX file descriptors underneath (the runtime is Linux-only: it dlopens
// model.so files), zlib's gz* functions for compressed files. See FileIO.h.
//
//===----------------------------------------------------------------------===//
#include "FileIO.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <csignal>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#if MNISTRT_HAVE_ZLIB
#include <zlib.h>
#endif

namespace mnistc::rt::detail {

namespace {

/// Largest single read or write handed to the OS or to zlib (whose lengths
/// are `unsigned`).
constexpr size_t kMaxIo = size_t(1) << 30;

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Status fail(const std::string &path, const std::string &problem) {
  return Status::error(path + ": " + problem);
}

/// Writes all of [data, data + n) to `fd`, retrying short writes.
bool writeAll(int fd, const void *data, size_t n) {
  const char *p = static_cast<const char *>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, std::min(n, kMaxIo));
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    p += w;
    n -= size_t(w);
  }
  return true;
}

#if MNISTRT_HAVE_ZLIB
/// zlib's message for the last error of `gz`, without the "<fd:N>: " that
/// gzdopen'ed files put in front; errno's text for Z_ERRNO.
std::string gzMessage(gzFile gz) {
  int code = 0;
  std::string msg = gzerror(gz, &code);
  if (code == Z_ERRNO)
    return errnoText(errno);
  if (msg.rfind("<fd:", 0) == 0) {
    size_t colon = msg.find(": ");
    if (colon != std::string::npos)
      msg.erase(0, colon + 2);
  }
  return msg.empty() ? "zlib error" : msg;
}
#endif

} // namespace

bool haveZlib() {
#if MNISTRT_HAVE_ZLIB
  return true;
#else
  return false;
#endif
}

std::string errnoText(int err) {
  switch (err) {
  case ENOENT: return "no such file or directory";
  case EACCES: return "permission denied";
  case EISDIR: return "is a directory, not a file";
  case ENOSPC: return "no space left on the device";
  default: return std::strerror(err);
  }
}

Status InputFile::open(const std::string &path) {
  close();
  path_ = path;
  endedEarly_ = false;
  if (path.empty())
    return Status::error("<empty path>: no file name given");
  // Non-blocking, so that a FIFO with no writer is refused below instead
  // of blocking open() forever; a regular file reads the same either way.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return fail(path, "cannot open: " + errnoText(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return fail(path, "cannot stat: " + errnoText(err));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return fail(path, "is a directory, not a file");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(path, "is not a regular file (a device, pipe or socket)");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  fd_ = fd;
  fileSize_ = uint64_t(st.st_size);

  unsigned char magic[2] = {0, 0};
  ssize_t got = fileSize_ >= 2 ? ::pread(fd, magic, 2, 0) : 0;
  if (got < 0) {
    int err = errno;
    close();
    return fail(path, "cannot read: " + errnoText(err));
  }
  if (got != 2 || magic[0] != 0x1f || magic[1] != 0x8b)
    return Status::success();

#if MNISTRT_HAVE_ZLIB
  // gzdopen takes ownership of the descriptor it is given.
  int dupFd = ::dup(fd);
  gzFile gz = dupFd >= 0 ? gzdopen(dupFd, "rb") : nullptr;
  if (!gz) {
    if (dupFd >= 0)
      ::close(dupFd);
    close();
    return fail(path, "cannot start gzip decompression (out of memory?)");
  }
  gzbuffer(gz, 1 << 18);
  gz_ = gz;
  return Status::success();
#else
  close();
  return fail(path, "is gzip-compressed, but this runtime was built without "
                    "zlib; decompress it with `gunzip`, or install zlib1g-dev "
                    "and rebuild");
#endif
}

void InputFile::close() {
#if MNISTRT_HAVE_ZLIB
  if (gz_)
    gzclose_r(static_cast<gzFile>(gz_));
#endif
  gz_ = nullptr;
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

Status InputFile::read(void *dst, size_t n, size_t &got) {
  got = 0;
  char *p = static_cast<char *>(dst);
  if (fd_ < 0)
    return fail(path_, "read from a file that is not open");
#if MNISTRT_HAVE_ZLIB
  if (gz_) {
    gzFile gz = static_cast<gzFile>(gz_);
    while (got < n) {
      int r = gzread(gz, p + got, unsigned(std::min(n - got, kMaxIo)));
      if (r < 0)
        return fail(path_, "corrupt gzip data: " + gzMessage(gz));
      if (r == 0) {
        int code = 0;
        gzerror(gz, &code);
        endedEarly_ = code == Z_BUF_ERROR;
        break;
      }
      got += size_t(r);
    }
    return Status::success();
  }
#endif
  while (got < n) {
    ssize_t r = ::read(fd_, p + got, std::min(n - got, kMaxIo));
    if (r < 0) {
      if (errno == EINTR)
        continue;
      return fail(path_, "cannot read: " + errnoText(errno));
    }
    if (r == 0)
      break;
    got += size_t(r);
  }
  return Status::success();
}

Status readWholeFile(const std::string &path, std::string &out) {
  InputFile in;
  if (Status s = in.open(path); s.failed())
    return s;
  char buf[1 << 16];
  size_t got = 0;
  do {
    if (Status s = in.read(buf, sizeof buf, got); s.failed())
      return s;
    out.append(buf, got);
  } while (got == sizeof buf);
  return Status::success();
}

Status directoryTakesNewFile(const std::string &dir, const std::string &name) {
  std::string probe =
      (dir.empty() ? std::string(".") : dir) + "/.mnistc-probe.XXXXXX";
  std::vector<char> path(probe.begin(), probe.end());
  path.push_back('\0');
  int fd = ::mkstemp(path.data());
  if (fd < 0)
    return Status::error(name + ": cannot be written: " +
                         std::strerror(errno));
  ::close(fd);
  ::unlink(path.data());
  return Status::success();
}

/// Removes the temporaries `path.tmp.PID.XXXXXX` that a writer killed
/// before it could (kill -9, a power cut) left next to `path`: those whose
/// process PID no longer runs. A live writer's are left alone.
void removeStaleTemporaries(const std::string &path) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".")
                                              : target.parent_path();
  std::string prefix = target.filename().string() + ".tmp.";
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0)
      continue;
    size_t dot = name.find('.', prefix.size());
    std::string pid = name.substr(prefix.size(), dot - prefix.size());
    if (dot == std::string::npos || pid.empty() ||
        pid.find_first_not_of("0123456789") != std::string::npos)
      continue;
    if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH)
      ::unlink(it->path().c_str());
  }
}

Status writeFileAtomic(const std::string &path,
                       const std::vector<Chunk> &chunks) {
  if (path.empty())
    return Status::error("<empty path>: no file name given");
  bool gzip = endsWith(path, ".gz");
#if !MNISTRT_HAVE_ZLIB
  if (gzip)
    return fail(path, "cannot write gzip: this runtime was built without "
                      "zlib; drop the .gz suffix, or install zlib1g-dev and "
                      "rebuild");
#endif
  removeStaleTemporaries(path);
  std::string tmp = path + ".tmp." + std::to_string(::getpid()) + ".XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0)
    return fail(path, "cannot create a temporary file next to it: " +
                          errnoText(errno));
  tmp = name.data();
  auto abandon = [&](const std::string &problem) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return fail(path, problem);
  };

  if (gzip) {
#if MNISTRT_HAVE_ZLIB
    int dupFd = ::dup(fd);
    gzFile gz = dupFd >= 0 ? gzdopen(dupFd, "wb6") : nullptr;
    if (!gz) {
      if (dupFd >= 0)
        ::close(dupFd);
      return abandon("cannot start gzip compression (out of memory?)");
    }
    for (const Chunk &c : chunks) {
      const char *p = static_cast<const char *>(c.first);
      for (size_t left = c.second; left > 0;) {
        unsigned len = unsigned(std::min(left, kMaxIo));
        if (gzwrite(gz, p, len) != int(len)) {
          std::string msg = gzMessage(gz);
          gzclose_w(gz);
          return abandon("cannot write: " + msg);
        }
        p += len;
        left -= len;
      }
    }
    int rc = gzclose_w(gz);
    if (rc != Z_OK)
      return abandon(std::string("cannot finish the gzip stream: ") +
                     (rc == Z_ERRNO ? errnoText(errno) : "zlib error"));
#endif
  } else {
    for (const Chunk &c : chunks)
      if (!writeAll(fd, c.first, c.second))
        return abandon("cannot write: " + errnoText(errno));
  }
  if (::fchmod(fd, 0644) != 0)
    return abandon("cannot set permissions: " + errnoText(errno));
  if (::fsync(fd) != 0)
    return abandon("cannot flush to disk: " + errnoText(errno));
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return fail(path, "cannot close: " + errnoText(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return fail(path, "cannot rename " + tmp + " over it: " + errnoText(err));
  }
  return Status::success();
}

} // namespace mnistc::rt::detail

//===- Dataset.cpp - MNIST-format IDX data sets ----------------------------===//
//
// IDX reading in the llm.c manner: the header is read and checked field by
// field (magic, dimension count, item count against a limit, geometry), its
// promised length is checked against the file's size, and only then is the
// payload allocated and read. gzip files have no size up front, so for them
// the payload grows as it is decompressed (never beyond the limits or what
// the header promised) and its length is checked as it is read (too short,
// or a byte left over). Every message names the file,
// says what its header promised and what was found, and ends with the
// caller's hint (LoadOptions::hint). See docs/data.md.
//
//===----------------------------------------------------------------------===//
#include "mnistc/dataset.h"

#include "FileIO.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <sys/stat.h>

namespace mnistc::rt {

using detail::InputFile;

namespace {

/// The two IDX kinds we read.
struct IdxKind {
  uint32_t magic;
  uint32_t dims;        // dimensions after the magic
  const char *what;     // "image", "label"
  const char *items;    // "images", "labels"
  const char *dimNames; // for messages
};
constexpr IdxKind kImages = {kIdxImageMagic, 3, "image", "images",
                             "count, rows, cols"};
constexpr IdxKind kLabels = {kIdxLabelMagic, 1, "label", "labels", "count"};

std::string format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char *fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

/// "path: problem; hint".
Status fail(const std::string &path, const std::string &problem,
            const std::string &hint) {
  std::string msg = path + ": " + problem;
  if (!hint.empty())
    msg += "; " + hint;
  return Status::error(msg);
}

/// Appends the hint to a message that already names the file.
Status withHint(Status s, const std::string &hint) {
  if (s.ok() || hint.empty())
    return s;
  return Status::error(s.message() + "; " + hint);
}

uint32_t readBigEndian32(const unsigned char *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         uint32_t(p[3]);
}

void putBigEndian32(unsigned char *p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

const char *idxTypeName(unsigned type) {
  switch (type) {
  case 0x08: return "unsigned byte";
  case 0x09: return "signed byte";
  case 0x0B: return "int16";
  case 0x0C: return "int32";
  case 0x0D: return "float32";
  case 0x0E: return "float64";
  default: return "unknown";
  }
}

/// Checks the magic number of a `kind` file.
Status checkMagic(const std::string &path, uint32_t magic, const IdxKind &kind,
                  const std::string &hint) {
  if (magic == kind.magic)
    return Status::success();
  if (magic >> 16 != 0)
    return fail(path,
                format("not an IDX file: it starts with 0x%08" PRIX32
                       ", an IDX %s file starts with 0x%08" PRIX32,
                       magic, kind.what, kind.magic),
                hint);
  unsigned type = (magic >> 8) & 0xFF;
  unsigned dims = magic & 0xFF;
  if (type != 0x08)
    return fail(path,
                format("holds IDX data of type 0x%02X (%s); only unsigned "
                       "bytes (type 0x08, magic 0x%08" PRIX32
                       ") are supported",
                       type, idxTypeName(type), kind.magic),
                hint);
  const IdxKind &other = kind.magic == kImages.magic ? kLabels : kImages;
  if (magic == other.magic)
    return fail(path,
                format("is an IDX %s file (magic 0x%08" PRIX32
                       "), expected an IDX %s file (0x%08" PRIX32
                       "); are the image and label files swapped?",
                       other.what, magic, kind.what, kind.magic),
                "");
  return fail(path,
              format("has %u dimensions (magic 0x%08" PRIX32
                     "), an IDX %s file has %u (%s, magic 0x%08" PRIX32 ")",
                     dims, magic, kind.what, kind.dims, kind.dimNames,
                     kind.magic),
              hint);
}

/// What the header promised, for messages: "60000 images of 28x28
/// (47040016 bytes)" or "60000 labels (60008 bytes)".
std::string promised(const IdxKind &kind, const uint32_t *dims,
                     uint64_t totalBytes) {
  if (kind.dims == 3)
    return format("%" PRIu32 " images of %" PRIu32 "x%" PRIu32
                  " (%" PRIu64 " bytes)",
                  dims[0], dims[1], dims[2], totalBytes);
  return format("%" PRIu32 " labels (%" PRIu64 " bytes)", dims[0],
                totalBytes);
}

/// Reads a whole IDX file of `kind`: validates the header, then reads the
/// payload into `payload`. `dims` receives the header's dimensions.
Status readIdx(const std::string &path, const IdxKind &kind,
               const LoadOptions &opt, uint32_t *dims,
               std::vector<uint8_t> &payload) {
  const std::string &hint = opt.hint;
  InputFile file;
  if (Status s = file.open(path); s.failed())
    return withHint(s, hint);
  const char *data = file.compressed() ? "decompressed data" : "file";

  // 1. The header: magic, then one big-endian u32 per dimension.
  const size_t headerLen = 4 + 4 * kind.dims;
  unsigned char header[16];
  size_t got = 0;
  if (Status s = file.read(header, headerLen, got); s.failed())
    return withHint(s, hint);
  if (got == 0)
    return fail(path,
                format("empty %s (0 bytes), expected an IDX %s file",
                       file.compressed() ? "after decompression" : "file",
                       kind.what),
                hint);
  if (got >= 4)
    if (Status s = checkMagic(path, readBigEndian32(header), kind, hint);
        s.failed())
      return s;
  if (got < headerLen)
    return fail(path,
                format("too short for an IDX %s header: %s has %zu bytes, "
                       "the header needs %zu",
                       kind.what, data, got, headerLen),
                hint);
  for (uint32_t d = 0; d < kind.dims; ++d)
    dims[d] = readBigEndian32(header + 4 + 4 * d);

  // 2. Plausibility, before anything is allocated.
  if (dims[0] > opt.maxItems)
    return fail(path,
                format("header says %" PRIu32 " %s, more than the limit of "
                       "%" PRIu32 " (LoadOptions::maxItems); the header is "
                       "corrupt",
                       dims[0], kind.items, opt.maxItems),
                hint);
  uint64_t payloadLen = dims[0];
  if (kind.dims == 3) {
    uint32_t rows = dims[1], cols = dims[2];
    if (rows == 0 || cols == 0)
      return fail(path,
                  format("header says images of %" PRIu32 "x%" PRIu32
                         "; the header is corrupt",
                         rows, cols),
                  hint);
    if ((opt.rows && rows != opt.rows) || (opt.cols && cols != opt.cols))
      return fail(path,
                  format("images are %" PRIu32 "x%" PRIu32 ", expected %" PRIu32
                         "x%" PRIu32 " (the model's input size); use a data "
                         "set of %" PRIu32 "x%" PRIu32 " images or a model "
                         "built for %" PRIu32 "x%" PRIu32,
                         rows, cols, opt.rows ? opt.rows : rows,
                         opt.cols ? opt.cols : cols, opt.rows ? opt.rows : rows,
                         opt.cols ? opt.cols : cols, rows, cols),
                  "");
    // dims[0] * rows * cols can overflow 64 bits: compare by division.
    uint64_t imageLen = uint64_t(rows) * cols;
    if (imageLen > opt.maxBytes / std::max<uint64_t>(dims[0], 1))
      return fail(path,
                  format("header says %" PRIu32 " images of %" PRIu32
                         "x%" PRIu32 ", more than the limit of %" PRIu64
                         " bytes (LoadOptions::maxBytes); the header is "
                         "corrupt",
                         dims[0], rows, cols, opt.maxBytes),
                  hint);
    payloadLen *= imageLen;
  }
  if (payloadLen > opt.maxBytes)
    return fail(path,
                format("header says %" PRIu64 " bytes of %s, more than the "
                       "limit of %" PRIu64 " (LoadOptions::maxBytes)",
                       payloadLen, kind.items, opt.maxBytes),
                hint);
  const uint64_t total = headerLen + payloadLen;

  // 3. A plain file's size must match the header exactly.
  if (!file.compressed() && file.fileSize() != total) {
    uint64_t size = file.fileSize();
    if (size < total)
      return fail(path,
                  "truncated: header says " + promised(kind, dims, total) +
                      format(", file has %" PRIu64 " bytes", size),
                  hint);
    return fail(path,
                "too long: header says " + promised(kind, dims, total) +
                    format(", file has %" PRIu64 " bytes (%" PRIu64
                           " bytes more); it is corrupt or not one IDX file",
                           size, size - total),
                hint);
  }

  // 4. The payload. A gzip stream's length is known only by decompressing
  // it, so it is read in chunks and the buffer grows with what arrives: a
  // small file whose header promises gigabytes allocates only what it holds.
  const uint64_t chunk =
      file.compressed() ? std::min<uint64_t>(payloadLen, 64 << 20) : payloadLen;
  payload.clear();
  while (payload.size() < payloadLen) {
    size_t old = payload.size();
    size_t want = std::min<uint64_t>(chunk, payloadLen - old);
    payload.resize(old + want);
    if (Status s = file.read(payload.data() + old, want, got); s.failed())
      return withHint(s, hint);
    payload.resize(old + got);
    if (got < want)
      break;
  }
  got = payload.size();
  if (got < payloadLen)
    return fail(path,
                "truncated: header says " + promised(kind, dims, total) +
                    format(", %s has %" PRIu64 " bytes%s", data,
                           uint64_t(headerLen + got),
                           file.endedEarly() ? " (the gzip stream ends early)"
                                             : ""),
                hint);
  if (file.compressed()) {
    unsigned char extra;
    if (Status s = file.read(&extra, 1, got); s.failed())
      return withHint(s, hint);
    if (got != 0)
      return fail(path,
                  "too long: header says " + promised(kind, dims, total) +
                      ", decompressed data has more; it is corrupt or not "
                      "one IDX file",
                  hint);
  }
  return Status::success();
}

std::string joinPath(const std::string &dir, const std::string &name) {
  if (dir.empty())
    return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

} // namespace

bool idxHaveZlib() { return detail::haveZlib(); }

Status idxReadImages(const std::string &path, const LoadOptions &options,
                     IdxImages &out) {
  out = IdxImages();
  uint32_t dims[3] = {0, 0, 0};
  std::vector<uint8_t> pixels;
  if (Status s = readIdx(path, kImages, options, dims, pixels); s.failed())
    return s;
  out.count = dims[0];
  out.rows = dims[1];
  out.cols = dims[2];
  out.pixels = std::move(pixels);
  return Status::success();
}

Status idxReadLabels(const std::string &path, const LoadOptions &options,
                     IdxLabels &out) {
  out = IdxLabels();
  uint32_t dims[1] = {0};
  std::vector<uint8_t> labels;
  if (Status s = readIdx(path, kLabels, options, dims, labels); s.failed())
    return s;
  if (options.numClasses == 0)
    return Status::error(path + ": LoadOptions::numClasses is 0; no label "
                                "can be valid");
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] >= options.numClasses && bad++ == 0)
      first = i;
  if (bad) {
    std::string problem =
        format("label %u at index %zu is out of range 0..%" PRIu32
               " (%" PRIu32 " classes)",
               unsigned(labels[first]), first, options.numClasses - 1,
               options.numClasses);
    if (bad > 1)
      problem += format(", as are %zu more", bad - 1);
    return fail(path, problem, options.hint);
  }
  out.count = dims[0];
  out.labels = std::move(labels);
  return Status::success();
}

Status idxWriteImages(const std::string &path, const uint8_t *pixels,
                      uint32_t count, uint32_t rows, uint32_t cols) {
  uint64_t bytes = uint64_t(count) * rows * cols;
  if (bytes > 0 && !pixels)
    return Status::error(path + ": no pixels given to write");
  unsigned char header[16];
  putBigEndian32(header, kIdxImageMagic);
  putBigEndian32(header + 4, count);
  putBigEndian32(header + 8, rows);
  putBigEndian32(header + 12, cols);
  return detail::writeFileAtomic(
      path, {{header, sizeof header}, {pixels, size_t(bytes)}});
}

Status idxWriteLabels(const std::string &path, const uint8_t *labels,
                      uint32_t count) {
  if (count > 0 && !labels)
    return Status::error(path + ": no labels given to write");
  unsigned char header[8];
  putBigEndian32(header, kIdxLabelMagic);
  putBigEndian32(header + 4, count);
  return detail::writeFileAtomic(path,
                                 {{header, sizeof header}, {labels, count}});
}

Status datasetFromIdx(const IdxImages &images, const std::string &imagesPath,
                      const IdxLabels &labels, const std::string &labelsPath,
                      Dataset &out) {
  out = Dataset();
  if (labels.count != images.count)
    return Status::error(format("%s: holds %" PRIu32 " labels but %s holds "
                                "%" PRIu32 " images; use the label file that "
                                "belongs to those images",
                                labelsPath.c_str(), labels.count,
                                imagesPath.c_str(), images.count));
  if (images.count == 0)
    return Status::error(imagesPath + ": holds no images; nothing to use");
  size_t n = size_t(images.count) * images.rows * images.cols;
  if (images.pixels.size() != n || labels.labels.size() != labels.count)
    return Status::error(imagesPath + ": internal error: IDX content does not "
                                      "match its dimensions");

  // pixel / 255.0f in float32, exactly what NumPy's
  // x.astype("float32") / 255 computes.
  float scale[256];
  for (int p = 0; p < 256; ++p)
    scale[p] = float(p) / 255.0f;
  out.images.resize(n);
  for (size_t i = 0; i < n; ++i)
    out.images[i] = scale[images.pixels[i]];
  out.labels.assign(labels.labels.begin(), labels.labels.end());
  out.count = images.count;
  out.rows = images.rows;
  out.cols = images.cols;
  out.imagesPath = imagesPath;
  out.labelsPath = labelsPath;
  return Status::success();
}

Status datasetLoad(const std::string &imagesPath,
                   const std::string &labelsPath, const LoadOptions &options,
                   Dataset &out) {
  out = Dataset();
  IdxImages images;
  if (Status s = idxReadImages(imagesPath, options, images); s.failed())
    return s;
  IdxLabels labels;
  if (Status s = idxReadLabels(labelsPath, options, labels); s.failed())
    return s;
  return datasetFromIdx(images, imagesPath, labels, labelsPath, out);
}

Status datasetFindFile(const std::string &dir, const std::string &name,
                       const LoadOptions &options, std::string &path) {
  path.clear();
  struct stat st;
  const std::string shownDir = dir.empty() ? "." : dir;
  if (::stat(shownDir.c_str(), &st) != 0)
    return fail(shownDir,
                "cannot open the data directory: " + detail::errnoText(errno),
                options.hint);
  if (!S_ISDIR(st.st_mode))
    return fail(shownDir, "is not a directory; give the directory that holds "
                          "the MNIST files", "");
  std::string plain = joinPath(dir, name);
  if (::stat(plain.c_str(), &st) == 0) {
    path = plain;
    return Status::success();
  }
  std::string gz = plain + ".gz";
  if (::stat(gz.c_str(), &st) == 0) {
    path = gz;
    return Status::success();
  }
  return fail(plain, "missing (and no " + name + ".gz there either)",
              options.hint);
}

Status datasetLoadMnistDir(const std::string &dir, const LoadOptions &options,
                           MnistData &out) {
  out = MnistData();
  const char *names[4] = {kMnistTrainImages, kMnistTrainLabels,
                          kMnistTestImages, kMnistTestLabels};
  std::string paths[4];
  for (int i = 0; i < 4; ++i)
    if (Status s = datasetFindFile(dir, names[i], options, paths[i]);
        s.failed())
      return s;
  if (Status s = datasetLoad(paths[0], paths[1], options, out.train);
      s.failed())
    return s;
  return datasetLoad(paths[2], paths[3], options, out.test);
}

} // namespace mnistc::rt

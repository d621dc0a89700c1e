//===- Image.cpp - PNG and JPEG files --------------------------------------===//
//
// libpng and libjpeg report a fatal error by calling a handler that must not
// return. Ours copy the library's message into a plain buffer and longjmp
// back to the decoder or encoder, which frees the library's state and
// returns a Status. Everything with a destructor that those functions use is
// created before their setjmp (kept in a State struct), so a longjmp skips
// no destructor; warnings are swallowed (a premature end of a JPEG, which
// libjpeg only warns about, is recorded and reported as truncation). Files
// are read whole through detail::InputFile and decoded from memory; images
// are encoded to memory and written with detail::writeFileAtomic. The
// MNIST preprocessing is in MnistPreprocess.cpp.
//
//===----------------------------------------------------------------------===//
#include "mnistc/image.h"

#include "FileIO.h"

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <jpeglib.h> // after <cstdio>: it uses FILE
#include <jerror.h>
#include <png.h>

namespace mnistc::rt {

namespace {

Status fail(const std::string &path, const std::string &problem) {
  return Status::error(path + ": " + problem);
}

/// BT.601 luma of 0..1 (or 0..255) components.
float luma(float r, float g, float b) {
  return 0.299f * r + 0.587f * g + 0.114f * b;
}

//===--- reading ----------------------------------------------------------===//

Status readWholeFile(const std::string &path, std::vector<uint8_t> &bytes) {
  detail::InputFile in;
  if (Status s = in.open(path); s.failed())
    return s;
  std::string limit = std::to_string(kImageMaxFileBytes >> 20) + " MiB";
  if (!in.compressed() && in.fileSize() > kImageMaxFileBytes)
    return fail(path, "is " + std::to_string(in.fileSize() >> 20) +
                          " MiB, more than any digit image needs (limit " +
                          limit + "); scale it down first");
  // One read for a plain file (asking for a byte more than its size to see
  // it end); 1 MiB at a time for gzip.
  size_t chunk = in.compressed() ? size_t(1) << 20 : size_t(in.fileSize()) + 1;
  bytes.clear();
  for (;;) {
    if (bytes.size() > kImageMaxFileBytes)
      return fail(path, "decompresses to more than " + limit +
                            ", more than any digit image needs");
    size_t old = bytes.size(), got = 0;
    bytes.resize(old + chunk);
    if (Status s = in.read(bytes.data() + old, chunk, got); s.failed())
      return s;
    bytes.resize(old + got);
    if (got < chunk)
      break;
  }
  if (in.endedEarly())
    return fail(path, "truncated: the gzip stream ends early; the file was "
                      "probably cut short while downloading or copying");
  return Status::success();
}

/// "it starts with 47 49 46 38 39 61, a GIF image" for messages.
std::string describeStart(const std::vector<uint8_t> &b) {
  std::string text = "it starts with";
  for (size_t i = 0; i < std::min<size_t>(b.size(), 8); ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, " %02x", b[i]);
    text += hex;
  }
  auto starts = [&](const char *magic, size_t n, size_t at = 0) {
    return b.size() >= at + n && std::memcmp(b.data() + at, magic, n) == 0;
  };
  if (starts("GIF8", 4))
    text += ", a GIF image";
  else if (starts("RIFF", 4) && starts("WEBP", 4, 8))
    text += ", a WebP image";
  else if (starts("II*\0", 4) || starts("MM\0*", 4))
    text += ", a TIFF image";
  else if (starts("BM", 2))
    text += ", perhaps a BMP image";
  return text;
}

struct PngReadState {
  const uint8_t *data = nullptr;
  size_t size = 0, pos = 0;
  bool truncated = false;
  char message[200] = "";
  std::jmp_buf jmp;
  std::vector<uint8_t> raw;       // the decoded rows
  std::vector<png_bytep> rows;    // pointers into raw
};

[[noreturn]] void pngError(png_structp png, png_const_charp msg) {
  auto *st = static_cast<PngReadState *>(png_get_error_ptr(png));
  std::snprintf(st->message, sizeof st->message, "%s", msg);
  std::longjmp(st->jmp, 1);
}

void pngWarning(png_structp, png_const_charp) {}

void pngReadBytes(png_structp png, png_bytep dst, png_size_t n) {
  auto *st = static_cast<PngReadState *>(png_get_io_ptr(png));
  if (n > st->size - st->pos) {
    st->truncated = true;
    png_error(png, "unexpected end of file");
  }
  std::memcpy(dst, st->data + st->pos, n);
  st->pos += n;
}

Status tooLarge(const std::string &path, const char *kind, uint64_t w,
                uint64_t h) {
  return fail(path, std::string(kind) + " image is " + std::to_string(w) +
                        "x" + std::to_string(h) + " pixels, larger than " +
                        std::to_string(kImageMaxSide) +
                        " on a side; scale it down first (a digit needs no "
                        "more than a few hundred pixels)");
}

Status truncatedMessage(const std::string &path, const char *kind,
                        size_t size) {
  return fail(path, std::string("truncated ") + kind + ": the file ends after " +
                        std::to_string(size) +
                        " bytes, before the image is complete; it was "
                        "probably cut short while downloading or copying");
}

/// Compressed image data cannot shrink below a floor per pixel: deflate
/// expands at most 1032-fold, and a Huffman-coded JPEG spends at least one
/// bit on each 8x8 block (512 pixels a byte; arithmetic coding has no such
/// floor, so those keep only the limit on the sides). A header promising more pixels than its
/// file could hold is a truncated file or a decompression bomb, refused
/// before the pixels are allocated.
Status tooSmallFor(const std::string &path, const char *kind, uint64_t w,
                   uint64_t h, uint64_t needBytes, size_t size) {
  return fail(path, std::string("truncated or corrupt ") + kind +
                        ": its header says " + std::to_string(w) + "x" +
                        std::to_string(h) + " pixels, which need at least " +
                        std::to_string(needBytes) + " bytes, but the file "
                        "has " + std::to_string(size) +
                        "; re-save or re-export the image");
}

/// Grey from `channels` samples of `depth` bits (8 or 16, big-endian), with
/// alpha (channels 2 and 4) composited over white.
void pngRowToGrey(const uint8_t *row, uint32_t width, int channels, int depth,
                  float *out) {
  int bytes = depth / 8;
  float scale = depth == 16 ? 1.0f / 65535.0f : 1.0f / 255.0f;
  for (uint32_t x = 0; x < width; ++x) {
    float s[4] = {0, 0, 0, 0};
    for (int c = 0; c < channels; ++c) {
      const uint8_t *p = row + (size_t(x) * channels + c) * bytes;
      s[c] = float(bytes == 2 ? (p[0] << 8 | p[1]) : p[0]) * scale;
    }
    float v = channels <= 2 ? s[0] : luma(s[0], s[1], s[2]);
    if (channels == 2 || channels == 4) {
      float a = s[channels - 1];
      v = a * v + (1.0f - a);
    }
    out[x] = v;
  }
}

Status decodePng(const std::string &path, const std::vector<uint8_t> &bytes,
                 GreyImage &out) {
  // The size, from IHDR (the first chunk) before libpng reads on: a file
  // claiming a huge image is refused even if nothing follows its header.
  auto be32 = [&](size_t at) {
    return uint32_t(bytes[at]) << 24 | bytes[at + 1] << 16 |
           bytes[at + 2] << 8 | bytes[at + 3];
  };
  if (bytes.size() >= 24 && std::memcmp(bytes.data() + 12, "IHDR", 4) == 0 &&
      (be32(16) > kImageMaxSide || be32(20) > kImageMaxSide))
    return tooLarge(path, "PNG", be32(16), be32(20));
  PngReadState st;
  st.data = bytes.data();
  st.size = bytes.size();
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &st,
                                           pngError, pngWarning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return fail(path, "cannot start the PNG decoder (out of memory?)");
  }
  if (setjmp(st.jmp)) {
    png_destroy_read_struct(&png, &info, nullptr);
    if (st.truncated)
      return truncatedMessage(path, "PNG", st.size);
    return fail(path, std::string("corrupt PNG: ") + st.message +
                          "; re-save or re-export the image");
  }
  png_set_read_fn(png, &st, pngReadBytes);
  png_set_user_limits(png, kImageMaxSide, kImageMaxSide); // checked above
  png_read_info(png, info);
  uint32_t w = png_get_image_width(png, info);
  uint32_t h = png_get_image_height(png, info);
  uint64_t filtered = (uint64_t(png_get_rowbytes(png, info)) + 1) * h;
  if (filtered / 1032 > bytes.size()) {
    png_destroy_read_struct(&png, &info, nullptr);
    return tooSmallFor(path, "PNG", w, h, filtered / 1032, bytes.size());
  }
  int colorType = png_get_color_type(png, info);
  if (colorType == PNG_COLOR_TYPE_PALETTE)
    png_set_palette_to_rgb(png);
  if (colorType == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8)
    png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS))
    png_set_tRNS_to_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  int channels = png_get_channels(png, info);
  int depth = png_get_bit_depth(png, info);
  size_t rowBytes = png_get_rowbytes(png, info);
  st.raw.resize(rowBytes * h);
  st.rows.resize(h);
  for (uint32_t y = 0; y < h; ++y)
    st.rows[y] = st.raw.data() + y * rowBytes;
  png_read_image(png, st.rows.data());
  // Trailing chunks (after the image data) are not read: a file whose end
  // is missing but whose pixels are complete still shows.
  png_destroy_read_struct(&png, &info, nullptr);

  out.width = w;
  out.height = h;
  out.pixels.assign(size_t(w) * h, 0.0f);
  for (uint32_t y = 0; y < h; ++y)
    pngRowToGrey(st.raw.data() + y * rowBytes, w, channels, depth,
                 out.pixels.data() + size_t(y) * w);
  return Status::success();
}

struct JpegReadState {
  bool truncated = false;
  char message[JMSG_LENGTH_MAX] = "";
  /// libjpeg's first warning other than a premature end: corrupt data it
  /// decoded through (it fills what it cannot read), "" if none.
  char warning[JMSG_LENGTH_MAX] = "";
  std::jmp_buf jmp;
  std::vector<uint8_t> row;
  std::vector<float> pixels;
};

[[noreturn]] void jpegErrorExit(j_common_ptr c) {
  auto *st = static_cast<JpegReadState *>(c->client_data);
  (*c->err->format_message)(c, st->message);
  std::longjmp(st->jmp, 1);
}

void jpegEmitMessage(j_common_ptr c, int level) {
  auto *st = static_cast<JpegReadState *>(c->client_data);
  if (level >= 0) // trace messages
    return;
  if (c->err->msg_code == JWRN_JPEG_EOF)
    st->truncated = true;
  else if (!st->warning[0])
    (*c->err->format_message)(c, st->warning);
}

void jpegOutputMessage(j_common_ptr) {}

Status decodeJpeg(const std::string &path, const std::vector<uint8_t> &bytes,
                  GreyImage &out) {
  JpegReadState st;
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  err.error_exit = jpegErrorExit;
  err.emit_message = jpegEmitMessage;
  err.output_message = jpegOutputMessage;
  cinfo.client_data = &st;
  if (setjmp(st.jmp)) {
    jpeg_destroy_decompress(&cinfo);
    if (st.truncated)
      return truncatedMessage(path, "JPEG", bytes.size());
    return fail(path, std::string("corrupt JPEG: ") + st.message +
                          "; re-save or re-export the image");
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, bytes.data(), (unsigned long)bytes.size());
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.image_width > kImageMaxSide || cinfo.image_height > kImageMaxSide) {
    jpeg_destroy_decompress(&cinfo);
    return tooLarge(path, "JPEG", cinfo.image_width, cinfo.image_height);
  }
  uint64_t pixels = uint64_t(cinfo.image_width) * cinfo.image_height;
  if (!cinfo.arith_code && pixels / 512 > bytes.size()) {
    jpeg_destroy_decompress(&cinfo);
    return tooSmallFor(path, "JPEG", cinfo.image_width, cinfo.image_height,
                       pixels / 512, bytes.size());
  }
  // libjpeg's grey output of YCbCr is exactly the BT.601 luma channel.
  J_COLOR_SPACE in = cinfo.jpeg_color_space;
  bool cmyk = in == JCS_CMYK || in == JCS_YCCK;
  cinfo.out_color_space = in == JCS_GRAYSCALE || in == JCS_YCbCr ? JCS_GRAYSCALE
                          : cmyk                                 ? JCS_CMYK
                                                                 : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  uint32_t w = cinfo.output_width, h = cinfo.output_height;
  int n = cinfo.output_components;
  // Adobe writes CMYK inverted (0 = full ink), as almost every CMYK JPEG is.
  bool inverted = cinfo.saw_Adobe_marker;
  st.row.resize(size_t(w) * n);
  st.pixels.resize(size_t(w) * h);
  while (cinfo.output_scanline < h) {
    float *dst = st.pixels.data() + size_t(cinfo.output_scanline) * w;
    JSAMPROW rowPtr = st.row.data();
    jpeg_read_scanlines(&cinfo, &rowPtr, 1);
    for (uint32_t x = 0; x < w; ++x) {
      const uint8_t *p = st.row.data() + size_t(x) * n;
      float v;
      if (n == 1) {
        v = p[0] / 255.0f;
      } else if (cmyk) {
        float k = (inverted ? p[3] : 255 - p[3]) / 255.0f;
        float c[3];
        for (int i = 0; i < 3; ++i)
          c[i] = (inverted ? p[i] : 255 - p[i]) / 255.0f * k;
        v = luma(c[0], c[1], c[2]);
      } else {
        v = luma(p[0], p[1], p[2]) / 255.0f;
      }
      dst[x] = v;
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  if (st.truncated)
    return truncatedMessage(path, "JPEG", bytes.size());
  // libjpeg decodes through damaged data with a warning, and the picture
  // it makes is not the one that was saved: refused, never classified.
  if (st.warning[0])
    return fail(path, std::string("corrupt JPEG: ") + st.warning +
                          "; re-save or re-export the image");
  out.width = w;
  out.height = h;
  out.pixels = std::move(st.pixels);
  return Status::success();
}

} // namespace

Status imageRead(const std::string &path, GreyImage &out) {
  std::vector<uint8_t> bytes;
  if (Status s = readWholeFile(path, bytes); s.failed())
    return s;
  static const uint8_t kPngMagic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
                                       '\n'};
  GreyImage img;
  Status s;
  if (bytes.empty())
    return fail(path, "is empty, not a PNG or JPEG image");
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kPngMagic, 8) == 0)
    s = decodePng(path, bytes, img);
  else if (bytes.size() >= 3 && bytes[0] == 0xff && bytes[1] == 0xd8 &&
           bytes[2] == 0xff)
    s = decodeJpeg(path, bytes, img);
  else
    return fail(path, "not a PNG or JPEG image (" + describeStart(bytes) +
                          "); convert it to PNG or JPEG first");
  if (s.failed())
    return s;
  img.source = path;
  out = std::move(img);
  return Status::success();
}

//===--- writing ----------------------------------------------------------===//

namespace {

bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

/// The checks every writer makes before encoding.
Status checkWrite(const std::string &path, uint32_t w, uint32_t h,
                  size_t have, size_t channels) {
  if (path.empty())
    return Status::error("<empty path>: no file name given");
  if (endsWith(path, ".gz"))
    return fail(path, "an image file name must not end in .gz (it would be "
                      "gzip-compressed and no image viewer would open it); "
                      "drop the .gz");
  if (w == 0 || h == 0 || w > kImageMaxSide || h > kImageMaxSide)
    return fail(path, "cannot write a " + std::to_string(w) + "x" +
                          std::to_string(h) + " image: each side must be 1.." +
                          std::to_string(kImageMaxSide));
  size_t want = size_t(w) * h * channels;
  if (have != want)
    return fail(path, "cannot write: " + std::to_string(have) +
                          " bytes of pixels given for a " + std::to_string(w) +
                          "x" + std::to_string(h) + " image with " +
                          std::to_string(channels) + " channels (expected " +
                          std::to_string(want) + ")");
  return Status::success();
}

struct PngWriteState {
  std::vector<uint8_t> encoded;
  std::vector<png_bytep> rows;
  char message[200] = "";
  std::jmp_buf jmp;
};

[[noreturn]] void pngWriteError(png_structp png, png_const_charp msg) {
  auto *st = static_cast<PngWriteState *>(png_get_error_ptr(png));
  std::snprintf(st->message, sizeof st->message, "%s", msg);
  std::longjmp(st->jmp, 1);
}

void pngWriteBytes(png_structp png, png_bytep data, png_size_t n) {
  auto *st = static_cast<PngWriteState *>(png_get_io_ptr(png));
  bool ok = true;
  try {
    st->encoded.insert(st->encoded.end(), data, data + n);
  } catch (...) {
    ok = false;
  }
  if (!ok)
    png_error(png, "out of memory");
}

void pngFlush(png_structp) {}

/// Encodes 8-bit pixels of `colorType` and writes them to `path`.
Status writePng(const std::string &path, uint32_t w, uint32_t h,
                const uint8_t *pixels, int colorType, int channels) {
  PngWriteState st;
  st.rows.resize(h);
  for (uint32_t y = 0; y < h; ++y)
    st.rows[y] = const_cast<uint8_t *>(pixels) + size_t(y) * w * channels;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &st,
                                            pngWriteError, pngWarning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return fail(path, "cannot start the PNG encoder (out of memory?)");
  }
  if (setjmp(st.jmp)) {
    png_destroy_write_struct(&png, &info);
    return fail(path, std::string("cannot encode PNG: ") + st.message);
  }
  png_set_write_fn(png, &st, pngWriteBytes, pngFlush);
  png_set_IHDR(png, info, w, h, 8, colorType, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, st.rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return detail::writeFileAtomic(path, {{st.encoded.data(), st.encoded.size()}});
}

struct JpegWriteState {
  unsigned char *buffer = nullptr; // malloc'd by jpeg_mem_dest
  unsigned long size = 0;
  char message[JMSG_LENGTH_MAX] = "";
  std::jmp_buf jmp;
};

[[noreturn]] void jpegWriteErrorExit(j_common_ptr c) {
  auto *st = static_cast<JpegWriteState *>(c->client_data);
  (*c->err->format_message)(c, st->message);
  std::longjmp(st->jmp, 1);
}

} // namespace

Status pngWriteGrey(const std::string &path, const GreyImage &img) {
  if (Status s = checkWrite(path, img.width, img.height, img.pixels.size(), 1);
      s.failed())
    return s;
  std::vector<uint8_t> bytes(img.pixels.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    float v = img.pixels[i];
    bytes[i] = v > 0 ? uint8_t(std::lround(std::min(v, 1.0f) * 255)) : 0;
  }
  return writePng(path, img.width, img.height, bytes.data(),
                  PNG_COLOR_TYPE_GRAY, 1);
}

Status pngWriteRgb(const std::string &path, uint32_t w, uint32_t h,
                   const std::vector<uint8_t> &rgb) {
  if (Status s = checkWrite(path, w, h, rgb.size(), 3); s.failed())
    return s;
  return writePng(path, w, h, rgb.data(), PNG_COLOR_TYPE_RGB, 3);
}

Status pngWriteRgba(const std::string &path, uint32_t w, uint32_t h,
                    const std::vector<uint8_t> &rgba) {
  if (Status s = checkWrite(path, w, h, rgba.size(), 4); s.failed())
    return s;
  return writePng(path, w, h, rgba.data(), PNG_COLOR_TYPE_RGBA, 4);
}

Status jpegWriteRgb(const std::string &path, uint32_t w, uint32_t h,
                    const std::vector<uint8_t> &rgb, int quality) {
  if (Status s = checkWrite(path, w, h, rgb.size(), 3); s.failed())
    return s;
  if (quality < 1 || quality > 100)
    return fail(path, "JPEG quality " + std::to_string(quality) +
                          " is out of range; use 1..100");
  JpegWriteState st;
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  err.error_exit = jpegWriteErrorExit;
  err.output_message = jpegOutputMessage;
  cinfo.client_data = &st;
  if (setjmp(st.jmp)) {
    jpeg_destroy_compress(&cinfo);
    std::free(st.buffer);
    return fail(path, std::string("cannot encode JPEG: ") + st.message);
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &st.buffer, &st.size);
  cinfo.image_width = w;
  cinfo.image_height = h;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < h) {
    JSAMPROW row = const_cast<uint8_t *>(rgb.data()) +
                   size_t(cinfo.next_scanline) * w * 3;
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  Status s = detail::writeFileAtomic(path, {{st.buffer, size_t(st.size)}});
  std::free(st.buffer);
  return s;
}

} // namespace mnistc::rt

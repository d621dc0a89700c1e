// Unit tests of runtime/lib/Image.cpp and Heatmap.cpp: PNG and JPEG round
// trips through the library's writers and through files written here with
// libpng/libjpeg directly (palette, transparency, 1- and 16-bit, interlaced,
// grey JPEG), the named errors for missing, foreign, empty, truncated,
// corrupt and oversized files, MNIST preprocessing of a synthetic digit and
// of real MNIST test digits dressed up as photos, and the confusion-matrix
// heat map read back as a PNG.
#include "mnistc/dataset.h"
#include "mnistc/heatmap.h"
#include "mnistc/image.h"

#include "TempDirTest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

using namespace mnistc::rt;
namespace fs = std::filesystem;

#ifndef MNISTC_MNIST_DIR
#error "MNISTC_MNIST_DIR must name the data/mnist directory"
#endif

namespace {

const std::string kMnistDir = MNISTC_MNIST_DIR;

bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

float luma(float r, float g, float b) {
  return 0.299f * r + 0.587f * g + 0.114f * b;
}

/// Writes a PNG with libpng directly, for the colour types, depths and
/// interlacing the library's writers do not produce. `data` holds h rows of
/// packed samples (16-bit ones big-endian).
bool writePngDirect(const std::string &path, uint32_t w, uint32_t h,
                    int colorType, int depth, const std::vector<uint8_t> &data,
                    bool interlace = false,
                    const std::vector<png_color> &palette = {},
                    const std::vector<uint8_t> &trans = {}) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return false;
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  std::vector<png_bytep> rows(h);
  size_t stride = data.size() / h;
  for (uint32_t y = 0; y < h; ++y)
    rows[y] = const_cast<uint8_t *>(data.data()) + y * stride;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
    return false;
  }
  png_init_io(png, f);
  png_set_IHDR(png, info, w, h, depth, colorType,
               interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty())
    png_set_PLTE(png, info, palette.data(), int(palette.size()));
  if (!trans.empty())
    png_set_tRNS(png, info, trans.data(), int(trans.size()), nullptr);
  png_write_info(png, info);
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return std::fclose(f) == 0;
}

/// A grey JPEG written with libjpeg directly.
bool writeGreyJpegDirect(const std::string &path, uint32_t w, uint32_t h,
                         const std::vector<uint8_t> &grey) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return false;
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_compress(&cinfo);
  jpeg_stdio_dest(&cinfo, f);
  cinfo.image_width = w;
  cinfo.image_height = h;
  cinfo.input_components = 1;
  cinfo.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 100, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < h) {
    JSAMPROW row = const_cast<uint8_t *>(grey.data()) + cinfo.next_scanline * w;
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return std::fclose(f) == 0;
}

/// A smooth, colourful w x h RGB test picture.
std::vector<uint8_t> smoothRgb(uint32_t w, uint32_t h) {
  std::vector<uint8_t> rgb(size_t(w) * h * 3);
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      uint8_t *p = &rgb[(size_t(y) * w + x) * 3];
      p[0] = uint8_t(255 * x / (w - 1));
      p[1] = uint8_t(255 * y / (h - 1));
      p[2] = uint8_t(128 + 100 * std::sin(0.2 * (x + y)));
    }
  return rgb;
}

double pearson(const std::vector<float> &a, const std::vector<float> &b) {
  double n = double(a.size()), sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sa += a[i], sb += b[i];
    saa += double(a[i]) * a[i], sbb += double(b[i]) * b[i];
    sab += double(a[i]) * b[i];
  }
  double cov = sab - sa * sb / n;
  return cov / std::sqrt((saa - sa * sa / n) * (sbb - sb * sb / n));
}

/// Ink box and centre of mass (in pixel indices, as MNIST) of pixels > 0.
struct InkStats {
  uint32_t x0 = ~0u, y0 = ~0u, x1 = 0, y1 = 0;
  double cx = 0, cy = 0;
  uint32_t boxW() const { return x1 - x0 + 1; }
  uint32_t boxH() const { return y1 - y0 + 1; }
};
InkStats inkStats(const GreyImage &img) {
  InkStats s;
  double mass = 0;
  for (uint32_t y = 0; y < img.height; ++y)
    for (uint32_t x = 0; x < img.width; ++x) {
      float v = img.at(x, y);
      if (v <= 0)
        continue;
      s.x0 = std::min(s.x0, x), s.x1 = std::max(s.x1, x);
      s.y0 = std::min(s.y0, y), s.y1 = std::max(s.y1, y);
      mass += v, s.cx += v * x, s.cy += v * y;
    }
  s.cx /= mass, s.cy /= mass;
  return s;
}

/// Distance from (px, py) to the segment (ax, ay)-(bx, by).
double segmentDistance(double px, double py, double ax, double ay, double bx,
                       double by) {
  double dx = bx - ax, dy = by - ay;
  double t = std::clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy),
                        0.0, 1.0);
  return std::hypot(px - ax - t * dx, py - ay - t * dy);
}

/// A thick anti-aliased "7" (ink coverage in [0, 1]) on a w x h canvas.
std::vector<float> drawSeven(uint32_t w, uint32_t h) {
  std::vector<float> ink(size_t(w) * h);
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      double px = x + 0.5, py = y + 0.5;
      double d = std::min(segmentDistance(px, py, 25, 30, 70, 30),
                          segmentDistance(px, py, 70, 30, 42, 105));
      ink[size_t(y) * w + x] = float(std::clamp(5.5 - d, 0.0, 1.0));
    }
  return ink;
}

/// Ink coverage painted in colour `ink` over `paper`, as RGB bytes.
std::vector<uint8_t> paint(const std::vector<float> &cover, const uint8_t ink[3],
                           const uint8_t paper[3]) {
  std::vector<uint8_t> rgb(cover.size() * 3);
  for (size_t i = 0; i < cover.size(); ++i)
    for (int c = 0; c < 3; ++c)
      rgb[i * 3 + c] = uint8_t(
          std::lround(paper[c] + (double(ink[c]) - paper[c]) * cover[i]));
  return rgb;
}

class ImageFiles : public TempDirTest {
protected:
  /// Reads `name`, expects failure that leaves `out` alone, and returns the
  /// message (which must start with the path).
  std::string readError(const std::string &name) {
    GreyImage img;
    img.width = 3;
    Status s = imageRead(path(name), img);
    EXPECT_TRUE(s.failed()) << name;
    EXPECT_EQ(img.width, 3u) << "imageRead changed its output on failure";
    EXPECT_EQ(s.message().rfind(path(name) + ": ", 0), 0u) << s.message();
    return s.message();
  }

};

} // namespace

//===--- round trips ------------------------------------------------------===//

TEST_F(ImageFiles, PngGreyRoundTrip) {
  GreyImage img;
  img.width = 37, img.height = 23;
  for (uint32_t i = 0; i < 37 * 23; ++i)
    img.pixels.push_back(float(i % 256) / 255.0f);
  ASSERT_TRUE(pngWriteGrey(path("g.png"), img).ok());
  GreyImage back;
  Status s = imageRead(path("g.png"), back);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(back.width, 37u);
  EXPECT_EQ(back.height, 23u);
  EXPECT_EQ(back.source, path("g.png"));
  ASSERT_EQ(back.pixels.size(), img.pixels.size());
  for (size_t i = 0; i < img.pixels.size(); ++i)
    ASSERT_NEAR(back.pixels[i], img.pixels[i], 1e-6) << i;
}

TEST_F(ImageFiles, PngRgbBecomesBt601Luma) {
  std::vector<uint8_t> rgb = smoothRgb(31, 17);
  // Pure primaries in the first pixels pin the weights.
  const uint8_t primaries[] = {255, 0, 0, 0, 255, 0, 0, 0, 255};
  std::copy(primaries, primaries + 9, rgb.begin());
  ASSERT_TRUE(pngWriteRgb(path("c.png"), 31, 17, rgb).ok());
  GreyImage back;
  ASSERT_TRUE(imageRead(path("c.png"), back).ok());
  ASSERT_EQ(back.pixels.size(), 31u * 17);
  EXPECT_NEAR(back.pixels[0], 0.299f, 1e-6);
  EXPECT_NEAR(back.pixels[1], 0.587f, 1e-6);
  EXPECT_NEAR(back.pixels[2], 0.114f, 1e-6);
  for (size_t i = 0; i < back.pixels.size(); ++i)
    ASSERT_NEAR(back.pixels[i],
                luma(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) / 255.0f, 1e-5)
        << i;
}

TEST_F(ImageFiles, PngRgbaIsCompositedOverWhite) {
  // Transparent black, opaque black, half-transparent blue, opaque grey.
  std::vector<uint8_t> rgba = {0, 0, 0,   0,   0,   0,   0,   255,
                               0, 0, 255, 128, 100, 100, 100, 255};
  ASSERT_TRUE(pngWriteRgba(path("a.png"), 2, 2, rgba).ok());
  GreyImage back;
  ASSERT_TRUE(imageRead(path("a.png"), back).ok());
  ASSERT_EQ(back.pixels.size(), 4u);
  EXPECT_NEAR(back.pixels[0], 1.0f, 1e-6);
  EXPECT_NEAR(back.pixels[1], 0.0f, 1e-6);
  float a = 128 / 255.0f;
  EXPECT_NEAR(back.pixels[2], a * 0.114f + (1 - a), 1e-5);
  EXPECT_NEAR(back.pixels[3], 100 / 255.0f, 1e-5);
}

TEST_F(ImageFiles, PalettePngWithTransparency) {
  std::vector<png_color> palette = {{0, 0, 0}, {255, 0, 0}, {10, 200, 30}};
  std::vector<uint8_t> trans = {0, 255, 51}; // index 0 fully transparent
  // 4-bit palette indices, 3x2 pixels: rows of 2 bytes.
  std::vector<uint8_t> data = {0x01, 0x20, 0x21, 0x00};
  ASSERT_TRUE(writePngDirect(path("p.png"), 3, 2, PNG_COLOR_TYPE_PALETTE, 4,
                             data, false, palette, trans));
  GreyImage back;
  Status s = imageRead(path("p.png"), back);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(back.pixels.size(), 6u);
  float a = 51 / 255.0f;
  float green = a * luma(10, 200, 30) / 255.0f + (1 - a);
  std::vector<float> want = {1.0f, 0.299f, green, green, 0.299f, 1.0f};
  for (size_t i = 0; i < 6; ++i)
    EXPECT_NEAR(back.pixels[i], want[i], 1e-5) << i;
}

TEST_F(ImageFiles, OneBitAndGreyAlphaPng) {
  // 1-bit grey, 10x1: 1010000011.
  ASSERT_TRUE(writePngDirect(path("bits.png"), 10, 1, PNG_COLOR_TYPE_GRAY, 1,
                             {0xA0, 0xC0}));
  GreyImage back;
  ASSERT_TRUE(imageRead(path("bits.png"), back).ok());
  EXPECT_EQ(back.pixels, (std::vector<float>{1, 0, 1, 0, 0, 0, 0, 0, 1, 1}));
  // Grey + alpha, 8-bit: black half transparent, grey opaque.
  ASSERT_TRUE(writePngDirect(path("ga.png"), 2, 1, PNG_COLOR_TYPE_GRAY_ALPHA,
                             8, {0, 102, 60, 255}));
  ASSERT_TRUE(imageRead(path("ga.png"), back).ok());
  ASSERT_EQ(back.pixels.size(), 2u);
  EXPECT_NEAR(back.pixels[0], 1 - 102 / 255.0f, 1e-6);
  EXPECT_NEAR(back.pixels[1], 60 / 255.0f, 1e-6);
}

TEST_F(ImageFiles, SixteenBitGreyKeepsItsPrecision) {
  std::vector<uint16_t> values = {0x0000, 0x1234, 0x8001, 0xFFFF, 0x00FF,
                                  0x7F80};
  std::vector<uint8_t> data;
  for (uint16_t v : values)
    data.push_back(uint8_t(v >> 8)), data.push_back(uint8_t(v));
  ASSERT_TRUE(
      writePngDirect(path("g16.png"), 3, 2, PNG_COLOR_TYPE_GRAY, 16, data));
  GreyImage back;
  ASSERT_TRUE(imageRead(path("g16.png"), back).ok());
  ASSERT_EQ(back.pixels.size(), 6u);
  for (size_t i = 0; i < 6; ++i) // 8 bits would be off by up to 1/510
    EXPECT_NEAR(back.pixels[i], values[i] / 65535.0f, 1e-6) << i;
}

TEST_F(ImageFiles, SixteenBitRgbaInterlacedPng) {
  const uint32_t w = 13, h = 11; // odd sizes exercise every Adam7 pass
  std::vector<uint8_t> data;
  std::vector<float> want;
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      uint16_t c[4] = {uint16_t(x * 5000), uint16_t(y * 6000),
                       uint16_t((x * y * 997) & 0xffff),
                       uint16_t(x == y ? 0 : 65535 - x * 1000)};
      for (uint16_t v : c)
        data.push_back(uint8_t(v >> 8)), data.push_back(uint8_t(v));
      float a = c[3] / 65535.0f;
      want.push_back(a * luma(c[0], c[1], c[2]) / 65535.0f + (1 - a));
    }
  ASSERT_TRUE(writePngDirect(path("i.png"), w, h, PNG_COLOR_TYPE_RGBA, 16,
                             data, /*interlace=*/true));
  GreyImage back;
  Status s = imageRead(path("i.png"), back);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(back.width, w);
  ASSERT_EQ(back.height, h);
  for (size_t i = 0; i < want.size(); ++i)
    ASSERT_NEAR(back.pixels[i], want[i], 1e-5) << i;
}

TEST_F(ImageFiles, JpegRoundTripAndMagicBeatsTheName) {
  std::vector<uint8_t> rgb = smoothRgb(64, 48);
  // A JPEG named .png and a PNG named .jpg: both recognised by content.
  ASSERT_TRUE(jpegWriteRgb(path("photo.png"), 64, 48, rgb, 95).ok());
  ASSERT_TRUE(pngWriteRgb(path("drawing.jpg"), 64, 48, rgb).ok());
  std::vector<uint8_t> head = readRaw(path("photo.png"));
  ASSERT_GE(head.size(), 3u);
  EXPECT_EQ(head[0], 0xff);
  EXPECT_EQ(head[1], 0xd8);
  GreyImage jpg, png;
  Status s = imageRead(path("photo.png"), jpg);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_TRUE(imageRead(path("drawing.jpg"), png).ok());
  ASSERT_EQ(jpg.width, 64u);
  ASSERT_EQ(jpg.height, 48u);
  double err = 0, worst = 0;
  for (size_t i = 0; i < jpg.pixels.size(); ++i) {
    double d = std::fabs(jpg.pixels[i] - png.pixels[i]);
    err += d, worst = std::max(worst, d);
  }
  EXPECT_LT(err / jpg.pixels.size(), 0.01);
  EXPECT_LT(worst, 0.06);
}

TEST_F(ImageFiles, GreyJpeg) {
  std::vector<uint8_t> grey(40 * 30);
  for (size_t i = 0; i < grey.size(); ++i)
    grey[i] = uint8_t(i % 40 * 6);
  ASSERT_TRUE(writeGreyJpegDirect(path("g.jpg"), 40, 30, grey));
  GreyImage back;
  Status s = imageRead(path("g.jpg"), back);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(back.pixels.size(), grey.size());
  for (size_t i = 0; i < grey.size(); ++i)
    ASSERT_NEAR(back.pixels[i], grey[i] / 255.0f, 3 / 255.0f) << i;
}

TEST_F(ImageFiles, GzippedPngIsReadThrough) {
  ASSERT_TRUE(pngWriteRgb(path("c.png"), 8, 8, smoothRgb(8, 8)).ok());
  std::vector<uint8_t> bytes = readRaw(path("c.png"));
  gzFile f = gzopen(path("c.png.gz").c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, bytes.data(), unsigned(bytes.size())),
            int(bytes.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
  GreyImage plain, gz;
  ASSERT_TRUE(imageRead(path("c.png"), plain).ok());
  Status s = imageRead(path("c.png.gz"), gz);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(gz.pixels, plain.pixels);
}

//===--- errors -----------------------------------------------------------===//

TEST_F(ImageFiles, MissingForeignAndEmptyFiles) {
  EXPECT_EQ(readError("nope.png"),
            path("nope.png") + ": cannot open: no such file or directory");
  writeRaw(path("notes.png"), {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r'});
  EXPECT_EQ(readError("notes.png"),
            path("notes.png") + ": not a PNG or JPEG image (it starts with "
                                "68 65 6c 6c 6f 20 77 6f); convert it to PNG "
                                "or JPEG first");
  writeRaw(path("anim.png"), {'G', 'I', 'F', '8', '9', 'a', 1, 0});
  EXPECT_TRUE(contains(readError("anim.png"),
                       "(it starts with 47 49 46 38 39 61 01 00, a GIF image)"));
  writeRaw(path("empty.png"), {});
  EXPECT_EQ(readError("empty.png"),
            path("empty.png") + ": is empty, not a PNG or JPEG image");
  fs::create_directory(path("dir.png"));
  EXPECT_TRUE(contains(readError("dir.png"), "is a directory"));
}

TEST_F(ImageFiles, TruncatedAndCorruptPng) {
  ASSERT_TRUE(pngWriteRgb(path("ok.png"), 50, 40, smoothRgb(50, 40)).ok());
  std::vector<uint8_t> bytes = readRaw(path("ok.png"));
  ASSERT_GT(bytes.size(), 200u);
  std::vector<uint8_t> half(bytes.begin(), bytes.begin() + bytes.size() / 2);
  writeRaw(path("half.png"), half);
  std::string msg = readError("half.png");
  EXPECT_TRUE(contains(msg, ": truncated PNG: the file ends after " +
                                std::to_string(half.size()) + " bytes"))
      << msg;
  // Just the signature and part of IHDR.
  writeRaw(path("sig.png"), std::vector<uint8_t>(bytes.begin(),
                                                 bytes.begin() + 20));
  EXPECT_TRUE(contains(readError("sig.png"), ": truncated PNG:"));
  // A flipped byte inside the compressed image data.
  std::vector<uint8_t> bad = bytes;
  bad[bytes.size() / 2] ^= 0x55;
  writeRaw(path("bad.png"), bad);
  msg = readError("bad.png");
  EXPECT_TRUE(contains(msg, ": corrupt PNG: ")) << msg;
  EXPECT_TRUE(contains(msg, "; re-save or re-export the image")) << msg;
  // A flipped bit in the header's width breaks IHDR's CRC.
  bad = bytes;
  bad[19] ^= 0x01;
  writeRaw(path("crc.png"), bad);
  msg = readError("crc.png");
  EXPECT_TRUE(contains(msg, ": corrupt PNG: IHDR: CRC error")) << msg;
}

TEST_F(ImageFiles, TruncatedAndCorruptJpeg) {
  ASSERT_TRUE(jpegWriteRgb(path("ok.jpg"), 80, 60, smoothRgb(80, 60)).ok());
  std::vector<uint8_t> bytes = readRaw(path("ok.jpg"));
  ASSERT_GT(bytes.size(), 800u);
  std::vector<uint8_t> part(bytes.begin(), bytes.begin() + bytes.size() * 2 / 3);
  writeRaw(path("part.jpg"), part);
  std::string msg = readError("part.jpg");
  EXPECT_TRUE(contains(msg, ": truncated JPEG: the file ends after " +
                                std::to_string(part.size()) + " bytes"))
      << msg;
  writeRaw(path("head.jpg"), std::vector<uint8_t>(bytes.begin(),
                                                  bytes.begin() + 30));
  EXPECT_TRUE(contains(readError("head.jpg"), ": truncated JPEG:"));
  // A frame header claiming 3-bit samples.
  std::vector<uint8_t> bad = bytes;
  size_t sof = 0;
  for (size_t i = 2; i + 9 < bad.size() && !sof; ++i)
    if (bad[i] == 0xff && bad[i + 1] == 0xc0)
      sof = i;
  ASSERT_NE(sof, 0u);
  bad[sof + 4] = 3;
  writeRaw(path("bad.jpg"), bad);
  msg = readError("bad.jpg");
  EXPECT_TRUE(contains(msg, ": corrupt JPEG: Unsupported JPEG data precision "
                            "3; re-save or re-export the image"))
      << msg;
  // The start-of-image marker followed by garbage: libjpeg skips it looking
  // for a marker and runs off the end.
  bad = {0xff, 0xd8, 0xff, 0x00, 0x13, 0x37, 0x42};
  bad.resize(200, 0x5a);
  writeRaw(path("junk.jpg"), bad);
  msg = readError("junk.jpg");
  EXPECT_TRUE(contains(msg, ": truncated JPEG: ")) << msg;
}

TEST_F(ImageFiles, OversizedImagesAreRefusedFromTheHeader) {
  // A PNG signature and an IHDR claiming 20000x10 (with a valid CRC).
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<uint8_t> ihdr = {'I', 'H', 'D', 'R', 0, 0, 0x4e, 0x20, 0, 0,
                               0,   10,  8,   0,   0, 0, 0};
  uint32_t crc = uint32_t(crc32(0, ihdr.data(), uInt(ihdr.size())));
  for (uint8_t b : {0, 0, 0, 13})
    png.push_back(b);
  png.insert(png.end(), ihdr.begin(), ihdr.end());
  for (int shift = 24; shift >= 0; shift -= 8)
    png.push_back(uint8_t(crc >> shift));
  writeRaw(path("wide.png"), png);
  std::string msg = readError("wide.png");
  EXPECT_TRUE(contains(msg, ": PNG image is 20000x10 pixels, larger than "
                            "16384 on a side; scale it down first"))
      << msg;

  // A real 8x8 JPEG whose frame header is patched to 8x30000.
  ASSERT_TRUE(jpegWriteRgb(path("small.jpg"), 8, 8, smoothRgb(8, 8)).ok());
  std::vector<uint8_t> jpg = readRaw(path("small.jpg"));
  size_t sof = 0;
  for (size_t i = 2; i + 9 < jpg.size() && !sof; ++i)
    if (jpg[i] == 0xff && jpg[i + 1] == 0xc0)
      sof = i;
  ASSERT_NE(sof, 0u);
  jpg[sof + 5] = 30000 >> 8, jpg[sof + 6] = 30000 & 0xff; // height
  writeRaw(path("tall.jpg"), jpg);
  msg = readError("tall.jpg");
  EXPECT_TRUE(contains(msg, ": JPEG image is 8x30000 pixels, larger than"))
      << msg;
}

TEST_F(ImageFiles, WritersCheckTheirArguments) {
  std::vector<uint8_t> rgb(6 * 4 * 3, 128);
  Status s = pngWriteRgb(path("x.png.gz"), 6, 4, rgb);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(contains(s.message(), path("x.png.gz") + ": an image file name "
                                                       "must not end in .gz"));
  EXPECT_FALSE(fs::exists(path("x.png.gz")));
  s = pngWriteRgb(path("x.png"), 6, 5, rgb);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(contains(s.message(), "72 bytes of pixels given for a 6x5 image "
                                    "with 3 channels (expected 90)"))
      << s.message();
  s = pngWriteRgba(path("x.png"), 6, 4, rgb);
  EXPECT_TRUE(s.failed());
  s = jpegWriteRgb(path("x.jpg"), 6, 4, rgb, 101);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(contains(s.message(), "quality 101 is out of range"));
  GreyImage empty;
  s = pngWriteGrey(path("e.png"), empty);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(contains(s.message(), "cannot write a 0x0 image"));
  s = pngWriteRgb(path("no/such/dir/x.png"), 6, 4, rgb);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message().rfind(path("no/such/dir/x.png") + ": ", 0), 0u);
  EXPECT_FALSE(fs::exists(path("x.png")));
  EXPECT_FALSE(fs::exists(path("x.jpg")));
}

//===--- preprocessing ----------------------------------------------------===//

TEST_F(ImageFiles, SyntheticDigitOnColouredPaper) {
  const uint32_t w = 97, h = 131;
  std::vector<float> seven = drawSeven(w, h);
  const uint8_t ink[3] = {30, 40, 110}, paper[3] = {235, 225, 190};
  ASSERT_TRUE(pngWriteRgb(path("seven.png"), w, h, paint(seven, ink, paper))
                  .ok());
  GreyImage photo, digit;
  ASSERT_TRUE(imageRead(path("seven.png"), photo).ok());
  std::string note;
  Status s = imagePreprocessMnist(photo, digit, &note);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(contains(note, "light background, inverted")) << note;
  ASSERT_EQ(digit.width, 28u);
  ASSERT_EQ(digit.height, 28u);
  EXPECT_EQ(digit.source, path("seven.png"));
  // Inverted: the digit is bright (its strongest pixels 1), the field black.
  float hi = *std::max_element(digit.pixels.begin(), digit.pixels.end());
  float lo = *std::min_element(digit.pixels.begin(), digit.pixels.end());
  EXPECT_EQ(hi, 1.0f);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(digit.at(0, 0), 0.0f);
  EXPECT_EQ(digit.at(27, 27), 0.0f);
  InkStats st = inkStats(digit);
  EXPECT_EQ(std::max(st.boxW(), st.boxH()), 20u);
  EXPECT_EQ(st.boxH(), 20u); // the 7 is taller than wide: ~52x86 px of ink
  EXPECT_NEAR(st.boxW(), 52.0 * 20 / 86, 1.0);
  EXPECT_NEAR(st.cx, 14.0, 0.5);
  EXPECT_NEAR(st.cy, 14.0, 0.5);

  // The same digit light on dark is not inverted and comes out the same.
  const uint8_t chalk[3] = {240, 240, 230}, board[3] = {20, 50, 30};
  ASSERT_TRUE(pngWriteRgb(path("board.png"), w, h, paint(seven, chalk, board))
                  .ok());
  GreyImage photo2, digit2;
  ASSERT_TRUE(imageRead(path("board.png"), photo2).ok());
  ASSERT_TRUE(imagePreprocessMnist(photo2, digit2, &note).ok());
  EXPECT_TRUE(contains(note, "dark background")) << note;
  ASSERT_EQ(digit2.pixels.size(), digit.pixels.size());
  for (size_t i = 0; i < digit.pixels.size(); ++i)
    ASSERT_NEAR(digit2.pixels[i], digit.pixels[i], 0.02) << i;
}

TEST_F(ImageFiles, SmallDigitIsUpscaledAndOffCentreInkIsCentred) {
  // A 6x9 block of ink near the top-left of a white 60x50 image.
  GreyImage img;
  img.width = 60, img.height = 50;
  img.pixels.assign(60 * 50, 1.0f);
  for (uint32_t y = 3; y < 12; ++y)
    for (uint32_t x = 4; x < 10; ++x)
      img.pixels[y * 60 + x] = 0.1f;
  GreyImage out;
  ASSERT_TRUE(imagePreprocessMnist(img, out).ok());
  InkStats st = inkStats(out);
  EXPECT_EQ(st.boxH(), 20u);
  EXPECT_NEAR(st.boxW(), 6.0 * 20 / 9, 1.0);
  EXPECT_NEAR(st.cx, 14.0, 0.5);
  EXPECT_NEAR(st.cy, 14.0, 0.5);
  // Bilinear upscaling of a flat block stays flat inside.
  EXPECT_EQ(out.at(14, 14), 1.0f);
}

TEST_F(ImageFiles, HalfPixelTiesGoUpAndLeft) {
  // A solid square's centre of mass is exactly between two pixels; MNIST
  // keeps centres of mass in [13.5, 14.5), so it lands on 13.5: the 20 px
  // box spans pixels 4..23.
  GreyImage img, out;
  img.width = img.height = 100;
  img.pixels.assign(100 * 100, 0.0f);
  for (uint32_t y = 30; y < 80; ++y)
    for (uint32_t x = 20; x < 70; ++x)
      img.pixels[y * 100 + x] = 1.0f;
  ASSERT_TRUE(imagePreprocessMnist(img, out).ok());
  InkStats st = inkStats(out);
  EXPECT_EQ(st.x0, 4u);
  EXPECT_EQ(st.y0, 4u);
  EXPECT_EQ(st.x1, 23u);
  EXPECT_EQ(st.y1, 23u);
  EXPECT_DOUBLE_EQ(st.cx, 13.5);
  EXPECT_DOUBLE_EQ(st.cy, 13.5);
}

TEST_F(ImageFiles, LopsidedDigitIsNotCutOff) {
  // A heavy bar on the left and a thin line to the right: centring the
  // mass would push the line out of the field; the shift is clamped so the
  // whole 20 px box stays inside.
  GreyImage img, out;
  img.width = img.height = 240;
  img.pixels.assign(240 * 240, 0.0f);
  for (uint32_t y = 20; y < 220; ++y)
    for (uint32_t x = 20; x < 220; ++x)
      if (x < 40 || y == 120)
        img.pixels[y * 240 + x] = 1.0f;
  ASSERT_TRUE(imagePreprocessMnist(img, out).ok());
  InkStats st = inkStats(out);
  EXPECT_EQ(st.boxW(), 20u);
  EXPECT_EQ(st.boxH(), 20u);
  EXPECT_EQ(st.x0, 8u);
  EXPECT_LT(st.cx, 13.0); // the centre of mass could not be reached
}

TEST_F(ImageFiles, ThinLinesSurviveDownscaling) {
  // An 80x80 frame with 1-px vertical lines every 8 px, shrunk 4x: area
  // averaging turns each line into a column of 0.25 (point sampling would
  // miss them all, and leave no trace of them).
  GreyImage img, out;
  img.width = 120, img.height = 100;
  img.pixels.assign(120 * 100, 1.0f);
  for (uint32_t y = 10; y < 90; ++y)
    for (uint32_t x = 20; x < 100; ++x)
      if (y == 10 || y == 89 || x == 20 || x == 99 || (x - 20) % 8 == 0)
        img.pixels[y * 120 + x] = 0.0f;
  ASSERT_TRUE(imagePreprocessMnist(img, out).ok());
  InkStats st = inkStats(out);
  ASSERT_EQ(st.boxW(), 20u);
  ASSERT_EQ(st.boxH(), 20u);
  for (uint32_t j = 1; j < 19; ++j) {
    float v = out.at(st.x0 + j, st.y0 + 10);
    EXPECT_NEAR(v, j % 2 == 0 ? 0.25f : 0.0f, 1e-5) << j;
  }
}

TEST_F(ImageFiles, NoisyUnevenPaperLeavesNoHaze) {
  // The synthetic 7 on paper with +-8 levels of noise and light falling
  // off by 20% across the sheet: the noise floor keeps the background of
  // the result black, so it matches the clean version closely.
  const uint32_t w = 97, h = 131;
  std::vector<float> seven = drawSeven(w, h);
  GreyImage clean, noisy, a, b;
  clean.width = noisy.width = w, clean.height = noisy.height = h;
  uint32_t state = 12345;
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      float ink = seven[y * w + x];
      clean.pixels.push_back(0.9f - 0.8f * ink);
      state = state * 1664525u + 1013904223u;
      float n = float(int(state >> 24) % 17 - 8) / 255.0f;
      float light = 1.0f - 0.2f * float(x + y) / float(w + h);
      noisy.pixels.push_back(light * (0.9f - 0.8f * ink) + n);
    }
  ASSERT_TRUE(imagePreprocessMnist(clean, a).ok());
  std::string note;
  ASSERT_TRUE(imagePreprocessMnist(noisy, b, &note).ok());
  int litA = 0, litB = 0;
  for (size_t i = 0; i < 784; ++i)
    litA += a.pixels[i] > 0, litB += b.pixels[i] > 0;
  EXPECT_LE(litB, litA + litA / 10) << note;
  EXPECT_GT(pearson(a.pixels, b.pixels), 0.97) << note;
}

namespace {

/// The first `n` MNIST test digits, as [0, 1] floats.
std::vector<std::vector<float>> mnistTestDigits(uint32_t n) {
  IdxImages mnist;
  Status s = idxReadImages(kMnistDir + "/t10k-images-idx3-ubyte",
                           LoadOptions(), mnist);
  EXPECT_TRUE(s.ok()) << s.message();
  std::vector<std::vector<float>> digits;
  for (uint32_t k = 0; k < n && k < mnist.count; ++k) {
    const uint8_t *src = mnist.pixels.data() + size_t(k) * 784;
    digits.emplace_back(src, src + 784);
    for (float &v : digits.back())
      v /= 255.0f;
  }
  return digits;
}

/// A 28x28 digit as a photo: upscaled 4x (bilinear when `smooth`, else
/// each pixel a 4x4 block), dark blue ink on cream paper (as grey), placed
/// off-centre on a 150x170 sheet.
GreyImage photograph(const std::vector<float> &digit, bool smooth) {
  const uint32_t scale = 4, w = 150, h = 170, ox = 9, oy = 41;
  const float paper[3] = {0.95f, 0.92f, 0.80f}, ink[3] = {0.1f, 0.1f, 0.3f};
  GreyImage photo;
  photo.width = w, photo.height = h;
  photo.pixels.assign(size_t(w) * h, luma(paper[0], paper[1], paper[2]));
  for (uint32_t y = 0; y < 28 * scale; ++y)
    for (uint32_t x = 0; x < 28 * scale; ++x) {
      double v = digit[(y / scale) * 28 + x / scale];
      if (smooth) {
        double fx = std::clamp((x + 0.5) / scale - 0.5, 0.0, 27.0);
        double fy = std::clamp((y + 0.5) / scale - 0.5, 0.0, 27.0);
        int x0 = int(fx), y0 = int(fy);
        int x1 = std::min(x0 + 1, 27), y1 = std::min(y0 + 1, 27);
        double ax = fx - x0, ay = fy - y0;
        v = (1 - ay) * ((1 - ax) * digit[y0 * 28 + x0] +
                        ax * digit[y0 * 28 + x1]) +
            ay * ((1 - ax) * digit[y1 * 28 + x0] + ax * digit[y1 * 28 + x1]);
      }
      float c[3];
      for (int i = 0; i < 3; ++i)
        c[i] = float(paper[i] + (ink[i] - paper[i]) * v);
      photo.pixels[size_t(oy + y) * w + ox + x] = luma(c[0], c[1], c[2]);
    }
  return photo;
}

/// The best correlation of `a` moved by up to one pixel each way with `b`
/// (28x28): MNIST's own centring rounds, so a digit whose centre of mass
/// sits on a half pixel may land one pixel either way.
double nearCorrelation(const std::vector<float> &a,
                       const std::vector<float> &b) {
  double best = -1;
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx) {
      std::vector<float> moved(784, 0.0f);
      for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x)
          if (x + dx >= 0 && x + dx < 28 && y + dy >= 0 && y + dy < 28)
            moved[(y + dy) * 28 + x + dx] = a[y * 28 + x];
      best = std::max(best, pearson(moved, b));
    }
  return best;
}

} // namespace

TEST_F(ImageFiles, MnistDigitsAreAlmostFixedPoints) {
  // MNIST's own digits are already in MNIST's form (20 px ink boxes, centre
  // of mass in [13.5, 14.5) in pixel indices), so preprocessing them again
  // gives them back, bar the faintest edge pixels.
  std::vector<std::vector<float>> digits = mnistTestDigits(500);
  ASSERT_EQ(digits.size(), 500u);
  double total = 0;
  int same = 0;
  for (size_t k = 0; k < digits.size(); ++k) {
    GreyImage img, out;
    img.width = img.height = 28;
    img.pixels = digits[k];
    ASSERT_TRUE(imagePreprocessMnist(img, out).ok()) << k;
    double r = pearson(out.pixels, img.pixels);
    total += r, same += r > 0.99;
    EXPECT_GT(nearCorrelation(out.pixels, img.pixels), 0.95) << k;
  }
  EXPECT_GT(total / digits.size(), 0.99);
  EXPECT_GE(same, 490);
}

TEST_F(ImageFiles, RealMnistDigitsSurviveBeingPhotographed) {
  std::vector<std::vector<float>> digits = mnistTestDigits(100);
  ASSERT_EQ(digits.size(), 100u);
  double blockTotal = 0, smoothTotal = 0;
  for (size_t k = 0; k < digits.size(); ++k) {
    GreyImage block, smooth;
    Status s = imagePreprocessMnist(photograph(digits[k], false), block);
    ASSERT_TRUE(s.ok()) << s.message();
    ASSERT_TRUE(imagePreprocessMnist(photograph(digits[k], true), smooth).ok());
    ASSERT_EQ(block.pixels.size(), 784u);
    // 4x4 blocks averaged back: the digit itself, up to colour rounding.
    double r = pearson(block.pixels, digits[k]);
    blockTotal += r;
    EXPECT_GT(nearCorrelation(block.pixels, digits[k]), 0.97) << k;
    // Bilinear upscaling blurs thin strokes and widens the ink box by a
    // pixel or two, which costs the thinnest digits most.
    r = pearson(smooth.pixels, digits[k]);
    smoothTotal += r;
    EXPECT_GT(nearCorrelation(smooth.pixels, digits[k]), 0.8) << k;
  }
  RecordProperty("mean_correlation_blocks",
                 std::to_string(blockTotal / digits.size()));
  RecordProperty("mean_correlation_bilinear",
                 std::to_string(smoothTotal / digits.size()));
  EXPECT_GT(blockTotal / digits.size(), 0.98);
  EXPECT_GT(smoothTotal / digits.size(), 0.9);
  // The first test digit (a 7) without any allowance for shifts.
  GreyImage seven;
  ASSERT_TRUE(imagePreprocessMnist(photograph(digits[0], true), seven).ok());
  EXPECT_GT(pearson(seven.pixels, digits[0]), 0.9);
}

TEST_F(ImageFiles, BlankImagesHaveNoDigit) {
  GreyImage img;
  img.width = 40, img.height = 30;
  img.source = "blank.png";
  GreyImage out;
  for (float level : {0.0f, 0.5f, 1.0f}) {
    img.pixels.assign(40 * 30, level);
    img.pixels[100] = level > 0.5f ? level - 0.02f : level + 0.02f; // a speck
    Status s = imagePreprocessMnist(img, out);
    ASSERT_TRUE(s.failed()) << level;
    EXPECT_EQ(s.message(),
              "blank.png: no digit found (the image is empty or one colour)");
  }
  img.source.clear();
  img.pixels.assign(40 * 30, 1.0f);
  Status s = imagePreprocessMnist(img, out);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message(),
            "<image>: no digit found (the image is empty or one colour)");
  EXPECT_EQ(out.width, 0u); // untouched
  GreyImage none;
  EXPECT_TRUE(imagePreprocessMnist(none, out).failed());
}

//===--- heat map ---------------------------------------------------------===//

TEST_F(ImageFiles, ConfusionMatrixHeatMap) {
  const int k = 10;
  std::vector<int64_t> counts(k * k, 0);
  for (int i = 0; i < k; ++i)
    counts[i * k + i] = 900 + 10 * i;
  counts[4 * k + 9] = 30;   // 4s taken for 9s
  counts[7 * k + 2] = 1234; // more 7s called 2 than 7
  ConfusionMatrixLayout layout;
  ASSERT_TRUE(confusionMatrixLayout(counts, k, layout).ok());
  EXPECT_EQ(layout.cell, 36u);
  EXPECT_GE(layout.width, layout.gridLeft + 10 * 36 + 1);
  EXPECT_GE(layout.height, layout.gridTop + 10 * 36 + 1);
  ASSERT_TRUE(confusionMatrixPng(path("cm.png"), counts, k).ok());
  GreyImage back;
  Status s = imageRead(path("cm.png"), back);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(back.width, layout.width);
  EXPECT_EQ(back.height, layout.height);
  // A spot inside cell (r, c), clear of the centred count.
  auto cell = [&](int r, int c) {
    return back.at(layout.gridLeft + c * layout.cell + 3,
                   layout.gridTop + r * layout.cell + 3);
  };
  EXPECT_LT(cell(0, 0), 0.25f);         // a row's maximum: dark blue
  EXPECT_EQ(cell(0, 1), 1.0f);          // zero: white
  EXPECT_LT(cell(7, 2), 0.25f);         // row 7's maximum is off the diagonal
  EXPECT_GT(cell(7, 7), cell(7, 2));    // ... so its diagonal is lighter
  EXPECT_GT(cell(4, 9), 0.5f);          // 30 of 940: light
  EXPECT_LT(cell(4, 9), 0.95f);         // but visibly tinted
  // The grid line left of cell (0, 0) is grey.
  EXPECT_NEAR(back.at(layout.gridLeft, layout.gridTop + 5), 190 / 255.0f,
              1e-5);
  // Something is written in the label margin and in the caption area.
  float darkest = 1;
  for (uint32_t y = 0; y < layout.gridTop - 2; ++y)
    for (uint32_t x = layout.gridLeft; x < layout.width; ++x)
      darkest = std::min(darkest, back.at(x, y));
  EXPECT_EQ(darkest, 0.0f);

  s = confusionMatrixPng(path("bad.png"), {1, 2, 3}, 2);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(contains(s.message(), path("bad.png") + ": cannot draw: "
                                                      "confusion matrix: 3 "
                                                      "counts given for 2 "
                                                      "classes (expected 4"))
      << s.message();
  EXPECT_TRUE(confusionMatrixPng(path("neg.png"), {1, -2, 3, 4}, 2).failed());
  EXPECT_TRUE(confusionMatrixPng(path("zero.png"), {}, 0).failed());
  // A wide count widens the cells.
  counts[0] = 123456789;
  ASSERT_TRUE(confusionMatrixLayout(counts, k, layout).ok());
  EXPECT_GT(layout.cell, 9u * 6 - 1);
}

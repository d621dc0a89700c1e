// Unit tests of runtime/lib/Image.cpp and Heatmap.cpp: PNG and JPEG round
// trips through the library's writers and through files written here with
// libpng/libjpeg directly (palette, transparency, 1- and 16-bit, interlaced,
// grey JPEG), the named errors for missing, foreign, empty, truncated,
// corrupt and oversized files, and the confusion-matrix heat map read back
// as a PNG. The preprocessing tests are in MnistPreprocessTest.cpp.
#include "mnistc/dataset.h"
#include "mnistc/heatmap.h"
#include "mnistc/image.h"

#include "ImageTestSupport.h"

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
using namespace mnistc::test;
namespace fs = std::filesystem;

namespace {

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

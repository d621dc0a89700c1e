//===- Heatmap.cpp - A confusion matrix drawn as a PNG heat map -----------===//
//
// A tiny raster: filled rectangles and text in a 5x7 bitmap font holding
// just the characters the picture needs (digits and the letters of "true"
// and "predicted"), drawn at an integer scale, optionally rotated a quarter
// turn anticlockwise (reading upwards). See heatmap.h for the picture.
//
//===----------------------------------------------------------------------===//
#include "mnistc/heatmap.h"

#include "mnistc/image.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mnistc::rt {

namespace {

/// 5x7 glyphs: one byte per row, top row first, bit 4 the leftmost pixel.
constexpr char kGlyphChars[] = "0123456789truepdica";
constexpr uint8_t kGlyphs[][7] = {
    {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}, // 0
    {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}, // 1
    {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}, // 2
    {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}, // 3
    {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}, // 4
    {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}, // 5
    {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}, // 6
    {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}, // 7
    {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}, // 8
    {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}, // 9
    {0x08, 0x08, 0x1C, 0x08, 0x08, 0x09, 0x06}, // t
    {0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10}, // r
    {0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0D}, // u
    {0x00, 0x00, 0x0E, 0x11, 0x1F, 0x10, 0x0E}, // e
    {0x00, 0x00, 0x1E, 0x11, 0x1E, 0x10, 0x10}, // p
    {0x01, 0x01, 0x0D, 0x13, 0x11, 0x11, 0x0F}, // d
    {0x04, 0x00, 0x0C, 0x04, 0x04, 0x04, 0x0E}, // i
    {0x00, 0x00, 0x0E, 0x10, 0x10, 0x11, 0x0E}, // c
    {0x00, 0x00, 0x0E, 0x01, 0x0F, 0x11, 0x0F}, // a
};
constexpr uint32_t kAdvance = 6; // glyph width + 1 px spacing

struct Rgb {
  uint8_t r, g, b;
};
constexpr Rgb kWhite = {255, 255, 255}, kBlack = {0, 0, 0};
constexpr Rgb kDarkBlue = {8, 48, 107}, kGrid = {190, 190, 190};
constexpr Rgb kZeroText = {175, 175, 175};

constexpr uint32_t kMinCell = 36, kMargin = 8, kBigScale = 2;

uint32_t textWidth(const std::string &s, uint32_t scale) {
  return s.empty() ? 0 : uint32_t(s.size()) * kAdvance * scale - scale;
}

struct Canvas {
  uint32_t w, h;
  std::vector<uint8_t> rgb;

  Canvas(uint32_t w, uint32_t h) : w(w), h(h), rgb(size_t(w) * h * 3, 255) {}

  void put(long x, long y, Rgb c) {
    if (x < 0 || y < 0 || x >= long(w) || y >= long(h))
      return;
    uint8_t *p = &rgb[(size_t(y) * w + size_t(x)) * 3];
    p[0] = c.r, p[1] = c.g, p[2] = c.b;
  }
  void fill(long x, long y, long fw, long fh, Rgb c) {
    for (long j = 0; j < fh; ++j)
      for (long i = 0; i < fw; ++i)
        put(x + i, y + j, c);
  }
  /// Draws `s` with its top-left corner at (x, y); rotated, the text reads
  /// upwards and (x, y) is the top-left corner of its (turned) box.
  void text(long x, long y, const std::string &s, uint32_t scale, Rgb c,
            bool rotated = false) {
    long tw = textWidth(s, scale);
    for (size_t n = 0; n < s.size(); ++n) {
      const char *at = std::strchr(kGlyphChars, s[n]);
      if (!at || !*at)
        continue; // a space, or a character the font lacks
      const uint8_t *glyph = kGlyphs[at - kGlyphChars];
      for (long gy = 0; gy < 7 * long(scale); ++gy)
        for (long gx = 0; gx < 5 * long(scale); ++gx) {
          if (!(glyph[gy / scale] & (0x10 >> (gx / scale))))
            continue;
          long tx = long(n * kAdvance * scale) + gx; // along the text
          if (rotated)
            put(x + gy, y + tw - 1 - tx, c);
          else
            put(x + tx, y + gy, c);
        }
    }
  }
};

Rgb mix(Rgb a, Rgb b, double t) {
  auto m = [t](uint8_t u, uint8_t v) {
    return uint8_t(std::lround(u + (double(v) - u) * t));
  };
  return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b)};
}

} // namespace

Status confusionMatrixLayout(const std::vector<int64_t> &counts, int classes,
                             ConfusionMatrixLayout &out) {
  if (classes < 1 || classes > 256)
    return Status::error("confusion matrix: " + std::to_string(classes) +
                         " classes; a heat map can show 1..256");
  size_t n = size_t(classes);
  if (counts.size() != n * n)
    return Status::error(
        "confusion matrix: " + std::to_string(counts.size()) +
        " counts given for " + std::to_string(classes) + " classes (expected " +
        std::to_string(n * n) + ", one per true and predicted class)");
  int64_t most = 0;
  for (int64_t c : counts) {
    if (c < 0)
      return Status::error("confusion matrix: a count is negative (" +
                           std::to_string(c) + ")");
    most = std::max(most, c);
  }
  uint32_t countW = textWidth(std::to_string(most), 1);
  uint32_t labelW = textWidth(std::to_string(classes - 1), kBigScale);
  uint32_t bigH = 7 * kBigScale;
  ConfusionMatrixLayout l;
  l.cell = std::max(kMinCell, countW + 8);
  l.gridLeft = kMargin + bigH + 8 + labelW + 6;
  l.gridTop = kMargin + bigH + 8 + bigH + 6;
  uint64_t grid = uint64_t(l.cell) * n + 1;
  uint64_t width = std::max<uint64_t>(l.gridLeft + grid,
                                      l.gridLeft + textWidth("predicted",
                                                             kBigScale)) +
                   kMargin;
  uint64_t height = std::max<uint64_t>(grid, textWidth("true", kBigScale)) +
                    l.gridTop + kMargin;
  if (width > kImageMaxSide || height > kImageMaxSide)
    return Status::error("confusion matrix: " + std::to_string(classes) +
                         " classes with counts up to " + std::to_string(most) +
                         " make a " + std::to_string(width) + "x" +
                         std::to_string(height) +
                         " picture, too large for a heat map");
  l.width = uint32_t(width);
  l.height = uint32_t(height);
  out = l;
  return Status::success();
}

Status confusionMatrixRender(const std::vector<int64_t> &counts, int classes,
                             uint32_t &width, uint32_t &height,
                             std::vector<uint8_t> &rgb) {
  ConfusionMatrixLayout l;
  if (Status s = confusionMatrixLayout(counts, classes, l); s.failed())
    return s;
  Canvas canvas(l.width, l.height);
  const long n = classes, cell = l.cell, left = l.gridLeft, top = l.gridTop;
  const long bigH = 7 * kBigScale;
  const long grid = cell * n + 1;
  // Captions, centred on the grid.
  long capW = textWidth("predicted", kBigScale);
  canvas.text(std::max<long>(left + (grid - capW) / 2, left), kMargin,
              "predicted", kBigScale, kBlack);
  long trueW = textWidth("true", kBigScale);
  canvas.text(kMargin, top + std::max<long>((grid - trueW) / 2, 0), "true",
              kBigScale, kBlack, /*rotated=*/true);
  canvas.fill(left, top, grid, grid, kGrid);
  for (long r = 0; r < n; ++r) {
    std::string label = std::to_string(r);
    long lw = textWidth(label, kBigScale);
    // Column label above, row label to the left (right-aligned).
    canvas.text(left + r * cell + (cell + 1 - lw) / 2, top - 6 - bigH, label,
                kBigScale, kBlack);
    canvas.text(left - 6 - lw, top + r * cell + (cell + 1 - bigH) / 2, label,
                kBigScale, kBlack);
    int64_t rowMax = 0;
    for (long c = 0; c < n; ++c)
      rowMax = std::max(rowMax, counts[size_t(r * n + c)]);
    for (long c = 0; c < n; ++c) {
      int64_t count = counts[size_t(r * n + c)];
      double t = rowMax > 0 ? std::sqrt(double(count) / double(rowMax)) : 0;
      Rgb fill = mix(kWhite, kDarkBlue, t);
      long x = left + c * cell + 1, y = top + r * cell + 1;
      canvas.fill(x, y, cell - 1, cell - 1, fill);
      std::string text = std::to_string(count);
      double luma = 0.299 * fill.r + 0.587 * fill.g + 0.114 * fill.b;
      Rgb ink = count == 0 ? kZeroText : luma < 128 ? kWhite : kBlack;
      canvas.text(x + (cell - 1 - long(textWidth(text, 1))) / 2,
                  y + (cell - 1 - 7) / 2, text, 1, ink);
    }
  }
  width = canvas.w;
  height = canvas.h;
  rgb = std::move(canvas.rgb);
  return Status::success();
}

Status confusionMatrixPng(const std::string &path,
                          const std::vector<int64_t> &counts, int classes) {
  uint32_t w = 0, h = 0;
  std::vector<uint8_t> rgb;
  if (Status s = confusionMatrixRender(counts, classes, w, h, rgb); s.failed())
    return Status::error(path + ": cannot draw: " + s.message());
  return pngWriteRgb(path, w, h, rgb);
}

} // namespace mnistc::rt

// Unit tests of runtime/lib/MnistPreprocess.cpp: a synthetic digit on
// coloured paper, small, off-centre, lopsided and thin-lined digits, noisy
// uneven paper, half-pixel ties, blank images, and real MNIST test digits:
// preprocessed again they barely change, and dressed up as photos
// (upscaled, coloured, offset) they come back close to the originals.
#include "ImageTestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace mnistc::rt;
using namespace mnistc::test;

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

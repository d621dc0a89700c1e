//===- make_digit_images.cpp - MNIST digits dressed up as user photos -----===//
//
//   make_digit_images IDX_IMAGES IDX_LABELS OUTDIR N
//
// Writes the first N digits of an MNIST-format IDX set as the kind of image
// a person would hand `mnistrt predict`: alternately PNG and JPEG, of odd
// sizes (97x131, 300x200, 45x61, ...), dark ink (black, blue pen, pencil,
// red) on light coloured paper with a slight lighting gradient and a little
// noise, every other PNG as RGBA with a transparent background (whose RGB
// is black, so a reader that ignores alpha sees a black picture), the
// digit smoothly (bilinearly) upscaled to fill a varying share of the
// picture and placed centred or off-centre. OUTDIR/labels.txt lists
// "FILENAME LABEL" per line. Everything is deterministic, so the same N
// gives the same files. It feeds the end-to-end test in which a trained
// model must classify the images through `mnistrt predict`.
//
// Exit codes: 0 success, 1 a file cannot be read or written, 2 bad usage.
//
//===----------------------------------------------------------------------===//
#include "mnistc/dataset.h"
#include "mnistc/image.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace mnistc::rt;

namespace {

struct Size {
  uint32_t w, h;
};
constexpr Size kSizes[] = {{97, 131}, {300, 200}, {45, 61},  {128, 128},
                           {200, 260}, {61, 45},  {150, 113}, {333, 250},
                           {80, 80},  {113, 171}};
constexpr uint8_t kPapers[][3] = {{245, 240, 220}, {220, 232, 245},
                                  {226, 242, 226}, {255, 255, 255},
                                  {248, 228, 232}, {232, 232, 226}};
constexpr uint8_t kInks[][3] = {
    {20, 20, 25}, {25, 35, 120}, {70, 70, 78}, {110, 20, 28}};
/// Share of the picture's shorter side the digit's ink box fills.
constexpr double kFill[] = {0.7, 0.55, 0.85, 0.65, 0.75};
/// Where the digit sits in the room left over: 0.5 centred.
constexpr double kPlace[][2] = {{0.5, 0.5}, {0.15, 0.3}, {0.8, 0.6},
                                {0.5, 0.85}, {0.3, 0.1}};

/// A small deterministic generator for the noise.
struct Lcg {
  uint64_t state;
  int next(int range) { // uniform in [-range, range]
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return int((state >> 33) % uint64_t(2 * range + 1)) - range;
  }
};

/// Bilinear sample of a 28x28 digit (0 outside) at pixel-centre coordinates.
double sample(const uint8_t *digit, double x, double y) {
  double fx = std::floor(x), fy = std::floor(y);
  double ax = x - fx, ay = y - fy;
  auto at = [&](int px, int py) {
    return px < 0 || py < 0 || px >= 28 || py >= 28 ? 0.0
                                                    : digit[py * 28 + px] / 255.0;
  };
  int x0 = int(fx), y0 = int(fy);
  return (1 - ay) * ((1 - ax) * at(x0, y0) + ax * at(x0 + 1, y0)) +
         ay * ((1 - ax) * at(x0, y0 + 1) + ax * at(x0 + 1, y0 + 1));
}

/// Draws digit `i` and writes it; returns the file name.
Status makeImage(const std::string &dir, uint32_t i, const uint8_t *digit,
                 std::string &name) {
  Size size = kSizes[i % std::size(kSizes)];
  const uint8_t *paper = kPapers[i % std::size(kPapers)];
  const uint8_t *ink = kInks[(i / 3) % std::size(kInks)];
  bool png = i % 2 == 0, transparent = i % 4 == 2;
  // The digit's ink box in its 28x28 field.
  int bx0 = 28, by0 = 28, bx1 = -1, by1 = -1;
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x)
      if (digit[y * 28 + x]) {
        bx0 = std::min(bx0, x), bx1 = std::max(bx1, x);
        by0 = std::min(by0, y), by1 = std::max(by1, y);
      }
  if (bx1 < 0)
    bx0 = by0 = 0, bx1 = by1 = 27;
  double bw = bx1 - bx0 + 1, bh = by1 - by0 + 1;
  double fill = kFill[i % std::size(kFill)];
  double scale = std::min(fill * size.w / bw, fill * size.h / bh);
  const double *place = kPlace[(i / 2) % std::size(kPlace)];
  double left = (size.w - bw * scale) * place[0];
  double top = (size.h - bh * scale) * place[1];

  Lcg noise{0x9e3779b97f4a7c15ull ^ i};
  std::vector<uint8_t> pixels(size_t(size.w) * size.h * (transparent ? 4 : 3));
  for (uint32_t y = 0; y < size.h; ++y)
    for (uint32_t x = 0; x < size.w; ++x) {
      double v = sample(digit, bx0 + (x + 0.5 - left) / scale - 0.5,
                        by0 + (y + 0.5 - top) / scale - 0.5);
      uint8_t *p = &pixels[(size_t(y) * size.w + x) * (transparent ? 4 : 3)];
      if (transparent) {
        for (int c = 0; c < 3; ++c)
          p[c] = v > 0 ? ink[c] : 0;
        p[3] = uint8_t(std::lround(255 * v));
        continue;
      }
      // Light falls off by up to 7% towards the bottom right.
      double light = 1 - 0.07 * (double(x) / size.w + double(y) / size.h) / 2;
      int n = noise.next(3);
      for (int c = 0; c < 3; ++c) {
        double bg = paper[c] * light;
        double colour = bg + (ink[c] - bg) * v + n;
        p[c] = uint8_t(std::clamp(std::lround(colour), 0L, 255L));
      }
    }
  char buf[64];
  std::snprintf(buf, sizeof buf, "digit_%04u.%s", i, png ? "png" : "jpg");
  name = buf;
  std::string path = dir + "/" + name;
  if (!png)
    return jpegWriteRgb(path, size.w, size.h, pixels, 75 + int(i % 5) * 5);
  if (transparent)
    return pngWriteRgba(path, size.w, size.h, pixels);
  return pngWriteRgb(path, size.w, size.h, pixels);
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 5) {
    std::fprintf(stderr,
                 "usage: make_digit_images IDX_IMAGES IDX_LABELS OUTDIR N\n"
                 "writes the first N digits as PNG/JPEG photos and "
                 "OUTDIR/labels.txt\n");
    return 2;
  }
  std::string dir = argv[3];
  char *end = nullptr;
  unsigned long n = std::strtoul(argv[4], &end, 10);
  if (!*argv[4] || *end || n == 0 || n > 100000) {
    std::fprintf(stderr, "make_digit_images: N must be 1..100000, not '%s'\n",
                 argv[4]);
    return 2;
  }
  IdxImages images;
  IdxLabels labels;
  LoadOptions options;
  Status s = idxReadImages(argv[1], options, images);
  if (s.ok())
    s = idxReadLabels(argv[2], options, labels);
  if (s.ok() && (labels.count != images.count || images.count < n))
    s = Status::error(std::string(argv[1]) + ": holds " +
                      std::to_string(images.count) + " images and " +
                      argv[2] + " " + std::to_string(labels.count) +
                      " labels; " + std::to_string(n) + " of each are needed");
  if (s.failed()) {
    std::fprintf(stderr, "make_digit_images: %s\n", s.message().c_str());
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "make_digit_images: %s: cannot create: %s\n",
                 dir.c_str(), ec.message().c_str());
    return 1;
  }
  std::string list;
  for (uint32_t i = 0; i < n; ++i) {
    std::string name;
    s = makeImage(dir, i, images.pixels.data() + size_t(i) * 784, name);
    if (s.failed()) {
      std::fprintf(stderr, "make_digit_images: %s\n", s.message().c_str());
      return 1;
    }
    list += name + " " + std::to_string(labels.labels[i]) + "\n";
  }
  std::string listPath = dir + "/labels.txt";
  std::ofstream out(listPath, std::ios::binary | std::ios::trunc);
  out << list;
  out.close();
  if (!out) {
    std::fprintf(stderr, "make_digit_images: %s: cannot write\n",
                 listPath.c_str());
    return 1;
  }
  std::printf("wrote %lu images and labels.txt to %s\n", n, dir.c_str());
  return 0;
}

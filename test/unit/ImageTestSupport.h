//===- ImageTestSupport.h - What the image tests share --------------------===//
//
// The helpers of ImageTest.cpp (PNG/JPEG files, the heat map) and
// MnistPreprocessTest.cpp: pixel maths (luma, correlation, ink
// statistics), synthetic pictures (a drawn seven, smooth colour ramps,
// ink painted on paper), and the ImageFiles fixture, whose readError
// expects a named failure.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_TEST_UNIT_IMAGETESTSUPPORT_H
#define MNISTC_TEST_UNIT_IMAGETESTSUPPORT_H

#include "mnistc/dataset.h"
#include "mnistc/image.h"

#include "TempDirTest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#ifndef MNISTC_MNIST_DIR
#error "MNISTC_MNIST_DIR must name the data/mnist directory"
#endif

namespace mnistc::test {

using namespace mnistc::rt;

inline const std::string kMnistDir = MNISTC_MNIST_DIR;

inline bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

inline float luma(float r, float g, float b) {
  return 0.299f * r + 0.587f * g + 0.114f * b;
}

/// A smooth, colourful w x h RGB test picture.
inline std::vector<uint8_t> smoothRgb(uint32_t w, uint32_t h) {
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

inline double pearson(const std::vector<float> &a,
                      const std::vector<float> &b) {
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
inline InkStats inkStats(const GreyImage &img) {
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
inline double segmentDistance(double px, double py, double ax, double ay,
                              double bx, double by) {
  double dx = bx - ax, dy = by - ay;
  double t = std::clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy),
                        0.0, 1.0);
  return std::hypot(px - ax - t * dx, py - ay - t * dy);
}

/// A thick anti-aliased "7" (ink coverage in [0, 1]) on a w x h canvas.
inline std::vector<float> drawSeven(uint32_t w, uint32_t h) {
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
inline std::vector<uint8_t> paint(const std::vector<float> &cover,
                                  const uint8_t ink[3],
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

} // namespace mnistc::test

#endif

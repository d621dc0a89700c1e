//===- MnistPreprocess.cpp - A user's picture made into an MNIST digit -----===//
//
// imagePreprocessMnist (image.h): the steps MNIST's digits went through,
// applied to any grey image: polarity from the border, a noise floor, the
// ink's bounding box, a resample of that box to 20 pixels on its longer
// side (area averaging when shrinking, bilinear when growing), and the
// placement in 28x28 by centre of mass.
//
//===----------------------------------------------------------------------===//
#include "mnistc/image.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace mnistc::rt {

namespace {

Status fail(const std::string &path, const std::string &problem) {
  return Status::error(path + ": " + problem);
}

std::string sourceName(const GreyImage &img) {
  return img.source.empty() ? "<image>" : img.source;
}

constexpr float kMinContrast = 0.06f;
constexpr float kMaxNoiseFloor = 0.25f;
constexpr float kInkLevel = 0.1f;

/// One term of a resampling sum: out[j] += weight * in[index].
struct Tap {
  uint32_t index;
  float weight;
};

/// The taps of each of `out` output pixels along an axis of `in` input
/// pixels: area averaging when shrinking, bilinear (pixel centres aligned)
/// when growing or keeping the size.
std::vector<std::vector<Tap>> axisTaps(uint32_t in, uint32_t out) {
  std::vector<std::vector<Tap>> taps(out);
  double scale = double(out) / in; // output pixels per input pixel
  for (uint32_t j = 0; j < out; ++j) {
    if (out < in) {
      double a = j / scale, b = (j + 1) / scale;
      for (uint32_t k = uint32_t(a); k < in && k < b; ++k) {
        double cover = std::min(b, k + 1.0) - std::max(a, double(k));
        if (cover > 1e-9)
          taps[j].push_back({k, float(cover * scale)});
      }
    } else {
      double x = std::clamp((j + 0.5) / scale - 0.5, 0.0, double(in - 1));
      uint32_t k0 = uint32_t(x);
      double f = x - k0;
      taps[j].push_back({k0, float(1 - f)});
      if (f > 1e-9 && k0 + 1 < in)
        taps[j].push_back({k0 + 1, float(f)});
    }
  }
  return taps;
}

} // namespace

Status imagePreprocessMnist(const GreyImage &in, GreyImage &out,
                            std::string *note) {
  const std::string src = sourceName(in);
  const uint32_t w = in.width, h = in.height;
  if (w == 0 || h == 0 || in.pixels.size() != size_t(w) * h)
    return fail(src, w == 0 || h == 0
                         ? "no digit found (the image has no pixels)"
                         : "image holds " + std::to_string(in.pixels.size()) +
                               " pixels, not " + std::to_string(w) + "x" +
                               std::to_string(h) + " (an internal error)");
  // 1. Polarity, from the border. (unit() also maps NaN to 0.)
  auto unit = [](float v) { return v > 0 ? std::min(v, 1.0f) : 0.0f; };
  std::vector<float> border;
  for (uint32_t x = 0; x < w; ++x) {
    border.push_back(unit(in.at(x, 0)));
    if (h > 1)
      border.push_back(unit(in.at(x, h - 1)));
  }
  for (uint32_t y = 1; y + 1 < h; ++y) {
    border.push_back(unit(in.at(0, y)));
    if (w > 1)
      border.push_back(unit(in.at(w - 1, y)));
  }
  double borderSum = 0;
  for (float v : border)
    borderSum += v;
  bool invert = borderSum / border.size() > 0.5;
  auto value = [&](size_t i) {
    float v = unit(in.pixels[i]);
    return invert ? 1.0f - v : v;
  };
  // 2. Levels, from the (possibly inverted) border: background and noise.
  if (invert)
    for (float &v : border)
      v = 1.0f - v;
  auto quantile = [&](double q) {
    auto at = border.begin() + ptrdiff_t(q * double(border.size() - 1));
    std::nth_element(border.begin(), at, border.end());
    return *at;
  };
  float background = quantile(0.5);
  float brightest = 0;
  for (size_t i = 0; i < in.pixels.size(); ++i)
    brightest = std::max(brightest, value(i));
  float contrast = brightest - background;
  if (!(contrast >= kMinContrast))
    return fail(src, "no digit found (the image is empty or one colour)");
  float noise =
      std::min(2 * (quantile(0.9) - background) / contrast, kMaxNoiseFloor);
  std::vector<float> ink(in.pixels.size());
  uint32_t x0 = w, y0 = h, x1 = 0, y1 = 0;
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      size_t i = size_t(y) * w + x;
      float v = (value(i) - background) / contrast;
      if (v <= noise)
        continue;
      ink[i] = std::min((v - noise) / (1 - noise), 1.0f);
      if (ink[i] <= kInkLevel)
        continue;
      x0 = std::min(x0, x), x1 = std::max(x1, x);
      y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  // 3. Crop and scale: longer side to kMnistBox.
  uint32_t bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  double scale = double(kMnistBox) / std::max(bw, bh);
  uint32_t sw = std::clamp(uint32_t(std::lround(bw * scale)), 1u, kMnistBox);
  uint32_t sh = std::clamp(uint32_t(std::lround(bh * scale)), 1u, kMnistBox);
  auto tapsX = axisTaps(bw, sw), tapsY = axisTaps(bh, sh);
  std::vector<float> across(size_t(sw) * bh); // scaled along x only
  for (uint32_t y = 0; y < bh; ++y)
    for (uint32_t x = 0; x < sw; ++x) {
      float sum = 0;
      for (const Tap &t : tapsX[x])
        sum += t.weight * ink[size_t(y0 + y) * w + x0 + t.index];
      across[size_t(y) * sw + x] = sum;
    }
  std::vector<float> scaled(size_t(sw) * sh);
  double mass = 0, mx = 0, my = 0;
  for (uint32_t y = 0; y < sh; ++y)
    for (uint32_t x = 0; x < sw; ++x) {
      float sum = 0;
      for (const Tap &t : tapsY[y])
        sum += t.weight * across[size_t(t.index) * sw + x];
      sum = std::clamp(sum, 0.0f, 1.0f);
      scaled[size_t(y) * sw + x] = sum;
      mass += sum, mx += sum * x, my += sum * y;
    }
  // 4. Centre of mass to (14, 14) in pixel indices by whole pixels, into
  // [13.5, 14.5) as MNIST's, nothing cut off.
  double half = kMnistSide / 2.0;
  long ox = long(std::ceil(half - 0.5 - mx / mass - 1e-9));
  long oy = long(std::ceil(half - 0.5 - my / mass - 1e-9));
  ox = std::clamp(ox, 0L, long(kMnistSide - sw));
  oy = std::clamp(oy, 0L, long(kMnistSide - sh));
  GreyImage result;
  result.width = result.height = kMnistSide;
  result.source = in.source;
  result.pixels.assign(size_t(kMnistSide) * kMnistSide, 0.0f);
  for (uint32_t y = 0; y < sh; ++y)
    for (uint32_t x = 0; x < sw; ++x)
      result.pixels[size_t(oy + y) * kMnistSide + ox + x] =
          scaled[size_t(y) * sw + x];
  if (note) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%s: %s; noise floor %.2f; ink box %ux%u at (%u,%u) of "
                  "%ux%u; scaled to %ux%u; placed at (%ld,%ld) of 28x28, "
                  "centre of mass (%.2f,%.2f)",
                  src.c_str(),
                  invert ? "light background, inverted" : "dark background",
                  noise, bw, bh, x0, y0, w, h, sw, sh, ox, oy, ox + mx / mass,
                  oy + my / mass);
    *note = buf;
  }
  out = std::move(result);
  return Status::success();
}

} // namespace mnistc::rt

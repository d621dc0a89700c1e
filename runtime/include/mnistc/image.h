//===- image.h - Photos of digits: PNG/JPEG files and MNIST preprocessing --===//
//
// The image half of `mnistrt predict` and `mnistrt evaluate`: a person's
// photo or drawing of a digit (any PNG, or a JPEG) is read into a grey image
// and brought into the shape MNIST's digits have, so a model trained on
// MNIST sees what it was trained on:
//
//   imageRead            PNG or JPEG (recognised by their first bytes, not by
//                        the name; a gzip-compressed file is decompressed
//                        first) -> grey, [0, 1], 1 = white. Alpha is
//                        composited over white; colour becomes grey by the
//                        ITU-R BT.601 luma 0.299 R + 0.587 G + 0.114 B.
//   imagePreprocessMnist any grey image -> 28x28, white digit on black, its
//                        ink scaled to 20 px on the longer side and its
//                        centre of mass at the middle, as LeCun et al.
//                        prepared MNIST from NIST's scans.
//
// and writers for PNG (grey, RGB, RGBA) and JPEG (RGB), which encode in
// memory and write the file atomically. Every failure is a Status whose
// message starts with the file (or GreyImage::source) and says what to do.
// Library code never prints.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_IMAGE_H
#define MNISTC_RUNTIME_IMAGE_H

#include "mnistc/status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mnistc::rt {

/// Images wider or taller than this are refused before anything is
/// allocated (no digit photo needs more; a larger header is corrupt or a
/// decompression bomb).
constexpr uint32_t kImageMaxSide = 16384;
/// Image files larger than this (after gzip decompression) are refused.
constexpr uint64_t kImageMaxFileBytes = uint64_t(256) << 20;

/// MNIST's geometry: the digit's ink box is scaled to kMnistBox pixels on
/// its longer side and placed in a kMnistSide x kMnistSide field.
constexpr uint32_t kMnistSide = 28;
constexpr uint32_t kMnistBox = 20;

/// A grey image.
struct GreyImage {
  uint32_t width = 0;
  uint32_t height = 0;
  /// width x height values, row-major, top row first, each in [0, 1]:
  /// 0 is black, 1 is white. (MNIST's own images are white digits on black,
  /// so after imagePreprocessMnist the digit is 1 and the background 0.)
  std::vector<float> pixels;
  /// Where the image came from (imageRead sets the path), used to start
  /// messages; "<image>" when empty.
  std::string source;

  float at(uint32_t x, uint32_t y) const {
    return pixels[size_t(y) * width + x];
  }
};

/// Reads a PNG or JPEG file into `out` (grey, as described above). PNG: any
/// colour type and bit depth (grey 1/2/4/8/16, grey+alpha, RGB, RGBA,
/// palette with or without transparency), interlaced or not; 16-bit samples
/// keep their precision. JPEG: grey, YCbCr, RGB or CMYK. Fails, naming the
/// file, when it is missing or unreadable, not a PNG or JPEG, truncated,
/// corrupt, or larger than kImageMaxSide on a side. `out` is only changed
/// on success.
Status imageRead(const std::string &path, GreyImage &out);

/// Brings a grey image of a digit into MNIST's form (28x28, white on black,
/// values in [0, 1]):
///  1. Polarity: if the mean of the border pixels (outermost rows and
///     columns) is above 0.5 the background is light and the image is
///     inverted, so the digit is bright on dark.
///  2. Levels: the background level is the median of the border pixels and
///     the contrast is the brightest pixel minus it; each pixel becomes
///     n = (v - background) / contrast. A contrast below 0.06 (about 15 of
///     255 grey levels) means no digit. The noise floor is twice the border's
///     90th percentile of n (0 for a clean background like MNIST's, higher
///     for paper texture, uneven light or JPEG noise; at most 0.25): pixels
///     at or below it become 0 (MNIST's background is exactly 0), the rest
///     (n - floor) / (1 - floor), clamped to 1.
///  3. Box: the bounding box of the ink, the pixels above 0.1 after step 2,
///     is cropped and scaled so its longer side is 20 px, keeping the aspect
///     ratio: area averaging (a box filter) along an axis that shrinks,
///     bilinear interpolation along one that grows, so edges come out
///     anti-aliased as in MNIST.
///  4. Centring: the scaled box is placed in a black 28x28 field so that its
///     centre of mass (intensity-weighted mean of the pixel indices x and y)
///     lands on (14, 14), shifted by whole pixels and clamped so nothing is
///     cut off: the shift is the one that puts the centre of mass in
///     [13.5, 14.5) on each axis. This is MNIST's convention: its 60000
///     training digits' centres of mass lie uniformly in that interval (in
///     pixel indices, so half a pixel right of and below the field's
///     geometric middle, 13.5). Preprocessing MNIST's own test digits
///     again gives back nearly the same image (correlation above 0.99) for
///     99.6% of them.
/// A blank or one-colour image fails with "SOURCE: no digit found (the image
/// is empty or one colour)". When `note` is given it receives one line
/// describing what was done (inverted or not, ink box, scale, shift), for a
/// verbose tool. `out` may be `in`.
Status imagePreprocessMnist(const GreyImage &in, GreyImage &out,
                            std::string *note = nullptr);

/// Writes `img` as an 8-bit grey PNG (values clamped to [0, 1], x 255,
/// rounded). Like the other writers: encodes in memory, then writes `path`
/// atomically (a temporary file renamed over it). A path ending in ".gz" is
/// refused, since the file writer would gzip-compress it and no image viewer
/// would open the result.
Status pngWriteGrey(const std::string &path, const GreyImage &img);

/// Writes an 8-bit RGB PNG; `rgb` holds w x h x 3 bytes, row-major.
Status pngWriteRgb(const std::string &path, uint32_t w, uint32_t h,
                   const std::vector<uint8_t> &rgb);

/// Writes an 8-bit RGBA PNG (non-premultiplied alpha); `rgba` holds
/// w x h x 4 bytes, row-major.
Status pngWriteRgba(const std::string &path, uint32_t w, uint32_t h,
                    const std::vector<uint8_t> &rgba);

/// Writes a baseline JPEG (YCbCr, 4:2:0) of quality 1..100; `rgb` holds
/// w x h x 3 bytes, row-major.
Status jpegWriteRgb(const std::string &path, uint32_t w, uint32_t h,
                    const std::vector<uint8_t> &rgb, int quality = 90);

} // namespace mnistc::rt

#endif

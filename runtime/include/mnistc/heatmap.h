//===- heatmap.h - A confusion matrix drawn as a PNG heat map -------------===//
//
// `mnistrt evaluate --confusion-png FILE` draws the test set's confusion
// matrix so a person sees at a glance which digits are taken for which:
//
//                     predicted
//                  0    1    2  ...
//            0  [980][  0][  1]
//      true  1  [  0][1130][ 2]
//            ...
//
// One square cell per (true class, predicted class), filled from white
// (count 0) to dark blue (the largest count of its row, so each row is
// normalised and a class with few examples is as readable as one with
// many; the shade follows the square root of count / row maximum, so a few
// confusions still show against a diagonal of thousands), a 1-px grey grid,
// the count in each cell, class indices along both axes and the captions
// "true" (rotated, on the left) and "predicted" (on top), all in a small
// built-in 5x7 bitmap font. No font library, no drawing library: the pixels
// are computed here and written with pngWriteRgb.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_HEATMAP_H
#define MNISTC_RUNTIME_HEATMAP_H

#include "mnistc/status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mnistc::rt {

/// Where things go in the picture (pixels).
struct ConfusionMatrixLayout {
  uint32_t width = 0, height = 0; // of the whole picture
  uint32_t cell = 0;              // a cell's side, grid line included
  uint32_t gridLeft = 0, gridTop = 0; // top-left corner of cell (0, 0)
};

/// Checks `counts` (classes x classes values >= 0, row = true class, column
/// = predicted class; `classes` in 1..256) and computes the layout: cells of
/// 36 px, wider when a count needs more digits. Fails, naming "confusion
/// matrix", when the counts do not fit.
Status confusionMatrixLayout(const std::vector<int64_t> &counts, int classes,
                             ConfusionMatrixLayout &out);

/// Draws the heat map described above as an RGB image (w x h x 3 bytes).
Status confusionMatrixRender(const std::vector<int64_t> &counts, int classes,
                             uint32_t &width, uint32_t &height,
                             std::vector<uint8_t> &rgb);

/// Draws the heat map and writes it to `path` as a PNG (atomically; a path
/// ending in ".gz" is refused, as by pngWriteRgb).
Status confusionMatrixPng(const std::string &path,
                          const std::vector<int64_t> &counts, int classes);

} // namespace mnistc::rt

#endif

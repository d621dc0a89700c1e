//===- GatherKernelTest.cpp - The resident data set's batch gather -------===//
//
// gather_batch (compiler/Ops/Gather.h) against the gather written out in
// plain C++: a batch of images and labels picked from a data set through
// an order at an offset, for sparse labels and one-hot rows, at batch
// sizes that are and are not multiples of the schedules' tiles. A copy
// must be exact, so the comparison is equality.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Gather.h"
#include "test/unit/KernelTestSupport.h"

#include <algorithm>
#include <numeric>
#include <random>

using namespace Halide;

namespace mnistc::test {
namespace {

constexpr int kFeatures = 20, kCount = 50, kClasses = 10;

TEST(GatherKernelTest, PicksTheOrdersImagesAndLabels) {
  std::mt19937 gen(3);
  ref::Tensor data = randomTensor(size_t(kFeatures) * kCount, -1, 1, 5);
  Buffer<float> dataImages = toBuffer(data, {kFeatures, kCount});
  Buffer<int32_t> dataLabels(kCount);
  for (int i = 0; i < kCount; ++i)
    dataLabels(i) = int32_t(gen() % kClasses);
  Buffer<int32_t> order(kCount);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), gen);

  for (int classes : {0, kClasses}) {
    ops::Kernel &kernel = cachedKernel(
        "gather" + std::to_string(classes), [&] {
          return ops::gatherBatch({kFeatures, classes}, kernelTarget());
        });
    for (auto [offset, n] : {std::pair{0, 1}, {7, 9}, {13, 37}}) {
      SCOPED_TRACE("classes " + std::to_string(classes) + ", offset " +
                   std::to_string(offset) + ", batch " + std::to_string(n));
      kernel.scalars[0].set<int32_t>(offset);
      Buffer<float> images(kFeatures, n);
      Buffer<> labels = classes ? Buffer<>(Buffer<float>(classes, n))
                                : Buffer<>(Buffer<int32_t>(n));
      run(kernel, {dataImages, dataLabels, order}, {images, labels});
      int wrongImages = 0, wrongLabels = 0;
      for (int i = 0; i < n; ++i) {
        int place = order(offset + i);
        for (int f = 0; f < kFeatures; ++f)
          wrongImages += images(f, i) != dataImages(f, place);
        if (classes == 0) {
          wrongLabels += labels.as<int32_t>()(i) != dataLabels(place);
        } else {
          for (int c = 0; c < classes; ++c)
            wrongLabels += labels.as<float>()(c, i) !=
                           (c == dataLabels(place) ? 1.0f : 0.0f);
        }
      }
      EXPECT_EQ(wrongImages, 0);
      EXPECT_EQ(wrongLabels, 0);
    }
  }
}

} // namespace
} // namespace mnistc::test

//===- DataParallel.cpp - Shards and shared statistics of a parallel fit --===//
//
// The model-generic helpers of collective.h that fit() uses when several
// ranks train one model: which images of a batch are whose, which floats
// of the parameter buffer the optimizer updates, and the averaging of the
// moving statistics at the end of an epoch.
//
//===----------------------------------------------------------------------===//
#include "mnistc/collective.h"

#include "mnistc/model_library.h"

#include <algorithm>
#include <vector>

namespace mnistc::rt {

Shard shardOf(size_t n, int rank, int size) {
  Shard s;
  s.begin = n * size_t(rank) / size_t(size);
  s.end = n * size_t(rank + 1) / size_t(size);
  return s;
}

size_t trainableFloats(const mnistc_model_info &info) {
  int64_t end = 0;
  for (int i = 0; i < info.num_params; ++i)
    if (info.params[i].trainable)
      end = std::max(end, info.params[i].offset + info.params[i].size);
  return static_cast<size_t>(end);
}

Status averageNonTrainable(ModelContext &ctx, Collective &collective) {
  const mnistc_model_info &info = ctx.info();
  size_t begin = trainableFloats(info),
         end = static_cast<size_t>(info.param_floats);
  if (begin >= end || collective.size() < 2)
    return Status::success();
  float *params = ctx.params();
  std::vector<double> values(params + begin, params + end);
  if (Status s = collective.sum(values.data(), values.size()); s.failed())
    return s;
  for (size_t i = begin; i < end; ++i)
    params[i] = static_cast<float>(values[i - begin] / collective.size());
  return Status::success();
}

} // namespace mnistc::rt

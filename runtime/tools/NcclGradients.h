//===- NcclGradients.h - A CUDA model.so's gradients summed by NCCL -*- C++ -*-===//
//
// Under `mpirun ... mnistrt train --device cuda`, the gradient buffer of a
// CUDA model.so lives on the GPU (mnistc_device_gradients). NCCL sums it
// there: each rank's buffer times its shard weight (a pre-multiplied sum,
// ncclRedOpCreatePreMulSum), in place, in the CUDA context the model.so's
// kernels run in, with one ncclAllReduce per step; the communicator is
// made on the first step from an id rank 0 sends with MPI.
//
// NCCL and the CUDA driver are loaded at the first step of a CUDA
// model.so (dlopen of libnccl.so.2 and libcuda.so.1; the functions'
// types are NcclApi.h's), so mnistrt builds and runs where they are
// missing; create() is then null and the gradients go through the host
// and MPI (MpiJob.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_TOOLS_NCCLGRADIENTS_H
#define MNISTC_RUNTIME_TOOLS_NCCLGRADIENTS_H

#include "mnistc/status.h"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace mnistc::tool {

class MpiJob;

class NcclGradients {
public:
  /// NCCL, or null where the libraries cannot be loaded.
  static std::unique_ptr<NcclGradients> create();
  virtual ~NcclGradients() = default;

  /// Sums the `floats` floats at device `pointer` (in `cudaContext`) times
  /// `weight` over the ranks of `job`, in place; returns when done.
  virtual rt::Status sum(MpiJob &job, void *cudaContext, uint64_t pointer,
                         size_t floats, float weight) = 0;
};

} // namespace mnistc::tool

#endif // MNISTC_RUNTIME_TOOLS_NCCLGRADIENTS_H

//===- NcclApi.h - The part of NCCL and the CUDA driver mnistrt calls -*- C++ -*-===//
//
// NcclGradients.cpp loads NCCL (libnccl.so.2) and the CUDA driver
// (libcuda.so.1) at run time and calls these functions of their C APIs,
// declared here from NCCL 2.11+'s nccl.h and CUDA's cuda.h, so that mnistrt
// builds, and that code is compiled, on every machine, with or without the
// CUDA toolkit. Enumerations are passed as the ints they are in the C ABI.
// Where the toolkit's headers are (/usr/local/cuda), NcclApiCheck.cpp
// checks every value and size here against them at compile time.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_TOOLS_NCCLAPI_H
#define MNISTC_RUNTIME_TOOLS_NCCLAPI_H

#include <cstddef>

namespace mnistc::tool::nccl {

using Result = int; // ncclResult_t
constexpr Result kSuccess = 0;
struct Communicator;
using Comm = Communicator *; // ncclComm_t
struct UniqueId {            // ncclUniqueId
  char internal[128];
};
using DataType = int; // ncclDataType_t
constexpr DataType kFloat32 = 7;
using RedOp = int;           // ncclRedOp_t
using ScalarResidence = int; // ncclScalarResidence_t
constexpr ScalarResidence kScalarHostImmediate = 1;
using Stream = void *; // cudaStream_t; null: the context's default stream

using GetUniqueId = Result (*)(UniqueId *);
using CommInitRank = Result (*)(Comm *, int ranks, UniqueId, int rank);
using CommDestroy = Result (*)(Comm);
using AllReduce = Result (*)(const void *, void *, size_t, DataType, RedOp,
                             Comm, Stream);
using RedOpCreatePreMulSum = Result (*)(RedOp *, void *scalar, DataType,
                                        ScalarResidence, Comm);
using RedOpDestroy = Result (*)(RedOp, Comm);
using GetErrorString = const char *(*)(Result);

// The CUDA driver API.
using CuResult = int; // CUresult
constexpr CuResult kCudaSuccess = 0;
using CuContext = void *; // CUcontext
using CtxPushCurrent = CuResult (*)(CuContext);
using CtxPopCurrent = CuResult (*)(CuContext *);
using CtxSynchronize = CuResult (*)();

} // namespace mnistc::tool::nccl

#endif // MNISTC_RUNTIME_TOOLS_NCCLAPI_H

//===- NcclApiCheck.cpp - NcclApi.h against the CUDA toolkit's headers ----===//
//
// Compiled only where CMake finds nccl.h and cuda.h: every value and size
// NcclApi.h declares must be the real one, and every function type must
// accept the real function (with the enumerations as ints). No code.
//
//===----------------------------------------------------------------------===//
#include "NcclApi.h"

#include <cuda.h>
#include <nccl.h>

#include <type_traits>

namespace nccl = mnistc::tool::nccl;

static_assert(ncclSuccess == nccl::kSuccess);
static_assert(ncclFloat32 == nccl::kFloat32);
static_assert(ncclScalarHostImmediate == nccl::kScalarHostImmediate);
static_assert(CUDA_SUCCESS == nccl::kCudaSuccess);
static_assert(sizeof(ncclUniqueId) == sizeof(nccl::UniqueId));
static_assert(sizeof(ncclResult_t) == sizeof(nccl::Result));
static_assert(sizeof(ncclDataType_t) == sizeof(nccl::DataType));
static_assert(sizeof(ncclRedOp_t) == sizeof(nccl::RedOp));
static_assert(sizeof(ncclScalarResidence_t) == sizeof(nccl::ScalarResidence));
static_assert(sizeof(CUresult) == sizeof(nccl::CuResult));
static_assert(sizeof(ncclComm_t) == sizeof(nccl::Comm));
static_assert(sizeof(CUcontext) == sizeof(nccl::CuContext));
static_assert(sizeof(cudaStream_t) == sizeof(nccl::Stream));

// The real functions, with NcclApi.h's parameter types substituted one for
// one: the same number of parameters, each of the same size.
template <typename Real, typename Ours> struct SameShape;
template <typename R1, typename... A1, typename R2, typename... A2>
struct SameShape<R1 (*)(A1...), R2 (*)(A2...)> {
  static constexpr bool value =
      sizeof...(A1) == sizeof...(A2) && sizeof(R1) == sizeof(R2) &&
      ((sizeof(A1) == sizeof(A2)) && ...);
};
static_assert(SameShape<decltype(&ncclGetUniqueId), nccl::GetUniqueId>::value);
static_assert(
    SameShape<decltype(&ncclCommInitRank), nccl::CommInitRank>::value);
static_assert(SameShape<decltype(&ncclCommDestroy), nccl::CommDestroy>::value);
static_assert(SameShape<decltype(&ncclAllReduce), nccl::AllReduce>::value);
static_assert(SameShape<decltype(&ncclRedOpCreatePreMulSum),
                        nccl::RedOpCreatePreMulSum>::value);
static_assert(
    SameShape<decltype(&ncclRedOpDestroy), nccl::RedOpDestroy>::value);
static_assert(
    SameShape<decltype(&ncclGetErrorString), nccl::GetErrorString>::value);
static_assert(
    SameShape<decltype(&cuCtxPushCurrent), nccl::CtxPushCurrent>::value);
static_assert(
    SameShape<decltype(&cuCtxPopCurrent), nccl::CtxPopCurrent>::value);
static_assert(
    SameShape<decltype(&cuCtxSynchronize), nccl::CtxSynchronize>::value);

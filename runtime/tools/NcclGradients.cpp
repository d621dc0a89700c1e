//===- NcclGradients.cpp - A CUDA model.so's gradients summed by NCCL -----===//
//
// See NcclGradients.h. Built with NCCL's and CUDA's headers where the
// CUDA toolkit is installed (MNISTRT_HAVE_NCCL); the functions themselves
// are looked up in the libraries at run time.
//
//===----------------------------------------------------------------------===//
#include "NcclGradients.h"

#if MNISTRT_HAVE_NCCL
#include "MpiJob.h"

#include <cuda.h>
#include <mpi.h>
#include <nccl.h>

#include <dlfcn.h>
#include <string>
#endif

namespace mnistc::tool {

#if MNISTRT_HAVE_NCCL
namespace {

using rt::Status;

class Nccl final : public NcclGradients {
public:
  /// Loads the libraries and their functions; false if one is missing.
  bool load() {
    nccl_ = dlopen("libnccl.so.2", RTLD_NOW | RTLD_LOCAL);
    cuda_ = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    return nccl_ && cuda_ && find(nccl_, getUniqueId, "ncclGetUniqueId") &&
           find(nccl_, commInitRank, "ncclCommInitRank") &&
           find(nccl_, commDestroy, "ncclCommDestroy") &&
           find(nccl_, allReduce, "ncclAllReduce") &&
           find(nccl_, preMulSum, "ncclRedOpCreatePreMulSum") &&
           find(nccl_, opDestroy, "ncclRedOpDestroy") &&
           find(nccl_, errorString, "ncclGetErrorString") &&
           find(cuda_, pushContext, "cuCtxPushCurrent_v2") &&
           find(cuda_, popContext, "cuCtxPopCurrent_v2") &&
           find(cuda_, synchronize, "cuCtxSynchronize");
  }

  ~Nccl() override {
    if (comm_)
      commDestroy(comm_);
    if (nccl_)
      dlclose(nccl_);
    if (cuda_)
      dlclose(cuda_);
  }

  Status sum(MpiJob &job, void *cudaContext, uint64_t pointer, size_t floats,
             float weight) override {
    if (pushContext(static_cast<CUcontext>(cudaContext)) != CUDA_SUCCESS)
      return Status::error("NCCL: cannot enter the model's CUDA context");
    Status s = sumInContext(job, pointer, floats, weight);
    CUcontext popped;
    popContext(&popped);
    return s;
  }

private:
  template <typename F> bool find(void *library, F &fn, const char *name) {
    fn = reinterpret_cast<F>(dlsym(library, name));
    return fn != nullptr;
  }

  Status failed(const char *call, ncclResult_t r) {
    return Status::error(std::string("NCCL: ") + call +
                         " failed: " + errorString(r));
  }

  Status sumInContext(MpiJob &job, uint64_t pointer, size_t floats,
                      float weight) {
    if (!comm_) {
      ncclUniqueId id{};
      if (job.rank() == 0)
        if (ncclResult_t r = getUniqueId(&id); r != ncclSuccess)
          return failed("ncclGetUniqueId", r);
      if (MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, MPI_COMM_WORLD) !=
          MPI_SUCCESS)
        return Status::error("NCCL: cannot send the communicator's id");
      if (ncclResult_t r = commInitRank(&comm_, job.size(), id, job.rank());
          r != ncclSuccess)
        return failed("ncclCommInitRank", r);
    }
    ncclRedOp_t op;
    if (ncclResult_t r = preMulSum(&op, &weight, ncclFloat32,
                                   ncclScalarHostImmediate, comm_);
        r != ncclSuccess)
      return failed("ncclRedOpCreatePreMulSum", r);
    void *data = reinterpret_cast<void *>(pointer);
    ncclResult_t r =
        allReduce(data, data, floats, ncclFloat32, op, comm_, nullptr);
    opDestroy(op, comm_);
    if (r != ncclSuccess)
      return failed("ncclAllReduce", r);
    if (synchronize() != CUDA_SUCCESS)
      return Status::error("NCCL: the GPU failed during ncclAllReduce");
    return Status::success();
  }

  void *nccl_ = nullptr, *cuda_ = nullptr;
  ncclComm_t comm_ = nullptr;
  decltype(&ncclGetUniqueId) getUniqueId = nullptr;
  decltype(&ncclCommInitRank) commInitRank = nullptr;
  decltype(&ncclCommDestroy) commDestroy = nullptr;
  decltype(&ncclAllReduce) allReduce = nullptr;
  decltype(&ncclRedOpCreatePreMulSum) preMulSum = nullptr;
  decltype(&ncclRedOpDestroy) opDestroy = nullptr;
  decltype(&ncclGetErrorString) errorString = nullptr;
  decltype(&cuCtxPushCurrent) pushContext = nullptr;
  decltype(&cuCtxPopCurrent) popContext = nullptr;
  decltype(&cuCtxSynchronize) synchronize = nullptr;
};

} // namespace

std::unique_ptr<NcclGradients> NcclGradients::create() {
  auto nccl = std::make_unique<Nccl>();
  if (!nccl->load())
    return nullptr;
  return nccl;
}
#else
std::unique_ptr<NcclGradients> NcclGradients::create() { return nullptr; }
#endif

} // namespace mnistc::tool

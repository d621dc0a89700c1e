//===- NcclGradients.cpp - A CUDA model.so's gradients summed by NCCL -----===//
//
// See NcclGradients.h. The functions are looked up in the libraries at
// run time, with the types of NcclApi.h.
//
//===----------------------------------------------------------------------===//
#include "NcclGradients.h"

#include "MpiJob.h"
#include "NcclApi.h"

#include <mpi.h>

#include <dlfcn.h>
#include <string>

namespace mnistc::tool {
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
    if (pushContext(cudaContext) != nccl::kCudaSuccess)
      return Status::error("NCCL: cannot enter the model's CUDA context");
    Status s = sumInContext(job, pointer, floats, weight);
    nccl::CuContext popped;
    popContext(&popped);
    return s;
  }

private:
  template <typename F> bool find(void *library, F &fn, const char *name) {
    fn = reinterpret_cast<F>(dlsym(library, name));
    return fn != nullptr;
  }

  Status failed(const char *call, nccl::Result r) {
    return Status::error(std::string("NCCL: ") + call +
                         " failed: " + errorString(r));
  }

  Status sumInContext(MpiJob &job, uint64_t pointer, size_t floats,
                      float weight) {
    if (!comm_) {
      nccl::UniqueId id{};
      if (job.rank() == 0)
        if (nccl::Result r = getUniqueId(&id); r != nccl::kSuccess)
          return failed("ncclGetUniqueId", r);
      if (MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, MPI_COMM_WORLD) !=
          MPI_SUCCESS)
        return Status::error("NCCL: cannot send the communicator's id");
      if (nccl::Result r =
              commInitRank(&comm_, job.size(), id, job.rank());
          r != nccl::kSuccess)
        return failed("ncclCommInitRank", r);
    }
    nccl::RedOp op;
    if (nccl::Result r = preMulSum(&op, &weight, nccl::kFloat32,
                                   nccl::kScalarHostImmediate, comm_);
        r != nccl::kSuccess)
      return failed("ncclRedOpCreatePreMulSum", r);
    void *data = reinterpret_cast<void *>(pointer);
    nccl::Result r =
        allReduce(data, data, floats, nccl::kFloat32, op, comm_, nullptr);
    opDestroy(op, comm_);
    if (r != nccl::kSuccess)
      return failed("ncclAllReduce", r);
    if (synchronize() != nccl::kCudaSuccess)
      return Status::error("NCCL: the GPU failed during ncclAllReduce");
    return Status::success();
  }

  void *nccl_ = nullptr, *cuda_ = nullptr;
  nccl::Comm comm_ = nullptr;
  nccl::GetUniqueId getUniqueId = nullptr;
  nccl::CommInitRank commInitRank = nullptr;
  nccl::CommDestroy commDestroy = nullptr;
  nccl::AllReduce allReduce = nullptr;
  nccl::RedOpCreatePreMulSum preMulSum = nullptr;
  nccl::RedOpDestroy opDestroy = nullptr;
  nccl::GetErrorString errorString = nullptr;
  nccl::CtxPushCurrent pushContext = nullptr;
  nccl::CtxPopCurrent popContext = nullptr;
  nccl::CtxSynchronize synchronize = nullptr;
};

} // namespace

std::unique_ptr<NcclGradients> NcclGradients::create() {
  auto nccl = std::make_unique<Nccl>();
  if (!nccl->load())
    return nullptr;
  return nccl;
}

} // namespace mnistc::tool

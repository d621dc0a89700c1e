//===- MpiJob.h - mnistrt as one rank of an mpirun job ---------*- C++ -*-===//
//
// `mpirun -np N mnistrt train MODEL.so` starts N processes; each joins the
// MPI job here and trains as one rank of a data-parallel fit
// (mnistc/collective.h, docs/distributed.md): gradients summed with one
// MPI_Allreduce per step (NCCL's on the GPU, NcclGradients.h), validation
// sums and the start-up agreement with MPI as well. A process not started
// by an MPI launcher never touches MPI.
//
// Faults: every MPI call returns its error instead of aborting
// (MPI_ERRORS_RETURN), and becomes a Status naming the rank. A rank that
// dies makes mpirun end the others with SIGTERM, during start-up too (a
// rank that dies before MPI_Init leaves the others waiting in it): each
// survivor then says so on stderr, and since checkpoints are written
// atomically the last one stays valid.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_TOOLS_MPIJOB_H
#define MNISTC_RUNTIME_TOOLS_MPIJOB_H

#include "mnistc/collective.h"
#include "mnistc/model_library.h"

#include <memory>
#include <string>
#include <vector>

namespace mnistc::tool {

class NcclGradients;

class MpiJob : public rt::Collective {
public:
  /// The job this process was started in, joined (MPI_Init); null, with
  /// `status` success, when no MPI launcher started it; null with a failure
  /// when MPI cannot start.
  static std::unique_ptr<MpiJob> join(rt::Status &status);
  ~MpiJob() override;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  rt::Status sum(double *values, size_t count) override;
  rt::Status sumGradients(rt::ModelContext &ctx, size_t floats, float weight,
                          double *extras, size_t extraCount) override;

  /// "rank R of N", for messages.
  std::string name() const;
  /// The ranks agree to go on: true on every rank when every rank says
  /// `ok`. Ranks that are not ok are listed in `failed`. Collective.
  bool agree(bool ok, std::vector<int> &failed);
  /// Whether every rank passed the same `text` (the model, settings and
  /// data each rank trains with; the parameters after an epoch).
  rt::Status same(const std::string &what, const std::string &text);
  /// The ranks have agreed and train: what a survivor says when mpirun
  /// ends it speaks of the checkpoint from now on.
  void started();
  /// Ends every rank of the job at once (MPI_Abort) with `code`.
  [[noreturn]] void abort(int code);

private:
  MpiJob() = default;
  rt::Status check(int code, const char *call) const;

  int rank_ = 0, size_ = 1;
  std::vector<float> staging_; ///< the gradients and extras of a step
  /// Loaded at the first step of a CUDA model.so; null without NCCL.
  std::unique_ptr<NcclGradients> nccl_;
  bool ncclLoaded_ = false;
};

} // namespace mnistc::tool

#endif // MNISTC_RUNTIME_TOOLS_MPIJOB_H

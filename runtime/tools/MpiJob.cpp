//===- MpiJob.cpp - mnistrt as one rank of an mpirun job -------------------===//
//
// See MpiJob.h.
//
//===----------------------------------------------------------------------===//
#include "MpiJob.h"
#include "NcclGradients.h"

#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <utility>
#include <unistd.h>

namespace mnistc::tool {
namespace {

using rt::Status;

/// What a rank ended by mpirun says, prepared before any signal comes: one
/// text while the ranks start (a rank that dies then, even before it joins,
/// makes mpirun end the others), one once they train.
char gStartingMessage[256], gTrainingMessage[256];
std::atomic<const char *> gTermMessage{gStartingMessage};

void onSigterm(int) {
  const char *message = gTermMessage.load();
  ssize_t ignored = write(STDERR_FILENO, message, strlen(message));
  (void)ignored;
  _exit(128 + SIGTERM);
}

/// Prepares both messages for `name` ("rank R of N").
void prepareTermMessages(const std::string &name) {
  std::snprintf(gStartingMessage, sizeof gStartingMessage,
                "mnistrt: %s: stopped by mpirun while the ranks were "
                "starting: another rank failed or the job was cancelled (see "
                "mpirun's message); nothing was trained\n",
                name.c_str());
  std::snprintf(gTrainingMessage, sizeof gTrainingMessage,
                "mnistrt: %s: stopped by mpirun: another rank failed or the "
                "job was cancelled (see mpirun's message); checkpoints are "
                "written whole or not at all, so the last one is intact\n",
                name.c_str());
}

/// "rank R of N" from what the launcher put in the environment, before
/// MPI_Init can say it.
std::string launcherRankName() {
  for (auto [rank, size] : {std::pair{"OMPI_COMM_WORLD_RANK",
                                      "OMPI_COMM_WORLD_SIZE"},
                            std::pair{"PMI_RANK", "PMI_SIZE"}})
    if (std::getenv(rank) && std::getenv(size))
      return std::string("rank ") + std::getenv(rank) + " of " +
             std::getenv(size);
  return "a rank";
}

/// Set by an MPI launcher in every process it starts: Open MPI's mpirun,
/// or a PMI/PMIx one (srun, hydra).
bool startedByMpiLauncher() {
  for (const char *var : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(var))
      return true;
  return false;
}

/// Halide's thread pool takes HL_NUM_THREADS threads: several ranks on one
/// machine share its cores instead of each taking all of them.
void shareCores() {
  const char *local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  if (!local || std::getenv("HL_NUM_THREADS"))
    return;
  int ranks = std::max(1, std::atoi(local));
  int cores = std::max(1u, std::thread::hardware_concurrency());
  setenv("HL_NUM_THREADS", std::to_string(std::max(1, cores / ranks)).c_str(),
         1);
}

} // namespace

std::unique_ptr<MpiJob> MpiJob::join(Status &status) {
  status = Status::success();
  if (!startedByMpiLauncher())
    return nullptr;
  // MPI_Init waits for every rank: a rank that dies before it gets there
  // makes mpirun end this one in MPI_Init, so the message is ready first.
  prepareTermMessages(launcherRankName());
  std::signal(SIGTERM, onSigterm);
  std::unique_ptr<MpiJob> job(new MpiJob());
  int argc = 0;
  char **argv = nullptr;
  if (MPI_Init(&argc, &argv) != MPI_SUCCESS) {
    status = Status::error("cannot join the MPI job (MPI_Init failed)");
    return nullptr;
  }
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &job->rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &job->size_);
  prepareTermMessages(job->name());
  std::signal(SIGTERM, onSigterm); // again: an MPI_Init may set its own
  shareCores();
  return job;
}

MpiJob::~MpiJob() {
  nccl_.reset();
  std::signal(SIGTERM, SIG_DFL);
  MPI_Finalize();
}

void MpiJob::started() { gTermMessage.store(gTrainingMessage); }

std::string MpiJob::name() const {
  return "rank " + std::to_string(rank_) + " of " + std::to_string(size_);
}

Status MpiJob::check(int code, const char *call) const {
  if (code == MPI_SUCCESS)
    return Status::success();
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return Status::error(name() + ": " + call + " failed: " +
                       std::string(text, size_t(length)) +
                       "; another rank may have died");
}

Status MpiJob::sum(double *values, size_t count) {
  return check(MPI_Allreduce(MPI_IN_PLACE, values, int(count), MPI_DOUBLE,
                             MPI_SUM, MPI_COMM_WORLD),
               "MPI_Allreduce");
}

Status MpiJob::sumGradients(rt::ModelContext &ctx, size_t floats,
                            float weight, double *extras, size_t extraCount) {
  // A CUDA model.so's gradients stay on the GPU when NCCL is there.
  void *cudaContext = nullptr;
  uint64_t pointer = 0;
  if (ctx.deviceGradients(cudaContext, pointer) && !ncclLoaded_) {
    nccl_ = NcclGradients::create();
    ncclLoaded_ = true;
  }
  if (nccl_ && cudaContext) {
    if (Status s = nccl_->sum(*this, cudaContext, pointer, floats, weight);
        s.failed())
      return Status::error(name() + ": " + s.message());
    return sum(extras, extraCount);
  }
  // Otherwise: one flat buffer, one allreduce.
  staging_.resize(floats + extraCount);
  float *gradients = ctx.gradientBuffer();
  for (size_t i = 0; i < floats; ++i)
    staging_[i] = gradients[i] * weight;
  for (size_t i = 0; i < extraCount; ++i)
    staging_[floats + i] = static_cast<float>(extras[i]);
  if (Status s = check(MPI_Allreduce(MPI_IN_PLACE, staging_.data(),
                                     int(staging_.size()), MPI_FLOAT, MPI_SUM,
                                     MPI_COMM_WORLD),
                       "MPI_Allreduce");
      s.failed())
    return s;
  std::copy(staging_.begin(), staging_.begin() + floats, gradients);
  for (size_t i = 0; i < extraCount; ++i)
    extras[i] = staging_[floats + i];
  return Status::success();
}

bool MpiJob::agree(bool ok, std::vector<int> &failed) {
  std::vector<int> all(size_t(size_), 0);
  int mine = ok ? 1 : 0;
  failed.clear();
  if (MPI_Allgather(&mine, 1, MPI_INT, all.data(), 1, MPI_INT,
                    MPI_COMM_WORLD) != MPI_SUCCESS)
    return false;
  for (int r = 0; r < size_; ++r)
    if (!all[size_t(r)])
      failed.push_back(r);
  return failed.empty();
}

Status MpiJob::same(const std::string &what, const std::string &text) {
  // Equal texts have equal lengths and bytes: compare the lowest and the
  // highest of each over the ranks.
  std::vector<int> mine(text.begin(), text.end());
  mine.insert(mine.begin(), int(text.size()));
  int length = int(mine.size()), lengths[2] = {length, -length};
  if (Status s = check(MPI_Allreduce(MPI_IN_PLACE, lengths, 2, MPI_INT,
                                     MPI_MAX, MPI_COMM_WORLD),
                       "MPI_Allreduce");
      s.failed())
    return s;
  bool equal = lengths[0] == -lengths[1];
  mine.resize(size_t(lengths[0]), -1);
  std::vector<int> low = mine, high = mine;
  if (Status s = check(MPI_Allreduce(MPI_IN_PLACE, low.data(), lengths[0],
                                     MPI_INT, MPI_MIN, MPI_COMM_WORLD),
                       "MPI_Allreduce");
      s.failed())
    return s;
  if (Status s = check(MPI_Allreduce(MPI_IN_PLACE, high.data(), lengths[0],
                                     MPI_INT, MPI_MAX, MPI_COMM_WORLD),
                       "MPI_Allreduce");
      s.failed())
    return s;
  if (equal && low == high)
    return Status::success();
  return Status::error("the ranks differ in " + what +
                       "; every rank must run the same mnistrt command on "
                       "the same model.so and data");
}

void MpiJob::abort(int code) {
  std::signal(SIGTERM, SIG_DFL);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

} // namespace mnistc::tool

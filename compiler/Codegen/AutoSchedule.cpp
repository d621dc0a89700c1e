//===- AutoSchedule.cpp - mnistc --schedule: whose schedules the kernels get =//
//
// On a GPU target (--target=cuda) every kernel is planned unscheduled and
// takes the GPU schedule (ops::scheduleForGPU); the rest is for CPUs.
//
// Algorithm, for "auto:<name>":
// 1. Load the autoscheduler's plugin once, by full path (Halide 14 finds
//    none on its own).
// 2. Plan the model with its kernels built without the builders'
//    schedules (ops::KernelTarget's `schedule` false): every Func of every
//    kernel is unscheduled, except in the in-place kernels.
// 3. Run the autoscheduler on each unscheduled kernel's pipeline (it
//    applies the schedule it finds to the pipeline's Funcs) and compile
//    the result once. A kernel whose autoscheduled pipeline Halide cannot
//    compile is built again from its recipe with its hand-written
//    schedule, with a warning that names it and Halide's reason.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/AutoSchedule.h"

#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Ops/GPUSchedule.h"

#include "mlir/IR/Diagnostics.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace mlir;

namespace mnistc::codegen {

namespace {

const char *const kPluginDir = "/usr/lib/x86_64-linux-gnu/halide14/";

/// --schedule's names to Halide's.
const std::map<std::string, std::string> &autoschedulers() {
  static const std::map<std::string, std::string> names{
      {"adams2019", "Adams2019"},
      {"li2018", "Li2018"},
      {"mullapudi2016", "Mullapudi2016"}};
  return names;
}

} // namespace

bool isScheduleName(const std::string &schedule) {
  if (schedule == "manual" || schedule == "simple")
    return true;
  return schedule.rfind("auto:", 0) == 0 &&
         autoschedulers().count(schedule.substr(5));
}

FailureOr<ModelPlan> planScheduled(ModuleOp module,
                                   const Halide::Target &target,
                                   const std::string &schedule) {
  auto model = *module.getOps<nn::ModelOp>().begin();
  if (target.has_gpu_feature()) {
    if (schedule != "manual" && schedule != "simple")
      return model.emitError()
             << "--schedule=" << schedule
             << " is for CPU targets; --target=cuda kernels take the GPU "
                "schedule (docs/cuda.md)";
    FailureOr<ModelPlan> plan =
        planModel(module, ops::KernelTarget(target, /*schedule=*/false));
    if (succeeded(plan))
      for (ops::Kernel &kernel : plan->kernels)
        ops::scheduleForGPU(kernel, /*tile=*/schedule == "manual");
    return plan;
  }
  if (schedule == "simple")
    return model.emitError() << "--schedule=simple is the GPU schedule "
                                "without tiles or fusion; it goes with "
                                "--target=cuda (docs/cuda.md)";
  if (schedule == "manual")
    return planModel(module, target);
  std::string name = schedule.substr(5);
  // Step 1.
  static std::mutex loading;
  static std::map<std::string, std::string> loaded; // name -> error or ""
  {
    std::lock_guard<std::mutex> lock(loading);
    if (!loaded.count(name)) {
      std::string path = kPluginDir + ("libautoschedule_" + name + ".so");
      try {
        Halide::load_plugin(path);
        loaded[name] = "";
      } catch (const Halide::Error &e) {
        loaded[name] = "cannot load the autoscheduler '" + path +
                       "' (libhalide14-0-dev ships it): " + e.what();
      }
    }
    if (!loaded[name].empty())
      return model.emitError() << loaded[name];
  }
  // Adams2019 searches greedily (a beam of 1) unless HL_BEAM_SIZE says
  // otherwise: with its default beam of 32 the search for cnn's backward
  // convolutions took more than the 24 GB of the machine it was tried on;
  // with 1, 31 s and 430 MB.
  setenv("HL_BEAM_SIZE", "1", /*overwrite=*/0);
  // Step 2.
  FailureOr<ModelPlan> plan =
      planModel(module, ops::KernelTarget(target, /*schedule=*/false));
  if (failed(plan))
    return failure();
  // Step 3. MachineParams: cores, last-level cache bytes, and the cost of
  // a load against an arithmetic op (Halide's defaults for a CPU).
  Halide::MachineParams machine(
      std::max(1u, std::thread::hardware_concurrency()), 16 << 20, 40);
  // The autoschedulers narrate their search on stderr (Adams2019's
  // passes, Mullapudi2016's warnings); that is not mnistc's to print, so
  // stderr points at /dev/null meanwhile. Failures come as exceptions.
  std::fflush(stderr);
  int savedStderr = dup(STDERR_FILENO);
  int devNull = open("/dev/null", O_WRONLY);
  if (devNull >= 0) {
    dup2(devNull, STDERR_FILENO);
    close(devNull);
  }
  std::vector<std::pair<size_t, std::string>> failures; // kernel, reason
  for (size_t i = 0; i < plan->kernels.size(); ++i) {
    ops::Kernel &kernel = plan->kernels[i];
    if (kernel.manualSchedule)
      continue;
    try {
      kernel.pipeline.auto_schedule(autoschedulers().at(name), target,
                                    machine);
      // Some schedules fail only in LLVM code generation (Li2018's atomic
      // reductions: "Atomic predicated store is not supported").
      kernel.pipeline.compile_to_object(
          "/dev/null", kernel.args, plan->symbol(i),
          target.with_feature(Halide::Target::NoRuntime));
    } catch (const Halide::Error &e) {
      std::string reason = e.what();
      if (reason.rfind("Error: ", 0) == 0)
        reason.erase(0, 7);
      while (!reason.empty() && std::isspace(uint8_t(reason.back())))
        reason.pop_back();
      failures.push_back({i, reason});
    }
  }
  std::fflush(stderr);
  if (savedStderr >= 0) {
    dup2(savedStderr, STDERR_FILENO);
    close(savedStderr);
  }
  for (auto &[i, reason] : failures) {
    model.emitWarning() << "kernel " << plan->symbol(i)
                        << " keeps its hand-written schedule: Halide cannot "
                           "use the "
                        << autoschedulers().at(name) << " autoscheduler's ("
                        << reason << ")";
    plan->kernels[i] = plan->recipes[i](target);
  }
  return plan;
}

} // namespace mnistc::codegen

//===- Emit.cpp - From a training graph to model.so -----------------------===//
//
// Algorithm:
// 1. Resolve the Halide target ("host" = this machine's features,
//    HostTarget.h), or the variants of "portable".
// 2. Plan the model for each variant (ModelPlan.cpp; AutoSchedule.cpp with
//    --schedule=auto), check that the variants' plans agree on every
//    buffer and call, and that a context fits in memory (MemoryCheck.cpp).
// 3. Compile every kernel of every variant with compile_to_object
//    (NoRuntime; a variant's symbols end in its suffix) and Halide's
//    runtime once, for the last (least) variant, with
//    compile_standalone_runtime.
// 4. Emit the orchestration object (Orchestration.cpp).
// 5. Link: `c++ -shared` the objects with the support library, libstdc++
//    linked in statically so model.so needs only libc, libm, libpthread
//    and libdl, and a version script exporting only mnistc_*; then
//    rename over the output.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/Emit.h"

#include "compiler/Codegen/AutoSchedule.h"
#include "compiler/Codegen/HostTarget.h"

#include "compiler/Codegen/MemoryCheck.h"
#include "compiler/Codegen/MemoryPlan.h"
#include "compiler/Codegen/ModelPlan.h"
#include "compiler/Codegen/Orchestration.h"

#include "mlir/IR/Diagnostics.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

using namespace mlir;
namespace fs = std::filesystem;

namespace mnistc::codegen {

namespace {

/// Runs a shell command; returns its exit status.
int run(const std::string &command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

std::string quote(const std::string &s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// What an interrupted build leaves behind, removed by the handler of
/// SIGINT, SIGTERM and SIGHUP while emitSharedLibrary runs: the temporary
/// object directory and the partial library. The handler may only call
/// async-signal-safe functions, so it runs `rm -rf` through fork and
/// execve, then dies of the signal as it would have.
char gCleanupDir[4096] = "";
char gCleanupFile[4096] = "";

void removeOnSignal(int signal) {
  if (pid_t child = fork(); child == 0) {
    const char *argv[] = {"rm", "-rf", gCleanupDir, gCleanupFile, nullptr};
    const char *envp[] = {nullptr};
    execve("/bin/rm", const_cast<char **>(argv), const_cast<char **>(envp));
    _exit(127);
  } else if (child > 0) {
    int status;
    waitpid(child, &status, 0);
  }
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

/// Holds the cleanup handler while a build runs.
class CleanupOnSignal {
public:
  CleanupOnSignal(const std::string &dir, const std::string &file) {
    std::snprintf(gCleanupDir, sizeof gCleanupDir, "%s", dir.c_str());
    std::snprintf(gCleanupFile, sizeof gCleanupFile, "%s", file.c_str());
    for (int i = 0; i < kCount; ++i)
      previous_[i] = std::signal(kSignals[i], removeOnSignal);
  }
  ~CleanupOnSignal() {
    for (int i = 0; i < kCount; ++i)
      std::signal(kSignals[i], previous_[i]);
    gCleanupDir[0] = gCleanupFile[0] = '\0';
  }

private:
  static constexpr int kCount = 3;
  static constexpr int kSignals[kCount] = {SIGINT, SIGTERM, SIGHUP};
  void (*previous_[kCount])(int) = {};
};

/// Removes the directories /tmp/mnistc.PID.XXXXXX of builds that were
/// killed (kill -9) before they could: those whose process PID is gone.
void removeStaleObjectDirs() {
  std::error_code ec;
  for (fs::directory_iterator it("/tmp", ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind("mnistc.", 0) != 0)
      continue;
    size_t dot = name.find('.', 7);
    std::string pid = name.substr(7, dot == std::string::npos ? 0 : dot - 7);
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos)
      continue;
    if (kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH)
      fs::remove_all(it->path(), ec);
  }
}

void printCalls(const ModelPlan &plan, const char *step,
                const std::vector<KernelCall> &calls, llvm::raw_ostream &os) {
  os << step << ":\n";
  for (const KernelCall &c : calls) {
    os << "  " << plan.symbol(c.kernel) << "(";
    const char *sep = "";
    static const char *scalars[kNumScalars] = {"learning_rate", "step",
                                               "seed", "first", "offset"};
    for (int s : c.scalars) {
      os << sep << scalars[s];
      sep = ", ";
    }
    for (int b : c.buffers) {
      os << sep << "%" << b;
      sep = ", ";
    }
    os << ")";
    if (!c.layers.empty())
      os << "  # " << c.layers;
    os << "\n";
  }
}

void printBuffers(const ModelPlan &plan, llvm::raw_ostream &os) {
  static const char *regions[] = {
      "arena",         "params",    "state",       "images",
      "labels",        "probabilities", "gradients", "data_images",
      "data_labels",   "order"};
  os << "buffers:\n";
  for (size_t i = 0; i < plan.buffers.size(); ++i) {
    const BufferRecord &r = plan.buffers[i];
    os << "  %" << i << " " << (r.typeCode == 2 ? "f" : "i") << r.typeBits
       << " (";
    for (int k = 0; k < r.rank; ++k)
      os << (k ? ", " : "") << (k == r.batchDim ? std::string("n")
                                                : std::to_string(r.extents[k]));
    os << ") " << regions[static_cast<int>(r.region)];
    if (r.region == Region::Params || r.region == Region::State ||
        r.region == Region::Gradients || r.ownsArena())
      os << " +" << r.offset << (r.ownsArena() && r.batchDim >= 0 ? "·n" : "");
    if (r.alias >= 0)
      os << " view of %" << r.alias;
    if (r.role == Role::Loss)
      os << " loss";
    if (r.role == Role::Correct)
      os << " correct";
    os << "\n";
  }
}

/// For --emit=stmt and --emit=ptx, which Halide writes to files: compiles
/// each kernel of `plan` to a temporary file (`compile(kernel, path)`) and
/// prints "// kernel <symbol>" and `show(the file's bytes)`.
LogicalResult
printEachKernel(ModuleOp module, const ModelPlan &plan,
                llvm::function_ref<void(size_t, const std::string &)> compile,
                llvm::function_ref<std::string(const std::string &)> show,
                llvm::raw_ostream &os) {
  char pattern[] = "/tmp/mnistc-kernel.XXXXXX";
  int fd = mkstemp(pattern);
  if (fd < 0)
    return emitError(module.getLoc()) << "cannot create a temporary file";
  close(fd);
  for (size_t i = 0; i < plan.kernels.size(); ++i) {
    compile(i, pattern);
    std::ifstream in(pattern, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
    os << "// kernel " << plan.symbol(i) << "\n" << show(bytes) << "\n";
  }
  fs::remove(pattern);
  return success();
}

/// --emit=ptx: each kernel's object holds its CUDA kernels as one PTX
/// module, a NUL-terminated text from ".version" on; print each.
LogicalResult printPTX(ModuleOp module, ModelPlan &plan,
                       const Halide::Target &target, llvm::raw_ostream &os) {
  if (!target.has_feature(Halide::Target::CUDA))
    return emitError(module.getLoc())
           << "--emit=ptx needs --target=cuda";
  return printEachKernel(
      module, plan,
      [&](size_t i, const std::string &path) {
        plan.kernels[i].pipeline.compile_to_object(
            path, plan.kernels[i].args, plan.symbol(i),
            target.with_feature(Halide::Target::NoRuntime));
      },
      [](const std::string &bytes) {
        size_t start = bytes.find(".version");
        return start == std::string::npos
                   ? std::string()
                   : bytes.substr(start, bytes.find('\0', start) - start);
      },
      os);
}

} // namespace

FailureOr<Halide::Target> resolveTarget(ModuleOp module,
                                        const std::string &name) {
  if (name == "host")
    return hostTarget();
  if (name == "portable")
    return portableTargets().front().target;
  if (name == "cuda" || name.rfind("cuda-", 0) == 0) {
    std::string sm = name == "cuda" ? kDefaultCudaCapability : name.substr(5);
    std::optional<Halide::Target::Feature> feature = cudaCapability(sm);
    if (!feature)
      return emitError(module.getLoc())
             << "unknown CUDA capability '" << sm << "'; Halide 14 generates "
             << kCudaCapabilities
             << " (PTX runs on newer GPUs too: the driver compiles it)";
    return hostTarget()
        .with_feature(Halide::Target::CUDA)
        .with_feature(*feature);
  }
  if (Halide::Target::validate_target_string(name)) {
    // A model.so keeps its context on the GPU through CUDA only
    // (DeviceMirror.h); kernels for another GPU API would find their
    // buffers on the host.
    Halide::Target target(name);
    if (target.has_gpu_feature() && !target.has_feature(Halide::Target::CUDA))
      return emitError(module.getLoc())
             << "target '" << name
             << "' names a GPU API mnistc does not run models on; use cuda";
    return target;
  }
  return emitError(module.getLoc())
         << "unknown target '" << name
         << "'; use host, portable, cuda, x86-64-linux-avx2 or "
            "x86-64-linux-avx512";
}

std::optional<Halide::Target::Feature> cudaCapability(const std::string &sm) {
  static const std::pair<const char *, Halide::Target::Feature> table[] = {
      {"sm_30", Halide::Target::CUDACapability30},
      {"sm_32", Halide::Target::CUDACapability32},
      {"sm_35", Halide::Target::CUDACapability35},
      {"sm_50", Halide::Target::CUDACapability50},
      {"sm_61", Halide::Target::CUDACapability61},
      {"sm_70", Halide::Target::CUDACapability70},
      {"sm_75", Halide::Target::CUDACapability75},
      {"sm_80", Halide::Target::CUDACapability80},
      {"sm_86", Halide::Target::CUDACapability86}};
  for (const auto &[name, feature] : table)
    if (sm == name)
      return feature;
  return std::nullopt;
}

LogicalResult printStage(ModuleOp module, const std::string &stage,
                         const std::string &targetName,
                         const std::string &schedule,
                         llvm::raw_ostream &os) {
  FailureOr<Halide::Target> target = resolveTarget(module, targetName);
  if (failed(target))
    return failure();
  FailureOr<ModelPlan> plan = planScheduled(module, *target, schedule);
  if (failed(plan))
    return failure();
  if (stage == "kernels") {
    os << "// Kernel calls of each step; buffers in Halide order "
          "(innermost first, n = batch).\n";
    printBuffers(*plan, os);
    for (int step = 0; step < ModelPlan::kSteps; ++step)
      printCalls(*plan, ModelPlan::stepName(step), plan->calls(step), os);
    printCalls(*plan, "gather", plan->gather, os);
    return success();
  }
  if (stage == "memory-plan") {
    printMemoryPlan(*plan, fitBatchSize(*module.getOps<nn::ModelOp>().begin()),
                    os);
    return success();
  }
  if (stage == "orchestration") {
    MLIRContext context;
    buildOrchestration(context, *plan)->print(os);
    os << "\n";
    return success();
  }
  if (stage == "ptx")
    return printPTX(module, *plan, *target, os);
  // stmt: each kernel's lowered statement.
  return printEachKernel(
      module, *plan,
      [&](size_t i, const std::string &path) {
        plan->kernels[i].pipeline.compile_to_lowered_stmt(
            path, plan->kernels[i].args, Halide::StmtOutputFormat::Text,
            target->with_feature(Halide::Target::NoRuntime));
      },
      [](const std::string &text) { return text; }, os);
}

/// Step 2 for each of `variants`: their plans, the first with every
/// variant's suffix and target (ModelPlan::variants). The orchestration
/// is built from the first, so the others must have the same buffers and
/// the same kernel calls.
FailureOr<std::vector<ModelPlan>>
planVariants(ModuleOp module, const std::vector<TargetVariant> &variants,
             const std::string &schedule) {
  std::vector<ModelPlan> plans;
  for (const TargetVariant &v : variants) {
    FailureOr<ModelPlan> plan = planScheduled(module, v.target, schedule);
    if (failed(plan))
      return failure();
    const ModelPlan &first = plans.empty() ? *plan : plans.front();
    auto symbols = [](const ModelPlan &p) {
      std::string all;
      for (int step = 0; step < ModelPlan::kSteps; ++step)
        for (const KernelCall &c : p.calls(step))
          all += p.symbol(c.kernel) + "\n";
      return all;
    };
    if (plan->table() != first.table() || symbols(*plan) != symbols(first))
      return emitError(module.getLoc())
             << "internal error: the plan for " << v.target.to_string()
             << " differs from the plan for "
             << variants.front().target.to_string();
    plans.push_back(std::move(*plan));
  }
  plans.front().variants.clear();
  for (const TargetVariant &v : variants)
    plans.front().variants.push_back(
        {v.name.empty() ? "" : "_" + v.name, v.target.to_string()});
  return plans;
}

LogicalResult emitSharedLibrary(ModuleOp module, const EmitOptions &options) {
  Location loc = module.getLoc();
  // Step 1.
  std::vector<TargetVariant> variants;
  if (options.target == "portable") {
    variants = portableTargets();
  } else {
    FailureOr<Halide::Target> resolved = resolveTarget(module, options.target);
    if (failed(resolved))
      return failure();
    variants.push_back({"", *resolved});
  }
  // Step 2.
  FailureOr<std::vector<ModelPlan>> plans =
      planVariants(module, variants, options.schedule);
  if (failed(plans) ||
      failed(checkMemory(module, plans->front(), options.memoryLimit)))
    return failure();
  ModelPlan &plan = plans->front();

  fs::path dir = options.objectDir;
  bool temporary = dir.empty();
  if (temporary) {
    removeStaleObjectDirs();
    std::string pattern = "/tmp/mnistc." + std::to_string(getpid()) +
                          ".XXXXXX";
    if (!mkdtemp(pattern.data()))
      return emitError(loc) << "cannot create a temporary directory";
    dir = pattern;
  } else {
    fs::create_directories(dir);
  }
  std::string partial = options.output + ".partial";
  CleanupOnSignal removeOnInterrupt(temporary ? dir.string() : "", partial);
  auto cleanup = [&] {
    if (temporary)
      fs::remove_all(dir);
  };

  // Step 3.
  std::vector<std::string> objects;
  try {
    for (size_t v = 0; v < variants.size(); ++v) {
      ModelPlan &variant = (*plans)[v];
      Halide::Target kernelTarget =
          variants[v].target.with_feature(Halide::Target::NoRuntime);
      for (size_t i = 0; i < variant.kernels.size(); ++i) {
        std::string symbol = variant.symbol(i) + plan.variants[v].suffix;
        std::string path = (dir / (symbol + ".o")).string();
        variant.kernels[i].pipeline.compile_to_object(
            path, variant.kernels[i].args, symbol, kernelTarget);
        objects.push_back(path);
      }
    }
    std::string runtime = (dir / "halide_runtime.o").string();
    Halide::compile_standalone_runtime(runtime, variants.back().target);
    objects.push_back(runtime);
  } catch (const Halide::Error &e) {
    cleanup();
    return emitError(loc) << "Halide failed to compile a kernel: " << e.what();
  }

  // Step 4.
  std::string orchestration = (dir / "orchestration.o").string();
  std::string error;
  plan.summary = options.summary;
  if (!emitOrchestrationObject(plan, orchestration, error)) {
    cleanup();
    return emitError(loc) << error;
  }
  objects.push_back(orchestration);

  // Step 5. The library exports the ABI (mnistc_*) and nothing else: the
  // copies of libstdc++, libgcc and Halide's runtime inside stay private,
  // so a program that links the model.so at link time keeps its own.
  std::string exports = (dir / "exports.map").string();
  {
    std::ofstream map(exports);
    map << "{ global: mnistc_*; local: *; };\n";
    if (!map) {
      cleanup();
      return emitError(loc) << "cannot write '" << exports << "'";
    }
  }
  std::string command = "c++ -shared -o " + quote(partial) +
                        " -Wl,--version-script=" + quote(exports);
  for (const std::string &o : objects)
    command += " " + quote(o);
  command += " -Wl,--whole-archive " + quote(options.supportLibrary) +
             " -Wl,--no-whole-archive" +
             " -static-libstdc++ -static-libgcc -lpthread -ldl -lm";
  int status = run(command);
  cleanup();
  if (status != 0) {
    fs::remove(partial);
    return emitError(loc) << "linking '" << options.output
                          << "' failed (" << command << ")";
  }
  std::error_code ec;
  fs::rename(partial, options.output, ec);
  if (ec)
    return emitError(loc) << "cannot write '" << options.output
                          << "': " << ec.message();
  return success();
}

} // namespace mnistc::codegen

//===- Emit.cpp - From a training graph to model.so -----------------------===//
//
// Algorithm:
// 1. Resolve the Halide target ("host" = this machine's features).
// 2. Plan the model (ModelPlan.cpp).
// 3. Compile every kernel with compile_to_object (NoRuntime) and Halide's
//    runtime once with compile_standalone_runtime.
// 4. Emit the orchestration object (Orchestration.cpp).
// 5. Link: `c++ -shared` the objects with the support library, libstdc++
//    linked in statically so model.so needs only libc, libm, libpthread
//    and libdl; then rename over the output.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/Emit.h"

#include "compiler/Codegen/ModelPlan.h"
#include "compiler/Codegen/Orchestration.h"

#include "mlir/IR/Diagnostics.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sys/wait.h>

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

} // namespace

LogicalResult emitSharedLibrary(ModuleOp module, const EmitOptions &options) {
  Location loc = module.getLoc();
  // Step 1.
  Halide::Target target;
  if (options.target == "host") {
    target = Halide::get_host_target();
  } else if (Halide::Target::validate_target_string(options.target)) {
    target = Halide::Target(options.target);
  } else {
    return emitError(loc) << "unknown target '" << options.target
                          << "'; use host, x86-64-linux-avx2 or "
                          << "x86-64-linux-avx512";
  }
  // Step 2.
  FailureOr<ModelPlan> plan = planModel(module, target);
  if (failed(plan))
    return failure();

  fs::path dir = options.objectDir;
  bool temporary = dir.empty();
  if (temporary) {
    char pattern[] = "/tmp/mnistc.XXXXXX";
    if (!mkdtemp(pattern))
      return emitError(loc) << "cannot create a temporary directory";
    dir = pattern;
  } else {
    fs::create_directories(dir);
  }
  auto cleanup = [&] {
    if (temporary)
      fs::remove_all(dir);
  };

  // Step 3.
  std::vector<std::string> objects;
  Halide::Target kernelTarget = target.with_feature(Halide::Target::NoRuntime);
  try {
    for (size_t i = 0; i < plan->kernels.size(); ++i) {
      std::string path = (dir / (plan->symbol(i) + ".o")).string();
      plan->kernels[i].pipeline.compile_to_object(
          path, plan->kernels[i].args, plan->symbol(i), kernelTarget);
      objects.push_back(path);
    }
    std::string runtime = (dir / "halide_runtime.o").string();
    Halide::compile_standalone_runtime(runtime, target);
    objects.push_back(runtime);
  } catch (const Halide::Error &e) {
    cleanup();
    return emitError(loc) << "Halide failed to compile a kernel: " << e.what();
  }

  // Step 4.
  std::string orchestration = (dir / "orchestration.o").string();
  std::string error;
  if (!emitOrchestrationObject(*plan, orchestration, error)) {
    cleanup();
    return emitError(loc) << error;
  }
  objects.push_back(orchestration);

  // Step 5.
  std::string partial = options.output + ".partial";
  std::string command = "c++ -shared -o " + quote(partial);
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

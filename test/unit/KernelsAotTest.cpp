//===- KernelsAotTest.cpp - Every kernel compiles ahead of time ----------===//
//
// What Codegen will do with each builder's Kernel: compile_to_object for
// the host with Target::NoRuntime (the runtime comes once per model.so)
// plus a header. The object must exist and the header must declare the
// function with the documented argument order. Nothing is linked here.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/HostTarget.h"
#include "compiler/Ops/Dense.h"
#include "compiler/Ops/Optimizers.h"
#include "compiler/Ops/SoftmaxCrossEntropy.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace Halide;
using namespace mnistc;

namespace {

std::string readFile(const std::filesystem::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string alphanumerics(const std::string &text) {
  std::string kept;
  for (char c : text)
    if (std::isalnum(static_cast<unsigned char>(c)))
      kept += c;
  return kept;
}

/// Builds every kernel kind for `target` and checks what compile_to_object
/// and compile_to_header make of it.
void checkEveryKernel(const Target &target) {
  const ops::DenseShape shape{33, 10};
  std::vector<ops::Kernel> kernels = {
      ops::denseForward(shape, ops::Activation::Relu, target),
      ops::denseBackwardInput(shape, ops::Activation::Tanh, target),
      ops::denseBackwardParams(shape, ops::Activation::Sigmoid, target),
      ops::softmaxForward(10, target),
      ops::softmaxCrossEntropy(10, ops::LabelKind::Sparse, target),
      ops::softmaxCrossEntropy(10, ops::LabelKind::Categorical, target),
      ops::sgdUpdate(1000, {0.9, true, 0.0}, target),
      ops::adamUpdate(1000, {}, target),
      ops::rmspropUpdate(1000, {0.9, 0.9, 1e-7, true, 0.0}, target),
  };
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("mnistc-kernels-aot-" + std::to_string(getpid()) + "-" +
       target.to_string());
  std::filesystem::create_directories(dir);
  for (ops::Kernel &kernel : kernels) {
    SCOPED_TRACE(kernel.name);
    std::filesystem::path object = dir / (kernel.name + ".o");
    std::filesystem::path header = dir / (kernel.name + ".h");
    kernel.pipeline.compile_to_object(object.string(), kernel.args, kernel.name,
                                      target);
    kernel.pipeline.compile_to_header(header.string(), kernel.args, kernel.name,
                                      target);
    ASSERT_TRUE(std::filesystem::exists(object));
    EXPECT_GT(std::filesystem::file_size(object), 0u);
    std::string text = readFile(header);
    std::string prefix = "int " + kernel.name + "(";
    size_t at = text.find(prefix);
    ASSERT_NE(at, std::string::npos) << text;
    size_t begin = at + prefix.size();
    std::string params = text.substr(begin, text.find(')', begin) - begin);
    // Inputs first, in args order, then the outputs. Halide turns the
    // characters of a name that C does not allow into underscores, so
    // compare alphanumerics only.
    std::vector<std::string> names;
    for (const Argument &arg : kernel.args)
      names.push_back(arg.name);
    for (const std::string &out : kernel.outputNames())
      names.push_back(out);
    std::vector<std::string> declared;
    std::stringstream list(params);
    for (std::string param; std::getline(list, param, ',');)
      declared.push_back(param);
    ASSERT_EQ(declared.size(), names.size()) << params;
    for (size_t i = 0; i < names.size(); ++i) {
      std::string spelled = alphanumerics(names[i]);
      EXPECT_NE(alphanumerics(declared[i]).find(spelled), std::string::npos)
          << "argument " << i << " should be " << names[i] << ": " << params;
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(KernelsAotTest, EveryKernelCompilesForTheHost) {
  checkEveryKernel(codegen::hostTarget().with_feature(Target::NoRuntime));
}

// The schedules read the vector width from the target: 16 float lanes here.
// Cross-compiled only; this machine may lack AVX-512.
TEST(KernelsAotTest, EveryKernelCompilesForAvx512) {
  checkEveryKernel(Target("x86-64-linux-avx512_skylake-no_runtime"));
}

} // namespace

//===- mnistc.cpp - The mnistc compiler driver ----------------------------===//
//
// Parses flags, reads the model file, runs the stages up to what --emit
// asks for, and maps the outcome to the documented exit codes
// (docs/driver.md):
//   0  success
//   1  the input has errors (diagnostics printed), or cannot be read
//   2  bad command line
//   3  internal compiler error
// Everything else lives in the libraries; this file only wires them.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/AutoSchedule.h"
#include "compiler/Codegen/Emit.h"
#include "compiler/Codegen/HostTarget.h"
#include "compiler/Codegen/Lowering.h"
#include "compiler/Codegen/Report.h"
#include "compiler/Frontend/DiagnosticBridge.h"
#include "compiler/Frontend/Frontend.h"
#include "compiler/Frontend/Summary.h"
#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Ops/GradientRules.h"
#include "dsl/Parser.h"

#include "Halide.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/raw_ostream.h"

#include <boost/program_options.hpp>

#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace {

enum ExitCode { Ok = 0, InputError = 1, UsageError = 2, InternalError = 3 };

const char *kVersion = "0.1.0";

struct Options {
  std::string input;
  std::string output;
  std::string emit;
  std::string target = "host";
  std::string cudaCapability;  // --cuda-capability; "" = the default
  std::string schedule = "manual";
  bool keepObjects = false;
  bool summary = false;
  bool debugInfo = false;
  int maxErrors = 20;
  std::string memoryLimit; // "" = this machine's memory
  bool report = false;
  std::string profile;     // mnistrt bench --profile's file
  double peakGflops = 0;
};

int usage(const std::string &msg) {
  std::cerr << "mnistc: error: " << msg << "\n"
            << "Try 'mnistc --help' for more information.\n";
  return UsageError;
}

/// "512M", "8G", "1.5T", "1000000" (bytes; K, M, G, T are powers of 1024,
/// an optional B or iB may follow) -> bytes; false if it is none of these.
bool parseByteSize(const std::string &text, int64_t &bytes) {
  size_t end = 0;
  double value = 0;
  try {
    value = std::stod(text, &end);
  } catch (const std::exception &) {
    return false;
  }
  std::string unit = text.substr(end);
  for (char &c : unit)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string units = "KMGT";
  double scale = 1;
  if (!unit.empty() && units.find(unit[0]) != std::string::npos) {
    scale = std::pow(1024.0, double(units.find(unit[0]) + 1));
    unit.erase(0, 1);
  }
  if (unit != "" && unit != "B" && unit != "IB")
    return false;
  if (!(value > 0) || value * scale >= 9e18)
    return false;
  bytes = static_cast<int64_t>(value * scale);
  return bytes > 0;
}

/// libmnistc_model_support.a, installed beside the tools: bin/../lib.
std::string supportLibrary() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (exe.parent_path().parent_path() / "lib" /
          "libmnistc_model_support.a")
      .string();
}

/// The most a model description may hold: far more than any model needs
/// (the examples are under 2 KB), and a bound on what a wrong file, or an
/// endless stream such as /dev/zero, makes mnistc read.
constexpr size_t kMaxInputBytes = 4 << 20;

/// Reads `in` into `text`, at most kMaxInputBytes; false if there is more.
bool readBounded(std::istream &in, std::string &text) {
  text.resize(kMaxInputBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return text.size() <= kMaxInputBytes;
}

int run(const Options &opts) {
  std::string text;
  auto tooLarge = [&] {
    std::cerr << "mnistc: error: "
              << (opts.input == "-" ? "standard input"
                                    : "'" + opts.input + "'")
              << " holds more than 4 MiB, the most a model description may "
                 "hold; is it the right file?\n";
    return InputError;
  };
  if (opts.input == "-") {
    if (!readBounded(std::cin, text))
      return tooLarge();
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(opts.input, ec)) {
      std::cerr << "mnistc: error: '" << opts.input
                << "' is a directory; give a model file such as "
                   "examples/cnn.dsl\n";
      return InputError;
    }
    std::ifstream in(opts.input, std::ios::binary);
    if (!in) {
      std::cerr << "mnistc: error: cannot open '" << opts.input
                << "': " << std::strerror(errno) << "\n";
      return InputError;
    }
    if (!readBounded(in, text))
      return tooLarge();
  }
  mnistc::dsl::SourceFile file(opts.input == "-" ? "<stdin>" : opts.input,
                               std::move(text));
  mnistc::dsl::DiagnosticEngine diags(
      file, std::cerr, opts.maxErrors ? unsigned(opts.maxErrors) : ~0u);

  mnistc::dsl::Module ast = mnistc::dsl::parse(file, diags);
  if (diags.hadError())
    return InputError;
  if (opts.emit == "ast") {
    mnistc::dsl::dumpAST(ast, std::cout);
    return Ok;
  }

  mlir::DialectRegistry registry;
  mnistc::nn::registerGradientRules(registry);
  mnistc::codegen::registerKernelLowerings(registry);
  mlir::MLIRContext context(registry);
  context.getOrLoadDialect<mnistc::nn::NNDialect>();
  bool backEnd = opts.emit == "kernels" || opts.emit == "memory-plan" ||
                 opts.emit == "stmt" || opts.emit == "orchestration" ||
                 opts.emit == "ptx" || opts.report;
  mnistc::Stage stage =
      opts.emit == "train" || backEnd || !opts.output.empty()
          ? mnistc::Stage::Train
          : mnistc::Stage::NN;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mnistc::lowerTo(context, ast, diags, stage);
  if (!module)
    return InputError;
  if (opts.emit == "nn" || opts.emit == "train") {
    mlir::OpPrintingFlags flags;
    if (opts.debugInfo)
      flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
    module->print(llvm::outs(), flags);
    llvm::outs() << "\n";
  }
  if (backEnd && !opts.emit.empty()) {
    mnistc::DiagnosticBridge bridge(context, diags);
    if (mlir::failed(mnistc::codegen::printStage(
            *module, opts.emit, opts.target, opts.schedule, llvm::outs())))
      return InputError;
  }
  if (opts.report) {
    mnistc::DiagnosticBridge bridge(context, diags);
    mnistc::codegen::ReportOptions report;
    report.target = opts.target;
    report.schedule = opts.schedule;
    report.profile = opts.profile;
    report.peakGflops = opts.peakGflops;
    if (mlir::failed(
            mnistc::codegen::printReport(*module, report, llvm::outs())))
      return InputError;
  }
  if (opts.summary)
    for (auto model : module->getOps<mnistc::nn::ModelOp>())
      mnistc::printSummary(model, llvm::outs());
  llvm::outs().flush();
  if (!opts.output.empty()) {
    mnistc::codegen::EmitOptions emit;
    emit.output = opts.output;
    emit.target = opts.target;
    emit.schedule = opts.schedule;
    if (opts.keepObjects)
      emit.objectDir = opts.output + ".objects";
    emit.supportLibrary = supportLibrary();
    if (!opts.memoryLimit.empty())
      parseByteSize(opts.memoryLimit, emit.memoryLimit); // checked in main
    llvm::raw_string_ostream summary(emit.summary);
    for (auto model : module->getOps<mnistc::nn::ModelOp>())
      mnistc::printSummary(model, summary);
    mnistc::DiagnosticBridge bridge(context, diags);
    if (mlir::failed(mnistc::codegen::emitSharedLibrary(*module, emit)))
      return InputError;
  }
  return Ok;
}

} // namespace

int main(int argc, char **argv) {
  Options opts;
  po::options_description visible(
      "Usage: mnistc [options] model.dsl\n\n"
      "Compiles a Keras-style model description. Exit codes: 0 success, 1 "
      "errors in the input,\n2 bad command line, 3 internal error.\n\n"
      "Options");
  visible.add_options()
      ("help,h", "print this help and exit")
      ("version", "print the version and exit")
      ("output,o", po::value(&opts.output)->value_name("FILE"),
       "compile the model into the shared library FILE (model.so)")
      ("target", po::value(&opts.target)->value_name("T")->default_value("host"),
       "Halide target of the kernels: host (this CPU's features), portable "
       "(AVX-512 and AVX2 variants, the best picked at load), cuda (this "
       "CPU for the host code, CUDA kernels for the GPU), "
       "x86-64-linux-avx2, x86-64-linux-avx512, ...")
      ("cuda-capability", po::value(&opts.cudaCapability)->value_name("SM"),
       "with --target=cuda, the GPU architecture the PTX is for: sm_30, "
       "sm_32, sm_35, sm_50, sm_61, sm_70, sm_75, sm_80 (default) or sm_86")
      ("schedule", po::value(&opts.schedule)->value_name("S")
           ->default_value("manual"),
       "the kernels' schedules: manual (written for each kernel kind), or "
       "auto:adams2019, auto:li2018, auto:mullapudi2016 (Halide's "
       "autoschedulers, for comparison); with --target=cuda, manual or "
       "simple (no tiles or fusion, for comparison)")
      (",c", po::bool_switch(&opts.keepObjects),
       "with -o, keep the objects in FILE.objects/")
      ("emit", po::value(&opts.emit)->value_name("STAGE"),
       "print a stage and stop: ast (syntax tree), nn (nn dialect), "
       "train (the training graph), kernels (the kernel calls of each "
       "step), memory-plan (the arena's layout and each region's size), "
       "stmt (each kernel's lowered Halide statement), orchestration "
       "(the step functions, LLVM dialect), ptx (each kernel's CUDA PTX, "
       "with --target=cuda)")
      ("summary", po::bool_switch(&opts.summary),
       "print a Keras-style summary of the model")
      ("debug-info", po::bool_switch(&opts.debugInfo),
       "with --emit=nn or train, print the source location of every op")
      ("max-errors", po::value(&opts.maxErrors)->value_name("N")
           ->default_value(20),
       "stop after N errors (0: no limit)")
      ("memory-limit", po::value(&opts.memoryLimit)->value_name("SIZE"),
       "with -o, refuse a model whose context at its fit batch_size needs "
       "more than SIZE bytes (512M, 8G, ...; default: this machine's "
       "memory)")
      ("report", po::bool_switch(&opts.report),
       "print a roofline table: FLOPs and bytes per image of every kernel "
       "call of the train and forward steps")
      ("profile", po::value(&opts.profile)->value_name("FILE"),
       "with --report, add the timings 'mnistrt bench --profile FILE' "
       "measured")
      ("peak-gflops", po::value(&opts.peakGflops)->value_name("G"),
       "with --report and --profile, the machine's FP32 peak, for the "
       "share of it each kernel reaches");
  po::options_description hidden;
  hidden.add_options()("input", po::value(&opts.input));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("input", 1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(positional)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error &e) {
    return usage(e.what());
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return Ok;
  }
  if (vm.count("version")) {
    std::cout << "mnistc " << kVersion << " (MLIR " << LLVM_VERSION_STRING
              << ", Halide 14, host target "
              << mnistc::codegen::hostTarget().to_string()
              << ")\n";
    return Ok;
  }
  if (opts.input.empty())
    return usage("no input file; usage: mnistc [options] model.dsl");
  const std::vector<std::string> stages{
      "ast",  "nn",           "train", "kernels", "memory-plan",
      "stmt", "orchestration", "ptx"};
  if (!opts.emit.empty() &&
      std::find(stages.begin(), stages.end(), opts.emit) == stages.end())
    return usage("unknown --emit stage '" + opts.emit +
                 "'; expected ast, nn, train, kernels, memory-plan, stmt, "
                 "orchestration or ptx");
  if (!opts.cudaCapability.empty()) {
    if (opts.target != "cuda")
      return usage("--cuda-capability goes with --target=cuda");
    if (!mnistc::codegen::cudaCapability(opts.cudaCapability))
      return usage("unknown --cuda-capability '" + opts.cudaCapability +
                   "'; Halide 14 generates " +
                   mnistc::codegen::kCudaCapabilities +
                   " (PTX for sm_80 runs on newer GPUs too)");
    opts.target += "-" + opts.cudaCapability;
  }
  if (opts.maxErrors < 0)
    return usage("--max-errors must be 0 (no limit) or a positive number");
  if (!mnistc::codegen::isScheduleName(opts.schedule))
    return usage("unknown --schedule '" + opts.schedule +
                 "'; expected manual, auto:adams2019, auto:li2018, "
                 "auto:mullapudi2016 or (with --target=cuda) simple");
  if (!opts.report && (!opts.profile.empty() || opts.peakGflops != 0))
    return usage("--profile and --peak-gflops go with --report");
  if (opts.peakGflops < 0)
    return usage("--peak-gflops must be positive");
  int64_t limit = 0;
  if (!opts.memoryLimit.empty() && !parseByteSize(opts.memoryLimit, limit))
    return usage("--memory-limit '" + opts.memoryLimit +
                 "' is not a size; write bytes or a number with K, M, G or "
                 "T, e.g. 512M or 8G");
  try {
    return run(opts);
  } catch (const std::exception &e) {
    std::cerr << "mnistc: internal error: " << e.what()
              << "\nPlease report this with the model file.\n";
    return InternalError;
  }
}

//===- Report.h - mnistc --report: a roofline table per kernel -----------===//
//
// For every kernel call of the train and forward steps: the FLOPs per
// image of its products (Kernel::flopsPerImage), the bytes per image it
// moves at the least (every operand read or written once), and their
// ratio, the arithmetic intensity. Given a profile written by `mnistrt
// bench --profile FILE` for a model.so of the same model, it adds what was
// measured: milliseconds per step, GFLOP/s, GB/s and, with the machine's
// peak (--peak-gflops), the share of it.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_REPORT_H
#define MNISTC_COMPILER_CODEGEN_REPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mnistc::codegen {

struct ReportOptions {
  std::string target = "host";
  std::string schedule = "manual"; // AutoSchedule.h
  std::string profile;   // mnistrt bench --profile's file, or ""
  double peakGflops = 0; // the machine's FP32 peak, or 0 (unknown)
};

/// Prints the table; a profile that cannot be read or is of another model
/// is an error at the model.
mlir::LogicalResult printReport(mlir::ModuleOp module,
                                const ReportOptions &options,
                                llvm::raw_ostream &os);

} // namespace mnistc::codegen

#endif

//===- AutoSchedule.h - mnistc --schedule: whose schedules the kernels get ===//
//
// By default every kernel keeps the schedule its builder in compiler/Ops/
// writes by hand for the target. `--schedule=auto:adams2019`, `li2018` or
// `mullapudi2016` builds the kernels without it instead and hands each
// pipeline to that autoscheduler of Halide 14 (a plugin loaded by full
// path), with the estimates the builders set (batch 128) and this
// machine's cores, for comparison with the hand-written schedules
// (docs/performance.md). Kernels that update a buffer in place keep their
// hand-written schedule either way (ops::KernelTarget::inPlace).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_AUTOSCHEDULE_H
#define MNISTC_COMPILER_CODEGEN_AUTOSCHEDULE_H

#include "compiler/Codegen/ModelPlan.h"

#include <string>

namespace mnistc::codegen {

/// Whether `schedule` is "manual" or "auto:<name>" of a known
/// autoscheduler.
bool isScheduleName(const std::string &schedule);

/// Plans the model (planModel) with the kernels' schedules chosen by
/// `schedule`; errors (a missing plugin, an autoscheduler that fails on a
/// kernel) are reported at the model.
mlir::FailureOr<ModelPlan> planScheduled(mlir::ModuleOp module,
                                         const Halide::Target &target,
                                         const std::string &schedule);

} // namespace mnistc::codegen

#endif

//===- Orchestration.cpp - Step functions as an object file ---------------===//
//
// Each step function (train, eval, forward, the train step's two halves,
// gradients and update, and the gather of a batch from a resident data
// set) has the signature
//   i32 mnistc_gen_<step>(ptr %buffers, ptr %scalars)
// where %buffers is the context's array of halide_buffer_t pointers and
// %scalars its array of scalar pointers (BufferTable.h). For every
// KernelCall it fills one argument array (scalar pointers, then buffer
// pointers, as Halide's `_argv` entry points take them), calls
// `<kernel>_argv`, and returns the first non-zero status. Around the calls
// it calls mnistc_profile_mark(step, -1) at the start and
// mnistc_profile_mark(step, i) after call i: the support library times
// the kernels there when profiling is on (mnistc_profile), and returns at
// once when it is off. The text mnistc_gen_calls names every call's
// kernel, one line each: "<step> <i> <symbol>".
//
// A model.so holds one set of step functions per CPU variant
// (ModelPlan::variants; --target=portable), each calling its variant's
// kernels: the names of a variant's step functions and kernels end in its
// suffix. mnistc_gen_variants lists the variants, one a line: its name
// (the suffix without "_", or "-" for a model.so of one) and its Halide
// target; mnistc_gen_steps holds the six step functions of each
// (train, eval, forward, gradients, update, gather), in the same order;
// the support library picks the first variant the CPU runs.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/Orchestration.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace mnistc::codegen {

namespace {

constexpr const char *kMark = "mnistc_profile_mark";

/// The step function `name` calling `calls` (the kernels whose symbols end
/// in `suffix`), which are the calls of `step` from index `firstCall` on
/// (for the profile's marks); a `step` of -1 makes no marks.
LLVM::LLVMFuncOp buildStep(OpBuilder &b, ModuleOp module, int step,
                           StringRef name, const std::string &suffix,
                           const ModelPlan &plan, ArrayRef<KernelCall> calls,
                           int firstCall = 0) {
  MLIRContext *ctx = b.getContext();
  Location loc = module.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i32 = b.getI32Type();
  auto i64 = b.getI64Type();
  b.setInsertionPointToEnd(module.getBody());
  auto fn = b.create<LLVM::LLVMFuncOp>(
      loc, name, LLVM::LLVMFunctionType::get(i32, {ptr, ptr}));
  Block *entry = fn.addEntryBlock(b);
  Value buffers = entry->getArgument(0), scalars = entry->getArgument(1);
  b.setInsertionPointToStart(entry);
  size_t maxArgs = 1;
  for (const KernelCall &c : calls)
    maxArgs = std::max(maxArgs, c.scalars.size() + c.buffers.size());
  Value count = b.create<LLVM::ConstantOp>(loc, i64, maxArgs);
  Value args = b.create<LLVM::AllocaOp>(loc, ptr, ptr, count);
  Value zero = b.create<LLVM::ConstantOp>(loc, i32, 0);
  Value stepIndex = b.create<LLVM::ConstantOp>(loc, i32, step);
  auto mark = [&](int call) {
    if (step < 0)
      return;
    Value index = b.create<LLVM::ConstantOp>(loc, i32, call);
    b.create<LLVM::CallOp>(loc, TypeRange{}, kMark,
                           ValueRange{stepIndex, index});
  };
  mark(-1);

  Block *fail = new Block();
  fail->addArgument(i32, loc);
  int callIndex = firstCall;
  for (const KernelCall &c : calls) {
    // args[j] = <table>[index] for each scalar slot, then each buffer.
    int j = 0;
    auto pass = [&](Value table, int index) {
      Value slot = b.create<LLVM::GEPOp>(loc, ptr, ptr, table,
                                         ArrayRef<LLVM::GEPArg>{index});
      Value value = b.create<LLVM::LoadOp>(loc, ptr, slot);
      Value arg = b.create<LLVM::GEPOp>(loc, ptr, ptr, args,
                                        ArrayRef<LLVM::GEPArg>{j++});
      b.create<LLVM::StoreOp>(loc, value, arg);
    };
    for (int s : c.scalars)
      pass(scalars, s);
    for (int buf : c.buffers)
      pass(buffers, buf);
    std::string callee = plan.symbol(c.kernel) + suffix + "_argv";
    if (!module.lookupSymbol(callee)) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(fn);
      b.create<LLVM::LLVMFuncOp>(loc, callee,
                                 LLVM::LLVMFunctionType::get(i32, {ptr}));
    }
    Value status = b.create<LLVM::CallOp>(loc, TypeRange{i32}, callee,
                                          ValueRange{args})
                       .getResult();
    Value failed = b.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne,
                                          status, zero);
    Block *next = b.createBlock(&fn.getBody());
    b.setInsertionPointToEnd(next->getPrevNode());
    b.create<LLVM::CondBrOp>(loc, failed, fail, ValueRange{status}, next,
                             ValueRange{});
    b.setInsertionPointToStart(next);
    mark(callIndex++);
  }
  b.create<LLVM::ReturnOp>(loc, zero);
  fn.getBody().push_back(fail);
  b.setInsertionPointToStart(fail);
  b.create<LLVM::ReturnOp>(loc, fail->getArgument(0));
  return fn;
}

/// The NUL-terminated text `text` as the constant global `name`.
void addText(OpBuilder &b, ModuleOp module, StringRef name,
             std::string text) {
  text.push_back('\0');
  b.setInsertionPointToEnd(module.getBody());
  b.create<LLVM::GlobalOp>(
      module.getLoc(), LLVM::LLVMArrayType::get(b.getI8Type(), text.size()),
      /*isConstant=*/true, LLVM::Linkage::External, name,
      b.getStringAttr(text));
}

} // namespace

OwningOpRef<ModuleOp> buildOrchestration(MLIRContext &context,
                                         const ModelPlan &plan) {
  context.loadDialect<LLVM::LLVMDialect>();
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());

  b.create<LLVM::LLVMFuncOp>(
      loc, kMark,
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(&context),
                                  {b.getI32Type(), b.getI32Type()}));
  std::string calls;
  for (int step = 0; step < ModelPlan::kSteps; ++step)
    for (size_t i = 0; i < plan.calls(step).size(); ++i)
      calls += std::string(ModelPlan::stepName(step)) + " " +
               std::to_string(i) + " " +
               plan.symbol(plan.calls(step)[i].kernel) + "\n";
  for (auto [name, text] : {std::pair{"mnistc_gen_info", plan.info},
                             std::pair{"mnistc_gen_summary", plan.summary},
                             std::pair{"mnistc_gen_calls", calls}})
    addText(b, *module, name, text);
  std::vector<int64_t> table = plan.table();
  auto tableType = RankedTensorType::get({int64_t(table.size())},
                                         b.getI64Type());
  b.create<LLVM::GlobalOp>(
      loc, LLVM::LLVMArrayType::get(b.getI64Type(), table.size()),
      /*isConstant=*/true, LLVM::Linkage::External, "mnistc_gen_buffers",
      DenseElementsAttr::get(tableType, ArrayRef<int64_t>(table)));

  std::string targets;
  std::vector<LLVM::LLVMFuncOp> steps;
  for (const ModelPlan::Variant &v : plan.variants) {
    targets += (v.suffix.empty() ? "-" : v.suffix.substr(1)) + " " +
               v.target + "\n";
    auto name = [&](const char *step) {
      return std::string("mnistc_gen_") + step + v.suffix;
    };
    for (int step = 0; step < ModelPlan::kSteps; ++step)
      steps.push_back(buildStep(b, *module, step,
                                name(ModelPlan::stepName(step)), v.suffix,
                                plan, plan.calls(step)));
    // The train step in two halves (ModelPlan::updateCalls).
    ArrayRef<KernelCall> train = plan.train;
    size_t split = train.size() - plan.updateCalls;
    steps.push_back(buildStep(b, *module, 0, name("gradients"), v.suffix,
                              plan, train.take_front(split)));
    steps.push_back(buildStep(b, *module, 0, name("update"), v.suffix, plan,
                              train.drop_front(split),
                              static_cast<int>(split)));
    // The gather before a train step from a resident data set: a copy,
    // outside the profile's steps.
    steps.push_back(buildStep(b, *module, -1, name("gather"), v.suffix, plan,
                              plan.gather));
  }
  addText(b, *module, "mnistc_gen_variants", targets);
  auto ptr = LLVM::LLVMPointerType::get(&context);
  auto stepsType = LLVM::LLVMArrayType::get(ptr, steps.size());
  b.setInsertionPointToEnd(module->getBody());
  auto stepTable = b.create<LLVM::GlobalOp>(
      loc, stepsType, /*isConstant=*/true, LLVM::Linkage::External,
      "mnistc_gen_steps", Attribute());
  b.setInsertionPointToStart(b.createBlock(&stepTable.getInitializerRegion()));
  Value array = b.create<LLVM::UndefOp>(loc, stepsType);
  for (size_t i = 0; i < steps.size(); ++i)
    array = b.create<LLVM::InsertValueOp>(
        loc, array, b.create<LLVM::AddressOfOp>(loc, steps[i]),
        ArrayRef<int64_t>{static_cast<int64_t>(i)});
  b.create<LLVM::ReturnOp>(loc, array);
  return module;
}

bool emitOrchestrationObject(const ModelPlan &plan, const std::string &path,
                             std::string &error) {
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = buildOrchestration(context, plan);
  if (failed(module->verify())) {
    error = "the orchestration module does not verify";
    return false;
  }
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> ir =
      translateModuleToLLVMIR(*module, llvmContext, "orchestration");
  if (!ir) {
    error = "cannot translate the orchestration to LLVM IR";
    return false;
  }
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::string triple = llvm::sys::getDefaultTargetTriple();
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return false;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, "generic", "", llvm::TargetOptions(), llvm::Reloc::PIC_));
  ir->setTargetTriple(triple);
  ir->setDataLayout(machine->createDataLayout());
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    error = "cannot write '" + path + "': " + ec.message();
    return false;
  }
  llvm::legacy::PassManager pm;
  if (machine->addPassesToEmitFile(pm, out, nullptr,
                                   llvm::CodeGenFileType::ObjectFile)) {
    error = "the host target cannot emit object files";
    return false;
  }
  pm.run(*ir);
  out.flush();
  return true;
}

} // namespace mnistc::codegen

//===- CheckpointFuzzer.cpp - Fuzz target: the checkpoint reader -----------===//
//
// Any file given as --resume or --weights: loaded into a context of a small
// model.so (the environment variable MNISTC_FUZZ_MODEL names it;
// scripts/fuzz.sh builds test/fuzz/Inputs/ckpt_model.dsl) for resuming and
// for its final weights. A refused file must be named in the message. In the
// libFuzzer build the section checksums are not enforced
// (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION), so mutations reach the
// section parsers behind them. Seeds: checkpoints of that model written by
// `mnistrt train`; regressions: test/fuzz/regressions/checkpoint/.
//
//===----------------------------------------------------------------------===//
#include "FuzzScratchFile.h"
#include "mnistc/checkpoint.h"

#include <cstdio>
#include <cstdlib>

namespace {

mnistc::rt::ModelLibrary library;
mnistc::rt::ModelContext context;

void die(const std::string &msg) {
  std::fprintf(stderr, "CheckpointFuzzer: %s\n", msg.c_str());
  std::exit(2);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const char *model = std::getenv("MNISTC_FUZZ_MODEL");
  if (!model)
    die("set MNISTC_FUZZ_MODEL to a model.so (scripts/fuzz.sh does)");
  if (mnistc::rt::Status s = library.open(model); s.failed())
    die(s.message());
  if (mnistc::rt::Status s = context.create(library, 1); s.failed())
    die(s.message());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace mnistc::rt;
  static mnistc::fuzz::ScratchFile scratch(".ckpt");
  const std::string &path = scratch.write(data, size);
  for (CheckpointUse use : {CheckpointUse::Resume, CheckpointUse::Final}) {
    TrainingState state;
    Status s = checkpointLoad(path, context, state, use);
    if (s.failed() && s.message().rfind(path, 0) != 0)
      std::abort();
  }
  return 0;
}

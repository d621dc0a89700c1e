//===- LoadedModel.h - A model.so of the e2e tests, opened with dlopen ----===//
//
// The model.so files the e2e tests build (MNISTC_E2E_DIR) are loaded the
// way the runtime loads them, with dlopen, and every entry point of the C
// ABI (model.h) is looked up; a missing one fails the test at once.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_TEST_E2E_LOADEDMODEL_H
#define MNISTC_TEST_E2E_LOADEDMODEL_H

#include "runtime/include/mnistc/model.h"

#include <dlfcn.h>
#include <stdexcept>
#include <string>

namespace mnistc::test {

/// A loaded model.so with its ABI entry points.
struct Model {
  const mnistc_model_info *info = nullptr;
  decltype(&mnistc_create) create;
  decltype(&mnistc_destroy) destroy;
  decltype(&mnistc_init_params) init;
  decltype(&mnistc_train_step) train;
  decltype(&mnistc_eval_step) eval;
  decltype(&mnistc_forward) forward;
  decltype(&mnistc_params) params;
  decltype(&mnistc_state) state;
  decltype(&mnistc_step_count) stepCount;
  decltype(&mnistc_gradients) gradients;
  decltype(&mnistc_memory) memory;
  decltype(&mnistc_profile) profile;
  decltype(&mnistc_profile_report) profileReport;

  /// Opens MNISTC_E2E_DIR/<name>.so; throws if it or a symbol is missing.
  explicit Model(const std::string &name) {
    std::string path = std::string(MNISTC_E2E_DIR) + "/" + name + ".so";
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      throw std::runtime_error(dlerror());
    auto sym = [&](auto &fn, const char *s) {
      void *p = dlsym(handle, s);
      if (!p)
        throw std::runtime_error(std::string("missing ") + s);
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(p);
    };
    decltype(&mnistc_model_describe) describe;
    sym(describe, "mnistc_model_describe");
    info = describe();
    sym(create, "mnistc_create");
    sym(destroy, "mnistc_destroy");
    sym(init, "mnistc_init_params");
    sym(train, "mnistc_train_step");
    sym(eval, "mnistc_eval_step");
    sym(forward, "mnistc_forward");
    sym(params, "mnistc_params");
    sym(state, "mnistc_state");
    sym(stepCount, "mnistc_step_count");
    sym(gradients, "mnistc_gradients");
    sym(memory, "mnistc_memory");
    sym(profile, "mnistc_profile");
    sym(profileReport, "mnistc_profile_report");
  }
};

} // namespace mnistc::test

#endif // MNISTC_TEST_E2E_LOADEDMODEL_H

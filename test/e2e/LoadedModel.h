//===- LoadedModel.h - A model.so of the e2e tests, opened with dlopen ----===//
//
// The model.so files the e2e tests build (MNISTC_E2E_DIR) are loaded the
// way the runtime loads them, with dlopen, and every entry point of the C
// ABI (model.h) is looked up; a missing one fails the test at once. Batch
// is a batch of random images and labels for such a model.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_TEST_E2E_LOADEDMODEL_H
#define MNISTC_TEST_E2E_LOADEDMODEL_H

#include "runtime/include/mnistc/model.h"

#include <dlfcn.h>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

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
  decltype(&mnistc_compute_gradients) computeGradients;
  decltype(&mnistc_apply_update) applyUpdate;
  decltype(&mnistc_gradient_buffer) gradientBuffer;
  decltype(&mnistc_device_gradients) deviceGradients;
  decltype(&mnistc_set_dataset) setDataset;
  decltype(&mnistc_set_order) setOrder;
  decltype(&mnistc_train_step_at) trainAt;
  decltype(&mnistc_compute_gradients_at) computeGradientsAt;
  decltype(&mnistc_eval_step_at) evalAt;

  /// Opens DIR/<name>.so (by default MNISTC_E2E_DIR); throws if it or a
  /// symbol is missing.
  explicit Model(const std::string &name,
                 const std::string &dir = MNISTC_E2E_DIR) {
    std::string path = dir + "/" + name + ".so";
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
    sym(computeGradients, "mnistc_compute_gradients");
    sym(applyUpdate, "mnistc_apply_update");
    sym(gradientBuffer, "mnistc_gradient_buffer");
    sym(deviceGradients, "mnistc_device_gradients");
    sym(setDataset, "mnistc_set_dataset");
    sym(setOrder, "mnistc_set_order");
    sym(trainAt, "mnistc_train_step_at");
    sym(computeGradientsAt, "mnistc_compute_gradients_at");
    sym(evalAt, "mnistc_eval_step_at");
  }
};

/// A batch of n random images in [0, 1) with random labels, as class
/// indices or one-hot rows, whichever the model takes.
struct Batch {
  std::vector<float> images;
  std::vector<int32_t> sparse;
  std::vector<float> oneHot;
  int n;
  Batch(const Model &m, int n, unsigned seed) : n(n) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0, 1);
    images.resize(n * m.info->input_size);
    for (float &v : images)
      v = u(rng);
    const int classes = m.info->num_classes;
    oneHot.assign(n * classes, 0.0f);
    for (int i = 0; i < n; ++i) {
      sparse.push_back(static_cast<int32_t>(rng() % classes));
      oneHot[i * classes + sparse.back()] = 1.0f;
    }
    sparseLabels = m.info->sparse_labels;
  }
  /// The images and labels of `data` at `places`, in that order.
  Batch(const Model &m, const Batch &data, const std::vector<int32_t> &places)
      : n(int(places.size())), sparseLabels(data.sparseLabels) {
    const size_t size = m.info->input_size, classes = m.info->num_classes;
    for (int32_t k : places) {
      images.insert(images.end(), data.images.begin() + k * size,
                    data.images.begin() + (k + 1) * size);
      sparse.push_back(data.sparse[k]);
      oneHot.insert(oneHot.end(), data.oneHot.begin() + k * classes,
                    data.oneHot.begin() + (k + 1) * classes);
    }
  }
  const void *labels() const {
    return sparseLabels ? static_cast<const void *>(sparse.data())
                        : oneHot.data();
  }
  bool sparseLabels;
};

} // namespace mnistc::test

#endif // MNISTC_TEST_E2E_LOADEDMODEL_H

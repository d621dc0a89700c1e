//===- linked_model.h - A model.so linked into the program at link time ---===//
//
// For a program that links one model.so at link time (`c++ app.cpp
// digits.so ...`, or mnistc_add_model in CMake; docs/embedding.md) rather
// than loading it with dlopen. linkedModelApi() fills a ModelApi from the
// extern "C" functions of model.h, for ModelLibrary::adopt:
//
//   mnistc::rt::ModelLibrary model;
//   if (Status s = model.adopt(mnistc::rt::linkedModelApi(), "digits.so");
//       s.failed()) ...
//
// Header-only on purpose: only a program that includes this header
// references the mnistc_* symbols, so it must link a model.so; libmnistrt
// itself never does. A program can link only one model this way (every
// model.so defines the same names); use ModelLibrary::open for several.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_LINKED_MODEL_H
#define MNISTC_RUNTIME_LINKED_MODEL_H

#include "mnistc/model.h"
#include "mnistc/model_library.h"

namespace mnistc::rt {

/// The functions of the model.so linked into this program. Every model.so
/// of this mnistc exports all of them, the optional ones included.
inline ModelApi linkedModelApi() {
  ModelApi api;
  api.describe = &mnistc_model_describe;
  api.create = &mnistc_create;
  api.destroy = &mnistc_destroy;
  api.initParams = &mnistc_init_params;
  api.trainStep = &mnistc_train_step;
  api.evalStep = &mnistc_eval_step;
  api.forward = &mnistc_forward;
  api.params = &mnistc_params;
  api.state = &mnistc_state;
  api.stepCount = &mnistc_step_count;
  api.summary = &mnistc_model_summary;
  api.fingerprint = &mnistc_model_fingerprint;
  api.memory = &mnistc_memory;
  api.profile = &mnistc_profile;
  api.lastError = &mnistc_last_error;
  api.profileReport = &mnistc_profile_report;
  api.computeGradients = &mnistc_compute_gradients;
  api.applyUpdate = &mnistc_apply_update;
  api.gradientBuffer = &mnistc_gradient_buffer;
  api.deviceGradients = &mnistc_device_gradients;
  api.setDataset = &mnistc_set_dataset;
  api.setOrder = &mnistc_set_order;
  api.trainStepAt = &mnistc_train_step_at;
  api.computeGradientsAt = &mnistc_compute_gradients_at;
  api.evalStepAt = &mnistc_eval_step_at;
  api.variants = &mnistc_model_variants;
  return api;
}

} // namespace mnistc::rt

#endif // MNISTC_RUNTIME_LINKED_MODEL_H

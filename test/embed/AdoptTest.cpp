//===- AdoptTest.cpp - ModelLibrary::adopt, a model that is not dlopened --===//
//
// adopt() takes a model's functions from the program (linked_model.h) and
// runs open()'s checks from the ABI version on. Fakes defined here cover
// the failures (another ABI version, no description, a missing function,
// an impossible description); a real model.so of the e2e tests, whose
// functions this test looks up with its own dlopen, must behave exactly as
// when ModelLibrary::open loads it. The program that really links a model
// at link time is examples/embed/ (embed_test.sh).
//
//===----------------------------------------------------------------------===//
#include "mnistc/model_library.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <string>
#include <vector>

using namespace mnistc::rt;

namespace {

mnistc_model_info fakeInfo = [] {
  mnistc_model_info info{};
  info.abi_version = MNISTC_ABI_VERSION;
  info.name = "fake";
  info.input_size = 4;
  info.num_classes = 2;
  return info;
}();
const mnistc_model_info *fakeDescribe() { return &fakeInfo; }
const mnistc_model_info *noDescription() { return nullptr; }
mnistc_ctx *fakeCreate(int32_t) { return nullptr; }

/// A ModelApi whose every required function is set (to fakes that must
/// never be called by adopt itself).
ModelApi fakeApi() {
  ModelApi api;
  api.describe = &fakeDescribe;
  api.create = &fakeCreate;
  api.destroy = [](mnistc_ctx *) {};
  api.initParams = [](mnistc_ctx *, uint64_t) {};
  api.trainStep = [](mnistc_ctx *, const float *, const void *, int32_t,
                     float, float *, int32_t *) { return int32_t(1); };
  api.evalStep = [](mnistc_ctx *, const float *, const void *, int32_t,
                    float *, int32_t *) { return int32_t(1); };
  api.forward = [](mnistc_ctx *, const float *, int32_t, float *) {
    return int32_t(1);
  };
  api.params = [](mnistc_ctx *) -> float * { return nullptr; };
  api.state = [](mnistc_ctx *) -> float * { return nullptr; };
  api.stepCount = [](mnistc_ctx *) -> int64_t * { return nullptr; };
  return api;
}

/// Restores fakeInfo after a test changes it.
struct AdoptFake : ::testing::Test {
  void TearDown() override {
    fakeInfo.abi_version = MNISTC_ABI_VERSION;
    fakeInfo.input_size = 4;
  }
};

TEST_F(AdoptFake, AcceptsACompleteApi) {
  ModelLibrary lib;
  Status s = lib.adopt(fakeApi(), "fake.so");
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(lib.isOpen());
  EXPECT_EQ(lib.path(), "fake.so");
  EXPECT_EQ(&lib.info(), &fakeInfo);
  EXPECT_EQ(lib.api().summary, nullptr); // optional

  ModelLibrary moved = std::move(lib);
  EXPECT_TRUE(moved.isOpen());
  EXPECT_FALSE(lib.isOpen());
  moved.close();
  EXPECT_FALSE(moved.isOpen());
}

TEST_F(AdoptFake, RefusesAnotherAbiVersion) {
  fakeInfo.abi_version = 999;
  ModelLibrary lib;
  Status s = lib.adopt(fakeApi(), "fake.so");
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message(),
            "fake.so: was built for model ABI version 999, but this mnistrt "
            "reads version " +
                std::to_string(MNISTC_ABI_VERSION) +
                "; rebuild it with this mnistc (`mnistc MODEL.dsl -o "
                "fake.so`)");
  EXPECT_FALSE(lib.isOpen());
}

TEST_F(AdoptFake, RefusesAMissingDescription) {
  ModelLibrary lib;
  ModelApi api = fakeApi();
  api.describe = nullptr;
  Status s = lib.adopt(api, "fake.so");
  ASSERT_TRUE(s.failed());
  EXPECT_NE(s.message().find("fake.so: the ModelApi given to adopt() has no "
                             "mnistc_model_describe"),
            std::string::npos)
      << s.message();

  api.describe = &noDescription;
  s = lib.adopt(api, "fake.so");
  ASSERT_TRUE(s.failed());
  EXPECT_NE(s.message().find("fake.so: mnistc_model_describe returned no "
                             "description"),
            std::string::npos)
      << s.message();
  EXPECT_FALSE(lib.isOpen());
}

TEST_F(AdoptFake, RefusesAMissingFunction) {
  ModelApi api = fakeApi();
  api.forward = nullptr;
  ModelLibrary lib;
  Status s = lib.adopt(api, "fake.so");
  ASSERT_TRUE(s.failed());
  EXPECT_NE(s.message().find("fake.so: the ModelApi given to adopt() has no "
                             "mnistc_forward; fill it with linkedModelApi()"),
            std::string::npos)
      << s.message();
  EXPECT_FALSE(lib.isOpen());
}

TEST_F(AdoptFake, RefusesAnImpossibleDescription) {
  fakeInfo.input_size = 0;
  ModelLibrary lib;
  Status s = lib.adopt(fakeApi(), "fake.so");
  ASSERT_TRUE(s.failed());
  EXPECT_NE(s.message().find("fake.so: describes an impossible model (input "
                             "size 0, 2 classes)"),
            std::string::npos)
      << s.message();
}

TEST_F(AdoptFake, ContextOfAnAdoptedModel) {
  ModelLibrary lib;
  ASSERT_TRUE(lib.adopt(fakeApi(), "fake.so").ok());
  ModelContext ctx;
  Status s = ctx.create(lib, 4); // fakeCreate fails like out of memory
  ASSERT_TRUE(s.failed());
  EXPECT_NE(s.message().find("fake.so: mnistc_create(4) failed"),
            std::string::npos)
      << s.message();
}

/// The functions of a real model.so, looked up by this test.
ModelApi apiOf(void *handle) {
  ModelApi api;
  auto sym = [&](auto &slot, const char *name) {
    slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(
        dlsym(handle, name));
  };
  sym(api.describe, "mnistc_model_describe");
  sym(api.create, "mnistc_create");
  sym(api.destroy, "mnistc_destroy");
  sym(api.initParams, "mnistc_init_params");
  sym(api.trainStep, "mnistc_train_step");
  sym(api.evalStep, "mnistc_eval_step");
  sym(api.forward, "mnistc_forward");
  sym(api.params, "mnistc_params");
  sym(api.state, "mnistc_state");
  sym(api.stepCount, "mnistc_step_count");
  sym(api.summary, "mnistc_model_summary");
  sym(api.fingerprint, "mnistc_model_fingerprint");
  return api;
}

/// Forward on a fixed batch after init_params(seed 3).
std::vector<float> forwardOf(const ModelLibrary &lib) {
  ModelContext ctx;
  Status s = ctx.create(lib, 2);
  EXPECT_TRUE(s.ok()) << s.message();
  ctx.initParams(3);
  std::vector<float> images(2 * lib.info().input_size);
  for (size_t i = 0; i < images.size(); ++i)
    images[i] = float(i % 11) / 10.0f;
  std::vector<float> probabilities(2 * lib.info().num_classes);
  s = ctx.forward(images.data(), 2, probabilities.data());
  EXPECT_TRUE(s.ok()) << s.message();
  return probabilities;
}

TEST(AdoptModelSo, BehavesAsWhenOpened) {
  std::string path = std::string(MNISTC_E2E_DIR) + "/tiny_sgd.so";
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();

  ModelLibrary adopted;
  Status s = adopted.adopt(apiOf(handle), "tiny_sgd.so");
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_STREQ(adopted.info().name, "tiny_sgd");
  ModelContext ctx;
  ASSERT_TRUE(ctx.create(adopted, 1).ok());
  EXPECT_EQ(ctx.path(), "tiny_sgd.so");
  EXPECT_EQ(ctx.fingerprint().size(), 32u);

  ModelLibrary opened;
  s = opened.open(path);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(&opened.info(), &adopted.info()); // the same loaded object
  EXPECT_EQ(forwardOf(adopted), forwardOf(opened));
  ctx.reset();

  adopted.close();
  EXPECT_FALSE(adopted.isOpen());
  opened.close();
  dlclose(handle);
}

} // namespace

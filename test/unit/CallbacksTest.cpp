// Tests of the runtime's callbacks: the JSON the model.so carries, and
// EarlyStopping, ReduceLROnPlateau, CSVLogger and ModelCheckpoint stepped
// through hand-made epoch logs, each expectation worked out by hand from
// KERAS_SEMANTICS.md §13-§16; their saved states giving the same
// decisions after a resume.
#include "mnistc/callbacks.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>

using namespace mnistc::rt;

namespace {

/// Epoch logs with only a validation loss.
EpochLogs valLoss(int epoch, double loss) {
  EpochLogs logs;
  logs.epoch = epoch;
  logs.hasValidation = true;
  logs.validation.loss = loss;
  return logs;
}

/// One epoch end of `cb`; returns whether it asks to stop.
bool epochEnd(Callback &cb, EpochLogs logs, Weights weights, float &lr,
              std::vector<std::string> &messages) {
  bool stop = false;
  EXPECT_TRUE(cb.onEpochEnd(logs, weights, lr, messages, stop).ok());
  return stop;
}

std::unique_ptr<Callback> only(const std::string &json) {
  std::vector<CallbackSpec> specs;
  EXPECT_FALSE(parseCallbacks(json, specs).failed());
  std::vector<std::unique_ptr<Callback>> made;
  std::vector<std::string> skipped;
  EXPECT_FALSE(makeCallbacks(specs, made, skipped).failed());
  EXPECT_EQ(made.size(), 1u);
  return made.empty() ? nullptr : std::move(made[0]);
}

TEST(CallbacksJson, ReadsWhatTheCompilerWrites) {
  std::vector<CallbackSpec> specs;
  ASSERT_FALSE(parseCallbacks(
                   R"([{"min_delta": 0, "mode": "auto", "monitor": "val_loss", )"
                   R"("name": "EarlyStopping", "patience": 5, )"
                   R"("restore_best_weights": true}, {"name": "ModelCheckpoint", )"
                   R"("filepath": "a \"b\""}])",
                   specs)
                   .failed());
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name, "EarlyStopping");
  EXPECT_EQ(specs[0].args.at("monitor"), "val_loss");
  EXPECT_EQ(specs[0].args.at("patience"), "5");
  EXPECT_EQ(specs[0].args.at("restore_best_weights"), "true");
  EXPECT_EQ(specs[1].args.at("filepath"), "a \"b\"");
  std::vector<std::unique_ptr<Callback>> made;
  std::vector<std::string> skipped;
  ASSERT_FALSE(makeCallbacks(specs, made, skipped).failed());
  EXPECT_EQ(made.size(), 1u);
  // ModelCheckpoint needs a tool to save the model (CallbackEnv).
  EXPECT_EQ(skipped, std::vector<std::string>{"ModelCheckpoint"});
  ASSERT_FALSE(parseCallbacks("[]", specs).failed());
}

TEST(CallbacksJson, BrokenTextAndBadArgumentsAreErrors) {
  std::vector<CallbackSpec> specs;
  EXPECT_TRUE(parseCallbacks("[{\"patience\": 2}]", specs).failed());
  EXPECT_TRUE(parseCallbacks("[{\"name\": \"EarlyStopping\"", specs).failed());
  EXPECT_TRUE(parseCallbacks("{}", specs).failed());
  for (const char *bad :
       {R"([{"name": "ReduceLROnPlateau", "factor": 1.5}])",
        R"([{"name": "EarlyStopping", "mode": "sideways"}])",
        R"([{"name": "EarlyStopping", "patience": "five"}])"}) {
    specs.clear();
    ASSERT_FALSE(parseCallbacks(bad, specs).failed()) << bad;
    std::vector<std::unique_ptr<Callback>> made;
    std::vector<std::string> skipped;
    EXPECT_TRUE(makeCallbacks(specs, made, skipped).failed()) << bad;
  }
}

TEST(ReduceLROnPlateau, HalvesAfterPatienceEpochsWithoutImprovement) {
  auto cb = only(R"([{"name": "ReduceLROnPlateau", "monitor": "val_loss", )"
                 R"("factor": 0.5, "patience": 2, "min_delta": 0.0001, )"
                 R"("cooldown": 1, "min_lr": 0.0002}])");
  float w = 0;
  Weights weights{&w, 1};
  std::vector<std::string> messages;
  float lr = 0.001f;
  // best 1.0, 0.9; 0.95 wait 1; 0.96 wait 2 -> 0.0005, cooldown 1;
  // 0.97: the cooldown counter drops to 0 and wait to 0, then (no longer
  // in cooldown) wait 1; 0.98 wait 2 -> 0.00025, cooldown 1; 0.99 wait 1;
  // 1.0 wait 2 -> max(0.000125, 0.0002) = 0.0002; from then on the rate
  // is not above min_lr and nothing changes.
  const double losses[] = {1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.1,
                           1.2, 1.3, 1.4};
  const float want[] = {0.001f,  0.001f,   0.001f,   0.0005f,
                        0.0005f, 0.00025f, 0.00025f, 0.0002f,
                        0.0002f, 0.0002f,  0.0002f,  0.0002f};
  for (int e = 0; e < 12; ++e) {
    EXPECT_FALSE(epochEnd(*cb, valLoss(e, losses[e]), weights, lr, messages));
    EXPECT_FLOAT_EQ(lr, want[e]) << "after epoch " << e + 1;
  }
  EXPECT_EQ(messages.size(), 3u);
}

TEST(EarlyStopping, StopsAfterPatienceAndRestoresTheBestEpoch) {
  auto cb = only(R"([{"name": "EarlyStopping", "monitor": "val_loss", )"
                 R"("patience": 2, "restore_best_weights": true}])");
  float w = 0;
  Weights weights{&w, 1};
  std::vector<std::string> messages;
  float lr = 0.1f;
  // The weight is the epoch index; the best val_loss is epoch 1's (0.8):
  // epoch 2 waits 1, epoch 3 waits 2 = patience -> stop.
  const double losses[] = {1.0, 0.8, 0.85, 0.9};
  for (int e = 0; e < 4; ++e) {
    w = float(e);
    EXPECT_EQ(epochEnd(*cb, valLoss(e, losses[e]), weights, lr, messages),
              e == 3)
        << "epoch " << e + 1;
  }
  cb->onTrainEnd(weights, messages);
  EXPECT_EQ(w, 1.0f);
  EXPECT_FLOAT_EQ(lr, 0.1f);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[1].find("best epoch: 2"), std::string::npos);
}

TEST(EarlyStopping, MaxModeForAccuracyAndMissingMonitorIsSkipped) {
  auto cb = only(R"([{"name": "EarlyStopping", "monitor": "val_accuracy", )"
                 R"("patience": 1}])");
  float w = 0, lr = 0.1f;
  Weights weights{&w, 1};
  std::vector<std::string> messages;
  EpochLogs logs = valLoss(0, 0.0);
  logs.validation.accuracy = 0.9;
  EXPECT_FALSE(epochEnd(*cb, logs, weights, lr, messages));
  logs.epoch = 1;
  logs.validation.accuracy = 0.95; // higher is better: improved
  EXPECT_FALSE(epochEnd(*cb, logs, weights, lr, messages));
  logs.epoch = 2;
  logs.validation.accuracy = 0.94;
  EXPECT_TRUE(epochEnd(*cb, logs, weights, lr, messages));
  EpochLogs noValidation;
  noValidation.epoch = 3;
  EXPECT_FALSE(epochEnd(*cb, noValidation, weights, lr, messages));
}

std::string readAll(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(CSVLogger, WritesKerasRowsWithPythonFloats) {
  // Values are float32 widened to double, printed as Python's str():
  // float32(0.9255) -> 0.9254999756813049, float32(1.234e-05) ->
  // 1.2339999557298142e-05 (worked out with Python's struct and repr).
  // Without validation, Keras adds val_ columns holding NA; with
  // ReduceLROnPlateau first, learning_rate joins the sorted keys.
  std::string path = ::testing::TempDir() + "/mnistc_csvlogger.csv";
  std::remove(path.c_str());
  std::vector<CallbackSpec> specs;
  ASSERT_TRUE(parseCallbacks(
                  R"([{"name": "ReduceLROnPlateau", "monitor": "loss"}, )"
                  R"({"name": "CSVLogger", "filename": ")" + path +
                      R"(", "separator": ";"}])",
                  specs)
                  .ok());
  std::vector<std::unique_ptr<Callback>> made;
  std::vector<std::string> skipped;
  ASSERT_TRUE(makeCallbacks(specs, made, skipped).ok());
  float w = 0, lr = 0.25f;
  Weights weights{&w, 1};
  std::vector<std::string> messages;
  const double accuracy[] = {0.9255, 2.5}, loss[] = {1.234e-05, 100.0};
  for (int e = 0; e < 2; ++e) {
    EpochLogs logs;
    logs.epoch = e;
    logs.train.accuracy = accuracy[e];
    logs.train.loss = loss[e];
    bool stop = false;
    for (auto &cb : made) // one logs object, as mnistrt passes it
      ASSERT_TRUE(cb->onEpochEnd(logs, weights, lr, messages, stop).ok());
    if (e == 0) { // the file is whole after every epoch
      EXPECT_EQ(readAll(path),
                "epoch;accuracy;learning_rate;loss;val_accuracy;"
                "val_learning_rate;val_loss\r\n"
                "0;0.9254999756813049;0.25;1.2339999557298142e-05;NA;NA;NA\r\n");
    }
  }
  EXPECT_EQ(readAll(path),
            "epoch;accuracy;learning_rate;loss;val_accuracy;"
            "val_learning_rate;val_loss\r\n"
            "0;0.9254999756813049;0.25;1.2339999557298142e-05;NA;NA;NA\r\n"
            "1;2.5;0.25;100.0;NA;NA;NA\r\n");

  // append=True keeps what the file held and writes no second header.
  auto appender = only(R"([{"name": "CSVLogger", "append": true, )"
                       R"("filename": ")" + path + R"("}])");
  EpochLogs logs = valLoss(0, 0.5);
  logs.train.loss = 0.125;
  logs.train.accuracy = 1.0;
  logs.validation.accuracy = 0.0001;
  epochEnd(*appender, logs, weights, lr, messages);
  EXPECT_EQ(readAll(path),
            "epoch;accuracy;learning_rate;loss;val_accuracy;"
            "val_learning_rate;val_loss\r\n"
            "0;0.9254999756813049;0.25;1.2339999557298142e-05;NA;NA;NA\r\n"
            "1;2.5;0.25;100.0;NA;NA;NA\r\n"
            "0,1.0,0.125,9.999999747378752e-05,0.5\r\n");
  std::remove(path.c_str());
}

} // namespace

/// Runs `json`'s callbacks over val_loss `losses`, saving every callback's
/// state after epoch `cut` and going on in fresh callbacks from there: the
/// decisions (rate, stop, messages, restored weights) must equal those of
/// one uninterrupted list.
TEST(CallbackState, ResumedCallbacksDecideAsUninterruptedOnes) {
  const char *json =
      R"([{"name": "EarlyStopping", "monitor": "val_loss", "patience": 3, )"
      R"("restore_best_weights": true}, {"name": "ReduceLROnPlateau", )"
      R"("monitor": "val_loss", "factor": 0.5, "patience": 1, "cooldown": 1}])";
  const double losses[] = {1.0, 0.7, 0.8, 0.75, 0.9, 0.95, 0.99, 1.2};
  auto make = [&] {
    std::vector<CallbackSpec> specs;
    EXPECT_TRUE(parseCallbacks(json, specs).ok());
    std::vector<std::unique_ptr<Callback>> made;
    std::vector<std::string> skipped;
    EXPECT_TRUE(makeCallbacks(specs, made, skipped).ok());
    return made;
  };
  struct Trace {
    std::vector<float> rates;
    std::vector<std::string> messages;
    int stoppedAfter = -1;
    float restored = -1;
  };
  auto run = [&](std::vector<std::unique_ptr<Callback>> &cbs, int from,
                 int to, float &lr, Trace &t) {
    float w = 0;
    Weights weights{&w, 1};
    for (int e = from; e < to && t.stoppedAfter < 0; ++e) {
      w = float(e);
      bool stop = false;
      EpochLogs logs = valLoss(e, losses[e]);
      for (auto &cb : cbs)
        EXPECT_TRUE(cb->onEpochEnd(logs, weights, lr, t.messages, stop).ok());
      t.rates.push_back(lr);
      if (stop)
        t.stoppedAfter = e;
    }
    if (to == 8 || t.stoppedAfter >= 0) {
      for (auto &cb : cbs)
        cb->onTrainEnd(weights, t.messages);
      t.restored = w;
    }
  };
  for (int cut = 1; cut < 7; ++cut) {
    Trace whole, resumed;
    float lr = 0.01f;
    auto cbs = make();
    run(cbs, 0, 8, lr, whole);

    float lr2 = 0.01f;
    auto first = make();
    run(first, 0, cut, lr2, resumed);
    if (resumed.stoppedAfter < 0) {
      auto second = make();
      for (size_t i = 0; i < first.size(); ++i)
        ASSERT_TRUE(second[i]->loadState(first[i]->saveState()).ok());
      run(second, cut, 8, lr2, resumed);
    }
    EXPECT_EQ(resumed.rates, whole.rates) << "cut after epoch " << cut;
    EXPECT_EQ(resumed.messages, whole.messages) << "cut after epoch " << cut;
    EXPECT_EQ(resumed.stoppedAfter, whole.stoppedAfter);
    EXPECT_EQ(resumed.restored, whole.restored);
  }
  // A state of another callback is refused.
  auto cbs = make();
  EXPECT_TRUE(cbs[1]->loadState(cbs[0]->saveState()).failed());
  EXPECT_TRUE(cbs[0]->loadState("x").failed());
}

/// ModelCheckpoint with a recording saver: Python's str.format of the
/// path, and save_best_only saving on strict improvement only.
TEST(ModelCheckpoint, FormatsThePathAndSavesTheBest) {
  std::vector<std::string> saved;
  CallbackEnv env;
  env.saveModel = [&](const std::string &path) {
    saved.push_back(path);
    return Status::success();
  };
  std::vector<CallbackSpec> specs;
  ASSERT_TRUE(parseCallbacks(
                  R"([{"name": "ModelCheckpoint", "filepath": )"
                  R"("ckpt/m-{epoch:02d}-{val_loss:.2f}-{{x}}.keras", )"
                  R"("save_best_only": true, "verbose": 1}])",
                  specs)
                  .ok());
  std::vector<std::unique_ptr<Callback>> made;
  std::vector<std::string> skipped;
  ASSERT_TRUE(makeCallbacks(specs, made, skipped, env).ok());
  ASSERT_EQ(made.size(), 1u);
  float w = 0, lr = 0.1f;
  Weights weights{&w, 1};
  std::vector<std::string> messages;
  const double losses[] = {0.5, 0.25, 0.25, 0.125};
  for (int e = 0; e < 4; ++e)
    epochEnd(*made[0], valLoss(e, losses[e]), weights, lr, messages);
  EXPECT_EQ(saved, (std::vector<std::string>{"ckpt/m-01-0.50-{x}.keras",
                                             "ckpt/m-02-0.25-{x}.keras",
                                             "ckpt/m-04-0.12-{x}.keras"}));
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0], "Epoch 1: val_loss improved from None to 0.50000, "
                         "saving model to ckpt/m-01-0.50-{x}.keras");
  EXPECT_EQ(messages[2], "Epoch 3: val_loss did not improve from 0.25000");
  std::remove("ckpt");

  // Python's plain {epoch} and {loss}; a bad field is an error at once.
  auto one = [&](const std::string &filepath, std::string *error) {
    std::vector<CallbackSpec> s;
    EXPECT_TRUE(parseCallbacks(R"([{"name": "ModelCheckpoint", "filepath": ")" +
                                   filepath + "\"}]",
                               s)
                    .ok());
    std::vector<std::unique_ptr<Callback>> m;
    Status st = makeCallbacks(s, m, skipped, env);
    if (error)
      *error = st.message();
    return st.ok();
  };
  saved.clear();
  ASSERT_TRUE(one("e{epoch}-{loss}.ckpt", nullptr));
  std::string error;
  EXPECT_FALSE(one("m-{val_acc}.keras", &error));
  EXPECT_NE(error.find("{val_acc} is not in the epoch's logs"),
            std::string::npos)
      << error;
  EXPECT_FALSE(one("m-{loss:d}.keras", &error)); // ValueError in Python
  EXPECT_FALSE(one("m-{epoch.keras", &error));
  EXPECT_NE(error.find("'{' without its '}'"), std::string::npos) << error;
}

TEST(ModelCheckpoint, PlainFieldsFollowPythonStr) {
  std::vector<std::string> saved;
  CallbackEnv env;
  env.saveModel = [&](const std::string &path) {
    saved.push_back(path);
    return Status::success();
  };
  std::vector<CallbackSpec> specs;
  ASSERT_TRUE(parseCallbacks(R"([{"name": "ModelCheckpoint", "filepath": )"
                             R"("e{epoch}-{loss}-{epoch:3d}.ckpt"}])",
                             specs)
                  .ok());
  std::vector<std::unique_ptr<Callback>> made;
  std::vector<std::string> skipped;
  ASSERT_TRUE(makeCallbacks(specs, made, skipped, env).ok());
  float w = 0, lr = 0.1f;
  Weights weights{&w, 1};
  std::vector<std::string> messages;
  EpochLogs logs = valLoss(6, 0.3);
  logs.train.loss = 0.25;
  epochEnd(*made[0], logs, weights, lr, messages);
  // Keras's logs are float32: 0.25 is exact; epoch is 1-based.
  EXPECT_EQ(saved, std::vector<std::string>{"e7-0.25-  7.ckpt"});
}

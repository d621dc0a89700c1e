// Tests of runtime/lib/Callbacks.cpp: the JSON the model.so carries, and
// EarlyStopping and ReduceLROnPlateau stepped through hand-made epoch
// logs, each expectation worked out by hand from KERAS_SEMANTICS.md §13
// and §14.
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
                   R"("restore_best_weights": true}, {"name": "TensorBoard", )"
                   R"("log_dir": "a \"b\""}])",
                   specs)
                   .failed());
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name, "EarlyStopping");
  EXPECT_EQ(specs[0].args.at("monitor"), "val_loss");
  EXPECT_EQ(specs[0].args.at("patience"), "5");
  EXPECT_EQ(specs[0].args.at("restore_best_weights"), "true");
  EXPECT_EQ(specs[1].args.at("log_dir"), "a \"b\"");
  std::vector<std::unique_ptr<Callback>> made;
  std::vector<std::string> skipped;
  ASSERT_FALSE(makeCallbacks(specs, made, skipped).failed());
  EXPECT_EQ(made.size(), 1u);
  EXPECT_EQ(skipped, std::vector<std::string>{"TensorBoard"});
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
    if (e == 0) // the file is whole after every epoch
      EXPECT_EQ(readAll(path),
                "epoch;accuracy;learning_rate;loss;val_accuracy;"
                "val_learning_rate;val_loss\r\n"
                "0;0.9254999756813049;0.25;1.2339999557298142e-05;NA;NA;NA\r\n");
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

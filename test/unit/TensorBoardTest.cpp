// Tests of runtime/lib/TensorBoard.cpp: the TensorBoard callback over
// hand-made epoch logs, read back with readEventFile and, independently, by
// parsing the file's bytes (TfRecordDecoding.h: TFRecord framing with a
// bit-by-bit CRC, the protobuf wire format by hand with TensorFlow's field
// numbers); damaged and truncated files; Keras's arguments. CRC-32C itself
// is Crc32cTest.cpp's.
#include "mnistc/tensorboard.h"

#include "TempDirTest.h"
#include "TfRecordDecoding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <unistd.h>

using namespace mnistc::rt;
using namespace mnistc::test;
namespace fs = std::filesystem;

namespace {

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spit(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

double now() {
  return double(std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count()) /
         1e6;
}

class TensorBoardTest : public TempDirTest {
protected:
  /// The files in `dir`, sorted.
  static std::vector<std::string> filesIn(const std::string &dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(dir, ec))
      out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  /// The callback from `args` (with name TensorBoard).
  static std::unique_ptr<Callback> make(std::map<std::string, std::string> args,
                                        const std::string &override = "") {
    std::unique_ptr<Callback> cb;
    Status s =
        makeTensorBoardCallback({"TensorBoard", std::move(args)}, cb, override);
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_NE(cb, nullptr);
    return cb;
  }

  /// The message of the failure of the factory on `args`.
  static std::string refusal(std::map<std::string, std::string> args) {
    std::unique_ptr<Callback> cb;
    Status s = makeTensorBoardCallback({"TensorBoard", std::move(args)}, cb);
    EXPECT_TRUE(s.failed());
    return s.message();
  }

};

/// Epoch `epoch`'s logs, with or without validation.
EpochLogs epochLogs(int epoch, double acc, double loss, bool val = false,
                    double valAcc = 0, double valLoss = 0) {
  EpochLogs logs;
  logs.epoch = epoch;
  logs.epochs = 3;
  logs.train.accuracy = acc;
  logs.train.loss = loss;
  logs.hasValidation = val;
  logs.validation.accuracy = valAcc;
  logs.validation.loss = valLoss;
  return logs;
}

Status epochEnd(Callback &cb, EpochLogs logs, float lr) {
  std::vector<std::string> messages;
  bool stop = false;
  float before = lr;
  Status s = cb.onEpochEnd(logs, {nullptr, 0}, lr, messages, stop);
  EXPECT_FALSE(stop);
  EXPECT_TRUE(messages.empty());
  EXPECT_EQ(lr, before) << "the callback must not change the learning rate";
  return s;
}

//===----------------------------------------------------------------------===//
// The callback
//===----------------------------------------------------------------------===//

TEST_F(TensorBoardTest, WritesKerasEpochScalarsToTrainAndValidation) {
  std::string logDir = dir_ + "/logs/run1"; // parents created too
  auto cb = make({{"log_dir", logDir}, {"update_freq", "epoch"}});
  EXPECT_FALSE(fs::exists(dir_ + "/logs")) << "the factory creates no file";
  double start = now();
  ASSERT_TRUE(epochEnd(*cb,
                       epochLogs(0, 0.8125, 0.612345678, true, 0.875, 0.41),
                       0.001f)
                  .ok());
  ASSERT_TRUE(
      epochEnd(*cb, epochLogs(1, 0.9, 0.3, true, 0.9375, 0.25), 0.001f).ok());
  ASSERT_TRUE(
      epochEnd(*cb, epochLogs(2, 0.95, 0.125, true, 0.96875, 0.2), 0.0001f)
          .ok());
  std::vector<std::string> messages;
  cb->onTrainEnd({nullptr, 0}, messages);
  double end = now();

  std::vector<std::string> train = filesIn(logDir + "/train");
  std::vector<std::string> val = filesIn(logDir + "/validation");
  ASSERT_EQ(train.size(), 1u);
  ASSERT_EQ(val.size(), 1u);
  EXPECT_EQ(filesIn(logDir).size(), 2u);
  char host[256] = {};
  ASSERT_EQ(::gethostname(host, sizeof host - 1), 0);
  std::regex name(R"(events\.out\.tfevents\.\d{10}\.)" +
                  std::regex_replace(std::string(host),
                                     std::regex(R"([.\\^$|()\[\]{}*+?-])"),
                                     R"(\$&)") +
                  "\\." + std::to_string(::getpid()) + R"(\.\d+\.v2)");
  for (const std::string &f : {train[0], val[0]})
    EXPECT_TRUE(std::regex_match(fs::path(f).filename().string(), name)) << f;
  EXPECT_NE(fs::path(train[0]).filename(), fs::path(val[0]).filename());

  auto *tb = dynamic_cast<TensorBoardCallback *>(cb.get());
  ASSERT_NE(tb, nullptr);
  EXPECT_EQ(tb->trainFile(), train[0]);
  EXPECT_EQ(tb->validationFile(), val[0]);

  std::vector<ScalarEvent> got;
  std::string version;
  Status s = readEventFile(train[0], got, &version);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(version, "brain.Event:2");
  struct Want {
    const char *tag;
    int64_t step;
    float value;
  };
  std::vector<Want> wantTrain = {{"epoch_accuracy", 0, float(0.8125)},
                                 {"epoch_loss", 0, float(0.612345678)},
                                 {"epoch_learning_rate", 0, 0.001f},
                                 {"epoch_accuracy", 1, float(0.9)},
                                 {"epoch_loss", 1, float(0.3)},
                                 {"epoch_learning_rate", 1, 0.001f},
                                 {"epoch_accuracy", 2, float(0.95)},
                                 {"epoch_loss", 2, float(0.125)},
                                 {"epoch_learning_rate", 2, 0.0001f}};
  ASSERT_EQ(got.size(), wantTrain.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].tag, wantTrain[i].tag) << i;
    EXPECT_EQ(got[i].step, wantTrain[i].step) << i;
    EXPECT_EQ(got[i].value, wantTrain[i].value) << i; // float32, exactly
    EXPECT_GE(got[i].wallTime, start - 1) << i;
    EXPECT_LE(got[i].wallTime, end + 1) << i;
  }

  got.clear();
  s = readEventFile(val[0], got, &version);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(version, "brain.Event:2");
  std::vector<Want> wantVal = {
      {"epoch_accuracy", 0, float(0.875)},   {"epoch_loss", 0, float(0.41)},
      {"epoch_accuracy", 1, float(0.9375)},  {"epoch_loss", 1, float(0.25)},
      {"epoch_accuracy", 2, float(0.96875)}, {"epoch_loss", 2, float(0.2)}};
  ASSERT_EQ(got.size(), wantVal.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].tag, wantVal[i].tag) << i;
    EXPECT_EQ(got[i].step, wantVal[i].step) << i;
    EXPECT_EQ(got[i].value, wantVal[i].value) << i;
  }
}

TEST_F(TensorBoardTest, LearningRateIsTheOneTheCallbackSees) {
  // Keras 3 writes the optimizer's rate, not logs["learning_rate"] (which
  // a ReduceLROnPlateau before it sets to the rate before reducing).
  auto cb = make({{"log_dir", dir_}});
  EpochLogs logs = epochLogs(4, 0.5, 0.5);
  logs.learningRate = 0.01;
  ASSERT_TRUE(epochEnd(*cb, logs, 0.001f).ok());
  std::vector<ScalarEvent> got;
  ASSERT_EQ(filesIn(dir_ + "/train").size(), 1u);
  ASSERT_TRUE(readEventFile(filesIn(dir_ + "/train")[0], got).ok());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].tag, "epoch_learning_rate");
  EXPECT_EQ(got[2].step, 4);
  EXPECT_EQ(got[2].value, 0.001f);
}

TEST_F(TensorBoardTest, BytesAreTfRecordsOfTensorFlowEvents) {
  auto cb = make({{"log_dir", dir_}});
  ASSERT_TRUE(epochEnd(*cb, epochLogs(0, 0.5, 2.0), 0.25f).ok());
  ASSERT_TRUE(epochEnd(*cb, epochLogs(1, 0.75, 1.5), 0.25f).ok());
  ASSERT_EQ(filesIn(dir_ + "/train").size(), 1u);
  EXPECT_FALSE(fs::exists(dir_ + "/validation")) << "no validation, no dir";
  std::string bytes = slurp(filesIn(dir_ + "/train")[0]);
  std::vector<RawRecord> recs = records(bytes);
  ASSERT_EQ(recs.size(), 1u + 2 * 3);

  // Event{wall_time = 1 (double), file_version = 3 (string)}.
  std::vector<Field> first = decode(recs[0].data);
  EXPECT_NEAR(asDouble(only(first, 1, 1).number64), now(), 60.0);
  EXPECT_EQ(only(first, 3, 2).bytes, "brain.Event:2");
  EXPECT_FALSE(has(first, 5));

  // Epoch 1's loss: Event{wall_time = 1, step = 2 (varint), summary = 5
  // {value = 1 {tag = 1, simple_value = 2 (float), metadata = 9
  // {plugin_data = 1 {plugin_name = 1}}}}}.
  std::vector<Field> event = decode(recs[5].data);
  EXPECT_NEAR(asDouble(only(event, 1, 1).number64), now(), 60.0);
  EXPECT_EQ(only(event, 2, 0).number64, 1u);
  EXPECT_FALSE(has(event, 3));
  std::vector<Field> summary = decode(only(event, 5, 2).bytes);
  std::vector<Field> value = decode(only(summary, 1, 2).bytes);
  EXPECT_EQ(only(value, 1, 2).bytes, "epoch_loss");
  EXPECT_EQ(uint32_t(only(value, 2, 5).number64), floatBits(1.5f));
  EXPECT_EQ(asFloat(only(value, 2, 5).number64), 1.5f);
  std::vector<Field> metadata = decode(only(value, 9, 2).bytes);
  std::vector<Field> plugin = decode(only(metadata, 1, 2).bytes);
  EXPECT_EQ(only(plugin, 1, 2).bytes, "scalars");

  // Epoch 0: proto3 leaves step 0 out.
  EXPECT_FALSE(has(decode(recs[1].data), 2));
}

TEST_F(TensorBoardTest, LogDirOverrideReplacesLogDir) {
  std::string over = dir_ + "/cli";
  auto cb = make({{"log_dir", dir_ + "/from-model"}}, over);
  auto *tb = dynamic_cast<TensorBoardCallback *>(cb.get());
  ASSERT_NE(tb, nullptr);
  EXPECT_EQ(tb->logDir(), over);
  ASSERT_TRUE(epochEnd(*cb, epochLogs(0, 0.5, 1.0, true, 0.5, 1.0), 0.1f).ok());
  EXPECT_EQ(filesIn(over + "/train").size(), 1u);
  EXPECT_EQ(filesIn(over + "/validation").size(), 1u);
  EXPECT_FALSE(fs::exists(dir_ + "/from-model"));
}

TEST_F(TensorBoardTest, DefaultLogDirIsLogs) {
  auto cb = make({});
  auto *tb = dynamic_cast<TensorBoardCallback *>(cb.get());
  ASSERT_NE(tb, nullptr);
  EXPECT_EQ(tb->logDir(), "logs");
}

TEST_F(TensorBoardTest, UnwritableLogDirIsAnErrorNamingThePath) {
  spit(dir_ + "/file", "x");
  auto cb = make({{"log_dir", dir_ + "/file/logs"}});
  Status s = epochEnd(*cb, epochLogs(0, 0.5, 1.0), 0.1f);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message().rfind(dir_ + "/file/logs/train: ", 0), 0u)
      << s.message();
  EXPECT_NE(s.message().find("log_dir"), std::string::npos) << s.message();

  auto cb2 = make({{"log_dir", dir_ + "/file"}});
  s = epochEnd(*cb2, epochLogs(0, 0.5, 1.0), 0.1f);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message().rfind(dir_ + "/file/train: ", 0), 0u) << s.message();
}

//===----------------------------------------------------------------------===//
// readEventFile
//===----------------------------------------------------------------------===//

/// An event file of the callback: three epochs without validation.
std::string writeSample(const std::string &dir) {
  std::unique_ptr<Callback> cb;
  EXPECT_TRUE(
      makeTensorBoardCallback({"TensorBoard", {{"log_dir", dir}}}, cb).ok());
  for (int e = 0; e < 3; ++e)
    EXPECT_TRUE(epochEnd(*cb, epochLogs(e, 0.5, 1.0), 0.1f).ok());
  std::vector<std::string> messages;
  cb->onTrainEnd({nullptr, 0}, messages);
  auto *tb = dynamic_cast<TensorBoardCallback *>(cb.get());
  return tb ? tb->trainFile() : "";
}

TEST_F(TensorBoardTest, FlippedByteIsNamedWithItsRecordOffset) {
  std::string path = writeSample(dir_ + "/logs");
  std::string good = slurp(path);
  std::vector<RawRecord> recs = records(good);
  ASSERT_EQ(recs.size(), 10u);
  std::vector<ScalarEvent> got;
  ASSERT_TRUE(readEventFile(path, got).ok());
  EXPECT_EQ(got.size(), 9u);

  const size_t off = recs[4].offset; // the fifth record
  struct Case {
    size_t at;
    const char *what;
  } cases[] = {{off + 3, "length"},    // in the length
               {off + 9, "length"},    // in the length's CRC
               {off + 12 + 5, "data"}, // in the data
               {off + 12 + recs[4].data.size() + 1, "data"}}; // data's CRC
  for (const Case &c : cases) {
    std::string bad = good;
    bad[c.at] = char(bad[c.at] ^ 0x10);
    std::string badPath = dir_ + "/bad";
    spit(badPath, bad);
    got.clear();
    Status s = readEventFile(badPath, got);
    ASSERT_TRUE(s.failed()) << "flipped byte " << c.at;
    const std::string &m = s.message();
    EXPECT_EQ(m.rfind(badPath + ": ", 0), 0u) << m;
    EXPECT_NE(m.find("byte offset " + std::to_string(off) + " "),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("damaged"), std::string::npos) << m;
    EXPECT_NE(m.find(c.what), std::string::npos) << m;
  }
}

TEST_F(TensorBoardTest, TruncatedFileIsNamedWithItsRecordOffset) {
  std::string path = writeSample(dir_ + "/logs");
  std::string good = slurp(path);
  std::vector<RawRecord> recs = records(good);
  ASSERT_EQ(recs.size(), 10u);
  const size_t last = recs.back().offset;
  for (size_t keep :
       {good.size() - 1, good.size() - 4, last + 20, last + 12, last + 5}) {
    std::string cut = dir_ + "/cut";
    spit(cut, good.substr(0, keep));
    std::vector<ScalarEvent> got;
    Status s = readEventFile(cut, got);
    ASSERT_TRUE(s.failed()) << keep << " bytes";
    const std::string &m = s.message();
    EXPECT_EQ(m.rfind(cut + ": ", 0), 0u) << m;
    EXPECT_NE(m.find("byte offset " + std::to_string(last) + " "),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("truncated"), std::string::npos) << m;
  }
  // Cut at a record boundary, the file is whole (a writer may be behind).
  spit(dir_ + "/boundary", good.substr(0, last));
  std::vector<ScalarEvent> got;
  EXPECT_TRUE(readEventFile(dir_ + "/boundary", got).ok());
  EXPECT_EQ(got.size(), 8u);
}

TEST_F(TensorBoardTest, MissingFileIsNamed) {
  std::vector<ScalarEvent> got;
  Status s = readEventFile(dir_ + "/none", got);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.message().rfind(dir_ + "/none: ", 0), 0u) << s.message();
}

/// A length-delimited protobuf field, encoded by hand.
std::string lenField(int number, const std::string &payload) {
  std::string out(1, char(number << 3 | 2));
  size_t n = payload.size();
  do {
    out += char((n & 0x7F) | (n > 0x7F ? 0x80 : 0));
    n >>= 7;
  } while (n);
  return out + payload;
}

TEST_F(TensorBoardTest, ReadsTensorScalarsAsTensorFlow2WritesThem) {
  // Event{wall_time = 1.5, step = 7, summary{value{tag "epoch_loss",
  // metadata{plugin_data{plugin_name "scalars"}}, tensor = 8{dtype = 1
  // DT_FLOAT, tensor_shape = 2 {}, tensor_content = 4 (4 bytes)}}}}.
  auto event = [](uint64_t step, const std::string &value) {
    uint64_t wall;
    double w = 1.5;
    std::memcpy(&wall, &w, 8);
    return std::string(1, char(1 << 3 | 1)) + putLe(wall, 8) +
           std::string(1, char(2 << 3 | 0)) + char(step) +
           lenField(5, lenField(1, value));
  };
  std::string metadata = lenField(9, lenField(1, lenField(1, "scalars")));
  std::string content = putLe(floatBits(0.375f), 4);
  std::string tensorContent = lenField(
      8, std::string("\x08\x01", 2) + lenField(2, "") + lenField(4, content));
  std::string floatVal = // float_val = 5, packed
      lenField(8, std::string("\x08\x01", 2) + lenField(5, content));
  std::string doubleVal;
  {
    double d = 0.0625;
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    doubleVal = lenField(8, std::string("\x08\x02", 2) + // DT_DOUBLE
                                lenField(6, putLe(bits, 8)));
  }
  std::string vector = // shape [1]: rank 1, not a scalar, skipped
      lenField(8, std::string("\x08\x01", 2) +
                      lenField(2, lenField(2, std::string("\x08\x01", 2))) +
                      lenField(4, content));
  std::string version =
      std::string(1, char(3 << 3 | 2)) + char(13) + "brain.Event:2";
  std::string file =
      frame(version) +
      frame(event(7, lenField(1, "epoch_loss") + metadata + tensorContent)) +
      frame(event(8, lenField(1, "epoch_loss") + floatVal)) +
      frame(event(9, lenField(1, "epoch_loss") + doubleVal)) +
      frame(event(10, lenField(1, "hist") + vector));
  spit(dir_ + "/tf2", file);
  std::vector<ScalarEvent> got;
  std::string fileVersion;
  Status s = readEventFile(dir_ + "/tf2", got, &fileVersion);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(fileVersion, "brain.Event:2");
  ASSERT_EQ(got.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(got[i].tag, "epoch_loss");
    EXPECT_EQ(got[i].step, int64_t(7 + i));
    EXPECT_EQ(got[i].wallTime, 1.5);
  }
  EXPECT_EQ(got[0].value, 0.375f);
  EXPECT_EQ(got[1].value, 0.375f);
  EXPECT_EQ(got[2].value, 0.0625f);
}

//===----------------------------------------------------------------------===//
// Arguments
//===----------------------------------------------------------------------===//

TEST_F(TensorBoardTest, KerasDefaultsAreAccepted) {
  make({{"log_dir", "logs"},
        {"histogram_freq", "0"},
        {"write_graph", "true"},
        {"write_images", "false"},
        {"write_steps_per_second", "false"},
        {"update_freq", "epoch"},
        {"profile_batch", "0"},
        {"embeddings_freq", "0"},
        {"embeddings_metadata", "null"}});
  make({{"write_graph", "false"}, {"write_images", "true"}});
}

TEST_F(TensorBoardTest, HistogramFreqIsAClearError) {
  std::string m = refusal({{"histogram_freq", "1"}});
  EXPECT_EQ(m.rfind("TensorBoard(histogram_freq=1): ", 0), 0u) << m;
  EXPECT_NE(m.find("histogram"), std::string::npos) << m;
  EXPECT_NE(m.find("histogram_freq=0"), std::string::npos) << m;
}

TEST_F(TensorBoardTest, OtherUnsupportedArgumentsAreClearErrors) {
  struct Case {
    const char *key, *value, *hint;
  } cases[] = {
      {"update_freq", "batch", "update_freq=\"epoch\""},
      {"update_freq", "100", "update_freq=\"epoch\""},
      {"profile_batch", "5", "profile_batch=0"},
      {"profile_batch", "10,20", "profile_batch=0"},
      {"embeddings_freq", "2", "embeddings_freq=0"},
      {"write_steps_per_second", "true", "write_steps_per_second=False"},
      {"histogram_freq", "often", "not a number"},
      {"write_graph", "yes", "not True or False"},
      {"log_dirs", "x", "log_dir, histogram_freq"}};
  for (const Case &c : cases) {
    std::string m = refusal({{c.key, c.value}});
    EXPECT_EQ(
        m.rfind(std::string("TensorBoard(") + c.key + "=" + c.value + "): ", 0),
        0u)
        << m;
    EXPECT_NE(m.find(c.hint), std::string::npos) << m;
  }
}

} // namespace

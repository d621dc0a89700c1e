//===- TensorBoard.cpp - Event files and Keras's TensorBoard callback -----===//
//
// The pieces of tensorboard.h: TFRecord framing (the CRC-32C is
// Crc32c.cpp's), the event file writer (POSIX descriptors, one write(2)
// per record), the reader, and the callback with its argument checks. The
// Event protos come from runtime/proto/tensorboard.proto (TensorFlow's
// field numbers); nothing of them shows in the public header.
//
//===----------------------------------------------------------------------===//
#include "mnistc/tensorboard.h"

#include "FileIO.h"
#include "tensorboard.pb.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace mnistc::rt {
namespace {

//===----------------------------------------------------------------------===//
// TFRecord framing
//===----------------------------------------------------------------------===//

void putLe(std::string &out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

uint64_t getLe(const char *p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

double secondsNow() {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return double(us.count()) / 1e6;
}

std::string joinPath(const std::string &dir, const std::string &name) {
  if (dir.empty())
    return name; // os.path.join("", name), as Keras does
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

/// Distinguishes the files one process opens in the same second, as TF's
/// per-process counter does.
std::atomic<unsigned> fileCounter{0};

/// The value of a rank-0 float or double tensor, the form TF 2's
/// tf.summary.scalar writes.
bool tensorScalar(const tensorflow::TensorProto &t, float &out) {
  if (t.tensor_shape().dim_size() != 0 || t.tensor_shape().unknown_rank())
    return false;
  const std::string &raw = t.tensor_content();
  if (t.dtype() == tensorflow::DT_FLOAT) {
    if (t.float_val_size() == 1 && raw.empty()) {
      out = t.float_val(0);
      return true;
    }
    if (t.float_val_size() == 0 && raw.size() == 4) {
      uint32_t bits = uint32_t(getLe(raw.data(), 4));
      std::memcpy(&out, &bits, 4);
      return true;
    }
  } else if (t.dtype() == tensorflow::DT_DOUBLE) {
    if (t.double_val_size() == 1 && raw.empty()) {
      out = float(t.double_val(0));
      return true;
    }
    if (t.double_val_size() == 0 && raw.size() == 8) {
      uint64_t bits = getLe(raw.data(), 8);
      double d;
      std::memcpy(&d, &bits, 8);
      out = float(d);
      return true;
    }
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Arguments of keras.callbacks.TensorBoard
//===----------------------------------------------------------------------===//

const char *const kArgNames[] = {
    "log_dir",       "histogram_freq",         "write_graph",
    "write_images",  "write_steps_per_second", "update_freq",
    "profile_batch", "embeddings_freq",        "embeddings_metadata"};

std::string argText(const std::string &key, const std::string &value) {
  return "TensorBoard(" + key + "=" + value + "): ";
}

Status checkNumberIsZero(const std::string &key, const std::string &value,
                         const std::string &unsupported) {
  const char *s = value.c_str();
  char *end = nullptr;
  double v = std::strtod(s, &end);
  if (value.empty() || end == s || *end || !std::isfinite(v))
    return Status::error(argText(key, value) + "not a number");
  if (v != 0)
    return Status::error(argText(key, value) + unsupported + "; use " + key +
                         "=0 (the default): this runtime writes only the "
                         "epoch scalars (loss, accuracy, learning rate)");
  return Status::success();
}

Status checkBool(const std::string &key, const std::string &value) {
  if (value != "true" && value != "false")
    return Status::error(argText(key, value) + "not True or False");
  return Status::success();
}

Status checkArgument(const std::string &key, const std::string &value) {
  if (key == "log_dir" || key == "embeddings_metadata")
    return Status::success();
  if (key == "write_graph" || key == "write_images")
    return checkBool(key, value);
  if (key == "histogram_freq")
    return checkNumberIsZero(key, value, "weight histograms are not supported");
  if (key == "embeddings_freq")
    return checkNumberIsZero(key, value, "embeddings are not supported");
  if (key == "write_steps_per_second") {
    if (Status s = checkBool(key, value); s.failed())
      return s;
    if (value == "true")
      return Status::error(argText(key, value) +
                           "steps per second are not supported; use "
                           "write_steps_per_second=False (the default)");
    return Status::success();
  }
  if (key == "update_freq") {
    if (value != "epoch")
      return Status::error(argText(key, value) +
                           "per-batch scalars are not supported; use "
                           "update_freq=\"epoch\" (the default)");
    return Status::success();
  }
  if (key == "profile_batch") {
    std::string v;
    for (char c : value)
      if (c != ' ')
        v += c;
    // Keras accepts 0, "0" and "0,0" (a range of no batches) for no
    // profiling.
    if (v == "0" || v == "0,0" || v == "0.0")
      return Status::success();
    return Status::error(argText(key, value) +
                         "profiling is not supported; use profile_batch=0 "
                         "(the default)");
  }
  std::string names;
  for (const char *name : kArgNames)
    names += std::string(names.empty() ? "" : ", ") + name;
  return Status::error(argText(key, value) +
                       "keras.callbacks.TensorBoard has no argument `" + key +
                       "`; its arguments are " + names);
}

} // namespace

uint32_t maskedCrc32c(const void *data, size_t n) {
  return maskCrc32c(crc32c(data, n));
}

//===----------------------------------------------------------------------===//
// EventFileWriter
//===----------------------------------------------------------------------===//

Status EventFileWriter::open(const std::string &dir) {
  close();
  path_.clear();
  std::string where = dir.empty() ? "." : dir;
  const std::string choose =
      "; choose a log_dir (mnistrt train --logdir) you can write to";
  std::error_code ec;
  if (std::filesystem::exists(where, ec) &&
      !std::filesystem::is_directory(where, ec))
    return Status::error(where + ": is a file, not a log directory" + choose);
  std::filesystem::create_directories(where, ec);
  if (ec)
    return Status::error(where + ": cannot create the log directory: " +
                         detail::errnoText(ec.value()) + choose);

  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || !host[0])
    std::strcpy(host, "localhost");
  std::string path;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
    char name[512];
    std::snprintf(name, sizeof name, "events.out.tfevents.%010lld.%s.%ld.%u.v2",
                  static_cast<long long>(std::time(nullptr)), host,
                  static_cast<long>(::getpid()), fileCounter.fetch_add(1));
    path = joinPath(dir, name);
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST)
      return Status::error(path + ": cannot create the event file: " +
                           detail::errnoText(errno) + choose);
  }
  if (fd < 0)
    return Status::error(path + ": cannot create the event file: 100 files "
                                "of that name exist already");
  fd_ = fd;
  path_ = path;

  tensorflow::Event event;
  event.set_wall_time(secondsNow());
  event.set_file_version("brain.Event:2");
  std::string data;
  event.SerializeToString(&data);
  return writeRecord(data);
}

Status EventFileWriter::writeScalar(const std::string &tag, int64_t step,
                                    float value, double wallTime) {
  tensorflow::Event event;
  event.set_wall_time(wallTime);
  event.set_step(step);
  tensorflow::Summary::Value *v = event.mutable_summary()->add_value();
  v->set_tag(tag);
  v->set_simple_value(value);
  v->mutable_metadata()->mutable_plugin_data()->set_plugin_name("scalars");
  std::string data;
  if (!event.SerializeToString(&data))
    return Status::error(path_ + ": cannot encode the scalar " + tag);
  return writeRecord(data);
}

Status EventFileWriter::writeScalar(const std::string &tag, int64_t step,
                                    float value) {
  return writeScalar(tag, step, value, secondsNow());
}

Status EventFileWriter::writeRecord(const std::string &data) {
  if (fd_ < 0)
    return Status::error((path_.empty() ? std::string("<event file>") : path_) +
                         ": write to an event file that is not open");
  std::string record;
  record.reserve(data.size() + 16);
  putLe(record, data.size(), 8);
  putLe(record, maskedCrc32c(record.data(), 8), 4);
  record += data;
  putLe(record, maskedCrc32c(data.data(), data.size()), 4);
  const char *p = record.data();
  size_t n = record.size();
  while (n > 0) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return Status::error(path_ +
                           ": cannot write: " + detail::errnoText(errno) +
                           "; free some space or choose another log_dir");
    }
    p += w;
    n -= size_t(w);
  }
  return Status::success();
}

Status EventFileWriter::flush() {
  if (fd_ >= 0 && ::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS)
    return Status::error(path_ +
                         ": cannot flush to disk: " + detail::errnoText(errno));
  return Status::success();
}

void EventFileWriter::close() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

//===----------------------------------------------------------------------===//
// readEventFile
//===----------------------------------------------------------------------===//

Status readEventFile(const std::string &path, std::vector<ScalarEvent> &out,
                     std::string *fileVersion) {
  if (fileVersion)
    fileVersion->clear();
  std::string bytes;
  if (Status s = detail::readWholeFile(path, bytes); s.failed())
    return s;

  auto at = [&](size_t offset) {
    return path + ": the record at byte offset " + std::to_string(offset);
  };
  size_t off = 0;
  while (off < bytes.size()) {
    size_t left = bytes.size() - off;
    const char *p = bytes.data() + off;
    if (left < 12)
      return Status::error(at(off) + " is truncated: " + std::to_string(left) +
                           " bytes where a 12-byte record header belongs; "
                           "the writer was stopped mid-record or the file "
                           "was cut short");
    uint32_t lengthCrc = maskedCrc32c(p, 8);
    if (uint32_t(getLe(p + 8, 4)) != lengthCrc)
      return Status::error(at(off) +
                           " is damaged: the CRC32C of its length "
                           "field does not match (stored " +
                           hex(uint32_t(getLe(p + 8, 4))) + ", computed " +
                           hex(lengthCrc) + ")");
    uint64_t length = getLe(p, 8);
    if (length > left - 12 || left - 12 - length < 4)
      return Status::error(at(off) + " is truncated: its header announces " +
                           std::to_string(length) +
                           " bytes of data and a 4-byte CRC, the file has " +
                           std::to_string(left - 12) +
                           " bytes after the header; the writer was stopped "
                           "mid-record or the file was cut short");
    const char *data = p + 12;
    uint32_t dataCrc = maskedCrc32c(data, size_t(length));
    uint32_t stored = uint32_t(getLe(data + length, 4));
    if (stored != dataCrc)
      return Status::error(at(off) + " is damaged: the CRC32C of its " +
                           std::to_string(length) +
                           " bytes of data does not match (stored " +
                           hex(stored) + ", computed " + hex(dataCrc) + ")");
    tensorflow::Event event;
    if (!event.ParseFromArray(data, int(length)))
      return Status::error(at(off) + " is not a tensorflow.Event (its CRCs "
                                     "match: the file is not an event file)");
    if (event.has_file_version() && fileVersion && fileVersion->empty())
      *fileVersion = event.file_version();
    if (event.has_summary())
      for (const tensorflow::Summary::Value &v : event.summary().value()) {
        float value = 0;
        if (v.has_simple_value())
          value = v.simple_value();
        else if (!v.has_tensor() || !tensorScalar(v.tensor(), value))
          continue;
        out.push_back({v.tag(), event.step(), value, event.wall_time()});
      }
    off += 12 + size_t(length) + 4;
  }
  return Status::success();
}

//===----------------------------------------------------------------------===//
// TensorBoard callback
//===----------------------------------------------------------------------===//

TensorBoardCallback::TensorBoardCallback(std::string logDir)
    : logDir_(std::move(logDir)) {}

Status TensorBoardCallback::onEpochEnd(EpochLogs &logs, Weights,
                                       float &learningRate,
                                       std::vector<std::string> &, bool &) {
  // Keras 3 _log_epoch_metrics: the non-val_ logs plus the optimizer's
  // learning rate to train/, the val_ logs without their prefix to
  // validation/, each as "epoch_" + name at step = epoch. Keras's logs
  // are float32.
  const int64_t step = logs.epoch;
  if (!train_.isOpen())
    if (Status s = train_.open(joinPath(logDir_, "train")); s.failed())
      return s;
  for (auto [tag, value] : {std::pair<const char *, float>{
                                "epoch_accuracy", float(logs.train.accuracy)},
                            {"epoch_loss", float(logs.train.loss)},
                            {"epoch_learning_rate", learningRate}})
    if (Status s = train_.writeScalar(tag, step, value); s.failed())
      return s;
  if (Status s = train_.flush(); s.failed())
    return s;
  if (!logs.hasValidation)
    return Status::success();
  if (!validation_.isOpen())
    if (Status s = validation_.open(joinPath(logDir_, "validation"));
        s.failed())
      return s;
  for (auto [tag, value] :
       {std::pair<const char *, float>{"epoch_accuracy",
                                       float(logs.validation.accuracy)},
        {"epoch_loss", float(logs.validation.loss)}})
    if (Status s = validation_.writeScalar(tag, step, value); s.failed())
      return s;
  return validation_.flush();
}

void TensorBoardCallback::onTrainEnd(Weights, std::vector<std::string> &) {
  train_.close();
  validation_.close();
}

Status makeTensorBoardCallback(const CallbackSpec &spec,
                               std::unique_ptr<Callback> &out,
                               const std::string &logDirOverride) {
  for (const auto &[key, value] : spec.args)
    if (Status s = checkArgument(key, value); s.failed())
      return s;
  std::string logDir = "logs";
  if (auto it = spec.args.find("log_dir"); it != spec.args.end())
    logDir = it->second;
  if (!logDirOverride.empty())
    logDir = logDirOverride;
  out = std::make_unique<TensorBoardCallback>(std::move(logDir));
  return Status::success();
}

} // namespace mnistc::rt

//===- tensorboard.h - Keras's TensorBoard callback: scalar event files ---===//
//
// TensorBoard reads "event files": TFRecord files of serialized
// tensorflow.Event protos (runtime/proto/tensorboard.proto). Each record is
//
//   uint64 length (little-endian) | uint32 masked CRC32C of those 8 bytes |
//   length bytes of data          | uint32 masked CRC32C of the data
//
// where mask(c) = ((c >> 15) | (c << 17)) + 0xa282ead8. A file is named
// events.out.tfevents.<unix seconds>.<hostname>.<pid>.<counter>.v2, as
// TF 2's tf.summary.create_file_writer names it, and opens with an Event
// whose file_version is "brain.Event:2".
//
// The TensorBoard callback follows Keras 3 (keras/src/callbacks/
// tensorboard.py, update_freq="epoch"): after epoch e (0-based) it writes,
// at step e,
//
//   <log_dir>/train/       epoch_accuracy, epoch_loss, epoch_learning_rate
//   <log_dir>/validation/  epoch_accuracy, epoch_loss   (with validation)
//
// epoch_learning_rate is written every epoch, as Keras 3 writes the
// optimizer's learning rate whatever the logs hold: the rate at the moment
// the callback runs, i.e. after any ReduceLROnPlateau placed before it.
// Values are float32, as Keras's summaries are. Each directory gets one
// file per run, created at the first epoch's end (Keras creates its
// writers lazily too).
//
// Format choice: TF 2 (and so Keras 3) writes a scalar as a rank-0 DT_FLOAT
// `tensor` with metadata {plugin_name: "scalars", data_class: SCALAR}. This
// runtime writes the older `simple_value` form with plugin_name "scalars":
// every TensorBoard reads it (both its Python loader and its Rust data
// server turn a simple_value into a scalars-plugin float), as do TF 1.x
// tools and PyTorch's readers, and it needs no TensorProto. readEventFile
// reads both forms, so it also reads the files Keras writes.
//
// Not written (Keras arguments refused with an error when set): weight
// histograms and images, per-batch scalars, steps per second, profiles,
// embeddings. Keras's "keras" model-config summary (write_graph) and its
// evaluation_<metric>_vs_iterations scalars are not written either.
//
// Library code: nothing is printed; every failure is a Status that starts
// with the path at fault.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_TENSORBOARD_H
#define MNISTC_RUNTIME_TENSORBOARD_H

#include "mnistc/callbacks.h"
#include "mnistc/crc32c.h"
#include "mnistc/status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mnistc::rt {

/// TFRecord's masked CRC of `n` bytes: maskCrc32c(crc32c(data, n)), i.e.
/// ((c >> 15) | (c << 17)) + 0xa282ead8 of the CRC-32C c (crc32c.h).
uint32_t maskedCrc32c(const void *data, size_t n);

/// One event file being written. Each record goes to the file with one
/// write(2) as soon as it is made, so a running TensorBoard sees it at
/// once; flush() also makes it durable (fsync).
class EventFileWriter {
public:
  EventFileWriter() = default;
  EventFileWriter(const EventFileWriter &) = delete;
  EventFileWriter &operator=(const EventFileWriter &) = delete;
  ~EventFileWriter() { close(); }

  /// Creates `dir` (and its parents) if needed and a new event file in it
  /// whose first record is the file_version event "brain.Event:2".
  Status open(const std::string &dir);
  bool isOpen() const { return fd_ >= 0; }
  /// The file's path; empty before open().
  const std::string &path() const { return path_; }

  /// Appends one Event holding one scalar (simple_value, with metadata
  /// plugin_name "scalars"). `wallTime` is seconds since the Unix epoch;
  /// the overload without it uses the current time.
  Status writeScalar(const std::string &tag, int64_t step, float value,
                     double wallTime);
  Status writeScalar(const std::string &tag, int64_t step, float value);

  /// fsync(2)s what has been written.
  Status flush();
  /// Closes the file (without fsync); safe to call twice.
  void close();

private:
  Status writeRecord(const std::string &data);

  int fd_ = -1;
  std::string path_;
};

/// One scalar of an event file.
struct ScalarEvent {
  std::string tag;
  int64_t step = 0;
  float value = 0.0f;
  double wallTime = 0.0;
};

/// Reads every scalar of the event file at `path`, in file order: values
/// written as simple_value or as a rank-0 DT_FLOAT / DT_DOUBLE tensor;
/// other values (histograms, images, graphs) are skipped. Checks each
/// record's framing and both CRCs; a damaged or truncated record is an
/// error naming its byte offset. `fileVersion`, if given, receives the
/// file_version the file declares ("" if none).
Status readEventFile(const std::string &path, std::vector<ScalarEvent> &out,
                     std::string *fileVersion = nullptr);

/// Keras's TensorBoard callback at update_freq="epoch".
class TensorBoardCallback : public Callback {
public:
  /// Writes under `logDir`/train and `logDir`/validation.
  explicit TensorBoardCallback(std::string logDir);

  const std::string &logDir() const { return logDir_; }
  /// The event files written so far; empty before the first epoch (and
  /// the validation one without validation).
  const std::string &trainFile() const { return train_.path(); }
  const std::string &validationFile() const { return validation_.path(); }

  Status onEpochEnd(EpochLogs &logs, Weights weights, float &learningRate,
                    std::vector<std::string> &messages, bool &stop) override;
  /// Closes the files.
  void onTrainEnd(Weights weights, std::vector<std::string> &messages) override;

private:
  std::string logDir_;
  EventFileWriter train_, validation_;
};

/// The TensorBoard callback of `spec` (CallbackSpec::name "TensorBoard"),
/// with Keras 3's arguments and defaults: log_dir="logs",
/// histogram_freq=0, write_graph=True, write_images=False,
/// write_steps_per_second=False, update_freq="epoch", profile_batch=0,
/// embeddings_freq=0, embeddings_metadata=None. write_graph,
/// write_images and embeddings_metadata are accepted with any value (the
/// graph is never written; the other two have no effect in Keras without
/// histogram_freq / embeddings_freq). A value other than the default for
/// histogram_freq, write_steps_per_second, update_freq, profile_batch or
/// embeddings_freq, an argument Keras's TensorBoard does not have, or a
/// value of the wrong kind is an error naming the argument and what is
/// supported. A non-empty `logDirOverride` (mnistrt train --logdir DIR)
/// replaces log_dir. Creates no file.
Status makeTensorBoardCallback(const CallbackSpec &spec,
                               std::unique_ptr<Callback> &out,
                               const std::string &logDirOverride = "");

} // namespace mnistc::rt

#endif // MNISTC_RUNTIME_TENSORBOARD_H

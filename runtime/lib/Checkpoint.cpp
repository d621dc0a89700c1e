//===- Checkpoint.cpp - The checkpoint file format -------------------------===//
//
// The layout of docs/checkpoint.md: a 16-byte header ("MNISTCKP", version,
// section count), then sections, each a 4-character tag, its payload's
// length, its payload's CRC-32C and the payload. MODL names the model,
// PARM and OPTM hold the context's buffers, RUN_ the settings and position,
// HIST the finished epochs, CALL the callbacks' states, FINL the weights
// training ended with (if a callback replaced them); END_ closes the
// file, so a file cut at a section boundary is still caught. Everything is
// parsed and checked into temporaries before anything is copied out.
//
//===----------------------------------------------------------------------===//
#include "mnistc/checkpoint.h"

#include "Bytes.h"
#include "FileIO.h"
#include "mnistc/crc32c.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

namespace mnistc::rt {
namespace {

using detail::ByteReader;
using detail::ByteWriter;

constexpr char kMagic[8] = {'M', 'N', 'I', 'S', 'T', 'C', 'K', 'P'};
constexpr size_t kHeaderSize = 16;
constexpr size_t kSectionHeaderSize = 16; // tag, u32 crc, u64 length
/// Refuse absurd section lengths before allocating (a corrupt header).
constexpr uint64_t kMaxSection = uint64_t(16) << 30;

/// The order sections are written and expected in.
const char *const kSections[] = {"MODL", "PARM", "OPTM", "RUN_",
                                 "HIST", "CALL", "FINL", "END_"};

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

void putMetrics(ByteWriter &w, const Metrics &m) {
  w.put(m.loss);
  w.put(m.accuracy);
  w.put(m.samples);
  w.put(m.seconds);
}

Metrics getMetrics(ByteReader &r) {
  Metrics m;
  m.loss = r.get<double>();
  m.accuracy = r.get<double>();
  m.samples = r.get<uint64_t>();
  m.seconds = r.get<double>();
  return m;
}

std::string modelSection(ModelContext &ctx) {
  const mnistc_model_info &info = ctx.info();
  ByteWriter w;
  w.putString(info.name);
  w.putString(ctx.fingerprint());
  w.put<int64_t>(info.param_floats);
  w.put<int64_t>(info.state_floats);
  return w.take();
}

std::string runSection(const TrainingState &st) {
  ByteWriter w;
  const FitOptions &o = st.options;
  w.put<int32_t>(o.epochs);
  w.put<int32_t>(o.batchSize);
  w.put<double>(o.validationSplit);
  w.put<uint8_t>(o.shuffle);
  w.put<uint64_t>(o.seed);
  w.put<float>(o.learningRate);
  const FitPosition &p = st.position;
  w.put<int32_t>(p.epoch);
  w.put<uint32_t>(p.batch);
  w.put<double>(p.lossSum);
  w.put<uint64_t>(p.correct);
  w.put<uint64_t>(p.seen);
  w.put<double>(p.seconds);
  w.put<float>(p.learningRate);
  w.put<uint8_t>(st.finished);
  return w.take();
}

void readRunSection(ByteReader &r, TrainingState &st) {
  FitOptions &o = st.options;
  o.epochs = r.get<int32_t>();
  o.batchSize = r.get<int32_t>();
  o.validationSplit = r.get<double>();
  o.shuffle = r.get<uint8_t>() != 0;
  o.seed = r.get<uint64_t>();
  o.learningRate = r.get<float>();
  FitPosition &p = st.position;
  p.epoch = r.get<int32_t>();
  p.batch = r.get<uint32_t>();
  p.lossSum = r.get<double>();
  p.correct = r.get<uint64_t>();
  p.seen = r.get<uint64_t>();
  p.seconds = r.get<double>();
  p.learningRate = r.get<float>();
  st.finished = r.get<uint8_t>() != 0;
}

std::string historySection(const TrainingState &st) {
  ByteWriter w;
  w.put<uint32_t>(static_cast<uint32_t>(st.history.size()));
  for (const EpochLogs &e : st.history) {
    w.put<int32_t>(e.epoch);
    w.put<int32_t>(e.epochs);
    putMetrics(w, e.train);
    w.put<uint8_t>(e.hasValidation);
    putMetrics(w, e.validation);
    w.put<double>(e.seconds);
    w.put<uint8_t>(e.learningRate.has_value());
    w.put<double>(e.learningRate.value_or(0.0));
  }
  return w.take();
}

void readHistorySection(ByteReader &r, TrainingState &st) {
  uint32_t n = r.get<uint32_t>();
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    EpochLogs e;
    e.epoch = r.get<int32_t>();
    e.epochs = r.get<int32_t>();
    e.train = getMetrics(r);
    e.hasValidation = r.get<uint8_t>() != 0;
    e.validation = getMetrics(r);
    e.seconds = r.get<double>();
    bool hasLr = r.get<uint8_t>() != 0;
    double lr = r.get<double>();
    if (hasLr)
      e.learningRate = lr;
    st.history.push_back(e);
  }
}

std::string callbackSection(const TrainingState &st) {
  ByteWriter w;
  w.put<uint8_t>(st.hasCallbackStates);
  w.put<uint32_t>(static_cast<uint32_t>(st.callbackStates.size()));
  for (const std::string &s : st.callbackStates)
    w.putString(s);
  return w.take();
}

void readCallbackSection(ByteReader &r, TrainingState &st) {
  st.hasCallbackStates = r.get<uint8_t>() != 0;
  uint32_t n = r.get<uint32_t>();
  for (uint32_t i = 0; i < n && r.ok(); ++i)
    st.callbackStates.push_back(r.getString());
}

/// Splits the file into its sections, checking the header, every length
/// and every checksum.
Status readSections(const std::string &path, const std::string &bytes,
                    std::map<std::string, std::string> &sections) {
  const std::string cut = "; the file was cut short (copy it again, or use "
                          "an earlier checkpoint)";
  if (bytes.size() < sizeof kMagic ||
      std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    return Status::error(path + ": not an mnistc checkpoint (it does not "
                                "start with \"MNISTCKP\")");
  if (bytes.size() < kHeaderSize)
    return Status::error(path + ": truncated: " +
                         std::to_string(bytes.size()) +
                         " bytes, shorter than the header" + cut);
  ByteReader header(bytes.data() + sizeof kMagic, kHeaderSize - sizeof kMagic);
  uint32_t version = header.get<uint32_t>();
  uint32_t count = header.get<uint32_t>();
  if (version != kCheckpointVersion)
    return Status::error(
        path + ": checkpoint format version " + std::to_string(version) +
        (version > kCheckpointVersion ? " is newer than" : " is not") +
        " the version this mnistrt reads (" +
        std::to_string(kCheckpointVersion) +
        "); use the mnistrt that wrote it");
  size_t pos = kHeaderSize;
  for (uint32_t i = 0; i < count; ++i) {
    if (bytes.size() - pos < kSectionHeaderSize)
      return Status::error(path + ": truncated: section " +
                           std::to_string(i + 1) + " of " +
                           std::to_string(count) + " is missing" + cut);
    std::string tag = bytes.substr(pos, 4);
    ByteReader r(bytes.data() + pos + 4, kSectionHeaderSize - 4);
    uint32_t crc = r.get<uint32_t>();
    uint64_t length = r.get<uint64_t>();
    pos += kSectionHeaderSize;
    if (length > kMaxSection || length > bytes.size() - pos)
      return Status::error(path + ": truncated: section " + tag + " needs " +
                           std::to_string(length) + " bytes, " +
                           std::to_string(bytes.size() - pos) + " remain" +
                           cut);
    uint32_t actual = crc32c(bytes.data() + pos, length);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    // The fuzzer's mutations must reach the section parsers behind the
    // checksums (test/fuzz/CheckpointFuzzer.cpp).
    actual = crc;
#endif
    if (actual != crc)
      return Status::error(path + ": corrupt: section " + tag +
                           " fails its checksum (stored " + hex32(crc) +
                           ", computed " + hex32(actual) +
                           "); the file was damaged after it was written");
    sections[tag] = bytes.substr(pos, length);
    pos += length;
  }
  if (pos != bytes.size())
    return Status::error(path + ": corrupt: " +
                         std::to_string(bytes.size() - pos) +
                         " unexpected bytes after the last section");
  for (const char *tag : kSections)
    if (!sections.count(tag))
      return Status::error(path + ": corrupt: section " + tag +
                           " is missing" +
                           (std::string(tag) == "END_" ? cut : ""));
  return Status::success();
}

} // namespace

namespace {

/// What may be at `path` for a checkpoint to replace it: nothing, or an
/// mnistc checkpoint that is none of `inputs` (checkpointWritable).
Status checkpointMayReplace(const std::string &path,
                            const std::vector<std::string> &inputs) {
  const std::string another = "; give the checkpoint another name, such as "
                              "run.ckpt";
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode))
      return Status::error(path + ": exists and is not a regular file (a "
                                  "directory, device, pipe or socket)" +
                           another);
    for (const std::string &input : inputs) {
      struct stat in;
      if (::stat(input.c_str(), &in) == 0 && in.st_dev == st.st_dev &&
          in.st_ino == st.st_ino)
        return Status::error(path + ": is " + input +
                             ", which this run reads; a checkpoint would "
                             "replace it" + another);
    }
    char magic[sizeof kMagic] = {};
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    bool checkpoint = fd >= 0 && ::read(fd, magic, sizeof magic) ==
                                     ssize_t(sizeof magic) &&
                      std::memcmp(magic, kMagic, sizeof magic) == 0;
    if (fd >= 0)
      ::close(fd);
    if (!checkpoint)
      return Status::error(path + ": exists and is not an mnistc "
                                  "checkpoint, so it is left as it is" +
                           another);
  } else if (errno != ENOENT) {
    return Status::error(path + ": cannot be written: " +
                         std::strerror(errno));
  }
  return Status::success();
}

} // namespace

Status checkpointWritable(const std::string &path,
                          const std::vector<std::string> &inputs) {
  if (Status s = checkpointMayReplace(path, inputs); s.failed())
    return s;
  // The directory must take a new file (the checkpoint is written next to
  // its name, then renamed over it).
  return detail::directoryTakesNewFile(
      std::filesystem::path(path).parent_path().string(), path);
}

Status checkpointSave(const std::string &path, ModelContext &ctx,
                      const TrainingState &state) {
  // writeFileAtomic finds a directory that takes no file itself.
  if (Status s = checkpointMayReplace(path, {}); s.failed())
    return s;
  const mnistc_model_info &info = ctx.info();
  ByteWriter params, optimizer;
  params.putFloats(ctx.params(), static_cast<size_t>(info.param_floats));
  optimizer.putFloats(ctx.state(), static_cast<size_t>(info.state_floats));
  optimizer.put<int64_t>(*ctx.stepCount());
  if (!state.finalParams.empty() &&
      state.finalParams.size() != size_t(info.param_floats))
    return Status::error(path + ": not written: the final weights have " +
                         std::to_string(state.finalParams.size()) +
                         " floats, the model " +
                         std::to_string(info.param_floats));
  ByteWriter finalWeights;
  finalWeights.putFloats(state.finalParams.data(), state.finalParams.size());
  std::string payloads[] = {modelSection(ctx),     params.take(),
                            optimizer.take(),      runSection(state),
                            historySection(state), callbackSection(state),
                            finalWeights.take(),   std::string()};
  constexpr size_t n = sizeof kSections / sizeof kSections[0];
  static_assert(n == sizeof payloads / sizeof payloads[0]);

  ByteWriter header;
  header.put<uint32_t>(kCheckpointVersion);
  header.put<uint32_t>(n);
  std::string head = std::string(kMagic, sizeof kMagic) + header.take();
  std::vector<std::string> sectionHeaders;
  std::vector<detail::Chunk> chunks{{head.data(), head.size()}};
  sectionHeaders.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    ByteWriter h;
    h.put<uint32_t>(crc32c(payloads[i].data(), payloads[i].size()));
    h.put<uint64_t>(payloads[i].size());
    sectionHeaders.push_back(std::string(kSections[i], 4) + h.take());
    chunks.push_back({sectionHeaders.back().data(), kSectionHeaderSize});
    chunks.push_back({payloads[i].data(), payloads[i].size()});
  }
  return detail::writeFileAtomic(path, chunks);
}

Status checkpointLoad(const std::string &path, ModelContext &ctx,
                      TrainingState &state, CheckpointUse use) {
  std::string bytes;
  if (Status s = detail::readWholeFile(path, bytes); s.failed())
    return s;
  std::map<std::string, std::string> sections;
  if (Status s = readSections(path, bytes, sections); s.failed())
    return s;
  auto damaged = [&](const char *tag) {
    return Status::error(path + ": corrupt: section " + std::string(tag) +
                         " does not hold what its kind must (written by "
                         "another program?)");
  };

  // The model it belongs to.
  const mnistc_model_info &info = ctx.info();
  ByteReader model(sections["MODL"]);
  struct {
    std::string name, fingerprint;
    int64_t paramFloats, stateFloats;
  } m;
  m.name = model.getString();
  m.fingerprint = model.getString();
  m.paramFloats = model.get<int64_t>();
  m.stateFloats = model.get<int64_t>();
  if (!model.done())
    return damaged("MODL");
  std::string mine = ctx.fingerprint();
  if (mine.empty())
    return Status::error(ctx.path() + ": carries no model fingerprint (built "
                                      "by an older mnistc), so " + path +
                         " cannot be checked against it; rebuild it with "
                         "`mnistc MODEL.dsl -o " + ctx.path() + "`");
  if (m.fingerprint != mine || m.paramFloats != info.param_floats ||
      m.stateFloats != info.state_floats)
    return Status::error(
        path + ": is a checkpoint of model '" + m.name + "' (fingerprint " +
        m.fingerprint + "), but " + ctx.path() + " is model '" + info.name +
        "' (fingerprint " + mine + ")" +
        (m.name == info.name ? ", changed since the checkpoint was written"
                             : "") +
        "; give the model.so it was trained with");

  // Everything else, into temporaries.
  std::vector<float> params(static_cast<size_t>(info.param_floats));
  std::vector<float> optimizer(static_cast<size_t>(info.state_floats));
  ByteReader p(sections["PARM"]);
  p.getFloats(params.data(), params.size());
  if (!p.done())
    return damaged("PARM");
  ByteReader o(sections["OPTM"]);
  o.getFloats(optimizer.data(), optimizer.size());
  int64_t step = o.get<int64_t>();
  if (!o.done())
    return damaged("OPTM");
  TrainingState st;
  ByteReader run(sections["RUN_"]);
  readRunSection(run, st);
  if (!run.done())
    return damaged("RUN_");
  ByteReader history(sections["HIST"]);
  readHistorySection(history, st);
  if (!history.done())
    return damaged("HIST");
  ByteReader callbacks(sections["CALL"]);
  readCallbackSection(callbacks, st);
  if (!callbacks.done())
    return damaged("CALL");
  ByteReader finalWeights(sections["FINL"]);
  st.finalParams = finalWeights.getFloatVector();
  if (!finalWeights.done() ||
      (!st.finalParams.empty() && st.finalParams.size() != params.size()))
    return damaged("FINL");
  if (!sections["END_"].empty())
    return damaged("END_");
  if (use == CheckpointUse::Final && !st.finalParams.empty())
    params = st.finalParams;

  // Valid bytes can still mean nothing a run could have written.
  auto impossible = [&](const std::string &what) {
    return Status::error(path + ": corrupt: " + what +
                         ", which no run writes (edited, or written by "
                         "another program?)");
  };
  const FitOptions &opts = st.options;
  const FitPosition &at = st.position;
  if (opts.epochs < 1 || opts.batchSize < 1)
    return impossible("its run has " + std::to_string(opts.epochs) +
                      " epochs of batch size " +
                      std::to_string(opts.batchSize));
  if (!(opts.validationSplit >= 0 && opts.validationSplit < 1) ||
      !std::isfinite(opts.learningRate) || opts.learningRate < 0 ||
      !std::isfinite(at.learningRate) || at.learningRate < 0)
    return impossible("its run's validation split or learning rate is out "
                      "of range");
  if (at.epoch < 0 || at.epoch > opts.epochs)
    return impossible("its run is at epoch " + std::to_string(at.epoch) +
                      " of " + std::to_string(opts.epochs));
  if (step < 0)
    return impossible("its step count is " + std::to_string(step));
  for (const std::vector<float> *floats : {&params, &optimizer})
    for (size_t i = 0; i < floats->size(); ++i)
      if (!std::isfinite((*floats)[i]))
        return impossible(std::string(floats == &params ? "parameter"
                                                        : "optimizer state") +
                          " " + std::to_string(i) + " is " +
                          (std::isnan((*floats)[i]) ? "NaN" : "infinite"));

  // The seed is the run's random state: mnistc_init_params derives
  // Dropout's key from it (and the shuffle uses (seed, epoch)), so it runs
  // first and the saved buffers then replace what it initialised.
  ctx.initParams(st.options.seed);
  std::copy(params.begin(), params.end(), ctx.params());
  std::copy(optimizer.begin(), optimizer.end(), ctx.state());
  *ctx.stepCount() = step;
  state = std::move(st);
  return Status::success();
}

} // namespace mnistc::rt

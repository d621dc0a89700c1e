//===- ModelCheckpoint.cpp - Keras's ModelCheckpoint -----------------------===//
//
// KERAS_SEMANTICS.md §15: after each epoch, save the model to `filepath`
// formatted with the epoch (1-based) and the epoch's logs, as Python's
// str.format does ("{epoch:02d}" -> "03", "{val_loss:.2f}" -> "0.07");
// with save_best_only, only when `monitor` improved on the best so far
// (strictly, starting from initial_value_threshold). The file is an mnistc
// checkpoint (docs/checkpoint.md) whatever its name says (a tutorial's
// "model.keras" works); it holds the weights, the optimizer state and the
// run's position, so `mnistrt evaluate/predict --weights` and `mnistrt
// train --resume` read it. Missing directories of the path are created.
//
//===----------------------------------------------------------------------===//
#include "CallbackSupport.h"
#include "mnistc/checkpoint.h"
#include "PythonFloat.h"

#include <cstdio>
#include <filesystem>
#include <map>

namespace mnistc::rt::detail {
namespace {

/// One "{name:spec}" field: spec is Python's [0][width][.precision][type]
/// with type d (integers: epoch), f, e, g or none (str()).
Status formatField(const std::string &name, const std::string &spec,
                   bool integer, double value, std::string &out) {
  size_t i = 0;
  std::string flags;
  if (i < spec.size() && spec[i] == '0')
    flags += spec[i++];
  std::string width, precision;
  while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i])))
    width += spec[i++];
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    while (i < spec.size() &&
           std::isdigit(static_cast<unsigned char>(spec[i])))
      precision += spec[i++];
    if (precision.empty())
      i = spec.size() + 1; // invalid
  }
  char type = i < spec.size() ? spec[i++] : 0;
  if (i != spec.size() || (type && std::string("dfeg").find(type) ==
                                       std::string::npos) ||
      (type == 'd' && (!integer || !precision.empty())))
    return Status::error("{" + name + ":" + spec +
                         "} is not a format this runtime knows (use d for "
                         "the epoch, .Nf/.Ne/.Ng for values)");
  char buf[128];
  if (!type && precision.empty()) {
    std::string text = integer ? std::to_string(int64_t(value))
                               : pythonFloat(value);
    size_t w = width.empty() ? 0 : std::stoul(width);
    out += std::string(text.size() < w ? w - text.size() : 0,
                       flags.empty() ? ' ' : '0') +
           text;
    return Status::success();
  }
  std::string fmt = "%" + flags + width;
  if (type == 'd') {
    std::snprintf(buf, sizeof buf, (fmt + "lld").c_str(),
                  static_cast<long long>(value));
  } else {
    fmt += (precision.empty() ? "" : "." + precision) +
           std::string(1, type ? type : 'g');
    std::snprintf(buf, sizeof buf, fmt.c_str(), value);
  }
  out += buf;
  return Status::success();
}

class ModelCheckpoint : public Callback {
public:
  static Status make(const CallbackSpec &spec, const CallbackEnv &env,
                     std::unique_ptr<Callback> &out) {
    auto cb = std::make_unique<ModelCheckpoint>();
    Args a(spec);
    cb->save_ = env.saveModel;
    cb->filepath_ = a.str("filepath", "");
    cb->monitor_ = a.str("monitor", "val_loss");
    cb->improved_ = {a.higherIsBetter(cb->monitor_), 0.0};
    cb->bestOnly_ = a.flag("save_best_only", false);
    cb->verbose_ = a.num("verbose", 0) > 0;
    a.flag("save_weights_only", false); // both save the whole checkpoint
    std::string freq = a.str("save_freq", "epoch");
    if (spec.args.count("initial_value_threshold") &&
        a.str("initial_value_threshold", "") != "null")
      cb->best_ = a.num("initial_value_threshold", 0);
    if (a.status().failed())
      return a.status();
    if (cb->filepath_.empty())
      return Status::error("ModelCheckpoint needs a filepath");
    if (freq != "epoch")
      return Status::error("ModelCheckpoint(save_freq=" + freq +
                           "): this runtime saves once per epoch; use "
                           "save_freq=\"epoch\"");
    // A bad format is an error now, not after the first epoch.
    EpochLogs probe;
    probe.hasValidation = true;
    probe.learningRate = 0.0;
    std::string path;
    if (Status s = cb->pathFor(probe, path); s.failed())
      return s;
    // Where it writes is checked before the first step, not after the
    // first epoch: its directory made, as each save makes it (Keras's
    // ModelCheckpoint too), then checkpointWritable.
    if (env.writesFiles) {
      std::error_code ec;
      std::filesystem::path parent = std::filesystem::path(path).parent_path();
      if (!parent.empty())
        std::filesystem::create_directories(parent, ec);
      if (Status s = checkpointWritable(path); s.failed())
        return Status::error("ModelCheckpoint(filepath=\"" + cb->filepath_ +
                             "\"): " + s.message());
    }
    out = std::move(cb);
    return Status::success();
  }

  Status onEpochEnd(EpochLogs &logs, Weights, float &,
                    std::vector<std::string> &messages, bool &) override {
    std::string path;
    if (Status s = pathFor(logs, path); s.failed())
      return s;
    std::string head = "Epoch " + std::to_string(logs.epoch + 1) + ": ";
    if (bestOnly_) {
      std::optional<double> c = monitored(logs, monitor_);
      if (!c) {
        messages.push_back(head + "ModelCheckpoint: can save the best model "
                                  "only with " + monitor_ +
                           " available, skipping");
        return Status::success();
      }
      if (!improved_(*c, best_)) {
        if (verbose_)
          messages.push_back(head + monitor_ + " did not improve from " +
                             fixed5(*best_));
        return Status::success();
      }
      if (verbose_)
        messages.push_back(head + monitor_ + " improved from " +
                           (best_ ? fixed5(*best_) : "None") + " to " +
                           fixed5(*c) + ", saving model to " + path);
      best_ = *c;
    } else if (verbose_) {
      messages.push_back(head + "saving model to " + path);
    }
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty())
      std::filesystem::create_directories(parent, ec);
    return save_(path);
  }

  std::string saveState() const override {
    ByteWriter w;
    putOptional(w, best_);
    return w.take();
  }
  Status loadState(const std::string &state) override {
    ByteReader r(state);
    best_ = getOptional(r);
    return stateRead(r, "ModelCheckpoint");
  }

private:
  static std::string fixed5(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.5f", v);
    return buf;
  }

  /// filepath.format(epoch=epoch + 1, **logs)
  Status pathFor(const EpochLogs &logs, std::string &out) const {
    std::map<std::string, double> values = kerasLogs(logs);
    const std::string &f = filepath_;
    std::string where = "ModelCheckpoint(filepath=\"" + f + "\"): ";
    out.clear();
    for (size_t i = 0; i < f.size(); ++i) {
      if (f[i] == '}' && i + 1 < f.size() && f[i + 1] == '}') {
        out += '}', ++i;
      } else if (f[i] == '{' && i + 1 < f.size() && f[i + 1] == '{') {
        out += '{', ++i;
      } else if (f[i] == '{') {
        size_t end = f.find('}', i);
        if (end == std::string::npos)
          return Status::error(where + "a '{' without its '}'");
        std::string field = f.substr(i + 1, end - i - 1);
        size_t colon = field.find(':');
        std::string name = field.substr(0, colon);
        std::string spec =
            colon == std::string::npos ? "" : field.substr(colon + 1);
        bool isEpoch = name == "epoch";
        auto it = values.find(name);
        if (!isEpoch && it == values.end())
          return Status::error(
              where + "{" + name +
              "} is not in the epoch's logs; use epoch, loss, accuracy, "
              "val_loss, val_accuracy (with validation) or learning_rate "
              "(with ReduceLROnPlateau)");
        if (Status s = formatField(name, spec, isEpoch,
                                   isEpoch ? logs.epoch + 1 : it->second,
                                   out);
            s.failed())
          return Status::error(where + s.message());
        i = end;
      } else if (f[i] == '}') {
        return Status::error(where + "a '}' without its '{' (write '}}' "
                                     "for a brace)");
      } else {
        out += f[i];
      }
    }
    return Status::success();
  }

  std::function<Status(const std::string &)> save_;
  std::string filepath_, monitor_;
  Improvement improved_{false, 0};
  bool bestOnly_ = false, verbose_ = false;
  std::optional<double> best_;
};

} // namespace

Status makeModelCheckpoint(const CallbackSpec &spec, const CallbackEnv &env,
                           std::unique_ptr<Callback> &out) {
  return ModelCheckpoint::make(spec, env, out);
}

} // namespace mnistc::rt::detail

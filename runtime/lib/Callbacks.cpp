//===- Callbacks.cpp - Keras's EarlyStopping and ReduceLROnPlateau --------===//
//
// Two callbacks of callbacks.h, each a transcription of its section of
// KERAS_SEMANTICS.md (§13 EarlyStopping, §14 ReduceLROnPlateau), the small
// JSON reader for the array the model.so carries, and makeCallbacks, which
// also builds the callbacks that live in their own files (CSVLogger,
// ModelCheckpoint, TensorBoard).
//
//===----------------------------------------------------------------------===//
#include "mnistc/callbacks.h"

#include "CallbackSupport.h"
#include "mnistc/tensorboard.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>

namespace mnistc::rt {
namespace {

using detail::Args;
using detail::epochText;
using detail::Improvement;
using detail::getOptional;
using detail::monitored;
using detail::putOptional;
using detail::stateRead;

//===----------------------------------------------------------------------===//
// JSON: [ {"key": value, ...}, ... ] with string, number, true/false values
//===----------------------------------------------------------------------===//

class JsonReader {
public:
  explicit JsonReader(const std::string &text) : s_(text) {}

  Status read(std::vector<CallbackSpec> &out) {
    if (!eat('['))
      return fail("expected '['");
    if (eat(']'))
      return done();
    do {
      CallbackSpec spec;
      if (Status st = object(spec); st.failed())
        return st;
      out.push_back(std::move(spec));
    } while (eat(','));
    if (!eat(']'))
      return fail("expected ',' or ']'");
    return done();
  }

private:
  Status object(CallbackSpec &spec) {
    if (!eat('{'))
      return fail("expected '{'");
    if (!eat('}')) {
      do {
        std::string key, value;
        if (!string(key) || !eat(':') || !scalar(value))
          return fail("expected \"key\": value");
        if (key == "name")
          spec.name = value;
        else
          spec.args[key] = value;
      } while (eat(','));
      if (!eat('}'))
        return fail("expected ',' or '}'");
    }
    if (spec.name.empty())
      return fail("a callback without a \"name\"");
    return Status::success();
  }
  bool string(std::string &out) {
    if (!eat('"'))
      return false;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c == '\\' && pos_ < s_.size())
        c = s_[pos_++];
      out += c;
    }
    return eat('"', /*skipSpace=*/false);
  }
  bool scalar(std::string &out) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == '"')
      return string(out);
    size_t start = pos_;
    while (pos_ < s_.size() && std::string(",}] \t").find(s_[pos_]) ==
                                   std::string::npos)
      ++pos_;
    out = s_.substr(start, pos_ - start);
    return !out.empty();
  }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])))
      ++pos_;
  }
  bool eat(char c, bool skipSpace = true) {
    if (skipSpace)
      skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status done() {
    skip();
    return pos_ == s_.size() ? Status::success()
                             : fail("unexpected text after the array");
  }
  Status fail(const std::string &what) const {
    return Status::error("the callbacks are not readable JSON: " +
                         what + " at character " + std::to_string(pos_ + 1));
  }

  const std::string &s_;
  size_t pos_ = 0;
};

//===----------------------------------------------------------------------===//
// EarlyStopping (§13)
//===----------------------------------------------------------------------===//

class EarlyStopping : public Callback {
public:
  static Status make(const CallbackSpec &spec, std::unique_ptr<Callback> &out) {
    auto cb = std::make_unique<EarlyStopping>();
    Args a(spec);
    cb->monitor_ = a.str("monitor", "val_loss");
    cb->improved_ = {a.higherIsBetter(cb->monitor_),
                     std::fabs(a.num("min_delta", 0))};
    cb->patience_ = static_cast<int>(a.num("patience", 0));
    cb->restore_ = a.flag("restore_best_weights", false);
    cb->startFrom_ = static_cast<int>(a.num("start_from_epoch", 0));
    if (spec.args.count("baseline") && a.str("baseline", "") != "null")
      cb->baseline_ = a.num("baseline", 0);
    out = std::move(cb);
    return a.status();
  }

  Status onEpochEnd(EpochLogs &logs, Weights weights, float &,
                    std::vector<std::string> &messages, bool &stop) override {
    std::optional<double> c = monitored(logs, monitor_);
    if (!c || logs.epoch < startFrom_)
      return Status::success();
    if (restore_ && snapshot_.empty()) {
      snapshot_.assign(weights.data, weights.data + weights.size);
      bestEpoch_ = logs.epoch;
    }
    ++wait_;
    if (improved_(*c, best_)) {
      best_ = *c;
      bestEpoch_ = logs.epoch;
      if (restore_)
        snapshot_.assign(weights.data, weights.data + weights.size);
      if (!baseline_ || improved_(*c, baseline_))
        wait_ = 0;
      return Status::success();
    }
    if (wait_ >= patience_ && logs.epoch > 0) {
      messages.push_back(epochText(logs) + "early stopping (" + monitor_ +
                         " has not improved for " + std::to_string(wait_) +
                         " epochs)");
      stop = true;
    }
    return Status::success();
  }

  void onTrainEnd(Weights weights,
                  std::vector<std::string> &messages) override {
    if (!restore_ || snapshot_.size() != weights.size)
      return;
    std::copy(snapshot_.begin(), snapshot_.end(), weights.data);
    messages.push_back(
        "Restoring model weights from the end of the best epoch: " +
        std::to_string(bestEpoch_ + 1) + ".");
  }

  std::string saveState() const override {
    detail::ByteWriter w;
    w.put<int32_t>(wait_);
    w.put<int32_t>(bestEpoch_);
    putOptional(w, best_);
    w.putFloats(snapshot_.data(), snapshot_.size());
    return w.take();
  }
  Status loadState(const std::string &state) override {
    detail::ByteReader r(state);
    wait_ = r.get<int32_t>();
    bestEpoch_ = r.get<int32_t>();
    best_ = getOptional(r);
    snapshot_ = r.getFloatVector();
    return stateRead(r, "EarlyStopping");
  }

private:
  std::string monitor_;
  Improvement improved_{false, 0};
  int patience_ = 0, startFrom_ = 0, wait_ = 0, bestEpoch_ = 0;
  bool restore_ = false;
  std::optional<double> best_, baseline_;
  std::vector<float> snapshot_;
};

//===----------------------------------------------------------------------===//
// ReduceLROnPlateau (§14)
//===----------------------------------------------------------------------===//

class ReduceLROnPlateau : public Callback {
public:
  static Status make(const CallbackSpec &spec, std::unique_ptr<Callback> &out) {
    auto cb = std::make_unique<ReduceLROnPlateau>();
    Args a(spec);
    cb->monitor_ = a.str("monitor", "val_loss");
    cb->improved_ = {a.higherIsBetter(cb->monitor_),
                     std::fabs(a.num("min_delta", 1e-4))};
    cb->factor_ = a.num("factor", 0.1);
    cb->patience_ = static_cast<int>(a.num("patience", 10));
    cb->cooldown_ = static_cast<int>(a.num("cooldown", 0));
    cb->minLr_ = a.num("min_lr", 0.0);
    if (a.status().failed())
      return a.status();
    if (!(cb->factor_ < 1.0))
      return Status::error("ReduceLROnPlateau(factor=" +
                           a.str("factor", "") + "): the factor must be "
                                                 "below 1");
    out = std::move(cb);
    return Status::success();
  }

  Status onEpochEnd(EpochLogs &logs, Weights, float &learningRate,
                    std::vector<std::string> &messages, bool &) override {
    logs.learningRate = learningRate;
    std::optional<double> c = monitored(logs, monitor_);
    if (!c)
      return Status::success();
    if (cooldownCounter_ > 0) {
      --cooldownCounter_;
      wait_ = 0;
    }
    if (improved_(*c, best_)) {
      best_ = *c;
      wait_ = 0;
    } else if (cooldownCounter_ == 0 && ++wait_ >= patience_) {
      float old = learningRate;
      if (old > static_cast<float>(minLr_)) {
        learningRate =
            static_cast<float>(std::max(double(old) * factor_, minLr_));
        std::ostringstream line;
        line << epochText(logs) << "ReduceLROnPlateau reducing learning rate to "
             << learningRate << ".";
        messages.push_back(line.str());
        cooldownCounter_ = cooldown_;
        wait_ = 0;
      }
    }
    return Status::success();
  }

  std::string saveState() const override {
    detail::ByteWriter w;
    w.put<int32_t>(wait_);
    w.put<int32_t>(cooldownCounter_);
    putOptional(w, best_);
    return w.take();
  }
  Status loadState(const std::string &state) override {
    detail::ByteReader r(state);
    wait_ = r.get<int32_t>();
    cooldownCounter_ = r.get<int32_t>();
    best_ = getOptional(r);
    return stateRead(r, "ReduceLROnPlateau");
  }

private:
  std::string monitor_;
  Improvement improved_{false, 0};
  double factor_ = 0.1, minLr_ = 0;
  int patience_ = 10, cooldown_ = 0, wait_ = 0, cooldownCounter_ = 0;
  std::optional<double> best_;
};

/// A file-writing callback on a rank that writes no files: its state
/// goes on (for a checkpoint's sake) but it does nothing at epoch end.
class WritesNothing final : public Callback {
public:
  explicit WritesNothing(std::unique_ptr<Callback> inner)
      : inner_(std::move(inner)) {}
  Status onEpochEnd(EpochLogs &, Weights, float &, std::vector<std::string> &,
                    bool &) override {
    return Status::success();
  }
  std::string saveState() const override { return inner_->saveState(); }
  Status loadState(const std::string &state) override {
    return inner_->loadState(state);
  }

private:
  std::unique_ptr<Callback> inner_;
};

} // namespace

Status parseCallbacks(const std::string &json,
                      std::vector<CallbackSpec> &out) {
  return JsonReader(json).read(out);
}

Status makeCallbacks(const std::vector<CallbackSpec> &specs,
                     std::vector<std::unique_ptr<Callback>> &out,
                     std::vector<std::string> &skipped,
                     const CallbackEnv &env) {
  for (const CallbackSpec &spec : specs) {
    std::unique_ptr<Callback> cb;
    Status s = Status::success();
    if (spec.name == "EarlyStopping")
      s = EarlyStopping::make(spec, cb);
    else if (spec.name == "ReduceLROnPlateau")
      s = ReduceLROnPlateau::make(spec, cb);
    else if (spec.name == "CSVLogger")
      s = detail::makeCsvLogger(spec, cb);
    else if (spec.name == "TensorBoard")
      s = makeTensorBoardCallback(spec, cb, env.logDir);
    else if (spec.name == "ModelCheckpoint" && env.saveModel)
      s = detail::makeModelCheckpoint(spec, env, cb);
    else
      skipped.push_back(spec.name);
    if (s.failed())
      return s;
    if (cb && !env.writesFiles &&
        (spec.name == "CSVLogger" || spec.name == "TensorBoard"))
      cb = std::make_unique<WritesNothing>(std::move(cb));
    if (cb)
      out.push_back(std::move(cb));
  }
  return Status::success();
}

} // namespace mnistc::rt

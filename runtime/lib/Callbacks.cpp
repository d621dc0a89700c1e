//===- Callbacks.cpp - Keras's EarlyStopping and ReduceLROnPlateau --------===//
//
// The callbacks of callbacks.h, each a transcription of its section of
// KERAS_SEMANTICS.md (§13 EarlyStopping, §14 ReduceLROnPlateau, §16
// CSVLogger), and the small JSON reader for the array the model.so
// carries.
//
//===----------------------------------------------------------------------===//
#include "mnistc/callbacks.h"

#include "FileIO.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>

namespace mnistc::rt {
namespace {

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
    return Status::error("the model's callbacks are not readable JSON: " +
                         what + " at character " + std::to_string(pos_ + 1));
  }

  const std::string &s_;
  size_t pos_ = 0;
};

//===----------------------------------------------------------------------===//
// Arguments
//===----------------------------------------------------------------------===//

class Args {
public:
  explicit Args(const CallbackSpec &spec) : spec_(spec) {}

  std::string str(const std::string &key, const std::string &fallback) {
    auto it = spec_.args.find(key);
    return it == spec_.args.end() ? fallback : it->second;
  }
  double num(const std::string &key, double fallback) {
    auto it = spec_.args.find(key);
    if (it == spec_.args.end())
      return fallback;
    char *end = nullptr;
    double v = std::strtod(it->second.c_str(), &end);
    if (end == it->second.c_str() || *end || !std::isfinite(v))
      error_ = spec_.name + "(" + key + "=" + it->second + "): not a number";
    return v;
  }
  bool flag(const std::string &key, bool fallback) {
    std::string v = str(key, fallback ? "true" : "false");
    if (v != "true" && v != "false")
      error_ = spec_.name + "(" + key + "=" + v + "): not True or False";
    return v == "true";
  }
  /// mode "auto": higher is better for accuracy metrics, lower otherwise.
  bool higherIsBetter(const std::string &monitor) {
    std::string mode = str("mode", "auto");
    if (mode != "auto" && mode != "min" && mode != "max")
      error_ = spec_.name + "(mode=" + mode + "): use auto, min or max";
    return mode == "max" ||
           (mode == "auto" && monitor.find("acc") != std::string::npos);
  }
  Status status() const {
    return error_.empty() ? Status::success() : Status::error(error_);
  }

private:
  const CallbackSpec &spec_;
  std::string error_;
};

/// The value of `monitor` in the epoch's logs, if it has one.
std::optional<double> monitored(const EpochLogs &logs,
                                const std::string &monitor) {
  if (monitor == "loss")
    return logs.train.loss;
  if (monitor == "accuracy")
    return logs.train.accuracy;
  if (logs.hasValidation && monitor == "val_loss")
    return logs.validation.loss;
  if (logs.hasValidation && monitor == "val_accuracy")
    return logs.validation.accuracy;
  return std::nullopt;
}

/// §13: improved(c, r) is true when r is unset, else c + |δ| < r (min)
/// or c − |δ| > r (max).
struct Improvement {
  bool higher;
  double delta;
  bool operator()(double c, std::optional<double> r) const {
    if (!r)
      return true;
    return higher ? c - delta > *r : c + delta < *r;
  }
};

std::string epochText(const EpochLogs &logs) {
  return "Epoch " + std::to_string(logs.epoch + 1) + ": ";
}

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

private:
  std::string monitor_;
  Improvement improved_{false, 0};
  double factor_ = 0.1, minLr_ = 0;
  int patience_ = 10, cooldown_ = 0, wait_ = 0, cooldownCounter_ = 0;
  std::optional<double> best_;
};

//===----------------------------------------------------------------------===//
// CSVLogger (§16)
//===----------------------------------------------------------------------===//

/// Python's str() of a float: the shortest digits that read back to the
/// same double, in fixed notation for exponents -4..15, else d.ddde±XX.
std::string pythonFloat(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  char buf[64];
  auto end = std::to_chars(buf, buf + sizeof buf, v,
                           std::chars_format::scientific)
                 .ptr;
  std::string s(buf, end);
  size_t e = s.find('e');
  int exp = std::stoi(s.substr(e + 1));
  std::string sign = s[0] == '-' ? "-" : "";
  std::string digits;
  for (char c : s.substr(sign.size(), e - sign.size()))
    if (c != '.')
      digits += c;
  if (exp >= -4 && exp < 16) {
    if (exp < 0)
      return sign + "0." + std::string(size_t(-exp - 1), '0') + digits;
    if (digits.size() <= size_t(exp) + 1)
      return sign + digits + std::string(exp + 1 - digits.size(), '0') + ".0";
    return sign + digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
  }
  std::string mantissa =
      digits.size() > 1 ? digits.substr(0, 1) + "." + digits.substr(1) : digits;
  std::string e2 = std::to_string(std::abs(exp));
  return sign + mantissa + (exp < 0 ? "e-" : "e+") +
         (e2.size() < 2 ? "0" : "") + e2;
}

class CsvLogger : public Callback {
public:
  static Status make(const CallbackSpec &spec, std::unique_ptr<Callback> &out) {
    auto cb = std::make_unique<CsvLogger>();
    Args a(spec);
    cb->path_ = a.str("filename", "");
    cb->separator_ = a.str("separator", ",");
    cb->append_ = a.flag("append", false);
    if (a.status().failed())
      return a.status();
    if (cb->path_.empty())
      return Status::error("CSVLogger needs a filename");
    out = std::move(cb);
    return Status::success();
  }

  Status onEpochEnd(EpochLogs &logs, Weights, float &,
                    std::vector<std::string> &, bool &) override {
    // Keras's logs are float32 values, widened to double for printing.
    std::map<std::string, double> values{{"loss", float(logs.train.loss)},
                                         {"accuracy",
                                          float(logs.train.accuracy)}};
    if (logs.hasValidation) {
      values["val_loss"] = float(logs.validation.loss);
      values["val_accuracy"] = float(logs.validation.accuracy);
    }
    if (logs.learningRate)
      values["learning_rate"] = float(*logs.learningRate);
    if (keys_.empty()) {
      for (const auto &kv : values) // std::map: sorted, as Keras sorts
        keys_.push_back(kv.first);
      bool hasVal = false;
      for (const std::string &k : keys_)
        hasVal |= k.rfind("val_", 0) == 0;
      if (!hasVal)
        for (size_t i = 0, n = keys_.size(); i < n; ++i)
          keys_.push_back("val_" + keys_[i]);
      if (Status s = begin(); s.failed())
        return s;
    }
    text_ += std::to_string(logs.epoch);
    for (const std::string &k : keys_) {
      auto it = values.find(k);
      text_ += separator_ + (it == values.end() ? "NA" : pythonFloat(it->second));
    }
    text_ += "\r\n";
    return detail::writeFileAtomic(path_, {{text_.data(), text_.size()}});
  }

private:
  /// The file's text before the first row: with append, what the file
  /// held (and a header only if it held nothing); else the header.
  Status begin() {
    if (append_) {
      detail::InputFile in;
      if (!in.open(path_).failed()) {
        char buf[4096];
        size_t got = 0;
        do {
          if (Status s = in.read(buf, sizeof buf, got); s.failed())
            return s;
          text_.append(buf, got);
        } while (got == sizeof buf);
      }
    }
    if (!text_.empty())
      return Status::success();
    text_ = "epoch";
    for (const std::string &k : keys_)
      text_ += separator_ + k;
    text_ += "\r\n";
    return Status::success();
  }

  std::string path_, separator_, text_;
  bool append_ = false;
  std::vector<std::string> keys_;
};

} // namespace

Status parseCallbacks(const std::string &json,
                      std::vector<CallbackSpec> &out) {
  return JsonReader(json).read(out);
}

Status makeCallbacks(const std::vector<CallbackSpec> &specs,
                     std::vector<std::unique_ptr<Callback>> &out,
                     std::vector<std::string> &skipped) {
  for (const CallbackSpec &spec : specs) {
    std::unique_ptr<Callback> cb;
    Status s = Status::success();
    if (spec.name == "EarlyStopping")
      s = EarlyStopping::make(spec, cb);
    else if (spec.name == "ReduceLROnPlateau")
      s = ReduceLROnPlateau::make(spec, cb);
    else if (spec.name == "CSVLogger")
      s = CsvLogger::make(spec, cb);
    else
      skipped.push_back(spec.name);
    if (s.failed())
      return s;
    if (cb)
      out.push_back(std::move(cb));
  }
  return Status::success();
}

} // namespace mnistc::rt

//===- CallbackSupport.h - What the callbacks share -----------------------===//
//
// The pieces every Keras callback of the runtime uses: reading its
// arguments (the DSL's values as JSON text) with errors that name the
// callback and the argument, the monitored value of an epoch's logs, Keras's
// improvement test (§13), the "Epoch N: " prefix of their messages, and
// the factories of the callbacks that live in their own files. Internal to
// libmnistrt.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_LIB_CALLBACKSUPPORT_H
#define MNISTC_RUNTIME_LIB_CALLBACKSUPPORT_H

#include "mnistc/callbacks.h"

#include "Bytes.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace mnistc::rt::detail {

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
inline std::optional<double> monitored(const EpochLogs &logs,
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

inline std::string epochText(const EpochLogs &logs) {
  return "Epoch " + std::to_string(logs.epoch + 1) + ": ";
}

/// The epoch's logs as Keras's callbacks see them: loss, accuracy, the
/// val_ entries with validation, learning_rate once a callback set it;
/// float32 values (as Keras logs them) widened to double. std::map keeps
/// the keys sorted, as Keras sorts them.
inline std::map<std::string, double> kerasLogs(const EpochLogs &logs) {
  std::map<std::string, double> v{{"loss", float(logs.train.loss)},
                                  {"accuracy", float(logs.train.accuracy)}};
  if (logs.hasValidation) {
    v["val_loss"] = float(logs.validation.loss);
    v["val_accuracy"] = float(logs.validation.accuracy);
  }
  if (logs.learningRate)
    v["learning_rate"] = float(*logs.learningRate);
  return v;
}

/// A best-so-far value in a callback's saved state.
inline void putOptional(ByteWriter &w, const std::optional<double> &v) {
  w.put<uint8_t>(v.has_value());
  w.put<double>(v.value_or(0.0));
}
inline std::optional<double> getOptional(ByteReader &r) {
  bool has = r.get<uint8_t>() != 0;
  double v = r.get<double>();
  return has ? std::optional<double>(v) : std::nullopt;
}

/// The end of loadState: all of the state read, nothing left over.
inline Status stateRead(const ByteReader &r, const std::string &callback) {
  return r.done() ? Status::success()
                  : Status::error("the checkpoint's " + callback +
                                  " state is damaged or belongs to another "
                                  "callback list");
}

/// CSVLogger (CsvLogger.cpp), ModelCheckpoint (ModelCheckpoint.cpp) and
/// TensorBoard (TensorBoard.cpp).
Status makeCsvLogger(const CallbackSpec &spec, std::unique_ptr<Callback> &out);
Status makeModelCheckpoint(const CallbackSpec &spec, const CallbackEnv &env,
                           std::unique_ptr<Callback> &out);

} // namespace mnistc::rt::detail

#endif // MNISTC_RUNTIME_LIB_CALLBACKSUPPORT_H

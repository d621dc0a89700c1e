//===- CsvLogger.cpp - Keras's CSVLogger -----------------------------------===//
//
// KERAS_SEMANTICS.md §16: one row per epoch, the header the sorted keys of
// the first epoch's logs (val_ columns added as NA when there is no
// validation), Python's float text, CRLF line ends. The whole file is
// rewritten atomically after each epoch, so it is never half a row; its
// text is the callback's state, so a resumed run goes on with the same
// file.
//
//===----------------------------------------------------------------------===//
#include "CallbackSupport.h"
#include "Bytes.h"
#include "FileIO.h"
#include "PythonFloat.h"

#include <filesystem>
#include <map>

namespace mnistc::rt::detail {
namespace {

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
    std::map<std::string, double> values = kerasLogs(logs);
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

  std::string saveState() const override {
    ByteWriter w;
    w.putString(text_);
    w.put<uint32_t>(static_cast<uint32_t>(keys_.size()));
    for (const std::string &k : keys_)
      w.putString(k);
    return w.take();
  }
  Status loadState(const std::string &state) override {
    ByteReader r(state);
    text_ = r.getString();
    keys_.clear();
    for (uint32_t i = 0, n = r.get<uint32_t>(); i < n && r.ok(); ++i)
      keys_.push_back(r.getString());
    return stateRead(r, "CSVLogger");
  }

private:
  /// The file's text before the first row: with append, what the file
  /// held (and a header only if it held nothing); else the header.
  Status begin() {
    if (append_ && std::filesystem::exists(path_))
      if (Status s = readWholeFile(path_, text_); s.failed())
        return s;
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

Status makeCsvLogger(const CallbackSpec &spec, std::unique_ptr<Callback> &out) {
  return CsvLogger::make(spec, out);
}

} // namespace mnistc::rt::detail

//===- status.h - The runtime's error value -------------------------------===//
//
// Every runtime function that can fail on input (a file, a flag, a model)
// returns a Status: success, or one message written for the person at the
// keyboard. A message names the thing at fault (usually a file path), says
// what is wrong, what was expected and, where possible, what to do, e.g.
//
//   data/mnist/train-images-idx3-ubyte: truncated: header says 60000 images
//   of 28x28 (47040016 bytes), file has 1000 bytes; run `make setup` to
//   fetch MNIST again
//
// Library code never prints and never exits; only tools turn a failed Status
// into a line on stderr and an exit code. No exceptions cross this API.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_STATUS_H
#define MNISTC_RUNTIME_STATUS_H

#include <string>
#include <utility>

namespace mnistc::rt {

class [[nodiscard]] Status {
public:
  /// Success.
  Status() = default;
  static Status success() { return Status(); }
  /// A failure carrying `message` (must not be empty).
  static Status error(std::string message) {
    Status s;
    s.failed_ = true;
    s.message_ = message.empty() ? "unknown error" : std::move(message);
    return s;
  }

  bool ok() const { return !failed_; }
  bool failed() const { return failed_; }
  /// The message of a failure; empty on success.
  const std::string &message() const { return message_; }

private:
  bool failed_ = false;
  std::string message_;
};

} // namespace mnistc::rt

#endif

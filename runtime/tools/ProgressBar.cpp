//===- ProgressBar.cpp - Keras's live progress bar for fit -----------------===//
//
// The drawing of ProgressBar.h: "\r", the line, and an erase to the end of
// the line so a shorter line leaves nothing of a longer one behind.
//
//===----------------------------------------------------------------------===//
#include "ProgressBar.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace mnistc::tool {
namespace {

/// Keras's time text: "%ds", "%d:%02d", "%d:%02d:%02d".
std::string duration(double seconds) {
  long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%lds", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60,
                  s % 60);
  return buf;
}

/// "5ms/step", "820us/step", "2s/step".
std::string perStep(double seconds) {
  char buf[32];
  if (seconds >= 1)
    std::snprintf(buf, sizeof buf, "%.0fs/step", seconds);
  else if (seconds >= 1e-3)
    std::snprintf(buf, sizeof buf, "%.0fms/step", seconds * 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0fus/step", seconds * 1e6);
  return buf;
}

std::string imagesPerSecond(double images, double seconds) {
  char buf[48];
  std::snprintf(buf, sizeof buf, " - %.0f images/s",
                seconds > 0 ? images / seconds : 0.0);
  return buf;
}

} // namespace

void ProgressBar::draw(size_t batch, size_t batches, double seconds, bool eta,
                       const std::string &values) {
  std::string total = std::to_string(batches);
  std::string count = std::to_string(batch);
  size_t filled = batches ? 20 * batch / batches : 20;
  std::string bar;
  for (size_t i = 0; i < 20; ++i)
    bar += "\u2501";
  // Each U+2501 is 3 bytes of UTF-8.
  std::string line =
      "\r" + std::string(total.size() - std::min(total.size(), count.size()),
                         ' ') +
      "\x1b[1m" + count + "/" + total + "\x1b[0m \x1b[32m" +
      bar.substr(0, 3 * filled) + "\x1b[0m\x1b[37m" + bar.substr(3 * filled) +
      "\x1b[0m \x1b[1m";
  double step = batch ? seconds / double(batch) : 0.0;
  line += duration(eta ? step * double(batches - batch) : seconds) +
          "\x1b[0m " + perStep(step) + values + "\x1b[K";
  os_ << line << std::flush;
  drawn_ = true;
}

void ProgressBar::update(const rt::StepProgress &p) {
  auto now = std::chrono::steady_clock::now();
  if (p.epoch != epoch_) {
    interrupt();
    os_ << "Epoch " << p.epoch + 1 << "/" << p.epochs << "\n";
    epoch_ = p.epoch;
  } else if (p.batch < p.batches && now - last_ < std::chrono::milliseconds(50)) {
    return;
  }
  last_ = now;
  batches_ = p.batches;
  rt::EpochLogs running; // the epoch so far: training metrics only
  running.train.accuracy = p.accuracy;
  running.train.loss = p.loss;
  draw(p.batch, p.batches, p.seconds, p.batch < p.batches,
       rt::formatEpochMetrics(running) +
           imagesPerSecond(double(p.seen), p.seconds));
}

void ProgressBar::finish(const rt::EpochLogs &logs) {
  draw(batches_, batches_, logs.seconds, false,
       rt::formatEpochMetrics(logs) +
           imagesPerSecond(double(logs.train.samples), logs.train.seconds));
  os_ << "\n" << std::flush;
  drawn_ = false;
}

void ProgressBar::interrupt() {
  if (drawn_)
    os_ << "\n" << std::flush;
  drawn_ = false;
}

} // namespace mnistc::tool

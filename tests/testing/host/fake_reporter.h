// FakeReporter: a StatusReporter that records what the service tells the
// OS, for tests of the lifecycle mapping. Calls come from the service's
// loop thread; the test reads them from its own, so access is locked.

#ifndef JETSVC_TESTS_TESTING_HOST_FAKE_REPORTER_H_
#define JETSVC_TESTS_TESTING_HOST_FAKE_REPORTER_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "platform/host.h"

namespace jetsvc::testing {

class FakeReporter : public platform::StatusReporter {
 public:
  struct Call {
    std::string kind;  // "starting", "ready", "status", "reloading", "stopping", "watchdog", "stopped"
    std::string text;  // the status text, or the exit code for "stopped"
    std::chrono::microseconds more_time{0};
  };

  explicit FakeReporter(std::chrono::microseconds watchdog = std::chrono::microseconds(0))
      : watchdog_(watchdog) {}

  void Starting(std::chrono::microseconds more_time, const std::string& status) override {
    Record({"starting", status, more_time});
  }
  void Ready(const std::string& status) override { Record({"ready", status, {}}); }
  void Status(const std::string& status) override { Record({"status", status, {}}); }
  void Reloading() override { Record({"reloading", "", {}}); }
  void Stopping(std::chrono::microseconds more_time, const std::string& status) override {
    Record({"stopping", status, more_time});
  }
  std::chrono::microseconds WatchdogInterval() const override { return watchdog_; }
  void WatchdogPing() override { Record({"watchdog", "", {}}); }
  void Stopped(int exit_code) override { Record({"stopped", std::to_string(exit_code), {}}); }

  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  int Count(const std::string& kind) const {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (const auto& call : calls_) n += call.kind == kind;
    return n;
  }
  // Waits until `kind` was reported at least `count` times.
  bool WaitFor(const std::string& kind, int count = 1,
               std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      int n = 0;
      for (const auto& call : calls_) n += call.kind == kind;
      return n >= count;
    });
  }
  // The kinds in order, e.g. "ready,status,stopping,stopped".
  std::string Sequence() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& call : calls_) out += (out.empty() ? "" : ",") + call.kind;
    return out;
  }

 private:
  void Record(Call call) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(std::move(call));
    cv_.notify_all();
  }

  const std::chrono::microseconds watchdog_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<Call> calls_;
};

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_TESTING_HOST_FAKE_REPORTER_H_

// The console StatusReporter: see platform/reporters.h. A foreground run
// has no service manager to tell, so each status is a log line.

#include <boost/log/trivial.hpp>

#include "platform/reporters.h"

namespace jetsvc {
namespace platform {
namespace {

class ConsoleReporter : public StatusReporter {
 public:
  void Starting(std::chrono::microseconds, const std::string& status) override {
    BOOST_LOG_TRIVIAL(info) << status;
  }
  void Ready(const std::string& status) override {
    BOOST_LOG_TRIVIAL(info) << "ready: " << status << " (Ctrl+C stops)";
  }
  void Status(const std::string& status) override { BOOST_LOG_TRIVIAL(info) << status; }
  void Reloading() override { BOOST_LOG_TRIVIAL(info) << "reloading the configuration"; }
  void Stopping(std::chrono::microseconds, const std::string& status) override {
    BOOST_LOG_TRIVIAL(info) << status;
  }
  std::chrono::microseconds WatchdogInterval() const override {
    return std::chrono::microseconds(0);
  }
  void WatchdogPing() override {}
  void Stopped(int exit_code) override {
    BOOST_LOG_TRIVIAL(info) << "stopped, exit code " << exit_code;
  }
};

}  // namespace

std::unique_ptr<StatusReporter> CreateConsoleReporter() {
  return std::make_unique<ConsoleReporter>();
}

}  // namespace platform
}  // namespace jetsvc

// The systemd StatusReporter: sd_notify(3) messages plus a log line.
//
// libsystemd's sd_notify is used rather than a hand-written sender: it is
// already a dependency (sdbus-c++ is built on sd-bus) and handles abstract
// sockets and credentials. Messages (sd_notify(3), os-lifecycle §3):
//   Starting  -> EXTEND_TIMEOUT_USEC=<n> + STATUS=
//   Ready     -> READY=1 + STATUS=
//   Reloading -> RELOADING=1 + MONOTONIC_USEC= (systemd >= 253 wants it)
//   Stopping  -> STOPPING=1 on the first call, then EXTEND_TIMEOUT_USEC=
//   Watchdog  -> WATCHDOG=1
// STOPPING=1 is sent only by Stopping(), i.e. on the way out: sent during
// a prepare it would make systemd skip ExecStop= and the SIGTERM.

#include <systemd/sd-daemon.h>
#include <time.h>

#include <boost/log/trivial.hpp>
#include <cstdint>
#include <string>

#include "platform/reporters.h"

namespace jetsvc {
namespace platform {
namespace {

class SystemdReporter : public StatusReporter {
 public:
  SystemdReporter() {
    uint64_t usec = 0;
    // unset_environment=0: children (none) would see it; the value stays
    // readable for tests that print it.
    if (sd_watchdog_enabled(0, &usec) > 0) watchdog_ = std::chrono::microseconds(usec);
  }

  void Starting(std::chrono::microseconds more_time, const std::string& status) override {
    BOOST_LOG_TRIVIAL(info) << status;
    Notify("EXTEND_TIMEOUT_USEC=" + std::to_string(more_time.count()) + "\nSTATUS=" + status);
  }

  void Ready(const std::string& status) override {
    BOOST_LOG_TRIVIAL(info) << "ready: " << status;
    Notify("READY=1\nSTATUS=" + status);
  }

  void Status(const std::string& status) override {
    BOOST_LOG_TRIVIAL(info) << status;
    Notify("STATUS=" + status);
  }

  void Reloading() override {
    BOOST_LOG_TRIVIAL(info) << "reloading the configuration";
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    const uint64_t usec = static_cast<uint64_t>(now.tv_sec) * 1000000u +
                          static_cast<uint64_t>(now.tv_nsec) / 1000u;
    Notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) + "\nSTATUS=reloading");
  }

  void Stopping(std::chrono::microseconds more_time, const std::string& status) override {
    BOOST_LOG_TRIVIAL(info) << status;
    std::string message;
    if (!stopping_sent_) {
      message = "STOPPING=1\n";
      stopping_sent_ = true;
    }
    message += "EXTEND_TIMEOUT_USEC=" + std::to_string(more_time.count()) + "\nSTATUS=" + status;
    Notify(message);
  }

  std::chrono::microseconds WatchdogInterval() const override { return watchdog_; }

  void WatchdogPing() override { Notify("WATCHDOG=1"); }

  void Stopped(int exit_code) override {
    BOOST_LOG_TRIVIAL(info) << "stopped, exit code " << exit_code;
  }

 private:
  static void Notify(const std::string& message) {
    const int rc = sd_notify(0, message.c_str());
    if (rc < 0) {
      BOOST_LOG_TRIVIAL(warning) << "sd_notify failed (" << rc << "), ignoring";
    }
  }

  std::chrono::microseconds watchdog_{0};
  bool stopping_sent_ = false;
};

}  // namespace

std::unique_ptr<StatusReporter> CreateDefaultReporter() {
  return std::make_unique<SystemdReporter>();
}

}  // namespace platform
}  // namespace jetsvc

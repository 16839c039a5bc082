// FakeLogindProcess: runs tests/tools/fake_logind (a stand-in for
// systemd-logind, see that file) on a test bus, and drives it through its
// test interface org.jetsvc.test.FakeLogind and the logind Manager calls a
// test wants to check (ListInhibitors, InhibitDelayMaxUSec).
//
//   PrivateBus bus;  ASSERT_TRUE(bus.Start(&error)) << error;
//   FakeLogindProcess logind;
//   ASSERT_TRUE(logind.Start(bus.address(), {}, &error)) << error;
//   ... start the code under test with DBUS_SYSTEM_BUS_ADDRESS=bus.address()
//   ASSERT_TRUE(logind.WaitLockHeld(5s));
//   logind.EmitPrepareForShutdown(true);
//   EXPECT_TRUE(logind.WaitLocksReleased(5s));
//
// The calls report a failed D-Bus call as a gtest failure (ADD_FAILURE,
// naming the call and the D-Bus error) and return false / empty, so a test
// needs no try/catch.
//
// Thread contract: not thread-safe; one thread starts, drives and destroys
// it. The fake itself is a separate process and answers concurrently.

#ifndef JETSVC_TESTS_TESTING_HOST_FAKE_LOGIND_PROCESS_H_
#define JETSVC_TESTS_TESTING_HOST_FAKE_LOGIND_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sdbus {
class IProxy;
}  // namespace sdbus

namespace jetsvc::testing {

class FakeLogindProcess {
 public:
  struct Options {
    // logind's InhibitDelayMaxUSec. Default: 5 s, as logind.
    std::chrono::microseconds delay_max{5000000};
    // Answer Inhibit with org.freedesktop.DBus.Error.AccessDenied.
    bool deny_inhibit = false;
  };
  struct Inhibitor {  // a row of ListInhibitors
    std::string what, who, why, mode;
    uint32_t uid = 0, pid = 0;
  };
  struct LockCounts {
    uint32_t held = 0;         // delay locks open now
    uint32_t total_taken = 0;  // delay locks ever handed out
  };

  FakeLogindProcess();
  FakeLogindProcess(const FakeLogindProcess&) = delete;
  FakeLogindProcess& operator=(const FakeLogindProcess&) = delete;
  // Kills the fake if it runs.
  ~FakeLogindProcess();

  // Starts the fake on the bus at `bus_address` and returns once it owns
  // org.freedesktop.login1; false and *error if it does not get there
  // within 10 s. REQUIRES: not started.
  bool Start(const std::string& bus_address, const Options& options, std::string* error);
  // SIGTERM, then SIGKILL after 5 s; reaps it. Returns the exit status
  // (as waitpid), or -1 if it was not running.
  int Stop();
  pid_t pid() const { return pid_; }

  // The control interface. REQUIRES: started.
  bool EmitPrepareForShutdown(bool start);
  bool EmitPrepareForSleep(bool start);
  // True once no delay lock is held; false at the timeout (held: how many).
  bool WaitLocksReleased(std::chrono::milliseconds timeout, uint32_t* held = nullptr);
  // True once a delay lock is held.
  bool WaitLockHeld(std::chrono::milliseconds timeout);
  LockCounts LockCount();
  // logind's poweroff: PrepareForShutdown(true), wait for the delay locks
  // (at most the delay max), then with `cancel` PrepareForShutdown(false).
  // Returns how long the wait took (>= the delay max: not released), or
  // nullopt if the call failed.
  std::optional<std::chrono::microseconds> PowerOff(bool cancel);
  bool SetDenyInhibit(bool deny);
  // The Manager side, as a client of logind sees it.
  std::vector<Inhibitor> ListInhibitors();
  std::optional<uint64_t> InhibitDelayMaxUSec();

 private:
  // Runs `body` on the proxy; false (and a gtest failure naming `call`)
  // if not started or the D-Bus call fails.
  bool Call(const char* call, const std::function<void(sdbus::IProxy&)>& body);

  pid_t pid_ = -1;
  std::unique_ptr<sdbus::IProxy> proxy_;  // on its own connection to the bus
};

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_TESTING_HOST_FAKE_LOGIND_PROCESS_H_

// PrivateBus: a dbus-daemon of the test's own, with a policy that lets
// anyone own any name (tests/testing/host/test-bus.conf). Its address goes
// into DBUS_SYSTEM_BUS_ADDRESS / DBUS_SESSION_BUS_ADDRESS of the processes
// a test starts, so the daemon, jetctl and the fake logind meet on it.
//
// Thread contract: not thread-safe; create and destroy on one thread.

#ifndef JETSVC_TESTS_TESTING_HOST_PRIVATE_BUS_H_
#define JETSVC_TESTS_TESTING_HOST_PRIVATE_BUS_H_

#include <sys/types.h>

#include <string>

namespace jetsvc::testing {

class PrivateBus {
 public:
  PrivateBus() = default;
  PrivateBus(const PrivateBus&) = delete;
  PrivateBus& operator=(const PrivateBus&) = delete;
  // Kills the daemon if it runs.
  ~PrivateBus();

  // Starts dbus-daemon; false (and *error) if it cannot.
  bool Start(std::string* error);
  // "unix:path=/tmp/dbus-XXXX,guid=..."
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }
  void Kill();

 private:
  std::string address_;
  pid_t pid_ = -1;
};

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_TESTING_HOST_PRIVATE_BUS_H_

// PrivateBus: see private_bus.h.

#include "tests/testing/host/private_bus.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace jetsvc::testing {

PrivateBus::~PrivateBus() { Kill(); }

bool PrivateBus::Start(std::string* error) {
  int fds[2];
  if (::pipe(fds) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  const std::string config =
      std::string("--config-file=") + JETSVC_TEST_SOURCE_DIR + "/tests/testing/host/test-bus.conf";
  const pid_t pid = ::fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  if (pid == 0) {
    // Child: a dbus-daemon that stays our child (--nofork), so the test
    // can reap it, and prints its address on the pipe once it listens.
    ::close(fds[0]);
    const std::string print = "--print-address=" + std::to_string(fds[1]);
    ::execlp("dbus-daemon", "dbus-daemon", config.c_str(), "--nofork", "--nosyslog",
             print.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  pid_ = pid;
  std::string line;
  char c;
  ssize_t n;
  while ((n = ::read(fds[0], &c, 1)) == 1 && c != '\n') line.push_back(c);
  ::close(fds[0]);
  if (line.rfind("unix:", 0) != 0) {
    *error = "dbus-daemon did not start (is the dbus package installed?)";
    Kill();
    return false;
  }
  address_ = line;
  return true;
}

void PrivateBus::Kill() {
  if (pid_ <= 0) return;
  (void)::kill(pid_, SIGTERM);
  int status = 0;
  (void)::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace jetsvc::testing

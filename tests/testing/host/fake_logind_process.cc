// FakeLogindProcess: see fake_logind_process.h.

#include "tests/testing/host/fake_logind_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <tuple>

#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>

namespace jetsvc::testing {

namespace {

const char kService[] = "org.freedesktop.login1";
const char kPath[] = "/org/freedesktop/login1";
const char kManager[] = "org.freedesktop.login1.Manager";
const char kControl[] = "org.jetsvc.test.FakeLogind";
// The fd number the fake's --ready-fd gets in the child.
constexpr int kReadyFd = 3;
// Headroom over a wait method's own timeout for the call's timeout.
constexpr std::chrono::seconds kCallSlack{10};

// Waits up to `timeout` for `pid` to exit; its status, or -1.
int WaitExit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

FakeLogindProcess::FakeLogindProcess() = default;

bool FakeLogindProcess::Call(const char* call, const std::function<void(sdbus::IProxy&)>& body) {
  if (proxy_ == nullptr) {
    ADD_FAILURE() << "fake logind " << call << " called before a successful Start()";
    return false;
  }
  try {
    body(*proxy_);
    return true;
  } catch (const sdbus::Error& e) {
    ADD_FAILURE() << "fake logind " << call << " failed: " << e.getName() << ": " << e.getMessage();
    return false;
  }
}

FakeLogindProcess::~FakeLogindProcess() { Stop(); }

bool FakeLogindProcess::Start(const std::string& bus_address, const Options& options,
                              std::string* error) {
  if (pid_ > 0) {
    *error = "fake logind already started";
    return false;
  }
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  // Everything the child needs is built before fork (only async-signal-
  // safe calls are allowed in a child of a threaded process).
  const std::string binary = std::string(JETSVC_TEST_BINARY_DIR) + "/tests/tools/fake_logind";
  std::vector<std::string> args = {binary,
                                   "--address",
                                   bus_address,
                                   "--delay-max-usec",
                                   std::to_string(options.delay_max.count()),
                                   "--ready-fd",
                                   std::to_string(kReadyFd)};
  if (options.deny_inhibit) args.push_back("--deny-inhibit");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    ::close(ready[0]);
    ::close(ready[1]);
    return false;
  }
  if (pid == 0) {
    // Do not outlive a test that crashes.
    (void)::prctl(PR_SET_PDEATHSIG, SIGTERM);
    // dup2 clears close-on-exec on the copy; the same fd needs fcntl.
    if (ready[1] == kReadyFd) {
      (void)::fcntl(kReadyFd, F_SETFD, 0);
    } else if (::dup2(ready[1], kReadyFd) < 0) {
      ::_exit(126);
    }
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(ready[1]);
  pid_ = pid;

  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd fd{ready[0], POLLIN, 0};
    const int r = ::poll(&fd, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    char buffer[64];
    const ssize_t n = ::read(ready[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    line.append(buffer, static_cast<size_t>(n));
  }
  ::close(ready[0]);
  if (line != "ready\n") {
    const int status = WaitExit(pid_, std::chrono::milliseconds(100));
    *error = status >= 0 ? binary + " exited before it was ready (status " +
                               std::to_string(status) + "; exit code 127: not built?)"
                         : binary + " did not become ready within 10 s";
    if (status >= 0) pid_ = -1;
    Stop();
    return false;
  }

  try {
    proxy_ = sdbus::createProxy(sdbus::createSessionBusConnectionWithAddress(bus_address),
                                kService, kPath);
  } catch (const sdbus::Error& e) {
    *error = "cannot connect to the test bus: " + e.getName() + ": " + e.getMessage();
    Stop();
    return false;
  }
  return true;
}

int FakeLogindProcess::Stop() {
  proxy_.reset();
  if (pid_ <= 0) return -1;
  (void)::kill(pid_, SIGTERM);
  int status = WaitExit(pid_, std::chrono::seconds(5));
  if (status < 0) {
    (void)::kill(pid_, SIGKILL);
    (void)::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  return status;
}

bool FakeLogindProcess::EmitPrepareForShutdown(bool start) {
  return Call("EmitPrepareForShutdown", [&](sdbus::IProxy& proxy) {
    proxy.callMethod("EmitPrepareForShutdown").onInterface(kControl).withArguments(start);
  });
}

bool FakeLogindProcess::EmitPrepareForSleep(bool start) {
  return Call("EmitPrepareForSleep", [&](sdbus::IProxy& proxy) {
    proxy.callMethod("EmitPrepareForSleep").onInterface(kControl).withArguments(start);
  });
}

bool FakeLogindProcess::WaitLocksReleased(std::chrono::milliseconds timeout, uint32_t* held) {
  bool all_released = false;
  uint32_t held_count = 0;
  const bool called = Call("WaitLocksReleased", [&](sdbus::IProxy& proxy) {
    proxy.callMethod("WaitLocksReleased")
        .onInterface(kControl)
        .withTimeout(timeout + kCallSlack)
        .withArguments(static_cast<uint32_t>(timeout.count()))
        .storeResultsTo(all_released, held_count);
  });
  if (called && held != nullptr) *held = held_count;
  return called && all_released;
}

bool FakeLogindProcess::WaitLockHeld(std::chrono::milliseconds timeout) {
  bool held = false;
  const bool called = Call("WaitLockHeld", [&](sdbus::IProxy& proxy) {
    proxy.callMethod("WaitLockHeld")
        .onInterface(kControl)
        .withTimeout(timeout + kCallSlack)
        .withArguments(static_cast<uint32_t>(timeout.count()))
        .storeResultsTo(held);
  });
  return called && held;
}

FakeLogindProcess::LockCounts FakeLogindProcess::LockCount() {
  LockCounts counts;
  const bool called = Call("LockCount", [&](sdbus::IProxy& proxy) {
    proxy.callMethod("LockCount").onInterface(kControl).storeResultsTo(counts.held,
                                                                         counts.total_taken);
  });
  return called ? counts : LockCounts();
}

std::optional<std::chrono::microseconds> FakeLogindProcess::PowerOff(bool cancel) {
  const std::optional<uint64_t> delay_max = InhibitDelayMaxUSec();
  if (!delay_max.has_value()) return std::nullopt;
  uint64_t usec = 0;
  const bool called = Call("PowerOff", [&](sdbus::IProxy& proxy) {
    proxy.callMethod("PowerOff")
        .onInterface(kControl)
        .withTimeout(std::chrono::microseconds(*delay_max) + kCallSlack)
        .withArguments(cancel)
        .storeResultsTo(usec);
  });
  if (!called) return std::nullopt;
  return std::chrono::microseconds(usec);
}

bool FakeLogindProcess::SetDenyInhibit(bool deny) {
  return Call("SetDenyInhibit", [&](sdbus::IProxy& proxy) {
    proxy.callMethod("SetDenyInhibit").onInterface(kControl).withArguments(deny);
  });
}

std::vector<FakeLogindProcess::Inhibitor> FakeLogindProcess::ListInhibitors() {
  std::vector<sdbus::Struct<std::string, std::string, std::string, std::string, uint32_t, uint32_t>>
      rows;
  const bool called = Call("ListInhibitors", [&](sdbus::IProxy& proxy) {
    proxy.callMethod("ListInhibitors").onInterface(kManager).storeResultsTo(rows);
  });
  std::vector<Inhibitor> inhibitors;
  if (!called) return inhibitors;
  for (const auto& row : rows) {
    Inhibitor inhibitor;
    std::tie(inhibitor.what, inhibitor.who, inhibitor.why, inhibitor.mode, inhibitor.uid,
             inhibitor.pid) = row;
    inhibitors.push_back(std::move(inhibitor));
  }
  return inhibitors;
}

std::optional<uint64_t> FakeLogindProcess::InhibitDelayMaxUSec() {
  uint64_t usec = 0;
  const bool called = Call("InhibitDelayMaxUSec", [&](sdbus::IProxy& proxy) {
    usec = proxy.getProperty("InhibitDelayMaxUSec").onInterface(kManager).get<uint64_t>();
  });
  if (!called) return std::nullopt;
  return usec;
}

}  // namespace jetsvc::testing

// fake_logind: a stand-in for systemd-logind on a test bus. It owns
// org.freedesktop.login1 and serves the part of
// org.freedesktop.login1.Manager that jetsvc uses, plus a control interface
// for tests (org.jetsvc.test.FakeLogind) on the same object.
//
//   fake_logind --address BUS_ADDRESS [--delay-max-usec N] [--ready-fd FD]
//               [--deny-inhibit]
//
// Manager (as logind(8) / org.freedesktop.login1(5)):
//   Inhibit(s what, s who, s why, s mode) -> h   the write end of a pipe; the
//       lock is released when every copy of it is closed (the read end we
//       keep sees POLLHUP). --deny-inhibit answers AccessDenied instead.
//   ListInhibitors() -> a(ssssuu)                 held locks: what, who, why,
//       mode, uid, pid
//   property InhibitDelayMaxUSec t                --delay-max-usec (5 s)
//   signals PrepareForShutdown(b), PrepareForSleep(b)
// Control (org.jetsvc.test.FakeLogind):
//   EmitPrepareForShutdown(b), EmitPrepareForSleep(b)
//   WaitLocksReleased(u timeout_ms) -> (b all_released, u held)   no delay lock held
//   WaitLockHeld(u timeout_ms) -> (b held)                         a delay lock held
//   LockCount() -> (u held, u total_taken)                         delay locks
//   PowerOff(b cancel) -> (t usec): emits PrepareForShutdown(true), waits
//       until no delay lock is held or InhibitDelayMaxUSec passed (as logind
//       does), answers the time waited (>= the delay max: timed out); with
//       cancel, emits PrepareForShutdown(false) before answering.
//   SetDenyInhibit(b)                                              as --deny-inhibit
//
// One thread: a poll() loop over the bus, the locks' read ends and a
// signalfd for SIGTERM/SIGINT (exit 0). The wait methods are asynchronous
// and answered from the loop, so they never block it. When the name is
// owned, "ready\n" goes to --ready-fd. Exits 1 if the bus goes away.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <list>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <sdbus-c++/sdbus-c++.h>

namespace {

using Clock = std::chrono::steady_clock;

const char kService[] = "org.freedesktop.login1";
const char kPath[] = "/org/freedesktop/login1";
const char kManager[] = "org.freedesktop.login1.Manager";
const char kControl[] = "org.jetsvc.test.FakeLogind";
const char kInvalidArgs[] = "org.freedesktop.DBus.Error.InvalidArgs";

using InhibitorRow =
    sdbus::Struct<std::string, std::string, std::string, std::string, uint32_t, uint32_t>;

void Log(const std::string& line) { std::cerr << "fake_logind: " << line << std::endl; }

struct Lock {
  uint32_t id = 0;
  std::string what, who, why, mode;
  uint32_t uid = 0, pid = 0;
  int read_fd = -1;  // -1 once released
};

// A pending asynchronous call: `finish(expired)` answers it and returns
// true when done (it must answer when `expired`).
struct Waiter {
  Clock::time_point deadline;
  std::function<bool(bool expired)> finish;
};

class FakeLogind {
 public:
  FakeLogind(sdbus::IConnection& connection, uint64_t delay_max_usec, bool deny_inhibit)
      : connection_(connection), delay_max_usec_(delay_max_usec), deny_inhibit_(deny_inhibit) {
    object_ = sdbus::createObject(connection_, kPath);
    Register();
  }
  ~FakeLogind() {
    object_->unregister();
    for (Lock& lock : locks_) CloseReadEnd(lock);
  }

  // Returns the exit code: 0 after SIGTERM/SIGINT, 1 if the bus failed.
  int Run(int signal_fd);

 private:
  void Register();

  sdbus::UnixFd Inhibit(const std::string& what, const std::string& who, const std::string& why,
                        const std::string& mode);
  std::vector<InhibitorRow> ListInhibitors() const;
  void Emit(const char* signal, bool start) {
    Log(std::string("emit ") + signal + "(" + (start ? "true" : "false") + ")");
    object_->emitSignal(signal).onInterface(kManager).withArguments(start);
  }
  uint32_t HeldDelayLocks() const {
    return static_cast<uint32_t>(std::count_if(locks_.begin(), locks_.end(), [](const Lock& l) {
      return l.read_fd >= 0 && l.mode == "delay";
    }));
  }
  uint32_t TotalDelayLocks() const {
    return static_cast<uint32_t>(std::count_if(locks_.begin(), locks_.end(),
                                               [](const Lock& l) { return l.mode == "delay"; }));
  }
  void AddWaiter(uint32_t timeout_ms, std::function<bool(bool)> finish) {
    waiters_.push_back({Clock::now() + std::chrono::milliseconds(timeout_ms), std::move(finish)});
  }
  void CloseReadEnd(Lock& lock) {
    if (lock.read_fd < 0) return;
    ::close(lock.read_fd);
    lock.read_fd = -1;
  }
  // Answers the waiters whose condition holds or whose deadline passed.
  void ServeWaiters();

  sdbus::IConnection& connection_;
  const uint64_t delay_max_usec_;
  bool deny_inhibit_;
  std::unique_ptr<sdbus::IObject> object_;
  std::vector<Lock> locks_;
  uint32_t next_id_ = 1;
  std::list<Waiter> waiters_;
};

void FakeLogind::Register() {
  object_->registerMethod("Inhibit")
      .onInterface(kManager)
      .withInputParamNames("what", "who", "why", "mode")
      .withOutputParamNames("fd")
      .implementedAs([this](const std::string& what, const std::string& who,
                            const std::string& why, const std::string& mode) {
        return Inhibit(what, who, why, mode);
      });
  object_->registerMethod("ListInhibitors")
      .onInterface(kManager)
      .withOutputParamNames("inhibitors")
      .implementedAs([this]() { return ListInhibitors(); });
  object_->registerProperty("InhibitDelayMaxUSec").onInterface(kManager).withGetter([this]() {
    return delay_max_usec_;
  });
  object_->registerSignal("PrepareForShutdown").onInterface(kManager).withParameters<bool>("start");
  object_->registerSignal("PrepareForSleep").onInterface(kManager).withParameters<bool>("start");

  object_->registerMethod("EmitPrepareForShutdown")
      .onInterface(kControl)
      .withInputParamNames("start")
      .implementedAs([this](bool start) { Emit("PrepareForShutdown", start); });
  object_->registerMethod("EmitPrepareForSleep")
      .onInterface(kControl)
      .withInputParamNames("start")
      .implementedAs([this](bool start) { Emit("PrepareForSleep", start); });
  object_->registerMethod("WaitLocksReleased")
      .onInterface(kControl)
      .withInputParamNames("timeout_ms")
      .withOutputParamNames("all_released", "held")
      .implementedAs([this](sdbus::Result<bool, uint32_t>&& result, uint32_t timeout_ms) {
        auto shared = std::make_shared<sdbus::Result<bool, uint32_t>>(std::move(result));
        AddWaiter(timeout_ms, [this, shared](bool expired) {
          const uint32_t held = HeldDelayLocks();
          if (held != 0 && !expired) return false;
          shared->returnResults(held == 0, held);
          return true;
        });
      });
  object_->registerMethod("WaitLockHeld")
      .onInterface(kControl)
      .withInputParamNames("timeout_ms")
      .withOutputParamNames("held")
      .implementedAs([this](sdbus::Result<bool>&& result, uint32_t timeout_ms) {
        auto shared = std::make_shared<sdbus::Result<bool>>(std::move(result));
        AddWaiter(timeout_ms, [this, shared](bool expired) {
          const bool held = HeldDelayLocks() != 0;
          if (!held && !expired) return false;
          shared->returnResults(held);
          return true;
        });
      });
  object_->registerMethod("LockCount")
      .onInterface(kControl)
      .withOutputParamNames("held", "total_taken")
      .implementedAs([this]() { return std::make_tuple(HeldDelayLocks(), TotalDelayLocks()); });
  object_->registerMethod("PowerOff")
      .onInterface(kControl)
      .withInputParamNames("cancel")
      .withOutputParamNames("usec_until_released")
      .implementedAs([this](sdbus::Result<uint64_t>&& result, bool cancel) {
        auto shared = std::make_shared<sdbus::Result<uint64_t>>(std::move(result));
        const Clock::time_point start = Clock::now();
        Emit("PrepareForShutdown", true);
        const uint64_t timeout_ms = (delay_max_usec_ + 999) / 1000;
        AddWaiter(static_cast<uint32_t>(std::min<uint64_t>(timeout_ms, UINT32_MAX)),
                  [this, shared, start, cancel](bool expired) {
                    if (HeldDelayLocks() != 0 && !expired) return false;
                    const auto waited = std::chrono::duration_cast<std::chrono::microseconds>(
                        Clock::now() - start);
                    Log("power off: waited " + std::to_string(waited.count()) + " us" +
                        (expired ? " (delay max passed)" : ""));
                    if (cancel) Emit("PrepareForShutdown", false);
                    shared->returnResults(static_cast<uint64_t>(waited.count()));
                    return true;
                  });
      });
  object_->registerMethod("SetDenyInhibit")
      .onInterface(kControl)
      .withInputParamNames("deny")
      .implementedAs([this](bool deny) { deny_inhibit_ = deny; });
  object_->finishRegistration();
}

sdbus::UnixFd FakeLogind::Inhibit(const std::string& what, const std::string& who,
                                  const std::string& why, const std::string& mode) {
  static const char* const kWhats[] = {"shutdown", "sleep", "idle", "handle-power-key",
                                       "handle-suspend-key", "handle-hibernate-key",
                                       "handle-lid-switch"};
  if (what.empty()) throw sdbus::Error(kInvalidArgs, "Invalid what specification " + what);
  bool only_shutdown_sleep = true;
  std::stringstream parts(what);
  std::string part;
  while (std::getline(parts, part, ':')) {
    if (std::find_if(std::begin(kWhats), std::end(kWhats),
                     [&](const char* w) { return part == w; }) == std::end(kWhats)) {
      throw sdbus::Error(kInvalidArgs, "Invalid what specification " + what);
    }
    if (part != "shutdown" && part != "sleep") only_shutdown_sleep = false;
  }
  if (mode != "block" && mode != "delay") {
    throw sdbus::Error(kInvalidArgs, "Unknown mode " + mode);
  }
  if (mode == "delay" && !only_shutdown_sleep) {
    throw sdbus::Error(kInvalidArgs, "Delay inhibitors only supported for shutdown and sleep");
  }
  if (deny_inhibit_) throw sdbus::Error("org.freedesktop.DBus.Error.AccessDenied", "Access denied");

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw sdbus::Error("org.freedesktop.DBus.Error.Failed",
                       std::string("pipe: ") + std::strerror(errno));
  }
  Lock lock;
  lock.id = next_id_++;
  lock.what = what;
  lock.who = who;
  lock.why = why;
  lock.mode = mode;
  lock.read_fd = fds[0];
  const sdbus::Message* call = object_->getCurrentlyProcessedMessage();
  try {
    if (call != nullptr) {
      lock.uid = call->getCredsUid();
      lock.pid = static_cast<uint32_t>(call->getCredsPid());
    }
  } catch (const sdbus::Error& e) {
    Log("cannot read the caller's credentials: " + e.getMessage() + ", ignoring");
  }
  Log("lock " + std::to_string(lock.id) + " taken: what=" + what + " who=" + who + " mode=" + mode +
      " pid=" + std::to_string(lock.pid));
  locks_.push_back(lock);
  // The reply holds its own copy; ours closes when this UnixFd dies, so
  // the caller's copies are the only write ends left.
  return sdbus::UnixFd(fds[1], sdbus::adopt_fd);
}

std::vector<InhibitorRow> FakeLogind::ListInhibitors() const {
  std::vector<InhibitorRow> rows;
  for (const Lock& lock : locks_) {
    if (lock.read_fd < 0) continue;
    rows.emplace_back(lock.what, lock.who, lock.why, lock.mode, lock.uid, lock.pid);
  }
  return rows;
}

void FakeLogind::ServeWaiters() {
  const Clock::time_point now = Clock::now();
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    if (it->finish(now >= it->deadline)) {
      it = waiters_.erase(it);
    } else {
      ++it;
    }
  }
}

int FakeLogind::Run(int signal_fd) {
  bool bus_hung_up = false;
  for (;;) {
    try {
      while (connection_.processPendingRequest()) {
      }
    } catch (const sdbus::Error& e) {
      Log("bus failed: " + e.getMessage());
      return 1;
    }
    if (bus_hung_up) {
      Log("the bus hung up");
      return 1;
    }
    ServeWaiters();

    std::vector<pollfd> fds;
    const sdbus::IConnection::PollData bus = connection_.getEventLoopPollData();
    fds.push_back({bus.fd, bus.events, 0});
    fds.push_back({signal_fd, POLLIN, 0});
    std::vector<Lock*> watched;
    for (Lock& lock : locks_) {
      if (lock.read_fd < 0) continue;
      fds.push_back({lock.read_fd, 0, 0});  // POLLHUP is always reported
      watched.push_back(&lock);
    }
    int timeout_ms = bus.getPollTimeout();
    for (const Waiter& waiter : waiters_) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(waiter.deadline - Clock::now());
      const int left_ms = static_cast<int>(std::max<int64_t>(0, left.count()));
      timeout_ms = timeout_ms < 0 ? left_ms : std::min(timeout_ms, left_ms);
    }
    if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) {
      Log(std::string("poll: ") + std::strerror(errno));
      return 1;
    }
    if (fds[1].revents & POLLIN) {
      Log("signal received, exiting");
      return 0;
    }
    // Process what is left on the bus, then exit.
    bus_hung_up = (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
    for (size_t i = 0; i < watched.size(); ++i) {
      if ((fds[i + 2].revents & (POLLHUP | POLLERR)) == 0) continue;
      Lock& lock = *watched[i];
      CloseReadEnd(lock);
      Log("lock " + std::to_string(lock.id) + " released (who=" + lock.who + ")");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::string address;
  uint64_t delay_max_usec = 5000000;
  int ready_fd = -1;
  po::options_description options("fake_logind options");
  options.add_options()("help", "show this help")(
      "address", po::value<std::string>(&address)->required(), "D-Bus address to connect to")(
      "delay-max-usec", po::value<uint64_t>(&delay_max_usec)->default_value(delay_max_usec),
      "InhibitDelayMaxUSec")("ready-fd", po::value<int>(&ready_fd),
                             "write \"ready\\n\" to this fd once the name is owned")(
      "deny-inhibit", po::bool_switch(), "answer Inhibit with AccessDenied");
  bool deny_inhibit = false;
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, options), vm);
    if (vm.count("help")) {
      std::cout << options << std::endl;
      return 0;
    }
    po::notify(vm);
    deny_inhibit = vm["deny-inhibit"].as<bool>();
  } catch (const po::error& e) {
    std::cerr << "fake_logind: " << e.what() << "\n" << options << std::endl;
    return 2;
  }

  // Block the exit signals before any thread exists; the loop reads them.
  sigset_t exit_signals;
  sigemptyset(&exit_signals);
  sigaddset(&exit_signals, SIGTERM);
  sigaddset(&exit_signals, SIGINT);
  if (::sigprocmask(SIG_BLOCK, &exit_signals, nullptr) != 0) return 1;
  const int signal_fd = ::signalfd(-1, &exit_signals, SFD_CLOEXEC);
  if (signal_fd < 0) {
    Log(std::string("signalfd: ") + std::strerror(errno));
    return 1;
  }

  try {
    std::unique_ptr<sdbus::IConnection> connection =
        sdbus::createSessionBusConnectionWithAddress(address);
    FakeLogind logind(*connection, delay_max_usec, deny_inhibit);
    connection->requestName(kService);
    Log("serving " + std::string(kService) + " on " + address);
    if (ready_fd >= 0) {
      static const char kReady[] = "ready\n";
      if (::write(ready_fd, kReady, sizeof(kReady) - 1) < 0) Log("cannot write to --ready-fd");
      ::close(ready_fd);
    }
    return logind.Run(signal_fd);
  } catch (const sdbus::Error& e) {
    Log("D-Bus error: " + e.getName() + ": " + e.getMessage());
    return 1;
  }
}

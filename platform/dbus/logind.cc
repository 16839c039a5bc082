// LogindInhibitor: see logind.h.

#include "platform/dbus/logind.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include <boost/log/trivial.hpp>
#include <sdbus-c++/sdbus-c++.h>

#include "engine/util/mutex.h"

namespace jetsvc {
namespace platform {

namespace {

const char kLogindService[] = "org.freedesktop.login1";
const char kLogindPath[] = "/org/freedesktop/login1";
const char kManagerInterface[] = "org.freedesktop.login1.Manager";
const char kPropertiesInterface[] = "org.freedesktop.DBus.Properties";
// One lock per kind: logind (252) checks polkit per kind, and a combined
// "shutdown:sleep" request falls to an action a non-root user is denied
// (org.freedesktop.login1.inhibit-handle-lid-switch), while
// inhibit-delay-shutdown and inhibit-delay-sleep are allowed to anyone.
const char* const kInhibitWhats[] = {"shutdown", "sleep"};
const char kInhibitMode[] = "delay";
// Bounds every call to logind, so a hung logind cannot hang the start.
constexpr uint64_t kCallTimeoutUsec = 10 * 1000 * 1000;

std::string DescribeError(const sdbus::Error& e) {
  if (e.getMessage().empty()) return e.getName();
  return e.getName() + ": " + e.getMessage();
}

bool IsServiceMissing(const sdbus::Error& e) {
  return e.getName() == "org.freedesktop.DBus.Error.ServiceUnknown" ||
         e.getName() == "org.freedesktop.DBus.Error.NameHasNoOwner";
}

const char* SignalName(bool shutdown) {
  return shutdown ? "PrepareForShutdown" : "PrepareForSleep";
}

}  // namespace

// The lock and the generation of the last signal (invariants 1-3 in
// logind.h). Shared with the `done` of posted requests, which may outlive
// the inhibitor.
struct LogindInhibitor::LockState {
  Mutex mutex;
  // The delay locks, one per kind (kInhibitWhats); each the only copy.
  std::vector<sdbus::UnixFd> fds GUARDED_BY(mutex);
  uint64_t generation GUARDED_BY(mutex) = 0;
  bool stopped GUARDED_BY(mutex) = false;

  // Closes the lock (its only copy) and logs why. REQUIRES: mutex held.
  void CloseLocked(const char* why) EXCLUSIVE_LOCKS_REQUIRED(mutex) {
    if (fds.empty()) return;
    std::string numbers;
    for (const auto& fd : fds) numbers += (numbers.empty() ? "" : ", ") + std::to_string(fd.get());
    // Logged before the close: once the fds are closed logind may go on
    // at once, and the journal should show the release before that.
    BOOST_LOG_TRIVIAL(info) << "logind delay lock released (fd " << numbers << ", " << why << ")";
    for (auto& fd : fds) fd.reset();
    fds.clear();
  }

  bool HeldLocked() const EXCLUSIVE_LOCKS_REQUIRED(mutex) { return !fds.empty(); }

  // A prepare's done: releases the lock unless a later signal superseded
  // the prepare of `prepare_generation`.
  void ReleaseIfCurrent(uint64_t prepare_generation) {
    MutexLock lock(&mutex);
    if (generation != prepare_generation) {
      BOOST_LOG_TRIVIAL(info) << "logind prepare finished after a later signal; keeping the lock";
      return;
    }
    CloseLocked("prepare finished");
  }
};

LogindInhibitor::LogindInhibitor(const LogindOptions& options, PostFunction post)
    : options_(options), post_(std::move(post)), state_(std::make_shared<LockState>()) {}

LogindInhibitor::~LogindInhibitor() { Stop(); }

std::unique_ptr<LogindInhibitor> LogindInhibitor::Start(const LogindOptions& options,
                                                        PostFunction post, std::string* why_not) {
  if (options.mode == "no") {
    *why_not = "disabled by config";
    return nullptr;
  }
  if (options.mode != "auto" && options.mode != "yes") {
    *why_not = "invalid logind mode '" + options.mode + "' (expected auto, yes or no)";
    return nullptr;
  }
  if (!post) {
    *why_not = "no post function";
    return nullptr;
  }
  std::unique_ptr<LogindInhibitor> inhibitor(new LogindInhibitor(options, std::move(post)));
  if (!inhibitor->Connect(why_not)) return nullptr;  // the destructor cleans up
  return inhibitor;
}

bool LogindInhibitor::Connect(std::string* why_not) {
  try {
    connection_ = sdbus::createSystemBusConnection();
  } catch (const sdbus::Error& e) {
    *why_not = "cannot connect to the system bus: " + DescribeError(e);
    return false;
  }
  try {
    connection_->setMethodCallTimeout(kCallTimeoutUsec);
    proxy_ = sdbus::createProxy(*connection_, kLogindService, kLogindPath);
    sdbus::Variant delay;
    proxy_->callMethod("Get")
        .onInterface(kPropertiesInterface)
        .withArguments(std::string(kManagerInterface), std::string("InhibitDelayMaxUSec"))
        .storeResultsTo(delay);
    delay_max_ = std::chrono::microseconds(delay.get<uint64_t>());
  } catch (const sdbus::Error& e) {
    *why_not = IsServiceMissing(e) ? "org.freedesktop.login1 is not on the system bus (" +
                                         DescribeError(e) + ")"
                                   : "cannot read logind's InhibitDelayMaxUSec: " + DescribeError(e);
    return false;
  }
  BOOST_LOG_TRIVIAL(info) << "logind InhibitDelayMaxUSec is " << delay_max_.count() << " us";

  // Subscribe before taking the lock, so no signal sent after logind
  // counted our lock can be missed (they queue until the loop runs).
  try {
    for (const bool shutdown : {true, false}) {
      proxy_->uponSignal(SignalName(shutdown))
          .onInterface(kManagerInterface)
          .call([this, shutdown](bool start) { OnPrepare(shutdown, start); });
    }
    proxy_->finishRegistration();
  } catch (const sdbus::Error& e) {
    *why_not = "cannot subscribe to logind's signals: " + DescribeError(e);
    return false;
  }

  std::string lock_error;
  if (!TakeLock(&lock_error)) {
    if (options_.mode == "yes") {
      *why_not = lock_error;
      return false;
    }
    BOOST_LOG_TRIVIAL(warning) << lock_error
                               << "; logind will not wait for the prepare, continuing without a lock";
  }

  try {
    connection_->enterEventLoopAsync();
  } catch (const std::exception& e) {
    *why_not = std::string("cannot start the logind event loop: ") + e.what();
    return false;
  }
  return true;
}

bool LogindInhibitor::TakeLock(std::string* error) {
  // Reserved up front: UnixFd's move is not noexcept, so a growing vector
  // would copy, i.e. dup() the fd without close-on-exec.
  std::vector<sdbus::UnixFd> taken;
  taken.reserve(std::size(kInhibitWhats));
  std::string failures;
  for (const char* what : kInhibitWhats) {
    sdbus::UnixFd fd;
    try {
      proxy_->callMethod("Inhibit")
          .onInterface(kManagerInterface)
          .withArguments(std::string(what), options_.who, options_.why, std::string(kInhibitMode))
          .storeResultsTo(fd);
    } catch (const sdbus::Error& e) {
      failures += std::string(failures.empty() ? "" : "; ") + "logind refused the " + what +
                  " delay lock: " + DescribeError(e);
      continue;
    }
    if (!fd.isValid()) {
      failures += std::string(failures.empty() ? "" : "; ") + "logind returned no " + what + " lock fd";
      continue;
    }
    // sdbus::UnixFd dup()s without close-on-exec; a child must not inherit
    // the lock, or closing ours would not release it.
    if (::fcntl(fd.get(), F_SETFD, FD_CLOEXEC) != 0) {
      BOOST_LOG_TRIVIAL(warning) << "cannot mark the logind lock fd close-on-exec: "
                                 << std::strerror(errno) << ", ignoring";
    }
    taken.push_back(std::move(fd));
  }
  {
    MutexLock lock(&state_->mutex);
    // Stopped meanwhile: `taken` closes here. Locks already held cannot
    // happen: only the loop thread takes locks.
    if (!state_->stopped && !state_->HeldLocked() && !taken.empty()) {
      std::string numbers;
      for (const auto& fd : taken) numbers += (numbers.empty() ? "" : ", ") + std::to_string(fd.get());
      state_->fds = std::move(taken);
      BOOST_LOG_TRIVIAL(info) << "logind delay lock taken (fd " << numbers << ", what "
                              << (state_->fds.size() == 2 ? "shutdown, sleep" : "partial") << ")";
    }
  }
  if (!failures.empty()) {
    *error = failures;
    return false;
  }
  return true;
}

void LogindInhibitor::OnPrepare(bool shutdown, bool start) {
  try {
    uint64_t generation;
    bool need_lock;
    {
      MutexLock lock(&state_->mutex);
      if (state_->stopped) return;
      generation = ++state_->generation;
      need_lock = !start && !state_->HeldLocked();
    }
    BOOST_LOG_TRIVIAL(info) << "logind " << SignalName(shutdown) << "(" << (start ? "true" : "false")
                            << ") received";
    if (start) {
      Post(shutdown ? HostEvent::kPrepareShutdown : HostEvent::kPrepareSleep, generation, true);
      return;
    }
    std::string lock_error;
    if (need_lock && !TakeLock(&lock_error)) {
      BOOST_LOG_TRIVIAL(error) << lock_error << "; continuing without a lock";
    }
    Post(shutdown ? HostEvent::kShutdownCancelled : HostEvent::kResumeFromSleep, generation, false);
  } catch (const std::exception& e) {
    // Nothing may escape into the sdbus loop (it would end the thread).
    BOOST_LOG_TRIVIAL(error) << "logind " << SignalName(shutdown) << " handler failed: " << e.what();
  }
}

void LogindInhibitor::Post(HostEvent event, uint64_t generation, bool release_on_done) {
  HostRequest request;
  request.event = event;
  request.origin = "logind";
  if (release_on_done) {
    const auto now = HostRequest::Clock::now();
    const auto budget = delay_max_ - std::chrono::duration_cast<std::chrono::microseconds>(
                                         options_.margin);
    request.deadline = now + std::max(budget, std::chrono::microseconds(0));
    std::shared_ptr<LockState> state = state_;
    request.done = [state, generation] { state->ReleaseIfCurrent(generation); };
  }
  post_(std::move(request));
}

void LogindInhibitor::Stop() {
  {
    MutexLock lock(&state_->mutex);
    state_->stopped = true;
  }
  if (connection_ != nullptr) {
    try {
      connection_->leaveEventLoop();  // joins the loop thread
    } catch (const std::exception& e) {
      BOOST_LOG_TRIVIAL(error) << "cannot leave the logind event loop: " << e.what();
    }
  }
  proxy_.reset();
  connection_.reset();
  MutexLock lock(&state_->mutex);
  state_->CloseLocked("stopped");
}

bool LogindInhibitor::HoldsLock() const {
  MutexLock lock(&state_->mutex);
  return state_->HeldLocked();
}

}  // namespace platform
}  // namespace jetsvc

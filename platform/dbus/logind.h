// LogindInhibitor: the systemd-logind event source. It holds a logind
// *delay* inhibitor lock (one for "shutdown", one for "sleep") while the service runs and turns
// logind's PrepareForShutdown / PrepareForSleep signals into HostRequests,
// so the service can quiesce the engine before the machine goes down or to
// sleep; the request's `done` closes the lock, which tells logind it may go
// ahead.
//
//   signal                      posted request        done / afterwards
//   PrepareForShutdown(true)    kPrepareShutdown      done releases the lock
//   PrepareForShutdown(false)   kShutdownCancelled    lock retaken before posting
//   PrepareForSleep(true)       kPrepareSleep         done releases the lock
//   PrepareForSleep(false)      kResumeFromSleep      lock retaken before posting
//
// The deadline of a prepare is now + InhibitDelayMaxUSec - margin (read
// from logind at Start), never earlier than now: logind goes ahead anyway
// once InhibitDelayMaxUSec has passed.
//
// Modes (LogindOptions::mode):
//  - "no":   Start returns null, *why_not = "disabled by config".
//  - "auto": if the system bus cannot be reached or org.freedesktop.login1
//            is not on it, Start returns null and *why_not says why; the
//            caller logs it and goes on without logind. If logind is there
//            but refuses the lock (e.g. "Access denied" for a non-root user
//            without polkit), Start logs a warning and returns a source
//            that holds no lock but still delivers the signals (the service
//            gets its early prepare; logind just does not wait for it).
//  - "yes":  every one of those failures makes Start return null with the
//            cause in *why_not; the caller treats it as a start error.
//  Any other mode string: null, *why_not names the bad value.
// The caller tells "not available" from "error" by the mode it asked for.
//
// Invariants (the lock state, guarded by LockState::mutex):
//  1. At most one lock fd is open in this process: sdbus::UnixFd dup()s on
//     copy, so the fd lives in exactly one UnixFd that is never copied, and
//     it is marked close-on-exec.
//  2. Every signal bumps the generation; a prepare's `done` releases the
//     lock only if no signal came after its own. So a cancellation (or
//     resume) that arrives while the prepare is still running keeps the
//     lock it holds or retakes, whatever order done() and the signal take.
//  3. After Stop() no request is posted, no lock is taken and the lock is
//     closed; a late done() is harmless.
//
// Thread contract: Start and Stop (and the destructor) are called from one
// owner thread, never from inside `post` or a signal. Signals are handled
// on the sdbus event-loop thread this object owns, which calls `post`.
// A request's `done` may be called from any thread, even after this object
// is destroyed. HoldsLock and InhibitDelayMax are thread-safe.

#ifndef JETSVC_PLATFORM_DBUS_LOGIND_H_
#define JETSVC_PLATFORM_DBUS_LOGIND_H_

#include <chrono>
#include <memory>
#include <string>

#include "platform/host.h"

namespace sdbus {
class IConnection;
class IProxy;
}  // namespace sdbus

namespace jetsvc {
namespace platform {

struct LogindOptions {
  // "auto" | "yes" | "no"; see the header comment. Default: "auto".
  std::string mode = "auto";
  // Taken off logind's InhibitDelayMaxUSec to form a prepare's deadline,
  // for the time the lock release takes to reach logind. Default: 1 s.
  std::chrono::milliseconds margin{1000};
  // The "who" of the inhibitor lock (systemd-inhibit --list). Default: "jetsvc".
  std::string who = "jetsvc";
  // The "why" of the inhibitor lock.
  std::string why = "Flush the database before shutdown or sleep";
};

class LogindInhibitor : public EventSource {
 public:
  // Connects to the system bus (DBUS_SYSTEM_BUS_ADDRESS if set), takes the
  // delay lock, reads InhibitDelayMaxUSec and subscribes to the signals.
  // Returns null with *why_not set when it does not run (see the modes).
  // REQUIRES: post is thread-safe; why_not != nullptr.
  static std::unique_ptr<LogindInhibitor> Start(const LogindOptions& options, PostFunction post,
                                                std::string* why_not);

  LogindInhibitor(const LogindInhibitor&) = delete;
  LogindInhibitor& operator=(const LogindInhibitor&) = delete;
  ~LogindInhibitor() override;

  // Stops delivering signals, leaves (joins) the event loop and releases
  // the lock. Idempotent. REQUIRES: not called from `post` or a signal.
  void Stop() override;

  // True while the delay lock is held.
  bool HoldsLock() const;
  // logind's InhibitDelayMaxUSec as read at Start.
  std::chrono::microseconds InhibitDelayMax() const { return delay_max_; }

 private:
  struct LockState;  // the lock; shared with the `done` of posted requests

  LogindInhibitor(const LogindOptions& options, PostFunction post);

  // Runs in Start, before the event loop: false and *why_not on failure.
  bool Connect(std::string* why_not);
  // Calls Inhibit and keeps the fd as the lock (unless stopped); false and
  // *error if logind refuses. Called in Start and on the loop thread only.
  bool TakeLock(std::string* error);
  // Signal handlers, on the event-loop thread.
  void OnPrepare(bool shutdown, bool start);
  // Posts a request of `event`; a prepare's done releases the lock taken
  // in generation `generation`.
  void Post(HostEvent event, uint64_t generation, bool release_on_done);

  // Constant after Start.
  const LogindOptions options_;
  const PostFunction post_;
  std::chrono::microseconds delay_max_{0};

  std::shared_ptr<LockState> state_;
  // Destroyed in Stop (proxy first); the connection runs the loop thread.
  std::unique_ptr<sdbus::IConnection> connection_;
  std::unique_ptr<sdbus::IProxy> proxy_;
};

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_DBUS_LOGIND_H_

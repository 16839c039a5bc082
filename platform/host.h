// Host: the lifecycle seam between the operating system and the service.
//
// In: HostRequest — one event from the OS (a signal, a logind signal, a
// Windows service control), an optional deadline the OS imposes, and an
// optional completion the service calls once it has finished with it (the
// logind source releases its delay lock there; the SCM reports there).
// Out: StatusReporter — what the service tells the OS (systemd's sd_notify,
// the SCM's SetServiceStatus, or a console log line).
//
// The service (service/) maps events onto engine calls and never includes
// an OS header; each platform directory implements these interfaces and
// CMake picks the implementation, as for Env.
//
// Thread contract: a StatusReporter is called from the service's own
// thread only (one caller at a time). An EventSource may call `post` from
// any thread; `post` is thread-safe.

#ifndef JETSVC_PLATFORM_HOST_H_
#define JETSVC_PLATFORM_HOST_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace jetsvc {
namespace platform {

enum class HostEvent {
  // SIGTERM / SIGINT; SCM STOP, SHUTDOWN, PRESHUTDOWN; Ctrl+C. The final
  // stop: prepare if not done yet, then JetTerm, then exit.
  kStop,
  // SIGHUP / ExecReload=; SCM PARAMCHANGE. Re-read the config.
  kReload,
  // logind PrepareForShutdown(true); SCM user control 128. The resumable
  // prepare (BackgroundUserTasks | QuiesceCaches), bounded by the deadline.
  kPrepareShutdown,
  // logind PrepareForShutdown(false); SCM user control 129. Resume.
  kShutdownCancelled,
  // logind PrepareForSleep(true / false).
  kPrepareSleep,
  kResumeFromSleep,
};

const char* HostEventName(HostEvent event);

struct HostRequest {
  using Clock = std::chrono::steady_clock;

  HostEvent event = HostEvent::kStop;
  // The time by which the OS goes ahead anyway (logind's
  // InhibitDelayMaxUSec minus a margin); time_point::max() if none.
  Clock::time_point deadline = Clock::time_point::max();
  // Called once, on the service thread, when the service has finished
  // with the request (successfully or not). May be empty.
  std::function<void()> done;
  // Who sent it, for the log ("SIGTERM", "logind", "SCM").
  std::string origin;
};

using PostFunction = std::function<void(HostRequest)>;

// What the service tells the operating system.
class StatusReporter {
 public:
  virtual ~StatusReporter() = default;

  // Start is in progress and needs `more_time` beyond now (systemd:
  // EXTEND_TIMEOUT_USEC; SCM: START_PENDING with a rising checkpoint).
  virtual void Starting(std::chrono::microseconds more_time, const std::string& status) = 0;
  // Start finished: databases attached, the API is served.
  virtual void Ready(const std::string& status) = 0;
  // A one-line status (systemd: STATUS=; SCM: logged).
  virtual void Status(const std::string& status) = 0;
  // A reload began; Ready() follows when it ends.
  virtual void Reloading() = 0;
  // The final stop is under way and needs `more_time` beyond now. The
  // first call announces the stop (systemd: STOPPING=1; SCM:
  // STOP_PENDING); each call is real progress (SCM: the checkpoint rises,
  // the wait hint is `more_time`).
  virtual void Stopping(std::chrono::microseconds more_time, const std::string& status) = 0;
  // The watchdog interval the OS asks for (zero: none) and the ping.
  virtual std::chrono::microseconds WatchdogInterval() const = 0;
  virtual void WatchdogPing() = 0;
  // The service is done; called once, last (SCM: STOPPED with the exit
  // code). Nothing may be called after it.
  virtual void Stopped(int exit_code) = 0;
};

// A source of HostRequests (signals, logind). Start() begins delivering
// through `post`; Stop() ends delivery and joins any thread it started.
class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual void Stop() = 0;
};

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_HOST_H_

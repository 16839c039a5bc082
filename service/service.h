// Service: the host. It owns one engine instance (multi-instance mode, so
// the stop is JetStopServiceInstance2, never JetStopService), the key-value
// store on it, and the loop that maps lifecycle events onto engine calls.
// It implements platform::Controller for the D-Bus adaptors.
//
// The mapping (README "Lifecycle mapping" is the user-facing table):
//   start            JetCreateInstance2 + config, JetInit (recovery; the
//                    reporter hears Starting every second meanwhile), attach
//                    or create the database, start the frontends (D-Bus,
//                    logind), Ready.
//   PrepareStop(t)   JetStopServiceInstance2(All); the caller is answered
//                    once quiesced (no dirty page, checkpoint at the tip,
//                    defrag halted, version cleanup done) or at the deadline.
//                    Status lines only: STOPPING=1 would make systemd skip
//                    ExecStop= and the SIGTERM.
//   kPrepareShutdown JetStopServiceInstance2(BackgroundUserTasks |
//                    QuiesceCaches): resumable, the API keeps answering;
//                    done() (the logind lock's release) once quiesced or at
//                    the request's deadline.
//   kShutdownCancelled / kResumeFromSleep / Resume()
//                    JetStopServiceInstance2(Resume).
//   kPrepareSleep    JetStopServiceInstance2(QuiesceCaches).
//   kReload          Reloading, re-read the config, apply what can change
//                    at run time, Ready; a bad config is rejected and the
//                    old one stays.
//   kStop            Stopping (STOPPING=1), JetStopServiceInstance2(All)
//                    unless done, wait for the quiesce (until the request's
//                    deadline if nearer than prepare-timeout) with progress
//                    (EXTEND_TIMEOUT_USEC from the measured flush rate),
//                    close the store (rollback, end sessions), JetTerm2
//                    (Complete; retried after ending sessions on -1059),
//                    stop the frontends, Stopped, exit 0.
//   tick             watchdog ping after a health check; a sticky engine
//                    failure is logged and the service stops with exit 1.
//
// States ("State" property): starting -> running <-> preparing/prepared
// (resumable, or All: not resumable) / sleeping -> stopping -> stopped;
// failed when the engine failed.
//
// Thread contract: Post() and every Controller method are thread-safe. Run()
// is called once, on the thread that owns the loop; the reporter and the
// hooks are called on that thread only.

#ifndef JETSVC_SERVICE_SERVICE_H_
#define JETSVC_SERVICE_SERVICE_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.h"
#include "esent.h"
#include "platform/controller.h"
#include "platform/host.h"
#include "service/kv_store.h"

namespace jetsvc {
namespace service {

// Exit codes of Run() (and of the jetsvc process).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;      // the engine failed, or could not start
constexpr int kExitConfigError = 2;  // a bad configuration

class Service : public platform::Controller {
 public:
  using Clock = std::chrono::steady_clock;

  struct Hooks {
    // Starts what serves the Controller and delivers OS events (the D-Bus
    // server, the logind client), once the database is open and before
    // Ready. False stops the start (exit 1); *error says why.
    std::function<bool(platform::Controller* controller, platform::PostFunction post,
                       std::string* error)>
        start_frontends;
    // Stops them, after JetTerm.
    std::function<void()> stop_frontends;
    // Re-reads the configuration for a reload.
    std::function<bool(config::Config* config, std::string* error)> reload_config;
  };

  Service(config::Config config, platform::StatusReporter* reporter, Hooks hooks);
  ~Service() override;
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Queues a lifecycle request for the loop. Thread-safe.
  void Post(platform::HostRequest request);

  // Starts, serves until a kStop (or a fatal failure), stops; returns the
  // exit code. Called once.
  int Run();

  // The engine instance (JET_instanceNil before start and after term); for
  // tests.
  JET_INSTANCE instance() const { return instance_; }

  // platform::Controller.
  void PrepareStop(uint32_t timeout_ms,
                   std::function<void(const platform::PrepareOutcome&)> done) override;
  platform::Result Resume() override;
  platform::DefragOutcome StartDefragment() override;
  platform::DefragOutcome StopDefragment() override;
  platform::ManagerSnapshot Snapshot() override;
  void SetObserver(std::function<void(const std::vector<std::string>&)> observer) override;
  platform::StoreLimits Limits() const override;
  platform::Result Put(const std::string& key, const std::vector<uint8_t>& value) override;
  platform::Result Get(const std::string& key, std::vector<uint8_t>* value) override;
  platform::Result Delete(const std::string& key, bool* existed) override;
  platform::Result Scan(const std::string& start, uint32_t limit,
                        std::vector<platform::KeyValue>* out) override;
  platform::Result PutBatch(const std::vector<platform::KeyValue>& items, bool durable,
                            uint32_t* count) override;

 private:
  enum class StopKind { kNone, kResumable, kSleep, kAll };
  enum class Phase { kStarting, kServing, kStopping, kStopped };

  struct Waiter {
    Clock::time_point deadline;
    std::function<void(bool quiesced)> complete;
  };

  // Run() steps.
  int Start();
  void Serve();
  int Shutdown();
  bool InitEngine(std::string* error);

  // Loop work; all on the loop thread.
  void Handle(platform::HostRequest request);
  void BeginStop(StopKind kind, const char* why);
  void DoResume(platform::Result* result);
  void DoReload();
  // The flush waits until the earlier of `deadline` and prepare_timeout_ms
  // from now; JetTerm writes what is left.
  void BeginShutdown(int exit_code, const std::string& why,
                     Clock::time_point deadline = Clock::time_point::max());
  void Tick();
  // The time the term step asks for (the last Stopping before JetTerm).
  std::chrono::microseconds TermEstimate();
  // Answers every waiting prepare (PrepareStop callers, logind) at once.
  void CompleteWaiters(bool quiesced);
  void PublishChanges();
  std::string StateName() const;  // REQUIRES: mu_ held
  // Runs `task` on the loop thread and waits for it (Controller methods
  // that change the stop state).
  void RunOnLoop(std::function<void()> task);
  platform::Result StoreAvailable();

  // The engine figures (JetsvcGetStopProgress) and the state.
  platform::ManagerSnapshot ReadEngine();

  config::Config config_;
  platform::StatusReporter* const reporter_;
  const Hooks hooks_;
  JET_INSTANCE instance_ = JET_instanceNil;
  std::unique_ptr<KvStore> store_;

  // Loop-thread state.
  Clock::time_point stop_deadline_;
  Clock::time_point prepare_started_;
  Clock::time_point last_watchdog_;
  Clock::time_point last_extend_;
  std::vector<Waiter> waiters_;
  int exit_code_ = kExitOk;
  // The flush rate this stop measured, bytes per second; 0 until measured.
  uint64_t measured_rate_ = 0;
  platform::ManagerSnapshot published_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  Phase phase_ = Phase::kStarting;           // guarded by mu_
  StopKind stop_kind_ = StopKind::kNone;     // guarded by mu_
  bool quiesced_ = false;                    // guarded by mu_
  bool failed_ = false;                      // guarded by mu_
  uint64_t last_prepare_usec_ = 0;           // guarded by mu_
  uint64_t last_term_usec_ = 0;              // guarded by mu_
  std::function<void(const std::vector<std::string>&)> observer_;  // set before serving
};

}  // namespace service
}  // namespace jetsvc

#endif  // JETSVC_SERVICE_SERVICE_H_

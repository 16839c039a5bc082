// Service: see service.h.

#include "service/service.h"

#include <algorithm>
#include <boost/log/trivial.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "jetsvc_ext.h"
#include "platform/logging.h"

namespace jetsvc {
namespace service {

using platform::ErrorKind;
using platform::HostEvent;
using platform::Result;

namespace {

// How often the loop looks at the engine: while a prepare or the final
// stop waits for the quiesce (the delay this adds to the lock release and
// to the exit), and otherwise (property updates, watchdog).
constexpr auto kBusyTick = std::chrono::milliseconds(20);
constexpr auto kIdleTick = std::chrono::milliseconds(1000);
// How much more time the reporter asks for while starting, and how often.
constexpr auto kStartExtend = std::chrono::seconds(30);
constexpr auto kExtendEvery = std::chrono::seconds(1);
// The flush rate assumed before one is measured: a slow disk, so the time
// asked of systemd / the SCM errs on the long side. Once the stop has
// written a MiB, the measured rate replaces it.
constexpr uint64_t kAssumedFlushBytesPerSecond = 20ull << 20;
// Extra time asked on top of the estimate (JetTerm, exit).
constexpr auto kStopMargin = std::chrono::seconds(5);

// Where the previous run's JetTerm duration is kept.
std::string LastTermPath(const config::Config& config) {
  return config.data_dir + "/jetsvc.last-term-usec";
}

uint64_t MicrosSince(Service::Clock::time_point start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(Service::Clock::now() - start).count());
}

std::string MiB(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

}  // namespace

Service::Service(config::Config config, platform::StatusReporter* reporter, Hooks hooks)
    : config_(std::move(config)), reporter_(reporter), hooks_(std::move(hooks)) {}

Service::~Service() {
  // Run() normally terminated the instance; this covers a Run() that was
  // never called after a failed start.
  store_.reset();
  if (instance_ != JET_instanceNil) (void)JetTerm2(instance_, JET_bitTermAbrupt);
}

void Service::Post(platform::HostRequest request) {
  std::unique_lock<std::mutex> lock(mu_);
  if (phase_ == Phase::kStopped) {
    // No loop runs any more; the request is over at once.
    lock.unlock();
    if (request.done) request.done();
    return;
  }
  auto shared = std::make_shared<platform::HostRequest>(std::move(request));
  tasks_.push_back([this, shared] { Handle(std::move(*shared)); });
  cv_.notify_all();
}

void Service::RunOnLoop(std::function<void()> task) {
  auto finished = std::make_shared<std::promise<void>>();
  std::future<void> waited = finished->get_future();
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (phase_ == Phase::kStopped) {
      // No loop runs any more: the task sees the stopped phase and says so.
      lock.unlock();
      task();
      return;
    }
    tasks_.push_back([task = std::move(task), finished] {
      task();
      finished->set_value();
    });
    cv_.notify_all();
  }
  waited.wait();
}

int Service::Run() {
  const int start = Start();
  if (start != kExitOk) {
    std::lock_guard<std::mutex> lock(mu_);
    phase_ = Phase::kStopped;
    // Requests queued during the start are answered (done() must run once).
    for (auto& task : tasks_) task();
    tasks_.clear();
    reporter_->Stopped(start);
    return start;
  }
  Serve();
  return Shutdown();
}

bool Service::InitEngine(std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) {
    *error = "cannot create the data directory " + config_.data_dir + ": " + ec.message();
    return false;
  }
  for (uint32_t param : {uint32_t{JET_paramLogFilePath}, uint32_t{JET_paramSystemPath}}) {
    for (const auto& setting : config_.engine) {
      if (setting.param_id != param || setting.text.empty()) continue;
      std::filesystem::create_directories(setting.text, ec);
      if (ec) {
        *error = "cannot create " + setting.text + " (" + setting.option + "): " + ec.message();
        return false;
      }
    }
  }
  // What the start will have to do, from the database header: a clean
  // shutdown means JetInit replays nothing.
  if (std::filesystem::exists(config_.database, ec)) {
    JET_DBINFOMISC info;
    std::memset(&info, 0, sizeof(info));
    const JET_ERR state_err =
        JetGetDatabaseFileInfo(config_.database.c_str(), &info, sizeof(info), JET_DbInfoMisc);
    if (state_err < 0) {
      BOOST_LOG_TRIVIAL(warning) << "cannot read the header of " << config_.database
                                 << " (JET_ERR " << state_err << "); JetInit will tell";
    } else if (info.dbstate == JET_dbstateCleanShutdown) {
      BOOST_LOG_TRIVIAL(info) << config_.database << " was shut down cleanly: nothing to replay";
    } else {
      BOOST_LOG_TRIVIAL(info) << config_.database << " was not shut down cleanly (dbstate "
                              << info.dbstate << "): JetInit replays the log";
    }
  }
  long err = config::EnterMultiInstanceMode(config_, error);
  if (err < 0) return false;
  err = JetCreateInstance2(&instance_, config_.instance_name.c_str(), config_.instance_name.c_str(), 0);
  if (err < 0) {
    *error = "JetCreateInstance2(" + config_.instance_name + ") failed: JET_ERR " + std::to_string(err);
    instance_ = JET_instanceNil;
    return false;
  }
  err = config::ApplyEngineSettings(config_, instance_, error);
  if (err < 0) {
    (void)JetTerm2(instance_, JET_bitTermAbrupt);
    instance_ = JET_instanceNil;
    return false;
  }
  // JetInit replays the log after a crash, which may take a while: it runs
  // on a helper thread while this one asks the OS for more time.
  JET_INSTANCE initializing = instance_;
  std::future<long> init = std::async(std::launch::async, [&initializing] {
    return static_cast<long>(JetInit2(&initializing, JET_bitKeepDbAttachedAtEndOfRecovery));
  });
  const Clock::time_point started = Clock::now();
  while (init.wait_for(kExtendEvery) != std::future_status::ready) {
    reporter_->Starting(kStartExtend, "initializing the engine (log replay), " +
                                          std::to_string(MicrosSince(started) / 1000000) + " s");
  }
  err = init.get();
  if (err < 0) {
    // A failed JetInit frees the instance.
    *error = "JetInit failed: JET_ERR " + std::to_string(err) + " (logs in " +
             (config_.FindEngine("engine.log-path") ? config_.FindEngine("engine.log-path")->text
                                                    : config_.data_dir) +
             ")";
    instance_ = JET_instanceNil;
    return false;
  }
  BOOST_LOG_TRIVIAL(info) << "engine initialized in " << MicrosSince(started) / 1000 << " ms";
  return true;
}

int Service::Start() {
  reporter_->Status("starting: data in " + config_.data_dir);
  std::string error;
  if (!InitEngine(&error)) {
    BOOST_LOG_TRIVIAL(error) << "cannot start: " << error;
    return kExitFailure;
  }
  {
    std::ifstream last(LastTermPath(config_));
    uint64_t usec = 0;
    if (last >> usec) {
      std::lock_guard<std::mutex> lock(mu_);
      last_term_usec_ = usec;
    }
  }
  platform::StoreLimits limits;
  limits.max_key_bytes = config_.max_key_bytes;
  limits.max_value_bytes = config_.max_value_bytes;
  limits.max_scan_items = config_.max_scan_items;
  limits.max_batch_items = config_.max_batch_items;
  uint32_t max_slots = 8;
  if (const config::EngineSetting* sessions = config_.FindEngine("engine.max-sessions")) {
    // Leave room for the engine's own sessions and the defrag.
    max_slots = static_cast<uint32_t>(std::max<uint64_t>(1, sessions->integer / 2));
  }
  bool created = false;
  Result opened = KvStore::Open(instance_, config_.database, limits, max_slots, &store_, &created);
  if (!opened.ok()) {
    BOOST_LOG_TRIVIAL(error) << "cannot open the database: " << opened.message;
    (void)JetTerm2(instance_, JET_bitTermComplete);
    instance_ = JET_instanceNil;
    return kExitFailure;
  }
  BOOST_LOG_TRIVIAL(info) << (created ? "created " : "attached ") << config_.database;
  if (hooks_.start_frontends) {
    auto post = [this](platform::HostRequest request) { Post(std::move(request)); };
    if (!hooks_.start_frontends(this, post, &error)) {
      BOOST_LOG_TRIVIAL(error) << "cannot start: " << error;
      store_->Close();
      (void)JetTerm2(instance_, JET_bitTermComplete);
      instance_ = JET_instanceNil;
      return kExitFailure;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    phase_ = Phase::kServing;
  }
  published_ = Snapshot();
  last_watchdog_ = Clock::now();
  reporter_->Ready("serving " + config_.database);
  PublishChanges();
  return kExitOk;
}

void Service::Serve() {
  // Tick pings the watchdog once half its interval has passed: wake at
  // least every quarter interval, so a ping is never later than 3/4 of it.
  const auto watchdog =
      std::chrono::duration_cast<std::chrono::milliseconds>(reporter_->WatchdogInterval());
  const auto idle_tick = watchdog.count() > 0
                             ? std::clamp(watchdog / 4, std::chrono::milliseconds(1), kIdleTick)
                             : kIdleTick;
  for (;;) {
    std::deque<std::function<void()>> tasks;
    {
      std::unique_lock<std::mutex> lock(mu_);
      const bool busy = !waiters_.empty() || phase_ == Phase::kStopping;
      cv_.wait_for(lock, busy ? std::min(kBusyTick, idle_tick) : idle_tick,
                   [this] { return !tasks_.empty(); });
      tasks.swap(tasks_);
    }
    for (auto& task : tasks) task();
    Tick();
    std::lock_guard<std::mutex> lock(mu_);
    // Leave for JetTerm once the final stop is quiesced, failed, out of
    // time, or could not stop the engine at all.
    if (phase_ == Phase::kStopping && (stop_kind_ != StopKind::kAll || quiesced_ || failed_ ||
                                       Clock::now() >= stop_deadline_)) {
      return;
    }
  }
}

void Service::Handle(platform::HostRequest request) {
  BOOST_LOG_TRIVIAL(info) << "event " << platform::HostEventName(request.event)
                          << (request.origin.empty() ? "" : " (" + request.origin + ")");
  Phase phase;
  {
    std::lock_guard<std::mutex> lock(mu_);
    phase = phase_;
  }
  if (phase != Phase::kServing) {
    if (request.event == HostEvent::kStop && phase == Phase::kStopping) {
      BOOST_LOG_TRIVIAL(info) << "already stopping";
    }
    if (request.done) request.done();
    return;
  }
  switch (request.event) {
    case HostEvent::kStop:
      if (request.done) request.done();
      BeginShutdown(kExitOk, request.origin.empty() ? "stop requested" : request.origin,
                    request.deadline);
      return;
    case HostEvent::kReload:
      DoReload();
      if (request.done) request.done();
      return;
    case HostEvent::kPrepareShutdown:
    case HostEvent::kPrepareSleep: {
      const bool sleep = request.event == HostEvent::kPrepareSleep;
      BeginStop(sleep ? StopKind::kSleep : StopKind::kResumable,
                sleep ? "the system is going to sleep" : "the system is shutting down");
      auto done = std::move(request.done);
      waiters_.push_back({request.deadline, [this, done](bool quiesced) {
                            BOOST_LOG_TRIVIAL(info)
                                << (quiesced ? "prepared" : "prepare deadline passed")
                                << "; letting the system go on";
                            if (done) done();
                          }});
      return;
    }
    case HostEvent::kShutdownCancelled:
    case HostEvent::kResumeFromSleep: {
      Result result;
      DoResume(&result);
      if (!result.ok()) BOOST_LOG_TRIVIAL(warning) << "resume: " << result.message;
      if (request.done) request.done();
      return;
    }
  }
}

void Service::BeginStop(StopKind kind, const char* why) {
  StopKind current;
  {
    std::lock_guard<std::mutex> lock(mu_);
    current = stop_kind_;
  }
  // A stronger stop may follow a weaker one (All after a resumable
  // prepare); never the reverse.
  if (current == StopKind::kAll || current == kind) return;
  if (current != StopKind::kNone && kind != StopKind::kAll) return;
  JET_GRBIT grbit = JET_bitStopServiceAll;
  if (kind == StopKind::kResumable) {
    grbit = JET_bitStopServiceBackgroundUserTasks | JET_bitStopServiceQuiesceCaches;
  } else if (kind == StopKind::kSleep) {
    grbit = JET_bitStopServiceQuiesceCaches;
  }
  prepare_started_ = Clock::now();
  const JET_ERR err = JetStopServiceInstance2(instance_, grbit);
  if (err < 0) {
    BOOST_LOG_TRIVIAL(error) << "JetStopServiceInstance2(0x" << std::hex << grbit << std::dec
                             << ") failed: JET_ERR " << err;
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_kind_ = kind;
    quiesced_ = false;
  }
  reporter_->Status(std::string("preparing to stop: ") + why);
  PublishChanges();
}

void Service::DoResume(Result* result) {
  StopKind current;
  {
    std::lock_guard<std::mutex> lock(mu_);
    current = stop_kind_;
  }
  if (current == StopKind::kNone) {
    *result = Result::Ok();
    return;
  }
  if (current == StopKind::kAll) {
    *result = Result::Error(ErrorKind::kInvalidArgument,
                            "the engine was prepared with PrepareStop (JetStopServiceInstance2 "
                            "All), which cannot be resumed: restart the service",
                            JET_errClientRequestToStopJetService);
    return;
  }
  const JET_ERR err = JetStopServiceInstance2(instance_, JET_bitStopServiceResume);
  if (err < 0) {
    *result = ResultFromJet(err, "JetStopServiceInstance2(Resume)");
    return;
  }
  // Prepares still waiting are over: the system did not go on.
  CompleteWaiters(false);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_kind_ = StopKind::kNone;
    quiesced_ = false;
  }
  reporter_->Status("resumed: serving " + config_.database);
  PublishChanges();
  *result = Result::Ok();
}

void Service::DoReload() {
  reporter_->Reloading();
  config::Config fresh;
  std::string error;
  if (!hooks_.reload_config || !hooks_.reload_config(&fresh, &error)) {
    BOOST_LOG_TRIVIAL(error) << "reload rejected, keeping the running configuration: "
                             << (hooks_.reload_config ? error : "no configuration source");
    reporter_->Ready("serving " + config_.database + " (reload rejected)");
    return;
  }
  std::vector<std::string> applied, restart_needed;
  const long err = config::ApplyReloadableSettings(config_, fresh, instance_, &applied,
                                                    &restart_needed, &error);
  if (err < 0) {
    BOOST_LOG_TRIVIAL(error) << "reload: " << error;
  }
  if (fresh.log_level != config_.log_level) {
    (void)platform::SetLogLevel(fresh.log_level);
    applied.push_back("service.log-level");
  }
  for (const auto& name : applied) BOOST_LOG_TRIVIAL(info) << "reload applied " << name;
  for (const auto& name : restart_needed) {
    BOOST_LOG_TRIVIAL(warning) << "reload: " << name << " changed; it takes effect at the next start";
  }
  // Keep what only takes effect at start as it runs; take the rest.
  const std::string data_dir = config_.data_dir, database = config_.database;
  config_ = std::move(fresh);
  config_.data_dir = data_dir;
  config_.database = database;
  reporter_->Ready("serving " + config_.database + " (configuration reloaded)");
}

void Service::BeginShutdown(int exit_code, const std::string& why, Clock::time_point deadline) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (phase_ != Phase::kServing) return;
    phase_ = Phase::kStopping;
  }
  exit_code_ = exit_code;
  BOOST_LOG_TRIVIAL(info) << "stop requested: " << why;
  const platform::ManagerSnapshot now = ReadEngine();
  const auto estimate = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::seconds(now.checkpoint_depth_bytes / kAssumedFlushBytesPerSecond) + kStopMargin);
  reporter_->Stopping(estimate, "stopping: flushing " + std::to_string(now.dirty_pages) + " dirty pages");
  last_extend_ = Clock::now();
  BeginStop(StopKind::kAll, "the service is stopping");
  // The OS's deadline (SCM PRESHUTDOWN) when it is the nearer one.
  stop_deadline_ = std::min(Clock::now() + std::chrono::milliseconds(config_.prepare_timeout_ms),
                            deadline);
  PublishChanges();
}

platform::ManagerSnapshot Service::ReadEngine() {
  platform::ManagerSnapshot snapshot;
  JETSVC_STOP_PROGRESS progress;
  std::memset(&progress, 0, sizeof(progress));
  progress.cbStruct = sizeof(progress);
  if (instance_ != JET_instanceNil && JetsvcGetStopProgress(instance_, &progress) >= 0) {
    snapshot.checkpoint_depth_bytes = progress.cbCheckpointDepth;
    snapshot.dirty_pages = progress.cDirtyPages;
    snapshot.version_store_bytes = progress.cbVersionStore;
    snapshot.defrag_running = progress.fDefragRunning != 0;
  }
  std::lock_guard<std::mutex> lock(mu_);
  snapshot.state = StateName();
  snapshot.last_prepare_usec = last_prepare_usec_;
  snapshot.last_term_usec = last_term_usec_;
  return snapshot;
}

void Service::Tick() {
  const Clock::time_point now = Clock::now();
  if (instance_ == JET_instanceNil) return;
  // Health: a sticky engine failure ends the service (exit 1), so the
  // service manager restarts it and JetInit recovers from the log.
  JET_ERR fatal = JET_errSuccess;
  bool failed_now = false;
  if (JetsvcGetInstanceFailure(instance_, &fatal) >= 0 && fatal < 0) {
    std::lock_guard<std::mutex> lock(mu_);
    failed_now = !failed_;
    failed_ = true;
  }
  if (failed_now) {
    BOOST_LOG_TRIVIAL(error) << "the engine failed (JET_ERR " << fatal
                             << ") and takes no more writes; stopping so that the next start recovers";
    CompleteWaiters(false);
    BeginShutdown(kExitFailure, "engine failure");
  }
  JETSVC_STOP_PROGRESS progress;
  std::memset(&progress, 0, sizeof(progress));
  progress.cbStruct = sizeof(progress);
  const bool have_progress = JetsvcGetStopProgress(instance_, &progress) >= 0;
  bool quiesced = have_progress && (progress.ulStopState & JETSVC_bitStopQuiesced) != 0;
  Phase phase;
  StopKind kind;
  bool was_quiesced;
  {
    std::lock_guard<std::mutex> lock(mu_);
    phase = phase_;
    kind = stop_kind_;
    was_quiesced = quiesced_;
    quiesced_ = kind != StopKind::kNone && quiesced;
  }
  if (kind != StopKind::kNone && quiesced && !was_quiesced) {
    const uint64_t usec = MicrosSince(prepare_started_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_prepare_usec_ = usec;
    }
    BOOST_LOG_TRIVIAL(info) << "quiesced in " << usec / 1000 << " ms ("
                            << MiB(progress.cbFlushedSinceStop) << " flushed)";
    reporter_->Status(kind == StopKind::kAll ? "prepared: quiesced, calls refused"
                                             : "prepared: quiesced, still serving");
  }
  if (quiesced) {
    CompleteWaiters(true);
  } else {
    // Waiters whose deadline passed.
    std::vector<Waiter> expired;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (now >= it->deadline) {
        expired.push_back(std::move(*it));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& waiter : expired) waiter.complete(false);
  }
  if (phase == Phase::kStopping && !quiesced && have_progress && now - last_extend_ >= kExtendEvery) {
    // Ask for the time the rest needs at the rate measured so far.
    uint64_t rate = kAssumedFlushBytesPerSecond;
    if (progress.cbFlushedSinceStop >= (1u << 20) && progress.cusecSinceStop > 0) {
      rate = std::max<uint64_t>(1, progress.cbFlushedSinceStop * 1000000 / progress.cusecSinceStop);
    }
    measured_rate_ = rate;
    const uint64_t left = std::max<uint64_t>(progress.cbDirty, progress.cbCheckpointDepth);
    const auto need = std::chrono::microseconds(left * 1000000 / rate) + kStopMargin;
    reporter_->Stopping(std::chrono::duration_cast<std::chrono::microseconds>(need),
                        "stopping: " + MiB(progress.cbDirty) + " left to flush at " +
                            MiB(rate) + "/s");
    last_extend_ = now;
  }
  const auto watchdog = reporter_->WatchdogInterval();
  if (watchdog.count() > 0 && now - last_watchdog_ >= watchdog / 2) {
    bool healthy;
    {
      std::lock_guard<std::mutex> lock(mu_);
      healthy = !failed_;
    }
    if (healthy) reporter_->WatchdogPing();
    last_watchdog_ = now;
  }
  PublishChanges();
}

void Service::CompleteWaiters(bool quiesced) {
  std::vector<Waiter> waiters;
  waiters.swap(waiters_);
  for (auto& waiter : waiters) waiter.complete(quiesced);
}

void Service::PublishChanges() {
  std::function<void(const std::vector<std::string>&)> observer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    observer = observer_;
  }
  const platform::ManagerSnapshot now = ReadEngine();
  std::vector<std::string> changed;
  if (now.state != published_.state) changed.push_back("State");
  if (now.checkpoint_depth_bytes != published_.checkpoint_depth_bytes) {
    changed.push_back("CheckpointDepthBytes");
  }
  if (now.dirty_pages != published_.dirty_pages) changed.push_back("DirtyPages");
  if (now.version_store_bytes != published_.version_store_bytes) changed.push_back("VersionStoreBytes");
  if (now.defrag_running != published_.defrag_running) changed.push_back("DefragRunning");
  if (now.last_prepare_usec != published_.last_prepare_usec) {
    changed.push_back("LastPrepareDurationUsec");
  }
  if (now.last_term_usec != published_.last_term_usec) changed.push_back("LastTermDurationUsec");
  published_ = now;
  if (!changed.empty() && observer) observer(changed);
}

std::string Service::StateName() const {
  if (failed_) return "failed";
  switch (phase_) {
    case Phase::kStarting:
      return "starting";
    case Phase::kStopping:
      return "stopping";
    case Phase::kStopped:
      return "stopped";
    case Phase::kServing:
      break;
  }
  switch (stop_kind_) {
    case StopKind::kNone:
      return "running";
    case StopKind::kSleep:
      return "sleeping";
    case StopKind::kResumable:
    case StopKind::kAll:
      return quiesced_ ? "prepared" : "preparing";
  }
  return "running";
}

std::chrono::microseconds Service::TermEstimate() {
  // What JetTerm still has to write, at the rate this stop measured (or
  // the assumed one), plus twice what the previous run's JetTerm took
  // (one second when unknown).
  uint64_t previous_term_usec;
  {
    std::lock_guard<std::mutex> lock(mu_);
    previous_term_usec = last_term_usec_;
  }
  uint64_t left = 0;
  JETSVC_STOP_PROGRESS progress;
  if (JetsvcGetStopProgress(instance_, &progress) >= 0) {
    left = std::max<uint64_t>(progress.cbDirty, progress.cbCheckpointDepth);
  }
  const uint64_t term_usec = std::max<uint64_t>(2 * previous_term_usec, 1000000);
  const uint64_t rate = measured_rate_ > 0 ? measured_rate_ : kAssumedFlushBytesPerSecond;
  return std::chrono::microseconds(left * 1000000 / rate + term_usec);
}

int Service::Shutdown() {
  // Serve() returned: the stop is quiesced, failed, or out of time.
  CompleteWaiters(false);
  bool cut_short;
  {
    std::lock_guard<std::mutex> lock(mu_);
    cut_short = !quiesced_ && !failed_;
  }
  if (cut_short) {
    BOOST_LOG_TRIVIAL(warning) << "the flush did not finish before the stop deadline; JetTerm "
                                  "writes the rest";
  }
  reporter_->Stopping(TermEstimate(), cut_short ? "stopping: the flush deadline passed; ending "
                                               "sessions, JetTerm writes the rest"
                                             : "stopping: ending sessions and terminating the engine");
  store_->Close();
  const Clock::time_point term_started = Clock::now();
  JET_ERR err = JetTerm2(instance_, JET_bitTermComplete);
  for (int attempt = 0; err == JET_errTooManyActiveUsers && attempt < 3; ++attempt) {
    // A transaction is still open somewhere: the store has closed its
    // sessions, so this is a call that raced the close; give it a moment.
    BOOST_LOG_TRIVIAL(warning) << "JetTerm2: an open transaction remains; retrying";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    err = JetTerm2(instance_, JET_bitTermComplete);
  }
  const uint64_t term_usec = MicrosSince(term_started);
  int exit_code = exit_code_;
  if (err < 0 && err != JET_errDirtyShutdown) {
    BOOST_LOG_TRIVIAL(error) << "JetTerm2 failed: JET_ERR " << err;
    exit_code = kExitFailure;
  } else if (err == JET_errDirtyShutdown) {
    BOOST_LOG_TRIVIAL(warning) << "JetTerm2: terminated dirty; the next start replays the log";
    if (exit_code == kExitOk) exit_code = kExitFailure;
  }
  instance_ = JET_instanceNil;
  std::deque<std::function<void()>> tasks;
  {
    // From here Post, RunOnLoop and PrepareStop answer on the caller's
    // thread; what they queued before is answered now, before the
    // frontends stop: the D-Bus server waits for its calls in flight, and a
    // Resume waiting on a queued task would otherwise wait forever.
    std::lock_guard<std::mutex> lock(mu_);
    last_term_usec_ = term_usec;
    phase_ = Phase::kStopped;
    tasks.swap(tasks_);
  }
  for (auto& task : tasks) task();
  BOOST_LOG_TRIVIAL(info) << "JetTerm took " << term_usec / 1000 << " ms";
  {
    std::ofstream last(LastTermPath(config_), std::ios::trunc);
    last << term_usec << "\n";
  }
  if (hooks_.stop_frontends) hooks_.stop_frontends();
  store_.reset();
  reporter_->Stopped(exit_code);
  return exit_code;
}

// --- Controller --------------------------------------------------------

void Service::PrepareStop(uint32_t timeout_ms,
                          std::function<void(const platform::PrepareOutcome&)> done) {
  const Clock::time_point asked = Clock::now();
  auto finish = [done, asked](Result result, bool quiesced) {
    platform::PrepareOutcome outcome;
    outcome.result = std::move(result);
    outcome.quiesced = quiesced;
    outcome.elapsed_usec = MicrosSince(asked);
    done(outcome);
  };
  std::unique_lock<std::mutex> lock(mu_);
  if (phase_ == Phase::kStopped) {
    lock.unlock();
    finish(Result::Error(ErrorKind::kNotReady, "the service has stopped"), false);
    return;
  }
  if (phase_ != Phase::kServing) {
    const char* why = phase_ == Phase::kStarting ? "the service is still starting"
                                                 : "the service is already stopping";
    tasks_.push_back([finish, why] { finish(Result::Error(ErrorKind::kNotReady, why), false); });
    cv_.notify_all();
    return;
  }
  tasks_.push_back([this, finish, timeout_ms, asked] {
    {
      std::lock_guard<std::mutex> inner(mu_);
      if (phase_ != Phase::kServing) {
        finish(Result::Error(ErrorKind::kNotReady, "the service is already stopping"), false);
        return;
      }
    }
    BeginStop(StopKind::kAll, "PrepareStop");
    {
      std::lock_guard<std::mutex> inner(mu_);
      if (stop_kind_ != StopKind::kAll) {
        finish(Result::Error(ErrorKind::kEngine, "JetStopServiceInstance2(All) failed; see the log"),
               false);
        return;
      }
    }
    waiters_.push_back({asked + std::chrono::milliseconds(timeout_ms),
                        [finish](bool quiesced) { finish(Result::Ok(), quiesced); }});
  });
  cv_.notify_all();
}

Result Service::Resume() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (phase_ != Phase::kServing) {
      return Result::Error(ErrorKind::kNotReady, "the service is not serving");
    }
  }
  Result result;
  RunOnLoop([this, &result] {
    bool serving;
    {
      std::lock_guard<std::mutex> lock(mu_);
      serving = phase_ == Phase::kServing;
    }
    if (!serving) {
      result = Result::Error(ErrorKind::kNotReady, "the service is stopping");
      return;
    }
    DoResume(&result);
  });
  return result;
}

platform::DefragOutcome Service::StartDefragment() {
  platform::DefragOutcome outcome;
  outcome.result = StoreAvailable();
  if (!outcome.result.ok()) return outcome;
  bool warned = false;
  outcome.result = store_->Defragment(JET_bitDefragmentBatchStart, &outcome.passes,
                                      &outcome.seconds, &warned);
  outcome.was_running = warned;  // JET_wrnDefragAlreadyRunning
  return outcome;
}

platform::DefragOutcome Service::StopDefragment() {
  platform::DefragOutcome outcome;
  outcome.result = StoreAvailable();
  if (!outcome.result.ok()) return outcome;
  bool warned = false;
  outcome.result = store_->Defragment(JET_bitDefragmentBatchStop, &outcome.passes,
                                      &outcome.seconds, &warned);
  outcome.was_running = outcome.result.ok() && !warned;  // !JET_wrnDefragNotRunning
  return outcome;
}

platform::ManagerSnapshot Service::Snapshot() { return ReadEngine(); }

void Service::SetObserver(std::function<void(const std::vector<std::string>&)> observer) {
  std::lock_guard<std::mutex> lock(mu_);
  observer_ = std::move(observer);
}

platform::StoreLimits Service::Limits() const {
  platform::StoreLimits limits;
  limits.max_key_bytes = config_.max_key_bytes;
  limits.max_value_bytes = config_.max_value_bytes;
  limits.max_scan_items = config_.max_scan_items;
  limits.max_batch_items = config_.max_batch_items;
  return limits;
}

Result Service::StoreAvailable() {
  std::lock_guard<std::mutex> lock(mu_);
  if (phase_ == Phase::kStarting) return Result::Error(ErrorKind::kNotReady, "the service is starting");
  if (phase_ == Phase::kStopped || store_ == nullptr) {
    return Result::Error(ErrorKind::kNotReady, "the service has stopped");
  }
  return Result::Ok();
}

Result Service::Put(const std::string& key, const std::vector<uint8_t>& value) {
  Result available = StoreAvailable();
  return available.ok() ? store_->Put(key, value) : available;
}

Result Service::Get(const std::string& key, std::vector<uint8_t>* value) {
  Result available = StoreAvailable();
  return available.ok() ? store_->Get(key, value) : available;
}

Result Service::Delete(const std::string& key, bool* existed) {
  Result available = StoreAvailable();
  return available.ok() ? store_->Delete(key, existed) : available;
}

Result Service::Scan(const std::string& start, uint32_t limit, std::vector<platform::KeyValue>* out) {
  Result available = StoreAvailable();
  return available.ok() ? store_->Scan(start, limit, out) : available;
}

Result Service::PutBatch(const std::vector<platform::KeyValue>& items, bool durable,
                         uint32_t* count) {
  Result available = StoreAvailable();
  return available.ok() ? store_->PutBatch(items, durable, count) : available;
}

}  // namespace service
}  // namespace jetsvc

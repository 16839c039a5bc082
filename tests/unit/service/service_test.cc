// Service: the lifecycle mapping with a fake reporter and a real engine.
// Each test runs Service::Run() on a thread, as main does, and drives it
// with HostRequests and Controller calls.

#include "service/service.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/api/api_state.h"
#include "jetsvc_ext.h"
#include "platform/testing/fault_env.h"
#include "tests/testing/host/fake_reporter.h"
#include "tests/testing/test_util.h"

namespace jetsvc::service {
namespace {

using platform::ErrorKind;
using platform::HostEvent;
using platform::HostRequest;
using testing::FakeReporter;
using namespace std::chrono_literals;

std::vector<uint8_t> Bytes(const std::string& text) { return {text.begin(), text.end()}; }

class ServiceTest : public ::testing::Test {
 protected:
  ~ServiceTest() override { Join(); }

  config::Config MakeConfig(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"jetsvc", "--service.data-dir=" + dir_.path(),
                                     "--service.instance-name=" + UniqueName(),
                                     "--engine.cache-size-max=4096", "--engine.log-file-size=1024",
                                     "--logind.enable=no"};
    args.insert(args.end(), extra.begin(), extra.end());
    config::ConfigLoader loader(args, [](const char*) -> const char* { return nullptr; },
                                dir_.Join("absent.conf"));
    config::Config config;
    std::string error;
    std::ostringstream out;
    EXPECT_EQ(config::LoadOutcome::kRun, loader.Load(&config, out, &error)) << error;
    return config;
  }

  static std::string UniqueName() {
    static std::atomic<int> counter{0};
    return "svc" + std::to_string(counter.fetch_add(1));
  }

  // Starts Run() on a thread and waits for Ready.
  void Start(config::Config config, Service::Hooks hooks = {},
             std::chrono::microseconds watchdog = 0us) {
    reporter_ = std::make_unique<FakeReporter>(watchdog);
    service_ = std::make_unique<Service>(std::move(config), reporter_.get(), std::move(hooks));
    exit_ = std::async(std::launch::async, [this] { return service_->Run(); });
    // Ready, or stopped by a failed start.
    for (int i = 0; i < 3000 && reporter_->Count("ready") + reporter_->Count("stopped") == 0; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_EQ(0, reporter_->Count("stopped")) << "the start failed: " << reporter_->Sequence();
  }

  void Post(HostEvent event, std::function<void()> done = nullptr,
            HostRequest::Clock::time_point deadline = HostRequest::Clock::time_point::max()) {
    HostRequest request;
    request.event = event;
    request.done = std::move(done);
    request.deadline = deadline;
    request.origin = "test";
    service_->Post(std::move(request));
  }

  int Stop() {
    Post(HostEvent::kStop);
    return Join();
  }

  int Join() {
    if (!exit_.valid()) return -1;
    return exit_.get();
  }

  platform::PrepareOutcome PrepareStop(uint32_t timeout_ms) {
    std::promise<platform::PrepareOutcome> promise;
    auto future = promise.get_future();
    service_->PrepareStop(timeout_ms,
                          [&promise](const platform::PrepareOutcome& outcome) { promise.set_value(outcome); });
    return future.get();
  }

  void Load(int count, bool durable) {
    std::vector<platform::KeyValue> batch;
    for (int i = 0; i < count; ++i) {
      char key[32];
      std::snprintf(key, sizeof(key), "key%07d", i);
      batch.emplace_back(key, std::vector<uint8_t>(300, static_cast<uint8_t>('a' + i % 26)));
      if (batch.size() == 1000 || i + 1 == count) {
        uint32_t written = 0;
        ASSERT_TRUE(service_->PutBatch(batch, durable, &written).ok());
        ASSERT_EQ(batch.size(), written);
        batch.clear();
      }
    }
  }

  testing::ScratchDir dir_;
  std::unique_ptr<FakeReporter> reporter_;
  std::unique_ptr<Service> service_;
  std::future<int> exit_;
};

TEST_F(ServiceTest, StartsReadyServesTheStoreAndStopsCleanly) {
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  EXPECT_EQ("running", service_->Snapshot().state);
  ASSERT_TRUE(service_->Put("alpha", Bytes("1")).ok());
  ASSERT_TRUE(service_->Put("beta", Bytes("")).ok());
  ASSERT_TRUE(service_->Put("alpha", Bytes("one")).ok());  // replace
  std::vector<uint8_t> value;
  ASSERT_TRUE(service_->Get("alpha", &value).ok());
  EXPECT_EQ(Bytes("one"), value);
  ASSERT_TRUE(service_->Get("beta", &value).ok());
  EXPECT_TRUE(value.empty());
  EXPECT_EQ(ErrorKind::kNotFound, service_->Get("gamma", &value).kind);
  std::vector<platform::KeyValue> items;
  ASSERT_TRUE(service_->Scan("", 10, &items).ok());
  ASSERT_EQ(2u, items.size());
  EXPECT_EQ("alpha", items[0].first);
  EXPECT_EQ("beta", items[1].first);
  ASSERT_TRUE(service_->Scan("b", 10, &items).ok());
  ASSERT_EQ(1u, items.size());
  bool existed = false;
  ASSERT_TRUE(service_->Delete("alpha", &existed).ok());
  EXPECT_TRUE(existed);
  ASSERT_TRUE(service_->Delete("alpha", &existed).ok());
  EXPECT_FALSE(existed);
  // Limits.
  EXPECT_EQ(ErrorKind::kInvalidArgument, service_->Put("", Bytes("x")).kind);
  EXPECT_EQ(ErrorKind::kTooLarge, service_->Put(std::string(256, 'k'), Bytes("x")).kind);
  EXPECT_EQ(ErrorKind::kTooLarge, service_->Put("k", std::vector<uint8_t>((1 << 20) + 1)).kind);
  EXPECT_EQ(ErrorKind::kTooLarge, service_->Scan("", 1001, &items).kind);
  EXPECT_EQ(ErrorKind::kInvalidArgument, service_->Scan("", 0, &items).kind);
  // A 255-byte key compares in full (no truncation).
  const std::string long_a = std::string(254, 'k') + "a", long_b = std::string(254, 'k') + "b";
  ASSERT_TRUE(service_->Put(long_a, Bytes("a")).ok());
  ASSERT_TRUE(service_->Put(long_b, Bytes("b")).ok());
  ASSERT_TRUE(service_->Get(long_b, &value).ok());
  EXPECT_EQ(Bytes("b"), value);

  EXPECT_EQ(kExitOk, Stop());
  const std::string sequence = reporter_->Sequence();
  EXPECT_NE(std::string::npos, sequence.find("ready")) << sequence;
  EXPECT_NE(std::string::npos, sequence.find("stopping")) << sequence;
  EXPECT_EQ("stopped", reporter_->calls().back().kind);
  EXPECT_EQ("0", reporter_->calls().back().text);
}

TEST_F(ServiceTest, PrepareStopQuiescesRefusesStoreCallsAndTermIsQuick) {
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  ASSERT_NO_FATAL_FAILURE(Load(5000, /*durable=*/false));
  EXPECT_GT(service_->Snapshot().dirty_pages, 0u);
  const platform::PrepareOutcome outcome = PrepareStop(60000);
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.message;
  EXPECT_TRUE(outcome.quiesced);
  const platform::ManagerSnapshot snapshot = service_->Snapshot();
  EXPECT_EQ("prepared", snapshot.state);
  EXPECT_EQ(0u, snapshot.dirty_pages);
  EXPECT_GT(snapshot.last_prepare_usec, 0u);
  // The API refuses work now, with the stop's own error.
  EXPECT_EQ(ErrorKind::kStopping, service_->Put("late", Bytes("x")).kind);
  std::vector<uint8_t> value;
  EXPECT_EQ(ErrorKind::kStopping, service_->Get("key0000001", &value).kind);
  // All cannot be resumed.
  EXPECT_EQ(ErrorKind::kInvalidArgument, service_->Resume().kind);
  // STOPPING=1 only comes with the final stop.
  EXPECT_EQ(0, reporter_->Count("stopping"));
  EXPECT_EQ(kExitOk, Stop());

  // The next start finds every record, and knows how long the term took.
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  EXPECT_GT(service_->Snapshot().last_term_usec, 0u);
  std::vector<platform::KeyValue> items;
  ASSERT_TRUE(service_->Scan("key0004990", 100, &items).ok());
  EXPECT_EQ(10u, items.size());
  ASSERT_TRUE(service_->Get("key0000042", &value).ok());
  EXPECT_EQ(std::vector<uint8_t>(300, 'a' + 42 % 26), value);
  EXPECT_EQ(kExitOk, Stop());
}

TEST_F(ServiceTest, ShutdownPrepareIsResumableAndKeepsServing) {
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  ASSERT_NO_FATAL_FAILURE(Load(3000, false));
  std::promise<void> released;
  Post(HostEvent::kPrepareShutdown, [&released] { released.set_value(); },
       HostRequest::Clock::now() + 30s);
  ASSERT_EQ(std::future_status::ready, released.get_future().wait_for(30s));
  platform::ManagerSnapshot snapshot = service_->Snapshot();
  EXPECT_EQ("prepared", snapshot.state);
  EXPECT_EQ(0u, snapshot.dirty_pages);
  // The API still answers, writes included.
  EXPECT_TRUE(service_->Put("during", Bytes("prepare")).ok());
  // Cancelled: resume.
  std::promise<void> resumed;
  Post(HostEvent::kShutdownCancelled, [&resumed] { resumed.set_value(); });
  resumed.get_future().wait();
  EXPECT_EQ("running", service_->Snapshot().state);
  EXPECT_TRUE(service_->Put("after", Bytes("resume")).ok());
  EXPECT_EQ(0, reporter_->Count("stopping"));
  EXPECT_EQ(kExitOk, Stop());
}

TEST_F(ServiceTest, APrepareWhoseDeadlinePassedStillCompletes) {
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  ASSERT_NO_FATAL_FAILURE(Load(2000, false));
  std::promise<void> released;
  // A deadline already past: done() comes at once, quiesced or not.
  Post(HostEvent::kPrepareShutdown, [&released] { released.set_value(); },
       HostRequest::Clock::now());
  EXPECT_EQ(std::future_status::ready, released.get_future().wait_for(5s));
  EXPECT_EQ(kExitOk, Stop());
}

TEST_F(ServiceTest, SleepQuiescesAndResumes) {
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  ASSERT_NO_FATAL_FAILURE(Load(1000, false));
  std::promise<void> slept;
  Post(HostEvent::kPrepareSleep, [&slept] { slept.set_value(); }, HostRequest::Clock::now() + 30s);
  slept.get_future().wait();
  EXPECT_EQ("sleeping", service_->Snapshot().state);
  EXPECT_EQ(0u, service_->Snapshot().dirty_pages);
  std::promise<void> woke;
  Post(HostEvent::kResumeFromSleep, [&woke] { woke.set_value(); });
  woke.get_future().wait();
  EXPECT_EQ("running", service_->Snapshot().state);
  EXPECT_EQ(kExitOk, Stop());
}

TEST_F(ServiceTest, StopWithoutPrepareFlushesWithProgressAndEndsSessions) {
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  ASSERT_NO_FATAL_FAILURE(Load(20000, false));
  EXPECT_EQ(kExitOk, Stop());
  const auto calls = reporter_->calls();
  int stopping = 0;
  for (const auto& call : calls) {
    if (call.kind != "stopping") continue;
    ++stopping;
    EXPECT_GT(call.more_time.count(), 0);
  }
  EXPECT_GE(stopping, 2);  // announced, then the term step
  // A clean term: the next JetInit replays nothing and the data is there.
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  std::vector<uint8_t> value;
  EXPECT_TRUE(service_->Get("key0019999", &value).ok());
  EXPECT_EQ(kExitOk, Stop());
}

TEST_F(ServiceTest, AStopDeadlineFromTheOsCutsTheFlushShortAndJetTermFinishesIt) {
  // A slow database disk: the flush cannot finish before the deadline
  // (what SCM PRESHUTDOWN's timeout gives), so the stop goes on to JetTerm
  // at the deadline and still ends clean.
  FaultInjectionEnv env(Env::Default());
  {
    api::ApiState& state = api::ApiState::Get();
    MutexLock lock(&state.mu);
    state.env_for_new_instances = &env;
  }
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  {
    api::ApiState& state = api::ApiState::Get();
    MutexLock lock(&state.mu);
    state.env_for_new_instances = nullptr;
  }
  ASSERT_NO_FATAL_FAILURE(Load(20000, false));
  env.DelayWrites(".edb", 150ms);
  const auto started = HostRequest::Clock::now();
  Post(HostEvent::kStop, nullptr, started + 300ms);
  // Let the deadline pass, then let the disk be fast again for JetTerm.
  std::this_thread::sleep_for(400ms);
  env.DelayWrites("", 0us);
  EXPECT_EQ(kExitOk, Join());
  bool cut_short = false;
  for (const auto& call : reporter_->calls()) {
    if (call.kind == "stopping" && call.text.find("deadline") != std::string::npos) cut_short = true;
  }
  EXPECT_TRUE(cut_short) << reporter_->Sequence();
  // Clean: the data is all there.
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  std::vector<uint8_t> value;
  EXPECT_TRUE(service_->Get("key0019999", &value).ok());
  EXPECT_EQ(kExitOk, Stop());
}

TEST_F(ServiceTest, ReloadAppliesRuntimeSettingsAndRejectsABadConfig) {
  int reloads = 0;
  Service::Hooks hooks;
  hooks.reload_config = [this, &reloads](config::Config* fresh, std::string* error) {
    if (++reloads == 1) {
      *fresh = MakeConfig({"--engine.checkpoint-depth-max=1048576", "--service.log-level=debug"});
      return true;
    }
    *error = "engine.log-file-size = 1: out of range";
    return false;
  };
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig(), hooks));
  Post(HostEvent::kReload);
  ASSERT_TRUE(reporter_->WaitFor("ready", 2));
  JET_API_PTR depth = 0;
  ASSERT_EQ(JET_errSuccess, JetGetSystemParameter(service_->instance(), JET_sesidNil,
                                                  JET_paramCheckpointDepthMax, &depth, nullptr, 0));
  EXPECT_EQ(1048576u, depth);
  Post(HostEvent::kReload);
  ASSERT_TRUE(reporter_->WaitFor("ready", 3));
  EXPECT_EQ(2, reporter_->Count("reloading"));
  ASSERT_EQ(JET_errSuccess, JetGetSystemParameter(service_->instance(), JET_sesidNil,
                                                  JET_paramCheckpointDepthMax, &depth, nullptr, 0));
  EXPECT_EQ(1048576u, depth);  // the rejected config changed nothing
  EXPECT_TRUE(service_->Put("still", Bytes("serving")).ok());
  EXPECT_EQ(kExitOk, Stop());
}

TEST_F(ServiceTest, WatchdogPingsWhileHealthy) {
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig(), {}, 100ms));
  EXPECT_TRUE(reporter_->WaitFor("watchdog", 3, 10s));
  EXPECT_EQ(kExitOk, Stop());
}

TEST_F(ServiceTest, AnEngineFailureStopsTheServiceWithExitOne) {
  FaultInjectionEnv env(Env::Default());
  {
    api::ApiState& state = api::ApiState::Get();
    MutexLock lock(&state.mu);
    state.env_for_new_instances = &env;
  }
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig(), {}, 100ms));
  {
    api::ApiState& state = api::ApiState::Get();
    MutexLock lock(&state.mu);
    state.env_for_new_instances = nullptr;
  }
  env.FailWrites(".log", JET_errDiskFull);
  platform::Result result;
  for (int i = 0; i < 100 && result.ok(); ++i) {
    result = service_->Put("k" + std::to_string(i), std::vector<uint8_t>(4000, 'x'));
  }
  EXPECT_FALSE(result.ok());
  // The loop notices, stops, and exits non-zero.
  EXPECT_EQ(kExitFailure, Join());
  EXPECT_EQ("1", reporter_->calls().back().text);
  env.ClearWriteFailure();
  // The next start recovers every acknowledged write.
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  std::vector<uint8_t> value;
  EXPECT_TRUE(service_->Get("k0", &value).ok() || result.kind != ErrorKind::kNone);
  EXPECT_EQ(kExitOk, Stop());
}

TEST_F(ServiceTest, ABadDatabaseStopsTheStartWithExitOne) {
  config::Config config = MakeConfig();
  // The database path is a directory: attach and create both fail.
  std::filesystem::create_directories(config.database);
  reporter_ = std::make_unique<FakeReporter>();
  service_ = std::make_unique<Service>(config, reporter_.get(), Service::Hooks{});
  EXPECT_EQ(kExitFailure, service_->Run());
  EXPECT_EQ("stopped", reporter_->calls().back().kind);
  EXPECT_EQ(0, reporter_->Count("ready"));
}

TEST_F(ServiceTest, RequestsBeforeServingOrAfterStoppingStillComplete) {
  ASSERT_NO_FATAL_FAILURE(Start(MakeConfig()));
  EXPECT_EQ(kExitOk, Stop());
  // After the stop: a PrepareStop is refused, store calls too.
  const platform::PrepareOutcome outcome = [&] {
    std::promise<platform::PrepareOutcome> promise;
    auto future = promise.get_future();
    service_->PrepareStop(1000, [&promise](const platform::PrepareOutcome& o) { promise.set_value(o); });
    // Nothing runs the loop any more, so the refusal must not need it.
    EXPECT_EQ(std::future_status::ready, future.wait_for(2s));
    return future.get();
  }();
  EXPECT_EQ(ErrorKind::kNotReady, outcome.result.kind);
  std::promise<void> done;
  Post(HostEvent::kPrepareShutdown, [&done] { done.set_value(); });
  EXPECT_EQ(std::future_status::ready, done.get_future().wait_for(2s));
  std::vector<uint8_t> value;
  EXPECT_EQ(ErrorKind::kNotReady, service_->Get("x", &value).kind);
}

}  // namespace
}  // namespace jetsvc::service

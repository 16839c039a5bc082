// LogindInhibitor against real processes: a private dbus-daemon, the fake
// logind (tests/tools/fake_logind) on it as org.freedesktop.login1, and the
// inhibitor in this process with DBUS_SYSTEM_BUS_ADDRESS pointing at the
// private bus. `post` records the HostRequests.

#include "platform/dbus/logind.h"

#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "tests/testing/host/fake_logind_process.h"
#include "tests/testing/host/private_bus.h"

extern char** environ;

namespace jetsvc::platform {
namespace {

using namespace std::chrono_literals;
using Clock = HostRequest::Clock;
using jetsvc::testing::FakeLogindProcess;
using jetsvc::testing::PrivateBus;

// Long enough for a loaded 2-core machine; the checks that something does
// NOT happen use kQuiet.
constexpr std::chrono::milliseconds kWait = 10s;
constexpr std::chrono::milliseconds kQuiet = 300ms;

// The requests `post` received, in order.
class RequestQueue {
 public:
  PostFunction Poster() {
    return [this](HostRequest request) {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(std::move(request));
      arrived_.notify_all();
    };
  }
  std::optional<HostRequest> Next(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!arrived_.wait_for(lock, timeout, [this] { return !requests_.empty(); })) {
      return std::nullopt;
    }
    HostRequest request = std::move(requests_.front());
    requests_.pop_front();
    return request;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<HostRequest> requests_;
};

class LogindInhibitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(bus_.Start(&error)) << error;
    ASSERT_EQ(0, ::setenv("DBUS_SYSTEM_BUS_ADDRESS", bus_.address().c_str(), 1));
  }
  void TearDown() override {
    inhibitor_.reset();  // before the fake and the bus go
    (void)::unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
  }

  void StartFake(std::chrono::microseconds delay_max = 3s, bool deny_inhibit = false) {
    FakeLogindProcess::Options options;
    options.delay_max = delay_max;
    options.deny_inhibit = deny_inhibit;
    std::string error;
    ASSERT_TRUE(fake_.Start(bus_.address(), options, &error)) << error;
  }
  void StartInhibitor(const std::string& mode = "auto", std::chrono::milliseconds margin = 1s) {
    LogindOptions options;
    options.mode = mode;
    options.margin = margin;
    std::string why;
    inhibitor_ = LogindInhibitor::Start(options, requests_.Poster(), &why);
    ASSERT_NE(nullptr, inhibitor_) << why;
  }
  // The next request, which must be `event` from logind.
  HostRequest Expect(HostEvent event) {
    std::optional<HostRequest> request = requests_.Next(kWait);
    if (!request.has_value()) {
      ADD_FAILURE() << "no request; expected " << static_cast<int>(event);
      return HostRequest();
    }
    EXPECT_EQ(static_cast<int>(event), static_cast<int>(request->event));
    EXPECT_EQ("logind", request->origin);
    return std::move(*request);
  }

  // Calls `done` of the next request, which must be `event` with a done.
  void Finish(HostEvent event) {
    HostRequest request = Expect(event);
    ASSERT_TRUE(request.done);
    request.done();
  }
  // logind's poweroff while the service answers the prepare after `work`;
  // how long logind waited.
  std::optional<std::chrono::microseconds> PowerOffAnswered(bool cancel,
                                                           std::chrono::milliseconds work) {
    std::optional<std::chrono::microseconds> waited;
    std::thread power_off([&] { waited = fake_.PowerOff(cancel); });
    HostRequest prepare = Expect(HostEvent::kPrepareShutdown);
    std::this_thread::sleep_for(work);
    if (prepare.done) prepare.done();
    EXPECT_TRUE(prepare.done);
    power_off.join();
    return waited;
  }

  PrivateBus bus_;
  FakeLogindProcess fake_;
  RequestQueue requests_;
  std::unique_ptr<LogindInhibitor> inhibitor_;
};

TEST_F(LogindInhibitorTest, TakesADelayLockForShutdownAndSleepAtStart) {
  ASSERT_NO_FATAL_FAILURE(StartFake(3s));
  ASSERT_NO_FATAL_FAILURE(StartInhibitor());
  EXPECT_TRUE(inhibitor_->HoldsLock());
  EXPECT_EQ(std::chrono::microseconds(3s), inhibitor_->InhibitDelayMax());

  const FakeLogindProcess::LockCounts counts = fake_.LockCount();
  // One lock per kind: logind denies a combined "shutdown:sleep" delay lock
  // to a non-root user.
  EXPECT_EQ(2u, counts.held);
  EXPECT_EQ(2u, counts.total_taken);
  const std::vector<FakeLogindProcess::Inhibitor> locks = fake_.ListInhibitors();
  ASSERT_EQ(2u, locks.size());
  EXPECT_EQ("shutdown", locks[0].what);
  EXPECT_EQ("sleep", locks[1].what);
  for (const auto& held_lock : locks) {
    EXPECT_EQ("delay", held_lock.mode);
    EXPECT_EQ("jetsvc", held_lock.who);
    EXPECT_FALSE(held_lock.why.empty());
    EXPECT_EQ(static_cast<uint32_t>(::getpid()), held_lock.pid);
    EXPECT_EQ(static_cast<uint32_t>(::getuid()), held_lock.uid);
  }
  // Nothing is posted until logind says something.
  EXPECT_FALSE(requests_.Next(kQuiet).has_value());
}

TEST_F(LogindInhibitorTest, PrepareForShutdownPostsAPrepareWhoseDoneReleasesTheLock) {
  ASSERT_NO_FATAL_FAILURE(StartFake(3s));
  ASSERT_NO_FATAL_FAILURE(StartInhibitor("auto", 1s));
  const Clock::time_point before = Clock::now();
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(true));
  HostRequest prepare = Expect(HostEvent::kPrepareShutdown);
  const Clock::time_point after = Clock::now();
  // deadline = receipt + 3 s delay max - 1 s margin
  EXPECT_GE(prepare.deadline, before + 2s);
  EXPECT_LE(prepare.deadline, after + 2s);
  ASSERT_TRUE(prepare.done);

  // logind is kept waiting until the service is done.
  uint32_t held = 0;
  EXPECT_FALSE(fake_.WaitLocksReleased(kQuiet, &held));
  EXPECT_EQ(2u, held);
  EXPECT_TRUE(inhibitor_->HoldsLock());

  prepare.done();
  EXPECT_FALSE(inhibitor_->HoldsLock());
  EXPECT_TRUE(fake_.WaitLocksReleased(kWait));  // every copy of the fd is closed
  EXPECT_EQ(0u, fake_.LockCount().held);
}

TEST_F(LogindInhibitorTest, CancelledPowerOffReleasesThenRetakesTheLock) {
  ASSERT_NO_FATAL_FAILURE(StartFake(5s));
  ASSERT_NO_FATAL_FAILURE(StartInhibitor());
  const std::optional<std::chrono::microseconds> waited = PowerOffAnswered(/*cancel=*/true, 50ms);
  ASSERT_TRUE(waited.has_value());
  EXPECT_GE(*waited, std::chrono::microseconds(50ms));
  EXPECT_LT(*waited, std::chrono::microseconds(5s));  // released, not timed out

  Expect(HostEvent::kShutdownCancelled);
  EXPECT_TRUE(fake_.WaitLockHeld(kWait));
  EXPECT_TRUE(inhibitor_->HoldsLock());
  const FakeLogindProcess::LockCounts counts = fake_.LockCount();
  EXPECT_EQ(2u, counts.held);
  EXPECT_EQ(4u, counts.total_taken);
}

TEST_F(LogindInhibitorTest, CancelBeforePrepareFinishesKeepsTheLock) {
  ASSERT_NO_FATAL_FAILURE(StartFake(5s));
  ASSERT_NO_FATAL_FAILURE(StartInhibitor());
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(true));
  HostRequest prepare = Expect(HostEvent::kPrepareShutdown);
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(false));
  Expect(HostEvent::kShutdownCancelled);
  // The prepare ends after the cancellation: its done must not drop the
  // lock the service now runs under again.
  ASSERT_TRUE(prepare.done);
  prepare.done();
  EXPECT_TRUE(inhibitor_->HoldsLock());
  EXPECT_FALSE(fake_.WaitLocksReleased(kQuiet));
  const FakeLogindProcess::LockCounts counts = fake_.LockCount();
  EXPECT_EQ(2u, counts.held);
  EXPECT_EQ(2u, counts.total_taken);  // never released, so never retaken
}

TEST_F(LogindInhibitorTest, ShutdownThatGoesAheadLeavesNoLock) {
  ASSERT_NO_FATAL_FAILURE(StartFake(5s));
  ASSERT_NO_FATAL_FAILURE(StartInhibitor());
  const std::optional<std::chrono::microseconds> waited = PowerOffAnswered(/*cancel=*/false, 0ms);
  ASSERT_TRUE(waited.has_value());
  EXPECT_LT(*waited, std::chrono::microseconds(5s));
  EXPECT_FALSE(requests_.Next(kQuiet).has_value());
  EXPECT_FALSE(inhibitor_->HoldsLock());
  EXPECT_EQ(0u, fake_.LockCount().held);
}

TEST_F(LogindInhibitorTest, LogindGoesAheadAtTheDelayMaxWhenThePrepareHangs) {
  ASSERT_NO_FATAL_FAILURE(StartFake(400ms));
  ASSERT_NO_FATAL_FAILURE(StartInhibitor("auto", 100ms));
  const std::optional<std::chrono::microseconds> waited = fake_.PowerOff(/*cancel=*/false);
  ASSERT_TRUE(waited.has_value());
  EXPECT_GE(*waited, std::chrono::microseconds(400ms));
  HostRequest prepare = Expect(HostEvent::kPrepareShutdown);
  EXPECT_TRUE(inhibitor_->HoldsLock());  // nobody called done
}

TEST_F(LogindInhibitorTest, DeadlineIsNeverInThePast) {
  ASSERT_NO_FATAL_FAILURE(StartFake(200ms));
  ASSERT_NO_FATAL_FAILURE(StartInhibitor("auto", 1s));  // margin > delay max
  const Clock::time_point before = Clock::now();
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(true));
  HostRequest prepare = Expect(HostEvent::kPrepareShutdown);
  EXPECT_GE(prepare.deadline, before);
  EXPECT_LE(prepare.deadline, Clock::now());
}

TEST_F(LogindInhibitorTest, SleepReleasesTheLockAndResumeRetakesIt) {
  ASSERT_NO_FATAL_FAILURE(StartFake(3s));
  ASSERT_NO_FATAL_FAILURE(StartInhibitor("auto", 1s));
  const Clock::time_point before = Clock::now();
  ASSERT_TRUE(fake_.EmitPrepareForSleep(true));
  HostRequest sleep = Expect(HostEvent::kPrepareSleep);
  EXPECT_GE(sleep.deadline, before + 2s);
  EXPECT_LE(sleep.deadline, Clock::now() + 2s);
  ASSERT_TRUE(sleep.done);
  sleep.done();
  EXPECT_TRUE(fake_.WaitLocksReleased(kWait));

  ASSERT_TRUE(fake_.EmitPrepareForSleep(false));
  HostRequest resume = Expect(HostEvent::kResumeFromSleep);
  EXPECT_FALSE(resume.done);
  EXPECT_EQ(Clock::time_point::max(), resume.deadline);
  EXPECT_TRUE(inhibitor_->HoldsLock());  // retaken before the resume is posted
  EXPECT_TRUE(fake_.WaitLockHeld(kWait));
  EXPECT_EQ(4u, fake_.LockCount().total_taken);
}

TEST_F(LogindInhibitorTest, StopReleasesTheLockAndEndsDelivery) {
  ASSERT_NO_FATAL_FAILURE(StartFake());
  ASSERT_NO_FATAL_FAILURE(StartInhibitor());
  ASSERT_TRUE(fake_.WaitLockHeld(kWait));
  inhibitor_->Stop();
  EXPECT_FALSE(inhibitor_->HoldsLock());
  EXPECT_TRUE(fake_.WaitLocksReleased(kWait));
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(true));
  EXPECT_FALSE(requests_.Next(kQuiet).has_value());
  inhibitor_->Stop();  // idempotent
}

TEST_F(LogindInhibitorTest, DoneAfterTheInhibitorIsGoneIsHarmless) {
  ASSERT_NO_FATAL_FAILURE(StartFake());
  ASSERT_NO_FATAL_FAILURE(StartInhibitor());
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(true));
  HostRequest prepare = Expect(HostEvent::kPrepareShutdown);
  inhibitor_.reset();
  EXPECT_TRUE(fake_.WaitLocksReleased(kWait));
  ASSERT_TRUE(prepare.done);
  prepare.done();
  EXPECT_EQ(0u, fake_.LockCount().held);
}

TEST_F(LogindInhibitorTest, AChildProcessDoesNotInheritTheLock) {
  ASSERT_NO_FATAL_FAILURE(StartFake());
  ASSERT_NO_FATAL_FAILURE(StartInhibitor());
  // A child started while the lock is held (as the daemon might) must not
  // keep logind waiting after the service released it.
  pid_t child = -1;
  char sleep_path[] = "/bin/sleep";
  char seconds[] = "30";
  char* argv[] = {sleep_path, seconds, nullptr};
  ASSERT_EQ(0, ::posix_spawn(&child, sleep_path, nullptr, nullptr, argv, environ));
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(true));
  ASSERT_NO_FATAL_FAILURE(Finish(HostEvent::kPrepareShutdown));
  EXPECT_TRUE(fake_.WaitLocksReleased(kWait));
  (void)::kill(child, SIGKILL);
  (void)::waitpid(child, nullptr, 0);
}

TEST_F(LogindInhibitorTest, RefusedLockInAutoModeStillDeliversTheSignals) {
  ASSERT_NO_FATAL_FAILURE(StartFake(3s, /*deny_inhibit=*/true));
  ASSERT_NO_FATAL_FAILURE(StartInhibitor("auto"));
  EXPECT_FALSE(inhibitor_->HoldsLock());
  EXPECT_EQ(0u, fake_.LockCount().total_taken);
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(true));
  ASSERT_NO_FATAL_FAILURE(Finish(HostEvent::kPrepareShutdown));
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(false));
  Expect(HostEvent::kShutdownCancelled);  // posted though the retake failed
  EXPECT_FALSE(inhibitor_->HoldsLock());
}

TEST_F(LogindInhibitorTest, RefusedLockInYesModeIsAnError) {
  ASSERT_NO_FATAL_FAILURE(StartFake(3s, /*deny_inhibit=*/true));
  LogindOptions options;
  options.mode = "yes";
  std::string why;
  EXPECT_EQ(nullptr, LogindInhibitor::Start(options, requests_.Poster(), &why));
  EXPECT_NE(std::string::npos, why.find("Access denied")) << why;
  EXPECT_NE(std::string::npos, why.find("AccessDenied")) << why;
}

TEST_F(LogindInhibitorTest, RetakeRefusedAfterCancelLeavesNoLockButPostsTheCancel) {
  ASSERT_NO_FATAL_FAILURE(StartFake());
  ASSERT_NO_FATAL_FAILURE(StartInhibitor());
  ASSERT_TRUE(fake_.SetDenyInhibit(true));
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(true));
  ASSERT_NO_FATAL_FAILURE(Finish(HostEvent::kPrepareShutdown));
  ASSERT_TRUE(fake_.WaitLocksReleased(kWait));
  ASSERT_TRUE(fake_.EmitPrepareForShutdown(false));
  Expect(HostEvent::kShutdownCancelled);
  EXPECT_FALSE(inhibitor_->HoldsLock());

  // The next cycle takes the lock again once logind allows it.
  ASSERT_TRUE(fake_.SetDenyInhibit(false));
  ASSERT_TRUE(fake_.EmitPrepareForSleep(true));
  ASSERT_NO_FATAL_FAILURE(Finish(HostEvent::kPrepareSleep));
  ASSERT_TRUE(fake_.EmitPrepareForSleep(false));
  Expect(HostEvent::kResumeFromSleep);
  EXPECT_TRUE(inhibitor_->HoldsLock());
  EXPECT_TRUE(fake_.WaitLockHeld(kWait));
}

TEST_F(LogindInhibitorTest, AutoModeWithoutLogindOnTheBusRunsWithout) {
  LogindOptions options;  // auto
  std::string why;
  EXPECT_EQ(nullptr, LogindInhibitor::Start(options, requests_.Poster(), &why));
  EXPECT_NE(std::string::npos, why.find("org.freedesktop.login1 is not on the system bus")) << why;
}

TEST_F(LogindInhibitorTest, YesModeWithoutLogindOnTheBusFails) {
  LogindOptions options;
  options.mode = "yes";
  std::string why;
  EXPECT_EQ(nullptr, LogindInhibitor::Start(options, requests_.Poster(), &why));
  EXPECT_NE(std::string::npos, why.find("org.freedesktop.login1")) << why;
}

TEST_F(LogindInhibitorTest, AutoModeWithoutASystemBusRunsWithout) {
  ASSERT_EQ(0, ::setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/jetsvc-bus", 1));
  LogindOptions options;
  std::string why;
  EXPECT_EQ(nullptr, LogindInhibitor::Start(options, requests_.Poster(), &why));
  EXPECT_NE(std::string::npos, why.find("cannot connect to the system bus")) << why;
}

TEST_F(LogindInhibitorTest, ModeNoDoesNothing) {
  ASSERT_NO_FATAL_FAILURE(StartFake());
  LogindOptions options;
  options.mode = "no";
  std::string why;
  EXPECT_EQ(nullptr, LogindInhibitor::Start(options, requests_.Poster(), &why));
  EXPECT_EQ("disabled by config", why);
  EXPECT_EQ(0u, fake_.LockCount().total_taken);
}

TEST_F(LogindInhibitorTest, UnknownModeIsRejected) {
  LogindOptions options;
  options.mode = "maybe";
  std::string why;
  EXPECT_EQ(nullptr, LogindInhibitor::Start(options, requests_.Poster(), &why));
  EXPECT_NE(std::string::npos, why.find("'maybe'")) << why;
}

}  // namespace
}  // namespace jetsvc::platform

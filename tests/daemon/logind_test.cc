// End-to-end: logind's PrepareForShutdown and PrepareForSleep, through the
// fake logind on the test bus. The daemon holds a delay lock from the
// start; on the prepare signal it quiesces the engine (the resumable stop:
// the API keeps answering), then releases the lock; the "false" signal
// resumes and the lock is taken again. None of this is the final stop, so
// no STOPPING=1 may be sent.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/daemon/daemon_fixture.h"

namespace jetsvc::testing {
namespace {

constexpr int kRecords = 100000;
constexpr auto kDelayMax = std::chrono::seconds(10);

TEST_F(DaemonTest, CancelledShutdownQuiescesReleasesTheLockThenResumes) {
  ASSERT_NO_FATAL_FAILURE(StartLogind(kDelayMax));
  // Lazy commits leave the cache dirty.
  Daemon* daemon = StartWithDirtyCache(kRecords);
  ASSERT_NE(daemon, nullptr);
  ASSERT_TRUE(logind_.WaitLockHeld(10s));
  // The fake counts "shutdown:sleep" as one lock per type.
  const uint32_t taken_at_start = logind_.LockCount().total_taken;
  EXPECT_GE(taken_at_start, 1u);
  const auto inhibitors = logind_.ListInhibitors();
  EXPECT_FALSE(inhibitors.empty());
  for (const auto& inhibitor : inhibitors) {
    EXPECT_EQ(inhibitor.mode, "delay");
    EXPECT_EQ(inhibitor.who, "jetsvc");
    EXPECT_EQ(inhibitor.pid, static_cast<uint32_t>(daemon->process.pid()));
  }

  // logind's poweroff: PrepareForShutdown(true), then it waits for the
  // delay lock (at most InhibitDelayMaxUSec).
  const std::optional<std::chrono::microseconds> waited = logind_.PowerOff(/*cancel=*/false);
  ASSERT_TRUE(waited.has_value());
  EXPECT_LT(*waited, kDelayMax) << "the lock was not released before logind's delay ran out";
  uint32_t held = 0;
  ASSERT_TRUE(logind_.WaitLocksReleased(0ms, &held)) << held << " lock(s) still held";
  // The lock goes only once the engine is quiesced.
  EXPECT_EQ(DirtyPages(), 0u);
  EXPECT_EQ(State(), "prepared");
  EXPECT_GT(ManagerProperty<uint64_t>("LastPrepareDurationUsec"), 0u);

  // The resumable stop: the API still answers, reads and writes.
  EXPECT_EQ(Get(Key(12345)), Value(12345));
  Put("during-prepare", {1, 2});
  EXPECT_EQ(Get("during-prepare"), (std::vector<uint8_t>{1, 2}));

  // The shutdown is cancelled: resume, and a new lock.
  ASSERT_TRUE(logind_.EmitPrepareForShutdown(false));
  std::string last;
  EXPECT_TRUE(WaitForState("running", 10s, &last)) << "state " << last;
  EXPECT_TRUE(logind_.WaitLockHeld(10s));
  EXPECT_EQ(logind_.LockCount().total_taken, 2 * taken_at_start) << "a new lock after the resume";
  Put("after-resume", {3});
  EXPECT_EQ(Get("after-resume"), std::vector<uint8_t>{3});
  ASSERT_NO_FATAL_FAILURE(PutRecords(kRecords, 1000, /*durable=*/true));

  EXPECT_FALSE(daemon->notify.Has("STOPPING=1"))
      << "STOPPING=1 during a prepare makes systemd skip ExecStop= and SIGTERM";
  EXPECT_EQ(Stop(daemon).ToString(), "exit code 0");
  EXPECT_TRUE(logind_.WaitLocksReleased(5s));
}

TEST_F(DaemonTest, SleepQuiescesReleasesTheLockAndWakeResumes) {
  ASSERT_NO_FATAL_FAILURE(StartLogind(kDelayMax));
  Daemon* daemon = StartWithDirtyCache(30000);
  ASSERT_NE(daemon, nullptr);
  ASSERT_TRUE(logind_.WaitLockHeld(10s));

  ASSERT_TRUE(logind_.EmitPrepareForSleep(true));
  uint32_t held = 0;
  ASSERT_TRUE(logind_.WaitLocksReleased(kDelayMax, &held)) << held << " lock(s) still held";
  EXPECT_EQ(DirtyPages(), 0u) << "the lock was released before the cache was quiesced";
  EXPECT_EQ(State(), "sleeping");
  EXPECT_EQ(Get(Key(2024)), Value(2024));

  ASSERT_TRUE(logind_.EmitPrepareForSleep(false));
  std::string last;
  EXPECT_TRUE(WaitForState("running", 10s, &last)) << "state " << last;
  EXPECT_TRUE(logind_.WaitLockHeld(10s));
  Put("after-wake", {9});
  EXPECT_EQ(Get("after-wake"), std::vector<uint8_t>{9});
  EXPECT_FALSE(daemon->notify.Has("STOPPING=1"));
  EXPECT_EQ(Stop(daemon).ToString(), "exit code 0");
}

// The whole poweroff as systemd runs it: logind's PrepareForShutdown(true)
// (the resumable prepare, the lock released), then ExecStop= (jetctl
// prepare-stop upgrades it to the final prepare), then SIGTERM.
TEST_F(DaemonTest, PoweroffThenExecStopThenSigtermExitsCleanly) {
  constexpr int kRecords = 20000;
  ASSERT_NO_FATAL_FAILURE(StartLogind(kDelayMax));
  Daemon* daemon = StartWithDirtyCache(kRecords);
  ASSERT_NE(daemon, nullptr);
  ASSERT_TRUE(logind_.WaitLockHeld(10s));

  const std::optional<std::chrono::microseconds> waited = logind_.PowerOff(/*cancel=*/false);
  ASSERT_TRUE(waited.has_value());
  EXPECT_LT(*waited, kDelayMax);
  EXPECT_EQ(State(), "prepared");

  const ProgramOutput prepare = RunJetctl(bus_.address(), {"prepare-stop", "--timeout", "30"});
  EXPECT_EQ(prepare.status.ToString(), "exit code 0") << prepare.Describe();
  const ProgramOutput put = RunJetctl(bus_.address(), {"put", "late", "value"});
  EXPECT_EQ(put.status.ToString(), "exit code 3") << put.Describe();
  EXPECT_FALSE(daemon->notify.Has("STOPPING=1"));

  const size_t mark = daemon->notify.assignment_count();
  ASSERT_EQ(Stop(daemon).ToString(), "exit code 0");
  EXPECT_TRUE(daemon->notify.Has("STOPPING=1", mark));
  EXPECT_EQ(DatabaseState(), JET_dbstateCleanShutdown);

  Daemon* again = StartDaemon();
  ASSERT_NE(again, nullptr);
  ASSERT_NO_FATAL_FAILURE(ExpectRecords(kRecords));
  EXPECT_EQ(Stop(again).ToString(), "exit code 0");
}

}  // namespace
}  // namespace jetsvc::testing

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
  Daemon* daemon = StartDaemon();
  ASSERT_NE(daemon, nullptr);
  ASSERT_TRUE(logind_.WaitLockHeld(10s));
  EXPECT_EQ(logind_.LockCount().total_taken, 1u);

  // Lazy commits leave the cache dirty.
  ASSERT_NO_FATAL_FAILURE(PutRecords(0, kRecords, /*durable=*/false));
  ASSERT_GT(DirtyPages(), 0u) << "the load left no dirty page; the test proves nothing";

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
  EXPECT_EQ(logind_.LockCount().total_taken, 2u);
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
  Daemon* daemon = StartDaemon();
  ASSERT_NE(daemon, nullptr);
  ASSERT_TRUE(logind_.WaitLockHeld(10s));
  ASSERT_NO_FATAL_FAILURE(PutRecords(0, 30000, /*durable=*/false));
  ASSERT_GT(DirtyPages(), 0u) << "the load left no dirty page; the test proves nothing";

  ASSERT_TRUE(logind_.EmitPrepareForSleep(true));
  uint32_t held = 0;
  ASSERT_TRUE(logind_.WaitLocksReleased(std::chrono::duration_cast<std::chrono::milliseconds>(kDelayMax),
                                        &held))
      << held << " lock(s) still held";
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

}  // namespace
}  // namespace jetsvc::testing

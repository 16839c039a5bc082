// End-to-end: the final stop and what the next start finds. jetctl
// prepare-stop (ExecStop=) then SIGTERM; SIGTERM alone after a lazy load;
// SIGKILL in the middle of durable writes. A clean stop leaves the
// database header in the clean-shutdown state, so the next start replays
// nothing; after a SIGKILL the start recovers every acknowledged write.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/daemon/daemon_fixture.h"

namespace jetsvc::testing {
namespace {

TEST_F(DaemonTest, PrepareStopRefusesStoreCallsThenSigtermExitsCleanlyAndRestartReplaysNothing) {
  constexpr int kRecords = 50000;
  Daemon* daemon = StartWithDirtyCache(kRecords);
  ASSERT_NE(daemon, nullptr);

  // ExecStop=: the first phase, answered once quiesced.
  const ProgramOutput prepare = RunJetctl(bus_.address(), {"prepare-stop", "--timeout", "30"});
  ASSERT_EQ(prepare.status.ToString(), "exit code 0") << prepare.Describe();
  EXPECT_TRUE(Contains(prepare.out, "quiesced")) << prepare.out;
  EXPECT_EQ(State(), "prepared");
  EXPECT_EQ(DirtyPages(), 0u);
  EXPECT_FALSE(daemon->notify.Has("STOPPING=1")) << "STOPPING=1 before SIGTERM";

  // The store refuses work now: jetctl's "refused" exit code and the
  // named error.
  const ProgramOutput put = RunJetctl(bus_.address(), {"put", "late", "value"});
  EXPECT_EQ(put.status.ToString(), "exit code 3") << put.Describe();
  EXPECT_TRUE(Contains(put.err, "org.jetsvc.Jetsvc1.Error.Stopping")) << put.err;
  const ProgramOutput get = RunJetctl(bus_.address(), {"get", Key(1)});
  EXPECT_EQ(get.status.ToString(), "exit code 3") << get.Describe();
  // A prepared engine cannot be resumed.
  const ProgramOutput resume = RunJetctl(bus_.address(), {"resume"});
  EXPECT_EQ(resume.status.ToString(), "exit code 5") << resume.Describe();

  // The real stop: STOPPING=1, then a quick clean exit.
  const size_t mark = daemon->notify.assignment_count();
  const auto sigterm = std::chrono::steady_clock::now();
  const ExitStatus exit = Stop(daemon);
  const auto took = std::chrono::steady_clock::now() - sigterm;
  ASSERT_EQ(exit.ToString(), "exit code 0");
  EXPECT_TRUE(daemon->notify.Has("STOPPING=1", mark));
  EXPECT_LT(took, 5s) << "SIGTERM after a completed prepare should be near-instant";
  EXPECT_EQ(DatabaseState(), JET_dbstateCleanShutdown);
  EXPECT_TRUE(Contains(daemon->process.Log(), "JetTerm took"));

  // Restart: the header said clean, so nothing to replay; JetTerm's
  // duration was kept; every record is there.
  Daemon* again = StartDaemon();
  ASSERT_NE(again, nullptr);
  EXPECT_TRUE(Contains(again->process.Log(), "attached " + database_path()));
  EXPECT_TRUE(Contains(again->process.Log(), "was shut down cleanly: nothing to replay"));
  EXPECT_GT(ManagerProperty<uint64_t>("LastTermDurationUsec"), 0u);
  EXPECT_EQ(State(), "running");
  ASSERT_NO_FATAL_FAILURE(ExpectRecords(kRecords));
  const ProgramOutput get_again = RunJetctl(bus_.address(), {"get", Key(4242)});
  ASSERT_EQ(get_again.status.ToString(), "exit code 0") << get_again.Describe();
  const std::vector<uint8_t> value = Value(4242);
  EXPECT_EQ(get_again.out, std::string(value.begin(), value.end()));
  EXPECT_EQ(Stop(again).ToString(), "exit code 0");
}

TEST_F(DaemonTest, SigtermAfterALazyLoadFlushesWithExtendTimeoutAndKeepsTheData) {
  constexpr int kRecords = 50000;
  Daemon* daemon = StartWithDirtyCache(kRecords);
  ASSERT_NE(daemon, nullptr);

  const size_t mark = daemon->notify.assignment_count();
  ASSERT_EQ(Stop(daemon).ToString(), "exit code 0");
  const long stopping = daemon->notify.IndexOf("STOPPING=1", mark);
  ASSERT_GE(stopping, 0) << "no STOPPING=1";
  const long extend = daemon->notify.IndexOf("EXTEND_TIMEOUT_USEC=", static_cast<size_t>(stopping));
  ASSERT_GE(extend, 0) << "no EXTEND_TIMEOUT_USEC= with the stop";
  const std::string assignment = daemon->notify.assignments()[static_cast<size_t>(extend)];
  EXPECT_GT(std::stoull(assignment.substr(assignment.find('=') + 1)), 0u) << assignment;
  EXPECT_EQ(DatabaseState(), JET_dbstateCleanShutdown);

  Daemon* again = StartDaemon();
  ASSERT_NE(again, nullptr);
  ASSERT_NO_FATAL_FAILURE(ExpectRecords(kRecords));
  EXPECT_EQ(Stop(again).ToString(), "exit code 0");
}

TEST_F(DaemonTest, SigkillDuringDurableWritesLosesNoAcknowledgedWrite) {
  constexpr size_t kAckedBeforeKill = 300;
  // Some lazy bulk first, so recovery has a real log to replay.
  Daemon* daemon = StartWithDirtyCache(20000);
  ASSERT_NE(daemon, nullptr);

  // A writer doing durable Puts, one at a time, recording each key the
  // daemon acknowledged; it stops at the first error (the kill).
  std::mutex mu;
  std::vector<int> acked;
  std::atomic<bool> stop{false};
  std::string writer_error;
  OwnProxy writer_proxy = NewProxy();
  std::thread writer([&] {
    for (int i = 1000000; !stop.load(); ++i) {
      try {
        writer_proxy.proxy->callMethod("Put")
            .onInterface(names::kStoreInterface)
            .withTimeout(30s)
            .withArguments(Key(i), Value(i));
      } catch (const sdbus::Error& e) {
        std::lock_guard<std::mutex> lock(mu);
        writer_error = e.getName() + ": " + e.getMessage();
        return;
      }
      std::lock_guard<std::mutex> lock(mu);
      acked.push_back(i);
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (acked.size() >= kAckedBeforeKill || !writer_error.empty()) break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(5ms);
  }
  const ExitStatus killed = daemon->process.Kill();
  stop = true;
  writer.join();
  ASSERT_EQ(killed.signal, SIGKILL) << killed.ToString();
  std::vector<int> written;
  {
    std::lock_guard<std::mutex> lock(mu);
    written = acked;
    ASSERT_GE(acked.size(), kAckedBeforeKill) << "the writer failed early: " << writer_error;
  }
  // The kill left the database as attached: the next start must replay.
  EXPECT_EQ(DatabaseState(), JET_dbstateDirtyShutdown);

  Daemon* again = StartDaemon();
  ASSERT_NE(again, nullptr);
  EXPECT_TRUE(Contains(again->process.Log(), "JetInit replays the log"));
  for (int i : written) {
    std::vector<uint8_t> value;
    try {
      value = Get(Key(i));
    } catch (const sdbus::Error& e) {
      FAIL() << "acknowledged durable write " << Key(i) << " (one of " << written.size()
             << ") is lost: " << e.getName() << ": " << e.getMessage();
    }
    ASSERT_EQ(value, Value(i)) << Key(i);
  }
  EXPECT_EQ(State(), "running");
  EXPECT_EQ(Stop(again).ToString(), "exit code 0");
}

}  // namespace
}  // namespace jetsvc::testing

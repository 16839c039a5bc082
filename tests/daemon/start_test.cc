// End-to-end: starting the daemon (READY only once the database is
// attached; busctl reads the properties), bad configurations, a second
// daemon on the same bus, reload on SIGHUP and the watchdog.

#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/daemon/daemon_fixture.h"

namespace jetsvc::testing {
namespace {

TEST_F(DaemonTest, ReadyComesOnlyOnceTheDatabaseIsAttachedAndBusctlReadsTheState) {
  const std::string busctl = FindOnPath("busctl");
  ASSERT_FALSE(busctl.empty())
      << "busctl is not on PATH: install the systemd package (the test reads the daemon's "
         "properties with busctl, as users do)";
  Daemon* daemon = StartDaemon();
  ASSERT_NE(daemon, nullptr);

  // The datagrams: STATUS= lines first, READY=1 after them, every one from
  // the daemon's main pid (systemd's NotifyAccess=main).
  const long ready = daemon->notify.IndexOf("READY=1");
  const long first_status = daemon->notify.IndexOf("STATUS=");
  ASSERT_GE(first_status, 0);
  EXPECT_LT(first_status, ready) << "a STATUS= line comes before READY=1";
  for (const auto& message : daemon->notify.messages()) {
    EXPECT_EQ(message.pid, daemon->process.pid()) << message.datagram;
  }
  // READY=1 was sent after the attach: the log says so in that order, and
  // the store answers at once.
  const std::string log = daemon->process.Log();
  const size_t attached = log.find("created " + database_path());
  ASSERT_NE(attached, std::string::npos) << "no \"created <database>\" line in the log";
  const size_t ready_line = log.find("ready: serving");
  ASSERT_NE(ready_line, std::string::npos);
  EXPECT_LT(attached, ready_line);
  Put("first", {1, 2, 3});
  EXPECT_EQ(Get("first"), (std::vector<uint8_t>{1, 2, 3}));
  // No watchdog was asked for, so none is sent.
  EXPECT_FALSE(daemon->notify.Has("WATCHDOG=1"));

  // busctl get-property prints "<signature> <value>".
  auto get_property = [&](const char* property) {
    return RunProgram({busctl, "--address=" + bus_.address(), "get-property", names::kBusName,
                       names::kObjectPath, names::kManagerInterface, property},
                      {}, 30s);
  };
  const ProgramOutput state = get_property("State");
  ASSERT_EQ(state.status.ToString(), "exit code 0") << state.Describe();
  EXPECT_EQ(state.out, "s \"running\"\n");
  const ProgramOutput dirty = get_property("DirtyPages");
  ASSERT_EQ(dirty.status.ToString(), "exit code 0") << dirty.Describe();
  EXPECT_EQ(dirty.out.rfind("t ", 0), 0u) << dirty.out;

  EXPECT_EQ(Stop(daemon).ToString(), "exit code 0");
}

// A bad value on the command line or in the file stops the start with
// exit code 2 and a message naming the option; READY=1 never comes.
TEST_F(DaemonTest, BadConfigurationExitsWithCode2AndNamesTheOption) {
  struct Case {
    std::string file;                // the config file
    std::vector<std::string> args;   // extra command line
    std::vector<std::string> words;  // what stderr must name
  };
  const std::vector<Case> cases = {
      {"", {"--engine.log-file-size=10"}, {"engine.log-file-size", "10", "64..32768"}},
      {"[engine]\nno-such-option = 1\n", {}, {"no-such-option"}},
      {"[service]\nlog-level = loud\n", {}, {"log-level", "loud"}},
      {"[engine]\ncheckpoint-depth-max = lots\n", {}, {"checkpoint-depth-max", "lots"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("config file \"" + c.file + "\", extra arguments " +
                 (c.args.empty() ? std::string("none") : c.args[0]));
    ASSERT_NO_FATAL_FAILURE(WriteConfig(c.file));
    LaunchOptions launch;
    launch.args = c.args;
    Daemon* daemon = Launch(launch);
    ASSERT_NE(daemon, nullptr);
    const ExitStatus status = daemon->process.Wait(kExitTimeout);
    EXPECT_EQ(status.ToString(), "exit code 2");
    const std::string log = daemon->process.Log();
    for (const std::string& word : c.words) {
      EXPECT_TRUE(Contains(log, word)) << "stderr does not name \"" << word << "\":\n" << log;
    }
    EXPECT_FALSE(daemon->notify.Has("READY=1"));
  }
}

TEST_F(DaemonTest, SecondDaemonOnTheSameBusFailsBecauseTheNameIsOwned) {
  Daemon* first = StartDaemon();
  ASSERT_NE(first, nullptr);
  // Another data dir, so what stops it is the bus name, not the files.
  LaunchOptions launch;
  launch.data_dir = dir_.Join("data2");
  Daemon* second = Launch(launch);
  ASSERT_NE(second, nullptr);
  const ExitStatus status = second->process.Wait(kExitTimeout);
  EXPECT_TRUE(status.exited && status.code != 0) << status.ToString();
  const std::string log = second->process.Log();
  EXPECT_TRUE(Contains(log, "org.jetsvc.Jetsvc1 is already owned")) << log;
  EXPECT_TRUE(Contains(log, "another jetsvc")) << log;
  EXPECT_FALSE(second->notify.Has("READY=1"));
  // The first one is unharmed.
  EXPECT_EQ(State(), "running");
  Put("still", {7});
  EXPECT_EQ(Get("still"), std::vector<uint8_t>{7});
  EXPECT_EQ(Stop(first).ToString(), "exit code 0");
}

TEST_F(DaemonTest, SighupReloadsAndABrokenConfigIsRejectedWhileServing) {
  ASSERT_NO_FATAL_FAILURE(WriteConfig("[engine]\ncheckpoint-depth-max = 20971520\n"));
  Daemon* daemon = StartDaemon();
  ASSERT_NE(daemon, nullptr);

  // A good change: RELOADING=1, then READY=1 once it is applied.
  ASSERT_NO_FATAL_FAILURE(WriteConfig("[engine]\ncheckpoint-depth-max = 10485760\n"));
  size_t mark = daemon->notify.assignment_count();
  ASSERT_TRUE(daemon->process.Signal(SIGHUP));
  ASSERT_TRUE(daemon->notify.WaitFor("RELOADING=1", 10s, mark));
  const long reloading = daemon->notify.IndexOf("RELOADING=1", mark);
  ASSERT_TRUE(daemon->notify.WaitFor("READY=1", 10s, static_cast<size_t>(reloading) + 1));
  EXPECT_TRUE(daemon->process.WaitForLog("reload applied engine.checkpoint-depth-max", 10s));

  // A broken file: rejected with a log line, the old config stays, and
  // READY=1 still follows RELOADING=1.
  ASSERT_NO_FATAL_FAILURE(WriteConfig("[engine]\ncheckpoint-depth-max = banana\n"));
  mark = daemon->notify.assignment_count();
  ASSERT_TRUE(daemon->process.Signal(SIGHUP));
  ASSERT_TRUE(daemon->notify.WaitFor("RELOADING=1", 10s, mark));
  const long rejected = daemon->notify.IndexOf("RELOADING=1", mark);
  ASSERT_TRUE(daemon->notify.WaitFor("READY=1", 10s, static_cast<size_t>(rejected) + 1));
  ASSERT_TRUE(daemon->process.WaitForLog("reload rejected", 10s));
  // The line names the option and the bad value.
  const std::string log = daemon->process.Log();
  const size_t line = log.find("reload rejected");
  const std::string rejected_line = log.substr(line, log.find('\n', line) - line);
  EXPECT_TRUE(Contains(rejected_line, "checkpoint-depth-max")) << rejected_line;
  EXPECT_TRUE(Contains(rejected_line, "banana")) << rejected_line;
  EXPECT_TRUE(daemon->process.Running());
  EXPECT_EQ(State(), "running");
  Put("after-reload", {1});
  EXPECT_EQ(Get("after-reload"), std::vector<uint8_t>{1});

  // The configuration in effect is still the one of the good reload: the
  // same file again changes nothing (the log does not say "applied"),
  // while the start's value is applied as a change.
  for (const std::string depth : {"10485760", "20971520"}) {
    SCOPED_TRACE("checkpoint-depth-max = " + depth);
    const size_t log_size = daemon->process.Log().size();
    ASSERT_NO_FATAL_FAILURE(WriteConfig("[engine]\ncheckpoint-depth-max = " + depth + "\n"));
    mark = daemon->notify.assignment_count();
    ASSERT_TRUE(daemon->process.Signal(SIGHUP));
    ASSERT_TRUE(daemon->notify.WaitFor("RELOADING=1", 10s, mark));
    ASSERT_TRUE(daemon->notify.WaitFor(
        "READY=1", 10s, static_cast<size_t>(daemon->notify.IndexOf("RELOADING=1", mark)) + 1));
    // The daemon logs (synchronously) before it sends READY=1.
    const std::string after = daemon->process.Log().substr(log_size);
    EXPECT_EQ(Contains(after, "reload applied engine.checkpoint-depth-max"), depth == "20971520")
        << after;
  }
  EXPECT_FALSE(daemon->notify.Has("STOPPING=1"));
  EXPECT_EQ(Stop(daemon).ToString(), "exit code 0");
}

// With WATCHDOG_USEC=200000 the daemon pings often enough for systemd:
// at least one WATCHDOG=1 per interval, so ten pings take at most ten
// intervals.
TEST_F(DaemonTest, WatchdogPingsArriveWithinTheInterval) {
  constexpr auto kInterval = std::chrono::microseconds(200000);
  constexpr int kPings = 10;
  LaunchOptions launch;
  launch.watchdog = kInterval;
  Daemon* daemon = StartDaemon(launch);
  ASSERT_NE(daemon, nullptr);
  ASSERT_TRUE(daemon->notify.WaitFor("WATCHDOG=1", 5s))
      << "no WATCHDOG=1 (is WATCHDOG_PID the daemon's pid?)";
  long last = daemon->notify.IndexOf("WATCHDOG=1");
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + kPings * kInterval;
  for (int i = 0; i < kPings; ++i) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    ASSERT_TRUE(
        daemon->notify.WaitFor("WATCHDOG=1", std::max(left, 0ms), static_cast<size_t>(last) + 1))
        << "only " << i << " pings in " << kPings * kInterval.count() / 1000
        << " ms after the first";
    last = daemon->notify.IndexOf("WATCHDOG=1", static_cast<size_t>(last) + 1);
  }
  for (const auto& message : daemon->notify.messages()) {
    EXPECT_EQ(message.pid, daemon->process.pid()) << message.datagram;
  }
  EXPECT_EQ(Stop(daemon).ToString(), "exit code 0");
}

}  // namespace
}  // namespace jetsvc::testing

// jetctl end to end: the built binary (JETSVC_TEST_BINARY_DIR
// "/service/jetctl") against a DbusServer in this process, on a private
// bus; its output and exit codes. Also busctl and dbus-send against the
// same server: the API must work with the standard tools.

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/controller.h"
#include "tests/testing/jetctl_status_sample.h"
#include "tests/unit/dbus/dbus_test_util.h"

namespace jetsvc::testing {
namespace {

using platform::ErrorKind;
using platform::ManagerSnapshot;
using platform::PrepareOutcome;
using platform::StoreLimits;
using Bytes = std::vector<uint8_t>;

const std::string kJetctl = std::string(JETSVC_TEST_BINARY_DIR) + "/service/jetctl";

class JetctlTest : public ServerFixture {
 protected:
  // Runs jetctl --address <bus> args...
  ProcessResult Jetctl(const std::vector<std::string>& args, const std::string& stdin_data = "") {
    std::vector<std::string> argv = {kJetctl, "--address", bus_.address()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv, stdin_data);
  }
  bool StartJetctl(ChildProcess* child, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kJetctl, "--address", bus_.address()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::string error;
    const bool started = child->Start(argv, "", {}, &error);
    EXPECT_TRUE(started) << error;
    return started;
  }
  Bytes Stored(const std::string& key) {
    const auto contents = controller_.Contents();
    auto it = contents.find(key);
    return it == contents.end() ? Bytes{'?', '?'} : it->second;
  }
  // The path of `tool`; fails the test (does not skip it) when missing.
  std::string Tool(const std::string& tool, const std::string& package) {
    const std::string path = FindInPath(tool);
    EXPECT_FALSE(path.empty()) << tool << " is not installed: install the " << package
                               << " package (scripts/deps.sh); the API must be usable with it";
    return path;
  }
};

TEST_F(JetctlTest, StatusShowsEveryManagerProperty) {
  controller_.SetSnapshot(SampleStatusSnapshot());
  ProcessResult r = Jetctl({"status"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(kSampleStatusText, r.out);

  r = Jetctl({"status", "--json"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(kSampleStatusJson, r.out);
}

TEST_F(JetctlTest, PutGetDelRoundTrip) {
  ProcessResult r = Jetctl({"put", "greeting", "h\xc3\xa9llo"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ((Bytes{'h', 0xc3, 0xa9, 'l', 'l', 'o'}), Stored("greeting"));
  r = Jetctl({"get", "greeting"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("h\xc3\xa9llo", r.out);  // raw, no newline

  const std::string binary("a\0b\n\xff", 5);
  r = Jetctl({"put", "bin", "-"}, binary);
  ASSERT_EQ(0, r.exit_code) << r.err;
  r = Jetctl({"get", "bin"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(binary, r.out);

  r = Jetctl({"put", "cl\xc3\xa9 \xf0\x9f\x94\x91", "k"});  // "clé 🔑"
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ((Bytes{'k'}), Stored("cl\xc3\xa9 \xf0\x9f\x94\x91"));

  r = Jetctl({"put", "neg", "--", "-5"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ((Bytes{'-', '5'}), Stored("neg"));

  r = Jetctl({"del", "greeting"});
  EXPECT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("", r.out);
}

TEST_F(JetctlTest, MissingKeyExitsWithTwo) {
  ProcessResult r = Jetctl({"get", "nope"});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_EQ("", r.out);
  EXPECT_NE(std::string::npos,
            r.err.find("jetctl: get: key \"nope\" not found (org.jetsvc.Jetsvc1.Error.NotFound)"))
      << r.err;
  r = Jetctl({"del", "nope"});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_EQ("jetctl: del: key \"nope\" not found\n", r.err);
}

TEST_F(JetctlTest, ScanPrintsEscapedLinesInKeyOrder) {
  uint32_t count = 0;
  ASSERT_TRUE(controller_
                  .PutBatch({{"k1", Bytes{'v', '1'}},
                             {"k2", Bytes{'x', '\t', 'y', '\\'}},
                             {"k3", Bytes{1, 0xff}},
                             {"k\xc3\xa9", Bytes{}}},
                            true, &count)
                  .ok());
  ProcessResult r = Jetctl({"scan"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("k1\tv1\nk2\tx\\ty\\\\\nk3\t\\x01\\xff\nk\\xc3\\xa9\t\n", r.out);
  r = Jetctl({"scan", "k2", "--limit", "2"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("k2\tx\\ty\\\\\nk3\t\\x01\\xff\n", r.out);
  r = Jetctl({"scan", "zzz"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("", r.out);
}

TEST_F(JetctlTest, ScanPagesPastTheServiceReplyCap) {
  StoreLimits limits;
  limits.max_value_bytes = 8u << 20;
  controller_.SetLimits(limits);
  uint32_t count = 0;
  // Two 5 MiB values do not fit one 8 MiB reply: three pages.
  ASSERT_TRUE(controller_
                  .PutBatch({{"a", Bytes(5u << 20, 'z')},
                             {"b", Bytes(5u << 20, 'z')},
                             {"c", Bytes{'s'}},
                             {"d", Bytes{'t'}}},
                            true, &count)
                  .ok());
  ProcessResult r = Jetctl({"scan", "--limit", "3"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  ASSERT_EQ((5u << 20) * 2 + 10, r.out.size());  // "a\t" ... "\n" twice, "c\ts\n"
  EXPECT_EQ(0u, r.out.find("a\tzzz"));
  EXPECT_NE(std::string::npos, r.out.find("\nb\tzzz"));
  EXPECT_EQ(r.out.size() - 4, r.out.find("c\ts\n"));
}

TEST_F(JetctlTest, PrepareStopWaitsForTheQuiesce) {
  ChildProcess child;
  ASSERT_TRUE(StartJetctl(&child, {"prepare-stop", "--timeout", "90s"}));
  ASSERT_TRUE(controller_.WaitForPendingPrepares(1, std::chrono::seconds(10)));
  EXPECT_EQ(90000u, controller_.last_prepare_timeout_ms());
  PrepareOutcome outcome;
  outcome.quiesced = true;
  outcome.elapsed_usec = 250000;
  controller_.CompletePrepares(outcome);
  ProcessResult r = child.Wait();
  EXPECT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("quiesced after 0.250 s\n", r.out);
}

TEST_F(JetctlTest, PrepareStopThatTimesOutExitsWithSix) {
  PrepareOutcome outcome;
  outcome.quiesced = false;
  outcome.elapsed_usec = 1500000;
  controller_.CompletePreparesImmediately(outcome);
  ProcessResult r = Jetctl({"prepare-stop", "--timeout", "1500ms"});
  EXPECT_EQ(6, r.exit_code) << r.err;
  EXPECT_EQ(1500u, controller_.last_prepare_timeout_ms());
  EXPECT_EQ(0u, r.out.find("timed out after 1.500 s before the engine quiesced")) << r.out;
  r = Jetctl({"prepare-stop"});  // the default timeout
  EXPECT_EQ(60000u, controller_.last_prepare_timeout_ms());
  EXPECT_EQ(6, r.exit_code) << r.err;
}

TEST_F(JetctlTest, RefusalsExitWithThree) {
  controller_.SetRefusal(ErrorKind::kStopping, "the engine is stopping");
  ProcessResult r = Jetctl({"put", "k", "v"});
  EXPECT_EQ(3, r.exit_code);
  EXPECT_EQ("jetctl: put: the engine is stopping (org.jetsvc.Jetsvc1.Error.Stopping)\n", r.err);
  controller_.SetRefusal(ErrorKind::kNotReady, "still starting");
  EXPECT_EQ(3, Jetctl({"prepare-stop"}).exit_code);
  EXPECT_EQ(3, Jetctl({"get", "k"}).exit_code);
}

TEST_F(JetctlTest, OtherErrorsExitWithFive) {
  StoreLimits limits;
  limits.max_key_bytes = 4;
  controller_.SetLimits(limits);
  ProcessResult r = Jetctl({"put", "toolong", "v"});
  EXPECT_EQ(5, r.exit_code);
  EXPECT_EQ("jetctl: put: key is 7 bytes; the limit is 4 (org.jetsvc.Jetsvc1.Error.TooLarge)\n",
            r.err);
  controller_.SetRefusal(ErrorKind::kInvalidArgument, "cannot resume after PrepareStop");
  r = Jetctl({"resume"});
  EXPECT_EQ(5, r.exit_code);
  EXPECT_NE(std::string::npos, r.err.find("cannot resume after PrepareStop")) << r.err;
}

TEST_F(JetctlTest, ResumeAndDefragment) {
  ProcessResult r = Jetctl({"resume"});
  EXPECT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("resumed\n", r.out);
  EXPECT_EQ(1, controller_.resume_calls());
  r = Jetctl({"defrag", "start"});
  EXPECT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("defragmentation started\n", r.out);
  EXPECT_EQ("defragmentation was already running\n", Jetctl({"defrag", "start"}).out);
  controller_.SetDefragWork(2, 9);
  EXPECT_EQ("defragmentation stopped after 2 passes, 9 s\n", Jetctl({"defrag", "stop"}).out);
  EXPECT_EQ("defragmentation was not running\n", Jetctl({"defrag", "stop"}).out);
}

TEST_F(JetctlTest, UnreachableServiceExitsWithFour) {
  // The bus is there but nobody owns the name.
  server_.reset();
  ProcessResult r = Jetctl({"status"});
  EXPECT_EQ(4, r.exit_code);
  EXPECT_EQ(0u, r.err.find("jetctl: cannot reach org.jetsvc.Jetsvc1 on the bus at " +
                           bus_.address() + ": the service is not running"))
      << r.err;
  // No bus at all. (sdbus-c++ 1.2 leaks the sd_bus of an address it cannot
  // connect to; keep a sanitizer build's leak check from changing the exit
  // code.)
  const char* asan_options = std::getenv("ASAN_OPTIONS");
  r = RunProcess({kJetctl, "--address", "unix:path=/nonexistent/bus", "get", "k"}, "",
                 {"ASAN_OPTIONS=" + std::string(asan_options == nullptr ? "" : asan_options) +
                  ":detect_leaks=0"});
  EXPECT_EQ(4, r.exit_code);
  EXPECT_EQ(0u, r.err.find("jetctl: cannot reach org.jetsvc.Jetsvc1: cannot connect to the bus at "
                           "unix:path=/nonexistent/bus: No such file or directory"))
      << r.err;
}

TEST_F(JetctlTest, SystemBusIsTheDefaultAndHonoursDbusSystemBusAddress) {
  ProcessResult r =
      RunProcess({kJetctl, "put", "k", "v"}, "", {"DBUS_SYSTEM_BUS_ADDRESS=" + bus_.address()});
  EXPECT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ((Bytes{'v'}), Stored("k"));
  r = RunProcess({kJetctl, "--session", "get", "k"}, "",
                 {"DBUS_SESSION_BUS_ADDRESS=" + bus_.address()});
  EXPECT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("v", r.out);
}

TEST_F(JetctlTest, UsageErrorsExitWithOne) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{},
                                             {"frobnicate"},
                                             {"put", "k"},
                                             {"put", "k", "v", "extra"},
                                             {"get"},
                                             {"get", ""},
                                             {"get", "\xff"},
                                             {"get", "\xc0\x80"},          // overlong NUL
                                             {"get", "\xed\xa0\x80"},      // a surrogate
                                             {"get", "\xf4\x90\x80\x80"},  // past U+10FFFF
                                             {"scan", "\xe2\x82"},         // truncated
                                             {"scan", "--limit", "0"},
                                             {"scan", "--limit", "x"},
                                             {"defrag"},
                                             {"defrag", "pause"},
                                             {"prepare-stop", "--timeout", "soon"},
                                             {"status", "--bogus"},
                                             {"--session", "--system", "status"},
                                             {"--timeout", "-1", "status"}}) {
    std::vector<std::string> argv = {kJetctl};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessResult r = RunProcess(argv);
    std::string joined;
    for (const std::string& arg : args) joined += arg + " ";
    EXPECT_EQ(1, r.exit_code) << joined;
    EXPECT_EQ(0u, r.err.find("jetctl: ")) << joined << ": " << r.err;
    EXPECT_NE(std::string::npos, r.err.find("jetctl --help")) << joined << ": " << r.err;
  }
}

TEST_F(JetctlTest, HelpListsCommandsAndExitCodes) {
  ProcessResult r = RunProcess({kJetctl, "--help"});
  EXPECT_EQ(0, r.exit_code);
  for (const char* text :
       {"prepare-stop", "defrag start", "scan [START]", "Exit codes:", "6  prepare-stop"}) {
    EXPECT_NE(std::string::npos, r.out.find(text)) << text;
  }
  r = RunProcess({kJetctl, "--version"});
  EXPECT_EQ(0, r.exit_code);
  EXPECT_EQ(0u, r.out.find("jetctl "));
}

TEST_F(JetctlTest, BusctlReadsPropertiesAndCallsMethods) {
  const std::string busctl = Tool("busctl", "systemd");
  ASSERT_FALSE(busctl.empty());
  const std::string address = "--address=" + bus_.address();
  ProcessResult r = RunProcess({busctl, address, "get-property", names::kBusName,
                                names::kObjectPath, names::kManagerInterface, "State"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("s \"running\"\n", r.out);

  r = RunProcess({busctl, address, "call", names::kBusName, names::kObjectPath,
                  names::kStoreInterface, "Put", "say", "greeting", "2", "104", "105"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  r = RunProcess({busctl, address, "call", names::kBusName, names::kObjectPath,
                  names::kStoreInterface, "Get", "s", "greeting"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("ay 2 104 105\n", r.out);

  r = RunProcess({busctl, address, "call", names::kBusName, names::kObjectPath,
                  names::kStoreInterface, "Get", "s", "missing"});
  EXPECT_NE(0, r.exit_code);
  EXPECT_NE(std::string::npos, r.err.find("key \"missing\" not found")) << r.err;

  r = RunProcess({busctl, address, "introspect", names::kBusName, names::kObjectPath});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_NE(std::string::npos, r.out.find(".PrepareStop")) << r.out;
}

TEST_F(JetctlTest, DbusSendCallsMethodsAndReadsProperties) {
  const std::string dbus_send = Tool("dbus-send", "dbus");
  ASSERT_FALSE(dbus_send.empty());
  const std::string bus = "--bus=" + bus_.address();
  const std::string dest = std::string("--dest=") + names::kBusName;
  controller_.Put("k", {'h', 'i'});
  ProcessResult r = RunProcess({dbus_send, bus, "--print-reply", dest, names::kObjectPath,
                                std::string(names::kStoreInterface) + ".Get", "string:k"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_NE(std::string::npos, r.out.find("array of bytes \"hi\"")) << r.out;

  r = RunProcess({dbus_send, bus, "--print-reply", dest, names::kObjectPath,
                  "org.freedesktop.DBus.Properties.Get",
                  std::string("string:") + names::kManagerInterface, "string:State"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_NE(std::string::npos, r.out.find("variant       string \"running\"")) << r.out;

  r = RunProcess({dbus_send, bus, "--print-reply", dest, names::kObjectPath,
                  std::string(names::kStoreInterface) + ".Get", "string:"});
  EXPECT_NE(0, r.exit_code);
  EXPECT_NE(std::string::npos, r.err.find("org.jetsvc.Jetsvc1.Error.InvalidArgument: key is empty"))
      << r.err;
}

}  // namespace
}  // namespace jetsvc::testing

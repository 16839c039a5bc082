// DaemonProcess: the real jetsvc daemon as a child process of an
// end-to-end test, plus RunProgram for the short-lived programs those tests
// run next to it (jetctl, busctl).
//
// The child gets the test's environment without the variables that would
// tie it to the test's own service manager or bus (NOTIFY_SOCKET,
// WATCHDOG_*, JOURNAL_STREAM, DBUS_*_BUS_ADDRESS, STATE_DIRECTORY,
// LISTEN_*), then the ones the test gives. With a watchdog interval it also
// gets WATCHDOG_USEC and WATCHDOG_PID=<its own pid>, written in the child
// after fork (sd_watchdog_enabled ignores WATCHDOG_USEC when the pid does
// not match). stdin is /dev/null; stdout and stderr go to a log file the
// test reads (and prints when it fails). Children die with the test
// (PR_SET_PDEATHSIG), and a DaemonProcess still running when destroyed is
// killed with SIGKILL.
//
//   DaemonProcess daemon;
//   DaemonProcess::Options options;
//   options.args = {"--config", conf, "--dbus.bus=system"};
//   options.env = {"DBUS_SYSTEM_BUS_ADDRESS=" + bus.address()};
//   options.notify_socket = listener.socket_env();
//   options.log_path = dir.Join("jetsvc.log");
//   ASSERT_TRUE(daemon.Start(options, &error)) << error;
//   ...
//   daemon.Signal(SIGTERM);
//   EXPECT_EQ(daemon.Wait(10s).ToString(), "exit code 0") << daemon.Log();
//
// Thread contract: not thread-safe; one thread starts, drives and destroys
// a DaemonProcess (the thread that started it must outlive the child:
// PR_SET_PDEATHSIG fires when that thread ends). RunProgram is
// thread-safe.

#ifndef JETSVC_TESTS_TESTING_HOST_DAEMON_PROCESS_H_
#define JETSVC_TESTS_TESTING_HOST_DAEMON_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace jetsvc::testing {

// The built programs (under JETSVC_TEST_BINARY_DIR).
std::string JetsvcPath();
std::string JetctlPath();
// The full path of the executable `name` on $PATH, or "" if there is none.
std::string FindOnPath(const std::string& name);

// How a child process ended.
struct ExitStatus {
  bool exited = false;  // it exited; `code` is its exit code
  int code = -1;
  int signal = 0;          // the signal that ended it, 0 if none
  bool timed_out = false;  // it did not end in time and was killed (SIGKILL)
  std::string error;       // set when it could not be run or waited for

  // "exit code 0", "killed by signal 9 (Killed)", "did not exit in time,
  // then killed by signal 9 (Killed)", or the error; tests compare it with
  // "exit code N".
  std::string ToString() const;
};

struct ProgramOutput {
  ExitStatus status;
  std::string out;  // stdout
  std::string err;  // stderr
  // Everything above, for failure messages.
  std::string Describe() const;
};

// Runs argv (argv[0] is a path) with the cleaned environment of the test
// plus `env` ("NAME=VALUE", replacing a variable of the same name) and
// stdin from /dev/null; collects stdout and stderr. Kills it with SIGKILL
// if it has not exited after `timeout` (status.timed_out).
ProgramOutput RunProgram(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         std::chrono::milliseconds timeout);

// Runs `jetctl --address <bus_address> <args...>`.
ProgramOutput RunJetctl(const std::string& bus_address, const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout = std::chrono::seconds(60));

class DaemonProcess {
 public:
  struct Options {
    // The program. Default: JetsvcPath().
    std::string binary;
    // The arguments after argv[0].
    std::vector<std::string> args;
    // "NAME=VALUE" added to the cleaned environment.
    std::vector<std::string> env;
    // NOTIFY_SOCKET, if not empty.
    std::string notify_socket;
    // WATCHDOG_USEC and WATCHDOG_PID=<child pid>, if not zero.
    std::chrono::microseconds watchdog{0};
    // Where stdout and stderr go (created or truncated). Required.
    std::string log_path;
  };

  DaemonProcess() = default;
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;
  // Kills (SIGKILL) and reaps the child if it still runs.
  ~DaemonProcess();

  // Forks and execs; false and *error if it cannot (an exec failure shows
  // as exit code 127 and a line in the log). REQUIRES: not started.
  bool Start(const Options& options, std::string* error);

  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

  // True while the child has not exited (reaps it if it has).
  bool Running();
  // Sends `signal`; false if the child is not running.
  bool Signal(int signal);
  // Waits up to `timeout` for the child to exit. On timeout it is killed
  // with SIGKILL, reaped, and the status says timed_out. Once the child has
  // been reaped, returns the same status again at once.
  ExitStatus Wait(std::chrono::milliseconds timeout);
  // SIGKILL now; reaps. The status says "killed by signal 9".
  ExitStatus Kill();

  // The log file's contents so far.
  std::string Log() const;
  // Waits until the log contains `text`; false at the timeout, or as soon
  // as the child has exited without writing it.
  bool WaitForLog(const std::string& text, std::chrono::milliseconds timeout);

 private:
  // Reaps the child if it exited; true if it has been reaped.
  bool Reap(bool block);

  pid_t pid_ = -1;
  std::string log_path_;
  std::optional<ExitStatus> status_;  // set once reaped
};

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_TESTING_HOST_DAEMON_PROCESS_H_

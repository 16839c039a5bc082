// Helpers of the dbus_test suite: a fixture that serves a FakeController
// on a private dbus-daemon, an assertion for named D-Bus errors, and a
// child-process runner for jetctl, busctl and dbus-send.
//
// Thread contract: test-thread only.

#ifndef JETSVC_TESTS_UNIT_DBUS_DBUS_TEST_UTIL_H_
#define JETSVC_TESTS_UNIT_DBUS_DBUS_TEST_UTIL_H_

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>

#include "platform/dbus/dbus_server.h"
#include "platform/dbus/names.h"
#include "tests/testing/host/fake_controller.h"
#include "tests/testing/host/private_bus.h"

extern char** environ;

namespace jetsvc::testing {

namespace names = platform::dbus_names;

// Succeeds if `call` throws an sdbus::Error named `name` whose message
// contains `fragment`.
template <typename Call>
::testing::AssertionResult ThrowsDbusError(Call&& call, const std::string& name,
                                           const std::string& fragment) {
  try {
    call();
  } catch (const sdbus::Error& e) {
    if (e.getName() != name) {
      return ::testing::AssertionFailure()
             << "error " << e.getName() << " (" << e.getMessage() << "), expected " << name;
    }
    if (e.getMessage().find(fragment) == std::string::npos) {
      return ::testing::AssertionFailure()
             << "message \"" << e.getMessage() << "\" lacks \"" << fragment << "\"";
    }
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no error, expected " << name;
}

inline std::string JetsvcError(const char* kind) { return std::string(names::kErrorPrefix) + kind; }

// A private bus, a FakeController served on it, and a client proxy on a
// connection of its own (no event loop: calls are synchronous).
class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(bus_.Start(&error)) << error;
    server_ = platform::DbusServer::Start(Options(), &controller_, &error);
    ASSERT_NE(server_, nullptr) << error;
    client_ = sdbus::createSessionBusConnectionWithAddress(bus_.address());
    proxy_ = sdbus::createProxy(*client_, names::kBusName, names::kObjectPath);
  }

  platform::BusOptions Options() const {
    platform::BusOptions options;
    options.bus = "address";
    options.address = bus_.address();
    return options;
  }

  // A new proxy on a new connection, for calls from another thread.
  struct OwnProxy {
    std::unique_ptr<sdbus::IConnection> connection;
    std::unique_ptr<sdbus::IProxy> proxy;
  };
  OwnProxy NewProxy() const {
    OwnProxy own;
    own.connection = sdbus::createSessionBusConnectionWithAddress(bus_.address());
    own.proxy = sdbus::createProxy(*own.connection, names::kBusName, names::kObjectPath);
    return own;
  }

  template <typename T>
  T GetManagerProperty(const std::string& name) {
    return proxy_->getProperty(name).onInterface(names::kManagerInterface).get<T>();
  }

  // Destroyed in reverse order: the client first, the bus last.
  PrivateBus bus_;
  FakeController controller_;
  std::unique_ptr<platform::DbusServer> server_;
  std::unique_ptr<sdbus::IConnection> client_;
  std::unique_ptr<sdbus::IProxy> proxy_;
};

// The outcome of a child process.
struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal or not started
  std::string out;
  std::string err;
};

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A child process with stdin from a file (or /dev/null) and stdout and
// stderr captured in files.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() {
    if (pid_ > 0) {
      (void)::kill(pid_, SIGKILL);
      (void)Wait();
    }
    for (const std::string& path : {out_path_, err_path_, in_path_}) {
      if (!path.empty()) (void)::unlink(path.c_str());
    }
  }

  // Starts `argv` (argv[0] is looked up in PATH unless it has a '/') with
  // the environment plus `extra_env` ("NAME=value", replacing a variable
  // of that name). False and *error if it cannot start.
  bool Start(const std::vector<std::string>& argv, const std::string& stdin_data,
             const std::vector<std::string>& extra_env, std::string* error) {
    out_path_ = TempFile("out", "");
    err_path_ = TempFile("err", "");
    in_path_ = TempFile("in", stdin_data);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in_path_.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_TRUNC, 0);
    posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_TRUNC, 0);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry = *e;
      bool replaced = false;
      for (const std::string& extra : extra_env) {
        const size_t name_end = extra.find('=');  // compare "NAME=" prefixes
        replaced |= name_end != std::string::npos &&
                    entry.compare(0, name_end + 1, extra, 0, name_end + 1) == 0;
      }
      if (!replaced) env_strings.push_back(entry);
    }
    for (const std::string& extra : extra_env) env_strings.push_back(extra);
    std::vector<char*> env;
    for (const std::string& entry : env_strings) env.push_back(const_cast<char*>(entry.c_str()));
    env.push_back(nullptr);
    const int rc = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      *error = "cannot start " + argv[0] + ": " + std::strerror(rc);
      return false;
    }
    return true;
  }

  ProcessResult Wait() {
    ProcessResult result;
    int status = 0;
    if (pid_ > 0 && ::waitpid(pid_, &status, 0) == pid_ && WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    }
    pid_ = -1;
    result.out = ReadWholeFile(out_path_);
    result.err = ReadWholeFile(err_path_);
    return result;
  }

 private:
  static std::string TempFile(const char* what, const std::string& contents) {
    std::string path = std::string("/tmp/dbus_test_") + what + "_XXXXXX";
    const int fd = ::mkstemp(path.data());
    if (fd < 0) return "/dev/null";
    if (!contents.empty()) (void)!::write(fd, contents.data(), contents.size());
    ::close(fd);
    return path;
  }

  pid_t pid_ = -1;
  std::string out_path_;
  std::string err_path_;
  std::string in_path_;
};

// Runs `argv` to completion.
inline ProcessResult RunProcess(const std::vector<std::string>& argv,
                                const std::string& stdin_data = "",
                                const std::vector<std::string>& extra_env = {}) {
  ChildProcess child;
  std::string error;
  if (!child.Start(argv, stdin_data, extra_env, &error)) {
    ProcessResult failed;
    failed.err = error;
    return failed;
  }
  return child.Wait();
}

// The path of `tool` found in $PATH, or empty.
inline std::string FindInPath(const std::string& tool) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path == nullptr ? "/usr/bin:/bin" : path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + tool;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::string();
}

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_UNIT_DBUS_DBUS_TEST_UTIL_H_

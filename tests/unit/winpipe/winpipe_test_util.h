// Helpers of the named-pipe tests: a PipeServer over a FakeController on
// a pipe name of its own per test, and one-call clients.
//
// Thread contract: the fixture is used from the test's thread; Logs() may
// be read while the server's threads log.

#ifndef JETSVC_TESTS_UNIT_WINPIPE_WINPIPE_TEST_UTIL_H_
#define JETSVC_TESTS_UNIT_WINPIPE_WINPIPE_TEST_UTIL_H_

#include <windows.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/windows/pipe_client.h"
#include "platform/windows/pipe_protocol.h"
#include "platform/windows/pipe_server.h"
#include "tests/testing/host/fake_controller.h"

namespace jetsvc::testing {

// "jetsvc-test-<pid>-<n>-<test name>": no two tests (or test runs) share
// a pipe.
inline std::string UniquePipeName() {
  static std::atomic<int> counter{0};
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return "jetsvc-test-" + std::to_string(GetCurrentProcessId()) + "-" + std::to_string(counter++) +
         "-" + (info != nullptr ? info->name() : "none");
}

class PipeServerFixture : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(platform::PipeServerOptions()); }

  // (Re)starts the server on a new pipe name.
  void StartServer(const platform::PipeServerOptions& options) {
    server_.reset();
    name_ = UniquePipeName();
    std::string error;
    server_ = platform::PipeServer::Start(
        name_, &controller_,
        [this](const std::string& line) {
          std::lock_guard<std::mutex> lock(logs_mutex_);
          logs_.push_back(line);
        },
        options, &error);
    ASSERT_NE(nullptr, server_) << error;
  }

  std::vector<std::string> Logs() {
    std::lock_guard<std::mutex> lock(logs_mutex_);
    return logs_;
  }

  // True if a logged line contains `text`.
  bool Logged(const std::string& text) {
    for (const std::string& line : Logs()) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }

  std::unique_ptr<platform::PipeClient> Connect(uint32_t timeout_ms = 5000) {
    platform::PipeError error;
    auto client = platform::PipeClient::Connect(name_, timeout_ms, &error);
    EXPECT_NE(nullptr, client) << error.message;
    return client;
  }

  // One request on a new connection; the response (kind kFailed with the
  // transport's message if the exchange itself failed).
  platform::pipe::Response Call(const platform::pipe::Request& request,
                                uint32_t timeout_ms = 10000) {
    platform::pipe::Response response;
    platform::PipeError error;
    auto client = platform::PipeClient::Connect(name_, timeout_ms, &error);
    if (client == nullptr || !client->Call(request, timeout_ms, &response, &error)) {
      response.result =
          platform::Result::Error(platform::ErrorKind::kFailed, "transport: " + error.message);
    }
    return response;
  }

  FakeController controller_;
  std::string name_;
  std::mutex logs_mutex_;
  std::vector<std::string> logs_;  // guarded by logs_mutex_
  // Last: destroyed first, while the controller and the log still exist.
  std::unique_ptr<platform::PipeServer> server_;
};

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_UNIT_WINPIPE_WINPIPE_TEST_UTIL_H_

// The SCM host's pure parts: how each service control maps onto a
// HostRequest (what HandlerEx posts, or answers), the quoting of the
// service's command line, and the install error messages. The live SCM
// path (ServiceMain, SetServiceStatus, install) is tests/windows/.

#include <windows.h>
// shellapi.h: CommandLineToArgvW, the reader of what QuoteWindowsArgument writes.
#include <shellapi.h>

#include <gtest/gtest.h>

#include "platform/windows/scm_service.h"
#include "platform/windows/service_install.h"
#include "platform/windows/win_text.h"

namespace jetsvc::platform {
namespace {

using namespace std::chrono_literals;

struct Mapped {
  std::optional<HostRequest> request;
  uint32_t result = 12345;
};

Mapped Map(uint32_t control, const ScmOptions& options, HostRequest::Clock::time_point now) {
  Mapped mapped;
  mapped.request = MapControl(control, options, now, &mapped.result);
  return mapped;
}

TEST(ScmTest, StopPreshutdownAndShutdownAreTheFinalStop) {
  ScmOptions options;
  options.preshutdown_timeout = 120s;
  const auto now = HostRequest::Clock::now();

  Mapped stop = Map(SERVICE_CONTROL_STOP, options, now);
  ASSERT_TRUE(stop.request.has_value());
  EXPECT_EQ(HostEvent::kStop, stop.request->event);
  EXPECT_EQ(HostRequest::Clock::time_point::max(), stop.request->deadline);
  EXPECT_EQ(static_cast<uint32_t>(NO_ERROR), stop.result);

  // Nothing follows PRESHUTDOWN: the flush must end in time for JetTerm
  // and STOPPED within the preshutdown timeout.
  Mapped pre = Map(SERVICE_CONTROL_PRESHUTDOWN, options, now);
  ASSERT_TRUE(pre.request.has_value());
  EXPECT_EQ(HostEvent::kStop, pre.request->event);
  EXPECT_EQ(now + 115s, pre.request->deadline);
  EXPECT_NE(std::string::npos, pre.request->origin.find("PRESHUTDOWN"));

  Mapped shutdown = Map(SERVICE_CONTROL_SHUTDOWN, options, now);
  ASSERT_TRUE(shutdown.request.has_value());
  EXPECT_EQ(HostEvent::kStop, shutdown.request->event);
  EXPECT_EQ(now + 15s, shutdown.request->deadline);

  // A preshutdown timeout shorter than the margin still gives a deadline.
  options.preshutdown_timeout = 1s;
  EXPECT_EQ(now, Map(SERVICE_CONTROL_PRESHUTDOWN, options, now).request->deadline);
}

TEST(ScmTest, UserControlsAndParamChange) {
  ScmOptions options;
  options.prepare_timeout = 30s;
  const auto now = HostRequest::Clock::now();
  Mapped prepare = Map(kPrepareCode, options, now);
  ASSERT_TRUE(prepare.request.has_value());
  EXPECT_EQ(HostEvent::kPrepareShutdown, prepare.request->event);
  EXPECT_EQ(now + 30s, prepare.request->deadline);
  Mapped resume = Map(kResumeCode, options, now);
  ASSERT_TRUE(resume.request.has_value());
  EXPECT_EQ(HostEvent::kShutdownCancelled, resume.request->event);
  Mapped reload = Map(SERVICE_CONTROL_PARAMCHANGE, options, now);
  ASSERT_TRUE(reload.request.has_value());
  EXPECT_EQ(HostEvent::kReload, reload.request->event);
}

TEST(ScmTest, InterrogateIsAnsweredAndUnknownControlsAreNotImplemented) {
  const ScmOptions options;
  const auto now = HostRequest::Clock::now();
  Mapped interrogate = Map(SERVICE_CONTROL_INTERROGATE, options, now);
  EXPECT_FALSE(interrogate.request.has_value());
  EXPECT_EQ(static_cast<uint32_t>(NO_ERROR), interrogate.result);
  for (uint32_t code : {uint32_t{SERVICE_CONTROL_PAUSE}, uint32_t{SERVICE_CONTROL_CONTINUE},
                        uint32_t{SERVICE_CONTROL_NETBINDADD}, uint32_t{130}, uint32_t{200},
                        uint32_t{255}, uint32_t{0}, uint32_t{0xffffffff}}) {
    Mapped unknown = Map(code, options, now);
    EXPECT_FALSE(unknown.request.has_value()) << code;
    EXPECT_EQ(static_cast<uint32_t>(ERROR_CALL_NOT_IMPLEMENTED), unknown.result) << code;
  }
}

std::vector<std::string> SplitLikeWindows(const std::string& command_line) {
  std::wstring wide;
  EXPECT_TRUE(Utf8ToWide(command_line, &wide));
  int argc = 0;
  LPWSTR* argv = ::CommandLineToArgvW(wide.c_str(), &argc);
  std::vector<std::string> args;
  for (int i = 0; i < argc; ++i) args.push_back(WideToUtf8(argv[i]));
  ::LocalFree(argv);
  return args;
}

TEST(ScmTest, QuotedArgumentsComeBackUnchanged) {
  const std::vector<std::string> arguments = {
      "plain", "with space", "C:\\Program Files\\jetsvc\\jetsvc.conf", "trailing\\",
      "trail space\\", "a\"quote", "back\\\"slash-quote", "", "--service.data-dir=D:\\data dir\\",
      "\xc3\xa9t\xc3\xa9"};
  std::string command_line = "\"C:\\jetsvc.exe\"";
  for (const auto& argument : arguments) command_line += " " + QuoteWindowsArgument(argument);
  const std::vector<std::string> parsed = SplitLikeWindows(command_line);
  ASSERT_EQ(arguments.size() + 1, parsed.size()) << command_line;
  for (size_t i = 0; i < arguments.size(); ++i) EXPECT_EQ(arguments[i], parsed[i + 1]);
  EXPECT_EQ("plain", QuoteWindowsArgument("plain"));
}

TEST(ScmTest, InstallErrorsNameTheRemedy) {
  InstallResult denied = DescribeInstallError("OpenSCManagerW", ERROR_ACCESS_DENIED);
  EXPECT_EQ(InstallStatus::kAccessDenied, denied.status);
  EXPECT_NE(std::string::npos, denied.message.find("administrator")) << denied.message;
  EXPECT_NE(std::string::npos, denied.message.find("Nothing was changed")) << denied.message;
  InstallResult exists = DescribeInstallError("CreateServiceW", ERROR_SERVICE_EXISTS);
  EXPECT_EQ(InstallStatus::kExists, exists.status);
  EXPECT_NE(std::string::npos, exists.message.find("uninstall")) << exists.message;
  InstallResult missing = DescribeInstallError("OpenServiceW", ERROR_SERVICE_DOES_NOT_EXIST);
  EXPECT_EQ(InstallStatus::kNotInstalled, missing.status);
  InstallResult other = DescribeInstallError("DeleteService", ERROR_INVALID_HANDLE);
  EXPECT_EQ(InstallStatus::kFailed, other.status);
  EXPECT_NE(std::string::npos, other.message.find("(6)")) << other.message;
}

}  // namespace
}  // namespace jetsvc::platform

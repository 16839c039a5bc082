// jetctl.exe end to end: the built program (JETSVC_TEST_JETCTL), started
// with CreateProcessW against a PipeServer in this process; its output
// and exit codes, which must be the Linux jetctl's (service/jetctl/).

#include <windows.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/windows/win_text.h"
#include "tests/testing/jetctl_status_sample.h"
#include "tests/unit/winpipe/winpipe_test_util.h"

namespace jetsvc::testing {
namespace {

using platform::ErrorKind;
using platform::ManagerSnapshot;
using platform::PrepareOutcome;
using platform::StoreLimits;
using Bytes = std::vector<uint8_t>;

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The program's path in Windows form (Wine maps '/' to drive Z:).
std::wstring JetctlPath() {
  std::string path = JETSVC_TEST_JETCTL;
  if (!path.empty() && path[0] == '/') path = "Z:" + path;
  for (char& c : path) {
    if (c == '/') c = '\\';
  }
  std::wstring wide;
  platform::Utf8ToWide(path, &wide);
  return wide;
}

// One argument quoted for CommandLineToArgvW and the C runtime.
std::wstring Quote(const std::wstring& arg) {
  std::wstring out = L"\"";
  size_t backslashes = 0;
  for (const wchar_t c : arg) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    if (c == L'"') backslashes = backslashes * 2 + 1;
    out.append(backslashes, L'\\');
    backslashes = 0;
    out.push_back(c);
  }
  out.append(backslashes * 2, L'\\');
  out.push_back(L'"');
  return out;
}

// A temporary file, deleted at the end of the scope.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    wchar_t dir[MAX_PATH];
    wchar_t name[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    GetTempFileNameW(dir, L"jct", 0, name);
    path_ = name;
    std::ofstream(path_.c_str(), std::ios::binary) << contents;
  }
  ~TempFile() { DeleteFileW(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  // An inheritable handle on the file; the caller closes it.
  HANDLE Open(bool write) const {
    SECURITY_ATTRIBUTES inherit = {sizeof(inherit), nullptr, TRUE};
    return CreateFileW(path_.c_str(), write ? GENERIC_WRITE : GENERIC_READ,
                       FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING,
                       FILE_ATTRIBUTE_NORMAL, nullptr);
  }
  std::string Read() const {
    std::ifstream in(path_.c_str(), std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    return contents.str();
  }

 private:
  std::wstring path_;
};

// Text-mode output has CR LF line ends; the Linux jetctl's has LF.
std::string Unix(std::string text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

// Runs jetctl.exe with `args`, `stdin_data` on its stdin; waits up to 60 s.
ProcessResult RunJetctl(const std::vector<std::string>& args, const std::string& stdin_data = "") {
  ProcessResult result;
  TempFile in(stdin_data);
  TempFile out("");
  TempFile err("");
  std::wstring command_line = Quote(JetctlPath());
  for (const std::string& arg : args) {
    std::wstring wide;
    EXPECT_TRUE(platform::Utf8ToWide(arg, &wide)) << arg;
    command_line += L" " + Quote(wide);
  }
  STARTUPINFOW startup = {};
  startup.cb = sizeof(startup);
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = in.Open(false);
  startup.hStdOutput = out.Open(true);
  startup.hStdError = err.Open(true);
  PROCESS_INFORMATION process = {};
  const BOOL started = CreateProcessW(nullptr, &command_line[0], nullptr, nullptr, TRUE,
                                      CREATE_NO_WINDOW, nullptr, nullptr, &startup, &process);
  const DWORD start_error = GetLastError();
  CloseHandle(startup.hStdInput);
  CloseHandle(startup.hStdOutput);
  CloseHandle(startup.hStdError);
  if (!started) {
    ADD_FAILURE() << "cannot start jetctl.exe: " << platform::Win32ErrorText(start_error);
    return result;
  }
  if (WaitForSingleObject(process.hProcess, 60000) != WAIT_OBJECT_0) {
    ADD_FAILURE() << "jetctl.exe did not exit within 60 s";
    TerminateProcess(process.hProcess, 99);
    WaitForSingleObject(process.hProcess, INFINITE);
  }
  DWORD code = 0;
  GetExitCodeProcess(process.hProcess, &code);
  CloseHandle(process.hProcess);
  CloseHandle(process.hThread);
  result.exit_code = static_cast<int>(code);
  result.out = out.Read();
  result.err = Unix(err.Read());
  return result;
}

class JetctlWindowsTest : public PipeServerFixture {
 protected:
  ProcessResult Jetctl(std::vector<std::string> args, const std::string& stdin_data = "") {
    args.insert(args.begin(), {"--pipe", name_});
    return RunJetctl(args, stdin_data);
  }
};

TEST_F(JetctlWindowsTest, StatusPrintsWhatTheLinuxJetctlPrints) {
  controller_.SetSnapshot(SampleStatusSnapshot());
  ProcessResult r = Jetctl({"status"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(kSampleStatusText, Unix(r.out));

  r = Jetctl({"status", "--json"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(kSampleStatusJson, Unix(r.out));
}

TEST_F(JetctlWindowsTest, PutGetDeleteAndTheirExitCodes) {
  ProcessResult r = Jetctl({"put", "greeting", "hello world"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("", r.out);
  EXPECT_EQ(Bytes({'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'}),
            controller_.Contents().at("greeting"));
  r = Jetctl({"get", "greeting"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("hello world", r.out);
  r = Jetctl({"get", "nope"});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_EQ("jetctl: get: key \"nope\" not found (NotFound)\n", r.err);
  r = Jetctl({"delete", "greeting"});
  EXPECT_EQ(0, r.exit_code) << r.err;
  r = Jetctl({"del", "greeting"});
  EXPECT_EQ(2, r.exit_code);
  EXPECT_EQ("jetctl: del: key \"greeting\" not found\n", r.err);
  // A value that starts with '-' after "--".
  r = Jetctl({"put", "--", "k", "-1"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(Bytes({'-', '1'}), controller_.Contents().at("k"));
}

TEST_F(JetctlWindowsTest, ValuesTravelAsBytesThroughStdinAndStdout) {
  // CR LF, ^Z and NUL must survive both ways (binary mode).
  const std::string value("a\r\nb\x1a\0c\n", 8);
  ProcessResult r = Jetctl({"put", "bin", "-"}, value);
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(Bytes(value.begin(), value.end()), controller_.Contents().at("bin"));
  r = Jetctl({"get", "bin"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(value, r.out);
}

TEST_F(JetctlWindowsTest, AOneMebibyteValueGoesThroughStdinAndStdout) {
  std::string value(1u << 20, '\0');
  uint32_t x = 12345;
  for (char& c : value) {
    x = x * 1103515245 + 12345;
    c = static_cast<char>(x >> 24);
  }
  ProcessResult r = Jetctl({"put", "big", "-"}, value);
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(Bytes(value.begin(), value.end()), controller_.Contents().at("big"));
  r = Jetctl({"get", "big"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_TRUE(value == r.out) << "got " << r.out.size() << " bytes";
  r = Jetctl({"put", "big", "-"}, value + "x");
  EXPECT_EQ(5, r.exit_code);
  EXPECT_EQ("jetctl: put: the value has 1048577 bytes; at most 1048576 fit (TooLarge)\n", r.err);
}

TEST_F(JetctlWindowsTest, NonAsciiKeysArriveAsUtf8) {
  ProcessResult r = Jetctl({"put", "cl\xc3\xa9", "v"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(1u, controller_.Contents().count("cl\xc3\xa9"));
}

TEST_F(JetctlWindowsTest, ScanEscapesAndPages) {
  controller_.Put("a", {'1'});
  controller_.Put("b\tx", {'\n', 0x01});
  controller_.Put("c", {'3'});
  ProcessResult r = Jetctl({"scan"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("a\t1\nb\\tx\t\\n\\x01\nc\t3\n", Unix(r.out));
  r = Jetctl({"scan", "b", "--limit", "1"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("b\\tx\t\\n\\x01\n", Unix(r.out));
  r = Jetctl({"scan", "--limit=5000"});
  EXPECT_EQ(5, r.exit_code);
  EXPECT_EQ("jetctl: scan: the scan limit 5000 is over the maximum of 1000 (TooLarge)\n", r.err);
}

TEST_F(JetctlWindowsTest, RefusalsExitWithThree) {
  controller_.SetRefusal(ErrorKind::kStopping, "the engine is stopping");
  ProcessResult r = Jetctl({"put", "k", "v"});
  EXPECT_EQ(3, r.exit_code);
  EXPECT_EQ("jetctl: put: the engine is stopping (Stopping)\n", r.err);
  controller_.SetRefusal(ErrorKind::kNotReady, "not started yet");
  r = Jetctl({"resume"});
  EXPECT_EQ(3, r.exit_code);
  EXPECT_EQ("jetctl: resume: not started yet (NotReady)\n", r.err);
}

TEST_F(JetctlWindowsTest, OtherErrorsExitWithFive) {
  controller_.SetLimits(StoreLimits{4, 8, 10, 2});
  ProcessResult r = Jetctl({"put", "toolong", "v"});
  EXPECT_EQ(5, r.exit_code);
  EXPECT_EQ("jetctl: put: the key has 7 bytes; at most 4 fit (TooLarge)\n", r.err);
}

TEST_F(JetctlWindowsTest, PrepareStopResumeAndDefrag) {
  PrepareOutcome quiesced;
  quiesced.quiesced = true;
  quiesced.elapsed_usec = 250000;
  controller_.CompletePreparesImmediately(quiesced);
  ProcessResult r = Jetctl({"prepare-stop", "--timeout-ms", "1500"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("quiesced after 0.250 s\n", Unix(r.out));
  EXPECT_EQ(1500u, controller_.last_prepare_timeout_ms());
  r = Jetctl({"prepare-stop", "--timeout", "2min"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(120000u, controller_.last_prepare_timeout_ms());

  PrepareOutcome late;
  late.elapsed_usec = 1000000;
  controller_.CompletePreparesImmediately(late);
  r = Jetctl({"prepare-stop"});
  EXPECT_EQ(6, r.exit_code) << r.err;
  EXPECT_EQ(60000u, controller_.last_prepare_timeout_ms());
  EXPECT_EQ(0u, Unix(r.out).find("timed out after 1.000 s before the engine quiesced")) << r.out;

  r = Jetctl({"resume"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("resumed\n", Unix(r.out));
  controller_.SetDefragWork(2, 7);
  r = Jetctl({"defrag", "start"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("defragmentation started\n", Unix(r.out));
  r = Jetctl({"defrag", "stop"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("defragmentation stopped after 2 passes, 7 s\n", Unix(r.out));
  r = Jetctl({"limits"});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ(0u, Unix(r.out).find("Max key bytes:      255\n")) << r.out;
}

TEST_F(JetctlWindowsTest, APrepareStopThatNeverAnswersIsUnreachable) {
  // The service waits --timeout (1 s) for `done`, then says so: exit 4.
  ProcessResult r = Jetctl({"--timeout", "1", "prepare-stop", "--timeout-ms", "0"});
  EXPECT_EQ(4, r.exit_code) << r.err;
  EXPECT_NE(std::string::npos, r.err.find("PrepareStop did not answer within 5000 ms")) << r.err;
  EXPECT_NE(std::string::npos, r.err.find("see --timeout")) << r.err;
}

TEST_F(JetctlWindowsTest, NoServiceExitsWithFourAndNamesThePipe) {
  server_.reset();
  ProcessResult r = Jetctl({"status"});
  EXPECT_EQ(4, r.exit_code);
  EXPECT_EQ("jetctl: cannot reach the service: \\\\.\\pipe\\" + name_ +
                " does not exist: the service is not running (start it with 'sc start jetsvc', "
                "or name its pipe with --pipe NAME)\n",
            r.err);
}

TEST_F(JetctlWindowsTest, UsageErrorsExitWithOne) {
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"frobnicate"},
      {"get"},
      {"put", "k"},
      {"get", "a", "b"},
      {"defrag"},
      {"defrag", "go"},
      {"scan", "--limit", "0"},
      {"scan", "--limit", "x"},
      {"status", "--bogus"},
      {"prepare-stop", "--timeout", "soon"},
      {"prepare-stop", "--timeout-ms", "-1"},
  };
  for (const auto& args : bad) {
    ProcessResult r = Jetctl(args);
    std::string joined;
    for (const std::string& arg : args) joined += arg + " ";
    EXPECT_EQ(1, r.exit_code) << joined << ": " << r.err;
    EXPECT_EQ(0u, r.err.find("jetctl: ")) << joined << ": " << r.err;
    EXPECT_NE(std::string::npos, r.err.find("jetctl --help")) << joined << ": " << r.err;
  }
  ProcessResult r = RunJetctl({"--timeout", "0", "status"});
  EXPECT_EQ(1, r.exit_code) << r.err;
  r = RunJetctl({"--pipe", "a\\b", "status"});
  EXPECT_EQ(1, r.exit_code) << r.err;
  r = RunJetctl({"--help"});
  EXPECT_EQ(0, r.exit_code);
  EXPECT_EQ(0u, r.out.find("Usage: jetctl [--pipe NAME]"));
}

}  // namespace
}  // namespace jetsvc::testing

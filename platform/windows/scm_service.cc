// The SCM host and the console control source: see scm_service.h.

#include "platform/windows/scm_service.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
// shellapi.h: CommandLineToArgvW.
#include <shellapi.h>

#include <algorithm>
#include <atomic>
#include <boost/log/trivial.hpp>
#include <mutex>
#include <utility>
#include <vector>

#include "platform/windows/win_text.h"

namespace jetsvc {
namespace platform {

namespace {

// Time kept back from an OS deadline for what follows the flush: closing
// the store, JetTerm, STOPPED.
constexpr auto kTermMargin = std::chrono::seconds(5);
// What SHUTDOWN leaves a service (about 20 s, capped by
// WaitToKillServiceTimeout; os-lifecycle §1.4).
constexpr auto kShutdownBudget = std::chrono::seconds(20);
// The wait hint of the first START_PENDING, before the service says more.
constexpr DWORD kFirstStartHintMs = 30000;

DWORD WaitHintMs(std::chrono::microseconds more_time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(more_time).count();
  return static_cast<DWORD>(std::clamp<long long>(ms, 1000, 0x7fffffff));
}

// One service per process (SERVICE_WIN32_OWN_PROCESS): ServiceMain takes no
// context argument, so the dispatcher's state is this one global, set by
// RunUnderScm before the dispatcher starts.
struct ScmState {
  ScmOptions options;
  ServiceBody body;
  int exit_code = 0;
  SERVICE_STATUS_HANDLE handle = nullptr;
  // The service's post, set by `attach`; HandlerEx copies it under the
  // lock (a short critical section, never held across work).
  std::mutex mu;
  PostFunction post;
};
ScmState* g_scm = nullptr;

// The SetServiceStatus reporter. Calls come from the service thread only;
// `status_` is touched nowhere else.
class ScmReporter : public StatusReporter {
 public:
  explicit ScmReporter(SERVICE_STATUS_HANDLE handle) : handle_(handle) {
    status_.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status_.dwCurrentState = SERVICE_START_PENDING;
  }

  // The first START_PENDING, from ServiceMain before the body runs.
  void ReportFirstStart() {
    status_.dwCheckPoint = 1;
    status_.dwWaitHint = kFirstStartHintMs;
    Set();
  }

  void Starting(std::chrono::microseconds more_time, const std::string& status) override {
    BOOST_LOG_TRIVIAL(info) << status;
    Pending(SERVICE_START_PENDING, more_time);
  }

  void Ready(const std::string& status) override {
    BOOST_LOG_TRIVIAL(info) << "ready: " << status;
    status_.dwCurrentState = SERVICE_RUNNING;
    status_.dwControlsAccepted = SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN |
                                 SERVICE_ACCEPT_PRESHUTDOWN | SERVICE_ACCEPT_PARAMCHANGE;
    status_.dwCheckPoint = 0;
    status_.dwWaitHint = 0;
    Set();
  }

  void Status(const std::string& status) override { BOOST_LOG_TRIVIAL(info) << status; }

  // The SCM has no reloading state; RUNNING stays.
  void Reloading() override { BOOST_LOG_TRIVIAL(info) << "reloading the configuration"; }

  void Stopping(std::chrono::microseconds more_time, const std::string& status) override {
    BOOST_LOG_TRIVIAL(info) << status;
    Pending(SERVICE_STOP_PENDING, more_time);
  }

  std::chrono::microseconds WatchdogInterval() const override {
    return std::chrono::microseconds(0);
  }
  void WatchdogPing() override {}

  void Stopped(int exit_code) override {
    BOOST_LOG_TRIVIAL(info) << "stopped, exit code " << exit_code;
    status_.dwCurrentState = SERVICE_STOPPED;
    status_.dwControlsAccepted = 0;
    status_.dwCheckPoint = 0;
    status_.dwWaitHint = 0;
    if (exit_code == 0) {
      status_.dwWin32ExitCode = NO_ERROR;
      status_.dwServiceSpecificExitCode = 0;
    } else {
      status_.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
      status_.dwServiceSpecificExitCode = static_cast<DWORD>(exit_code);
    }
    // Last call: the SCM may end the process right after it.
    Set();
  }

 private:
  // START_PENDING or STOP_PENDING: each call is a step, so the checkpoint
  // rises; no control is accepted while pending.
  void Pending(DWORD state, std::chrono::microseconds more_time) {
    if (status_.dwCurrentState != state) status_.dwCheckPoint = 0;
    status_.dwCurrentState = state;
    status_.dwControlsAccepted = 0;
    status_.dwCheckPoint += 1;
    status_.dwWaitHint = WaitHintMs(more_time);
    Set();
  }

  void Set() {
    if (!::SetServiceStatus(handle_, &status_)) {
      BOOST_LOG_TRIVIAL(warning) << "SetServiceStatus failed: "
                                 << Win32ErrorText(::GetLastError());
    }
  }

  const SERVICE_STATUS_HANDLE handle_;
  SERVICE_STATUS status_{};
};

DWORD WINAPI HandlerEx(DWORD control, DWORD /*event_type*/, LPVOID /*event_data*/,
                       LPVOID context) {
  auto* state = static_cast<ScmState*>(context);
  uint32_t result = NO_ERROR;
  std::optional<HostRequest> request =
      MapControl(control, state->options, HostRequest::Clock::now(), &result);
  if (!request) return result;
  PostFunction post;
  {
    std::lock_guard<std::mutex> lock(state->mu);
    post = state->post;
  }
  // Before attach nothing is accepted (START_PENDING), so the SCM does not
  // call; should it, the control cannot be acted on.
  if (!post) return ERROR_SERVICE_CANNOT_ACCEPT_CTRL;
  post(std::move(*request));
  return NO_ERROR;
}

void WINAPI ServiceMain(DWORD /*argc*/, LPWSTR* /*argv*/) {
  ScmState* state = g_scm;
  std::wstring name;
  (void)Utf8ToWide(state->options.service_name, &name);
  state->handle = ::RegisterServiceCtrlHandlerExW(name.c_str(), HandlerEx, state);
  if (state->handle == nullptr) {
    BOOST_LOG_TRIVIAL(error) << "RegisterServiceCtrlHandlerExW failed: "
                             << Win32ErrorText(::GetLastError());
    state->exit_code = 1;
    return;
  }
  ScmReporter reporter(state->handle);
  reporter.ReportFirstStart();
  auto attach = [state](PostFunction post) {
    std::lock_guard<std::mutex> lock(state->mu);
    state->post = std::move(post);
  };
  try {
    state->exit_code = state->body(&reporter, attach);
  } catch (const std::exception& e) {
    // The body did not reach Stopped(): say why and report it here.
    BOOST_LOG_TRIVIAL(error) << "the service failed: " << e.what();
    state->exit_code = 1;
    reporter.Stopped(1);
  }
  // After STOPPED no control may reach the (gone) service.
  std::lock_guard<std::mutex> lock(state->mu);
  state->post = nullptr;
}

}  // namespace

std::optional<HostRequest> MapControl(uint32_t control, const ScmOptions& options,
                                      HostRequest::Clock::time_point now, uint32_t* win32_result) {
  *win32_result = NO_ERROR;
  HostRequest request;
  switch (control) {
    case SERVICE_CONTROL_STOP:
      request.event = HostEvent::kStop;
      request.origin = "SCM STOP";
      return request;
    case SERVICE_CONTROL_PRESHUTDOWN:
      request.event = HostEvent::kStop;
      request.origin = "SCM PRESHUTDOWN (the system is shutting down)";
      request.deadline = now + std::max<std::chrono::milliseconds>(
                                   options.preshutdown_timeout - kTermMargin,
                                   std::chrono::milliseconds(0));
      return request;
    case SERVICE_CONTROL_SHUTDOWN:
      request.event = HostEvent::kStop;
      request.origin = "SCM SHUTDOWN";
      request.deadline = now + (kShutdownBudget - kTermMargin);
      return request;
    case SERVICE_CONTROL_PARAMCHANGE:
      request.event = HostEvent::kReload;
      request.origin = "SCM PARAMCHANGE";
      return request;
    case kPrepareCode:
      request.event = HostEvent::kPrepareShutdown;
      request.origin = "SCM control 128 (prepare)";
      request.deadline = now + options.prepare_timeout;
      return request;
    case kResumeCode:
      request.event = HostEvent::kShutdownCancelled;
      request.origin = "SCM control 129 (resume)";
      return request;
    case SERVICE_CONTROL_INTERROGATE:
      // The SCM reads the last reported status; nothing to do.
      return std::nullopt;
    default:
      *win32_result = ERROR_CALL_NOT_IMPLEMENTED;
      return std::nullopt;
  }
}

DispatchOutcome RunUnderScm(const ScmOptions& options, ServiceBody body, int* exit_code,
                            std::string* error) {
  ScmState state;
  state.options = options;
  state.body = std::move(body);
  g_scm = &state;
  std::wstring name;
  if (!Utf8ToWide(options.service_name, &name)) {
    *error = "the service name is not valid UTF-8";
    return DispatchOutcome::kFailed;
  }
  SERVICE_TABLE_ENTRYW table[] = {{name.data(), ServiceMain}, {nullptr, nullptr}};
  const BOOL ran = ::StartServiceCtrlDispatcherW(table);
  const DWORD last = ran ? NO_ERROR : ::GetLastError();
  g_scm = nullptr;
  if (ran) {
    *exit_code = state.exit_code;
    return DispatchOutcome::kServiceRan;
  }
  if (last == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) return DispatchOutcome::kNotUnderScm;
  *error = "StartServiceCtrlDispatcherW failed: " + Win32ErrorText(last);
  return DispatchOutcome::kFailed;
}

// --- Console mode ---------------------------------------------------------

namespace {

// How long a console close waits for the stop before Windows' own limit
// (about 5 s) ends the process anyway.
constexpr DWORD kCloseWaitMs = 4500;

class ConsoleControlSource;
std::atomic<ConsoleControlSource*> g_console{nullptr};

class ConsoleControlSource : public EventSource {
 public:
  explicit ConsoleControlSource(PostFunction post)
      : post_(std::move(post)), finished_(::CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}

  // The event is not closed: a close handler that loaded `this` just
  // before Stop() may still wait on it. One handle per process.
  ~ConsoleControlSource() override { Stop(); }

  bool Install(std::string* error) {
    if (finished_ == nullptr) {
      *error = "CreateEventW failed: " + Win32ErrorText(::GetLastError());
      return false;
    }
    g_console.store(this);
    if (!::SetConsoleCtrlHandler(&ConsoleControlSource::Handler, TRUE)) {
      g_console.store(nullptr);
      *error = "SetConsoleCtrlHandler failed: " + Win32ErrorText(::GetLastError());
      return false;
    }
    installed_ = true;
    return true;
  }

  void Stop() override {
    if (!installed_) return;
    installed_ = false;
    // A close handler waiting for the stop may return now.
    ::SetEvent(finished_);
    ::SetConsoleCtrlHandler(&ConsoleControlSource::Handler, FALSE);
    g_console.store(nullptr);
  }

 private:
  // Runs on a thread Windows creates for each event.
  static BOOL WINAPI Handler(DWORD type) {
    ConsoleControlSource* self = g_console.load();
    if (self == nullptr) return FALSE;
    HostRequest request;
    request.event = HostEvent::kStop;
    switch (type) {
      case CTRL_C_EVENT:
        request.origin = "Ctrl+C";
        self->post_(std::move(request));
        return TRUE;
      case CTRL_BREAK_EVENT:
        request.origin = "Ctrl+Break";
        self->post_(std::move(request));
        return TRUE;
      case CTRL_CLOSE_EVENT:
      case CTRL_LOGOFF_EVENT:
      case CTRL_SHUTDOWN_EVENT:
        request.origin = type == CTRL_CLOSE_EVENT ? "console closed" : "logoff or shutdown";
        self->post_(std::move(request));
        // Returning ends the process: wait for the service to finish first.
        ::WaitForSingleObject(self->finished_, kCloseWaitMs);
        return TRUE;
      default:
        return FALSE;
    }
  }

  const PostFunction post_;
  const HANDLE finished_;
  bool installed_ = false;
};

}  // namespace

std::unique_ptr<EventSource> StartConsoleControlSource(PostFunction post, std::string* error) {
  auto source = std::make_unique<ConsoleControlSource>(std::move(post));
  if (!source->Install(error)) return nullptr;
  return source;
}

std::vector<std::string> CommandLineUtf8() {
  std::vector<std::string> args;
  int argc = 0;
  LPWSTR* argv = ::CommandLineToArgvW(::GetCommandLineW(), &argc);
  if (argv == nullptr) return args;
  for (int i = 0; i < argc; ++i) args.push_back(WideToUtf8(argv[i]));
  ::LocalFree(argv);
  return args;
}

}  // namespace platform
}  // namespace jetsvc

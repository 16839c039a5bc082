// The Windows service control manager (SCM) as a lifecycle source: the
// Windows counterpart of platform/signals.h, logind.h and the systemd
// reporter together. No Windows type appears here, so service/main_windows.cc
// includes it without an OS header.
//
// RunUnderScm calls StartServiceCtrlDispatcherW. Under the SCM, ServiceMain
// registers a HandlerEx, reports START_PENDING and runs `body` on its own
// thread with a StatusReporter that calls SetServiceStatus:
//   Starting  -> START_PENDING, dwCheckPoint + 1, dwWaitHint = more_time
//   Ready     -> RUNNING, accepting STOP, SHUTDOWN, PRESHUTDOWN, PARAMCHANGE
//   Stopping  -> STOP_PENDING, dwCheckPoint + 1, dwWaitHint = more_time (the
//                service computes it from the engine's bytes left to flush
//                at the measured flush rate)
//   Stopped   -> STOPPED, once, last: dwWin32ExitCode 0, or
//                ERROR_SERVICE_SPECIFIC_ERROR (1066) with the exit code as
//                dwServiceSpecificExitCode
// HandlerEx never blocks: it turns each control into a HostRequest and
// posts it (a queue push under the service's short lock):
//   STOP                -> kStop (no deadline of its own)
//   PRESHUTDOWN         -> kStop, deadline = preshutdown timeout - margin
//                          (nothing follows PRESHUTDOWN: this is the end)
//   SHUTDOWN            -> kStop, deadline = the SHUTDOWN budget - margin
//   PARAMCHANGE         -> kReload
//   128 (kPrepareCode)  -> kPrepareShutdown (resumable), deadline = the
//                          prepare timeout
//   129 (kResumeCode)   -> kShutdownCancelled
//   INTERROGATE         -> NO_ERROR; anything else ERROR_CALL_NOT_IMPLEMENTED
//
// Outside the SCM (a console), StartServiceCtrlDispatcherW fails with
// ERROR_FAILED_SERVICE_CONTROLLER_CONNECT (1063): RunUnderScm returns
// kNotUnderScm and main runs in the foreground with
// StartConsoleControlSource, which maps Ctrl+C, Ctrl+Break and closing the
// console onto the same kStop.
//
// Thread contract: RunUnderScm once, from main. `body` runs on the
// ServiceMain thread; the reporter it gets follows StatusReporter's
// contract. MapControl is a pure function (tests call it directly).

#ifndef JETSVC_PLATFORM_WINDOWS_SCM_SERVICE_H_
#define JETSVC_PLATFORM_WINDOWS_SCM_SERVICE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/host.h"

namespace jetsvc {
namespace platform {

// The user-defined control codes (128..255 are the service's own).
constexpr uint32_t kPrepareCode = 128;
constexpr uint32_t kResumeCode = 129;

struct ScmOptions {
  std::string service_name = "jetsvc";
  // What `install` set as SERVICE_PRESHUTDOWN_INFO: how long the SCM waits
  // for STOPPED after PRESHUTDOWN.
  std::chrono::milliseconds preshutdown_timeout{120000};
  // The bound on a user-control-128 prepare (config prepare-timeout-ms).
  std::chrono::milliseconds prepare_timeout{240000};
};

// What runs the service. `attach(post)` hands the host the function that
// queues HostRequests; call it once, before the service reports Ready
// (controls that arrive earlier are answered ERROR_SERVICE_CANNOT_ACCEPT_CTRL
// by the SCM itself, since none is accepted before RUNNING). `body` must
// call reporter->Stopped() exactly once (Service::Run does) and returns
// the exit code.
using ServiceBody =
    std::function<int(StatusReporter* reporter, const std::function<void(PostFunction)>& attach)>;

enum class DispatchOutcome {
  kServiceRan,    // the SCM ran the service; *exit_code is body's result
  kNotUnderScm,   // started from a console (1063): run in the foreground
  kFailed,        // the dispatcher failed otherwise; *error says why
};

DispatchOutcome RunUnderScm(const ScmOptions& options, ServiceBody body, int* exit_code,
                            std::string* error);

// The HandlerEx mapping, exposed for tests. `now` is the time the control
// arrived. Returns the request to post, or nullopt with *win32_result set
// (NO_ERROR for INTERROGATE, ERROR_CALL_NOT_IMPLEMENTED for unknown codes).
std::optional<HostRequest> MapControl(uint32_t control, const ScmOptions& options,
                                      HostRequest::Clock::time_point now, uint32_t* win32_result);

// Foreground mode: Ctrl+C, Ctrl+Break, and closing the console window (or
// logoff / shutdown of a console session) post kStop. For a close, Windows
// ends the process when the handler returns, so the handler waits for
// Stop() (called after Service::Run returned), up to the few seconds
// Windows allows. Null (and *error) if the handler cannot be installed.
std::unique_ptr<EventSource> StartConsoleControlSource(PostFunction post, std::string* error);

// The process's command line as UTF-8 arguments (argv[0] included), from
// GetCommandLineW: main's char** argv is in the ANSI code page.
std::vector<std::string> CommandLineUtf8();

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_WINDOWS_SCM_SERVICE_H_

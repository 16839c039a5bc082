// `jetsvc.exe install` and `uninstall`: the service's entry in the SCM
// database and its event-log source. No Windows type appears here.
//
// Install creates an auto-start SERVICE_WIN32_OWN_PROCESS whose command line
// is the quoted program path followed by the given options (each quoted as
// CommandLineToArgvW reads it back), then sets with ChangeServiceConfig2W:
// the description, failure actions (restart after 5 s, restart after 30 s,
// then nothing; reset after a day; also on a non-crash failure, i.e. a
// STOPPED with an error exit code), and SERVICE_PRESHUTDOWN_INFO. It
// registers the event-log source (EventMessageFile = the program, whose
// message table renders the entries; TypesSupported = 7). Any failure
// after CreateServiceW deletes the new service again: a failed install
// changes nothing.
//
// Uninstall refuses while the service runs (stop it first), then deletes
// the service and the event-log source.
//
// Thread contract: none; called from main.

#ifndef JETSVC_PLATFORM_WINDOWS_SERVICE_INSTALL_H_
#define JETSVC_PLATFORM_WINDOWS_SERVICE_INSTALL_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace jetsvc {
namespace platform {

struct InstallOptions {
  std::string service_name = "jetsvc";
  std::string display_name = "jetsvc storage engine";
  std::string description =
      "ESE-style storage engine (JET API); prepares for termination at PRESHUTDOWN";
  // Empty: this program (GetModuleFileNameW).
  std::string executable;
  // Appended to the program path on the service's command line.
  std::vector<std::string> arguments;
  std::chrono::milliseconds preshutdown_timeout{120000};
};

enum class InstallStatus {
  kOk,
  kAccessDenied,  // not elevated: nothing was changed
  kExists,        // a service of that name exists (install)
  kNotInstalled,  // no such service (uninstall, query)
  kRunning,       // uninstall of a service that is not stopped
  kFailed,        // anything else; the message has the Win32 text
};

struct InstallResult {
  InstallStatus status = InstallStatus::kOk;
  std::string message;
  // Settings this system's SCM does not support, skipped (Wine 8 has no
  // SERVICE_CONFIG_FAILURE_ACTIONS_FLAG); the install still succeeded.
  std::vector<std::string> warnings;
  bool ok() const { return status == InstallStatus::kOk; }
};

InstallResult InstallService(const InstallOptions& options);
InstallResult UninstallService(const std::string& service_name);

// What the SCM holds for a service (QueryServiceConfigW/2W), for tests
// and for `jetsvc.exe install` to print.
struct InstalledService {
  std::string command_line;
  std::string description;
  bool auto_start = false;
  uint32_t preshutdown_timeout_ms = 0;
  struct Action {
    int type;  // SC_ACTION_NONE 0, SC_ACTION_RESTART 1, ...
    uint32_t delay_ms;
  };
  std::vector<Action> failure_actions;
  uint32_t failure_reset_seconds = 0;
  bool failure_actions_on_non_crash = false;
  bool event_source_registered = false;
};

InstallResult QueryInstalledService(const std::string& service_name, InstalledService* out);

// One argument quoted so that CommandLineToArgvW returns it unchanged.
std::string QuoteWindowsArgument(const std::string& argument);

// The message for a Win32 error of an install step: names the step and,
// for ERROR_ACCESS_DENIED, says to run from an elevated prompt.
InstallResult DescribeInstallError(const std::string& step, unsigned long win32_error);

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_WINDOWS_SERVICE_INSTALL_H_

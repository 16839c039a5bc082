// Service install and uninstall: see service_install.h.

#include "platform/windows/service_install.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <memory>

#include "platform/windows/win_text.h"

namespace jetsvc {
namespace platform {

namespace {

constexpr wchar_t kEventLogKeyPrefix[] =
    L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\";

// Failure actions: restart after 5 s, after 30 s, then give up; the count
// resets after a day without failures.
constexpr DWORD kRestartDelaysMs[] = {5000, 30000};
constexpr DWORD kFailureResetSeconds = 86400;

struct ScHandleCloser {
  void operator()(SC_HANDLE handle) const {
    if (handle != nullptr) ::CloseServiceHandle(handle);
  }
};
using ScHandle = std::unique_ptr<std::remove_pointer<SC_HANDLE>::type, ScHandleCloser>;

InstallResult Error(InstallStatus status, std::string message) {
  InstallResult result;
  result.status = status;
  result.message = std::move(message);
  return result;
}

std::wstring Wide(const std::string& utf8) {
  std::wstring wide;
  (void)Utf8ToWide(utf8, &wide);  // our own ASCII names and checked paths
  return wide;
}

std::string ThisProgram() {
  std::wstring path(32768, L'\0');
  const DWORD n = ::GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
  path.resize(n);
  return WideToUtf8(path);
}

ScHandle OpenManager(DWORD access, InstallResult* error) {
  ScHandle manager(::OpenSCManagerW(nullptr, nullptr, access));
  if (manager == nullptr) *error = DescribeInstallError("OpenSCManagerW", ::GetLastError());
  return manager;
}

InstallResult RegisterEventSource(const std::string& name, const std::string& program) {
  const std::wstring key_path = kEventLogKeyPrefix + Wide(name);
  HKEY key = nullptr;
  LONG rc = ::RegCreateKeyExW(HKEY_LOCAL_MACHINE, key_path.c_str(), 0, nullptr, 0, KEY_SET_VALUE,
                              nullptr, &key, nullptr);
  if (rc != ERROR_SUCCESS) return DescribeInstallError("registering the event-log source", rc);
  const std::wstring file = Wide(program);
  const DWORD types = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE;
  rc = ::RegSetValueExW(key, L"EventMessageFile", 0, REG_EXPAND_SZ,
                        reinterpret_cast<const BYTE*>(file.c_str()),
                        static_cast<DWORD>((file.size() + 1) * sizeof(wchar_t)));
  if (rc == ERROR_SUCCESS) {
    rc = ::RegSetValueExW(key, L"TypesSupported", 0, REG_DWORD,
                          reinterpret_cast<const BYTE*>(&types), sizeof(types));
  }
  ::RegCloseKey(key);
  if (rc != ERROR_SUCCESS) return DescribeInstallError("registering the event-log source", rc);
  return InstallResult();
}

void UnregisterEventSource(const std::string& name) {
  const std::wstring key_path = kEventLogKeyPrefix + Wide(name);
  (void)::RegDeleteKeyW(HKEY_LOCAL_MACHINE, key_path.c_str());
}

// The ChangeServiceConfig2W steps of an install.
InstallResult Configure(SC_HANDLE service, const InstallOptions& options) {
  std::wstring description = Wide(options.description);
  SERVICE_DESCRIPTIONW describe{description.data()};
  if (!::ChangeServiceConfig2W(service, SERVICE_CONFIG_DESCRIPTION, &describe)) {
    return DescribeInstallError("setting the description", ::GetLastError());
  }
  SC_ACTION actions[3];
  for (size_t i = 0; i < 2; ++i) actions[i] = {SC_ACTION_RESTART, kRestartDelaysMs[i]};
  actions[2] = {SC_ACTION_NONE, 0};
  SERVICE_FAILURE_ACTIONSW failure{};
  failure.dwResetPeriod = kFailureResetSeconds;
  failure.cActions = 3;
  failure.lpsaActions = actions;
  if (!::ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, &failure)) {
    return DescribeInstallError("setting the failure actions", ::GetLastError());
  }
  InstallResult result;
  SERVICE_FAILURE_ACTIONS_FLAG flag{TRUE};
  if (!::ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &flag)) {
    const DWORD error = ::GetLastError();
    // Windows has it since Vista; Wine 8 answers ERROR_INVALID_LEVEL.
    if (error != ERROR_INVALID_LEVEL) {
      return DescribeInstallError("setting the failure actions flag", error);
    }
    result.warnings.push_back(
        "this SCM does not support SERVICE_CONFIG_FAILURE_ACTIONS_FLAG: the service restarts "
        "after a crash, not after stopping with an error exit code");
  }
  SERVICE_PRESHUTDOWN_INFO preshutdown{static_cast<DWORD>(options.preshutdown_timeout.count())};
  if (!::ChangeServiceConfig2W(service, SERVICE_CONFIG_PRESHUTDOWN_INFO, &preshutdown)) {
    return DescribeInstallError("setting the preshutdown timeout", ::GetLastError());
  }
  return result;
}

// QueryServiceConfig2W into a buffer of the size it asks for.
bool QueryConfig2(SC_HANDLE service, DWORD level, std::vector<BYTE>* buffer) {
  DWORD needed = 0;
  buffer->assign(256, 0);
  if (::QueryServiceConfig2W(service, level, buffer->data(), static_cast<DWORD>(buffer->size()),
                             &needed)) {
    return true;
  }
  if (::GetLastError() != ERROR_INSUFFICIENT_BUFFER) return false;
  buffer->assign(needed, 0);
  return ::QueryServiceConfig2W(service, level, buffer->data(), needed, &needed) != FALSE;
}

}  // namespace

std::string QuoteWindowsArgument(const std::string& argument) {
  if (!argument.empty() && argument.find_first_of(" \t\n\v\"") == std::string::npos) {
    return argument;
  }
  // CommandLineToArgvW: 2n backslashes before a quote are n backslashes;
  // 2n+1 are n and a literal quote; backslashes elsewhere are literal.
  std::string out = "\"";
  size_t backslashes = 0;
  for (char c : argument) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    if (c == '"') {
      out.append(backslashes * 2 + 1, '\\');
    } else {
      out.append(backslashes, '\\');
    }
    backslashes = 0;
    out.push_back(c);
  }
  out.append(backslashes * 2, '\\');
  out.push_back('"');
  return out;
}

InstallResult DescribeInstallError(const std::string& step, unsigned long win32_error) {
  switch (win32_error) {
    case ERROR_ACCESS_DENIED:
      return Error(InstallStatus::kAccessDenied,
                   step + ": access denied; installing or removing a service needs administrator "
                          "rights (run from an elevated prompt). Nothing was changed.");
    case ERROR_SERVICE_EXISTS:
    case ERROR_DUPLICATE_SERVICE_NAME:
      return Error(InstallStatus::kExists,
                   step + ": a service of that name already exists (" +
                       Win32ErrorText(win32_error) + "); run `jetsvc.exe uninstall` first");
    case ERROR_SERVICE_DOES_NOT_EXIST:
      return Error(InstallStatus::kNotInstalled,
                   step + ": the service is not installed (" + Win32ErrorText(win32_error) + ")");
    case ERROR_SERVICE_MARKED_FOR_DELETE:
      return Error(InstallStatus::kFailed,
                   step + ": the service is marked for deletion; close the Services console "
                          "and try again (" + Win32ErrorText(win32_error) + ")");
    default:
      return Error(InstallStatus::kFailed, step + " failed: " + Win32ErrorText(win32_error));
  }
}

InstallResult InstallService(const InstallOptions& options) {
  const std::string program = options.executable.empty() ? ThisProgram() : options.executable;
  std::string command_line = QuoteWindowsArgument(program);
  // The program path is always quoted, even without spaces (an unquoted
  // path with a space is the classic service hijack).
  if (command_line.front() != '"') command_line = "\"" + program + "\"";
  for (const std::string& argument : options.arguments) {
    command_line += " " + QuoteWindowsArgument(argument);
  }
  InstallResult result;
  ScHandle manager = OpenManager(SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE, &result);
  if (manager == nullptr) return result;
  const std::wstring name = Wide(options.service_name);
  const std::wstring display = Wide(options.display_name);
  const std::wstring wide_command = Wide(command_line);
  ScHandle service(::CreateServiceW(manager.get(), name.c_str(), display.c_str(),
                                    SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS,
                                    SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, wide_command.c_str(),
                                    nullptr, nullptr, nullptr, nullptr, nullptr));
  if (service == nullptr) return DescribeInstallError("CreateServiceW", ::GetLastError());
  result = Configure(service.get(), options);
  if (result.ok()) {
    std::vector<std::string> warnings = std::move(result.warnings);
    result = RegisterEventSource(options.service_name, program);
    result.warnings = std::move(warnings);
  }
  if (!result.ok()) {
    // Undo the create: a failed install leaves nothing behind.
    ::DeleteService(service.get());
    result.message += " (the new service entry was removed again)";
    return result;
  }
  result.message = "installed service " + options.service_name + ": " + command_line;
  return result;
}

InstallResult UninstallService(const std::string& service_name) {
  InstallResult result;
  ScHandle manager = OpenManager(SC_MANAGER_CONNECT, &result);
  if (manager == nullptr) return result;
  const std::wstring name = Wide(service_name);
  ScHandle service(
      ::OpenServiceW(manager.get(), name.c_str(), DELETE | SERVICE_QUERY_STATUS));
  if (service == nullptr) return DescribeInstallError("OpenServiceW", ::GetLastError());
  SERVICE_STATUS status{};
  if (!::QueryServiceStatus(service.get(), &status)) {
    return DescribeInstallError("QueryServiceStatus", ::GetLastError());
  }
  if (status.dwCurrentState != SERVICE_STOPPED) {
    return Error(InstallStatus::kRunning,
                 "the service " + service_name +
                     " is running; stop it first (sc stop " + service_name +
                     ", then wait for STOPPED). Nothing was changed.");
  }
  if (!::DeleteService(service.get())) {
    return DescribeInstallError("DeleteService", ::GetLastError());
  }
  UnregisterEventSource(service_name);
  result.message = "removed service " + service_name;
  return result;
}

InstallResult QueryInstalledService(const std::string& service_name, InstalledService* out) {
  *out = InstalledService();
  InstallResult result;
  ScHandle manager = OpenManager(SC_MANAGER_CONNECT, &result);
  if (manager == nullptr) return result;
  const std::wstring name = Wide(service_name);
  ScHandle service(::OpenServiceW(manager.get(), name.c_str(), SERVICE_QUERY_CONFIG));
  if (service == nullptr) return DescribeInstallError("OpenServiceW", ::GetLastError());

  DWORD needed = 0;
  ::QueryServiceConfigW(service.get(), nullptr, 0, &needed);
  std::vector<BYTE> buffer(needed > 0 ? needed : 1);
  auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
  if (!::QueryServiceConfigW(service.get(), config, static_cast<DWORD>(buffer.size()), &needed)) {
    return DescribeInstallError("QueryServiceConfigW", ::GetLastError());
  }
  out->command_line = WideToUtf8(config->lpBinaryPathName ? config->lpBinaryPathName : L"");
  out->auto_start = config->dwStartType == SERVICE_AUTO_START;

  if (QueryConfig2(service.get(), SERVICE_CONFIG_DESCRIPTION, &buffer)) {
    auto* describe = reinterpret_cast<SERVICE_DESCRIPTIONW*>(buffer.data());
    if (describe->lpDescription != nullptr) out->description = WideToUtf8(describe->lpDescription);
  }
  if (QueryConfig2(service.get(), SERVICE_CONFIG_PRESHUTDOWN_INFO, &buffer)) {
    out->preshutdown_timeout_ms =
        reinterpret_cast<SERVICE_PRESHUTDOWN_INFO*>(buffer.data())->dwPreshutdownTimeout;
  }
  if (QueryConfig2(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS, &buffer)) {
    auto* failure = reinterpret_cast<SERVICE_FAILURE_ACTIONSW*>(buffer.data());
    out->failure_reset_seconds = failure->dwResetPeriod;
    for (DWORD i = 0; i < failure->cActions && failure->lpsaActions != nullptr; ++i) {
      out->failure_actions.push_back(
          {static_cast<int>(failure->lpsaActions[i].Type), failure->lpsaActions[i].Delay});
    }
  }
  if (QueryConfig2(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &buffer)) {
    out->failure_actions_on_non_crash =
        reinterpret_cast<SERVICE_FAILURE_ACTIONS_FLAG*>(buffer.data())->fFailureActionsOnNonCrashFailures !=
        FALSE;
  }
  const std::wstring key_path = kEventLogKeyPrefix + name;
  HKEY key = nullptr;
  if (::RegOpenKeyExW(HKEY_LOCAL_MACHINE, key_path.c_str(), 0, KEY_QUERY_VALUE, &key) ==
      ERROR_SUCCESS) {
    out->event_source_registered =
        ::RegQueryValueExW(key, L"EventMessageFile", nullptr, nullptr, nullptr, nullptr) ==
        ERROR_SUCCESS;
    ::RegCloseKey(key);
  }
  return result;
}

}  // namespace platform
}  // namespace jetsvc

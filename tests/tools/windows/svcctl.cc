// svcctl.exe: the service-control side of the Windows service test
// (tests/windows/service_test.sh), where sc.exe is too coarse:
//
//   svcctl watch NAME STATE TIMEOUT_MS   poll QueryServiceStatusEx every
//       millisecond and print every change as one line, until the state is
//       STATE (RUNNING, STOPPED, ...) or the timeout; exit 0 if reached
//   svcctl control NAME CODE             ControlService; print the Win32
//       result ("result 0", "result 1 ..."); exit 0 when it succeeded
//   svcctl query NAME                    one status line
//   svcctl config NAME                   what the SCM holds for it
//                                        (service_install.h's query)
//   svcctl eventlog SOURCE TEXT          log TEXT at info, warning and
//       error through the event-log sink (event_log.h), as the service does
//   svcctl render FILE ID TEXT           what the Event Viewer shows for
//       event ID (hex) of a source whose EventMessageFile is FILE, with
//       TEXT as its insertion string (FormatMessageW on FILE's table)
//
// A status line: "state=STOP_PENDING checkpoint=3 wait_hint=5000
// win32_exit=0 specific_exit=0 controls=0x0".

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <boost/log/trivial.hpp>

#include "platform/logging.h"
#include "platform/windows/event_log.h"
#include "platform/windows/service_install.h"
#include "platform/windows/win_text.h"

namespace {

const char* StateName(DWORD state) {
  switch (state) {
    case SERVICE_STOPPED:
      return "STOPPED";
    case SERVICE_START_PENDING:
      return "START_PENDING";
    case SERVICE_STOP_PENDING:
      return "STOP_PENDING";
    case SERVICE_RUNNING:
      return "RUNNING";
    case SERVICE_CONTINUE_PENDING:
      return "CONTINUE_PENDING";
    case SERVICE_PAUSE_PENDING:
      return "PAUSE_PENDING";
    case SERVICE_PAUSED:
      return "PAUSED";
    default:
      return "UNKNOWN";
  }
}

std::string Line(const SERVICE_STATUS_PROCESS& s) {
  char text[256];
  std::snprintf(text, sizeof(text),
                "state=%s checkpoint=%lu wait_hint=%lu win32_exit=%lu specific_exit=%lu "
                "controls=0x%lx",
                StateName(s.dwCurrentState), static_cast<unsigned long>(s.dwCheckPoint),
                static_cast<unsigned long>(s.dwWaitHint),
                static_cast<unsigned long>(s.dwWin32ExitCode),
                static_cast<unsigned long>(s.dwServiceSpecificExitCode),
                static_cast<unsigned long>(s.dwControlsAccepted));
  return text;
}

SC_HANDLE Open(const std::string& name, DWORD access) {
  SC_HANDLE manager = ::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
  if (manager == nullptr) {
    std::fprintf(stderr, "svcctl: OpenSCManagerW: %s\n",
                 jetsvc::platform::Win32ErrorText(::GetLastError()).c_str());
    std::exit(2);
  }
  std::wstring wide;
  jetsvc::platform::Utf8ToWide(name, &wide);
  SC_HANDLE service = ::OpenServiceW(manager, wide.c_str(), access);
  ::CloseServiceHandle(manager);
  if (service == nullptr) {
    std::fprintf(stderr, "svcctl: OpenServiceW %s: %s\n", name.c_str(),
                 jetsvc::platform::Win32ErrorText(::GetLastError()).c_str());
    std::exit(2);
  }
  return service;
}

bool Query(SC_HANDLE service, SERVICE_STATUS_PROCESS* status) {
  DWORD needed = 0;
  return ::QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(status),
                                sizeof(*status), &needed) != FALSE;
}

int Watch(const std::string& name, const std::string& until, DWORD timeout_ms) {
  SC_HANDLE service = Open(name, SERVICE_QUERY_STATUS);
  const ULONGLONG end = ::GetTickCount64() + timeout_ms;
  std::string last;
  while (::GetTickCount64() < end) {
    SERVICE_STATUS_PROCESS status{};
    if (!Query(service, &status)) {
      std::fprintf(stderr, "svcctl: QueryServiceStatusEx: %s\n",
                   jetsvc::platform::Win32ErrorText(::GetLastError()).c_str());
      return 2;
    }
    const std::string line = Line(status);
    if (line != last) {
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
      last = line;
    }
    if (until == StateName(status.dwCurrentState)) return 0;
    ::Sleep(1);
  }
  std::fprintf(stderr, "svcctl: %s did not reach %s within %lu ms\n", name.c_str(), until.c_str(),
               static_cast<unsigned long>(timeout_ms));
  return 1;
}

int Control(const std::string& name, DWORD code) {
  SC_HANDLE service =
      Open(name, SERVICE_STOP | SERVICE_USER_DEFINED_CONTROL | SERVICE_PAUSE_CONTINUE |
                     SERVICE_INTERROGATE | SERVICE_QUERY_STATUS);
  SERVICE_STATUS status{};
  if (::ControlService(service, code, &status)) {
    std::printf("result 0\n");
    return 0;
  }
  const DWORD error = ::GetLastError();
  std::printf("result %lu %s\n", static_cast<unsigned long>(error),
              jetsvc::platform::Win32ErrorText(error).c_str());
  return 1;
}

int Config(const std::string& name) {
  jetsvc::platform::InstalledService installed;
  const auto result = jetsvc::platform::QueryInstalledService(name, &installed);
  if (!result.ok()) {
    std::fprintf(stderr, "svcctl: %s\n", result.message.c_str());
    return 2;
  }
  std::printf("command_line=%s\n", installed.command_line.c_str());
  std::printf("description=%s\n", installed.description.c_str());
  std::printf("auto_start=%d\n", installed.auto_start ? 1 : 0);
  std::printf("preshutdown_timeout_ms=%u\n", installed.preshutdown_timeout_ms);
  std::printf("failure_reset_seconds=%u\n", installed.failure_reset_seconds);
  for (const auto& action : installed.failure_actions) {
    std::printf("failure_action=%d/%u\n", action.type, action.delay_ms);
  }
  std::printf("failure_actions_on_non_crash=%d\n", installed.failure_actions_on_non_crash ? 1 : 0);
  std::printf("event_source_registered=%d\n", installed.event_source_registered ? 1 : 0);
  return 0;
}

int EventLog(const std::string& source, const std::string& text) {
  // The event log only: no stderr sink, so what reaches stderr is Wine's
  // trace of ReportEventW.
  jetsvc::platform::SetLogLevel("info");
  std::string error;
  if (!jetsvc::platform::AddEventLogSink(source, &error)) {
    std::fprintf(stderr, "svcctl: %s\n", error.c_str());
    return 2;
  }
  BOOST_LOG_TRIVIAL(debug) << "debug " << text;  // below the level: not sent
  BOOST_LOG_TRIVIAL(info) << "info " << text;
  BOOST_LOG_TRIVIAL(warning) << "warning " << text;
  BOOST_LOG_TRIVIAL(error) << "error " << text;
  return 0;
}

int Render(const std::string& file, DWORD id, const std::string& text) {
  std::wstring wide_file;
  std::wstring wide_text;
  jetsvc::platform::Utf8ToWide(file, &wide_file);
  jetsvc::platform::Utf8ToWide(text, &wide_text);
  HMODULE module = ::LoadLibraryExW(wide_file.c_str(), nullptr, LOAD_LIBRARY_AS_DATAFILE);
  if (module == nullptr) {
    std::fprintf(stderr, "svcctl: LoadLibraryExW %s: %s\n", file.c_str(),
                 jetsvc::platform::Win32ErrorText(::GetLastError()).c_str());
    return 2;
  }
  DWORD_PTR inserts[] = {reinterpret_cast<DWORD_PTR>(wide_text.c_str())};
  wchar_t* buffer = nullptr;
  const DWORD n = ::FormatMessageW(
      FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_ARGUMENT_ARRAY,
      module, id, 0, reinterpret_cast<wchar_t*>(&buffer), 0,
      reinterpret_cast<va_list*>(inserts));
  const DWORD error = ::GetLastError();
  ::FreeLibrary(module);
  if (n == 0) {
    std::fprintf(stderr, "svcctl: no message 0x%lx in %s: %s\n", static_cast<unsigned long>(id),
                 file.c_str(), jetsvc::platform::Win32ErrorText(error).c_str());
    return 1;
  }
  std::printf("%s\n", jetsvc::platform::WideToUtf8(std::wstring(buffer, n)).c_str());
  ::LocalFree(buffer);
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: svcctl watch NAME STATE TIMEOUT_MS | control NAME CODE | query NAME | "
               "config NAME | eventlog SOURCE TEXT | render FILE ID TEXT\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage();
  const std::string command = argv[1];
  const std::string name = argv[2];
  if (command == "watch" && argc == 5) {
    return Watch(name, argv[3], static_cast<DWORD>(std::strtoul(argv[4], nullptr, 10)));
  }
  if (command == "control" && argc == 4) {
    return Control(name, static_cast<DWORD>(std::strtoul(argv[3], nullptr, 10)));
  }
  if (command == "query" && argc == 3) {
    SC_HANDLE service = Open(name, SERVICE_QUERY_STATUS);
    SERVICE_STATUS_PROCESS status{};
    if (!Query(service, &status)) return 2;
    std::printf("%s\n", Line(status).c_str());
    return 0;
  }
  if (command == "config" && argc == 3) return Config(name);
  if (command == "eventlog" && argc == 4) return EventLog(name, argv[3]);
  if (command == "render" && argc == 5) {
    return Render(name, static_cast<DWORD>(std::strtoul(argv[3], nullptr, 16)), argv[4]);
  }
  return Usage();
}

// jetsvc.exe: the Windows service (CMake builds this instead of main.cc on
// Windows). No Windows header: the SCM, the console controls, the event
// log, the install and the named pipe are behind platform/windows/.
//
//   jetsvc.exe install [OPTIONS]   create the service (needs elevation);
//                                  OPTIONS (e.g. --config FILE) are checked
//                                  now and become its command line
//   jetsvc.exe uninstall           remove it (it must be stopped)
//   jetsvc.exe [OPTIONS]           under the SCM: the service; from a
//                                  console: the same in the foreground,
//                                  Ctrl+C / Ctrl+Break stop it
//
// Defaults differ from Linux only in the paths: the config file is
// %ProgramData%\jetsvc\jetsvc.conf and the data directory
// %ProgramData%\jetsvc\data, for the service and the console alike, so a
// console run sees the service's data.
//
// Exit codes (and, under the SCM, the service-specific exit code with
// ERROR_SERVICE_SPECIFIC_ERROR): 0 clean, 1 failure, 2 bad configuration
// or usage.

#include <boost/log/trivial.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "platform/logging.h"
#include "platform/reporters.h"
#include "platform/windows/event_log.h"
#include "platform/windows/pipe_server.h"
#include "platform/windows/scm_service.h"
#include "platform/windows/service_install.h"
#include "service/service.h"

namespace {

using jetsvc::service::kExitConfigError;
using jetsvc::service::kExitFailure;
using jetsvc::service::kExitOk;
namespace platform = jetsvc::platform;
namespace config = jetsvc::config;

constexpr char kServiceName[] = "jetsvc";

// %ProgramData%\jetsvc (C:\ProgramData\jetsvc when the variable is unset).
std::string ProgramDataDir() {
  const char* root = std::getenv("ProgramData");
  const std::filesystem::path base = root != nullptr && *root != '\0' ? root : "C:\\ProgramData";
  return (base / "jetsvc").string();
}

// The loader with the Windows defaults: STATE_DIRECTORY, unless set,
// reads as %ProgramData%\jetsvc\data.
config::ConfigLoader MakeLoader(std::vector<std::string> args) {
  static const std::string data_dir =
      (std::filesystem::path(ProgramDataDir()) / "data").string();
  auto getenv = [](const char* name) -> const char* {
    const char* value = std::getenv(name);
    if (value == nullptr && std::string(name) == "STATE_DIRECTORY") return data_dir.c_str();
    return value;
  };
  return config::ConfigLoader(
      std::move(args), getenv,
      (std::filesystem::path(ProgramDataDir()) / "jetsvc.conf").string());
}

// The file sink and the event log, after InitLogging. Problems are logged;
// the service runs without the sink that failed.
void AddServiceSinks(const config::Config& settings) {
  const std::string file = settings.log_file.empty()
                               ? (std::filesystem::path(settings.data_dir) / "jetsvc.log").string()
                               : settings.log_file;
  std::string error;
  if (!platform::AddLogFile(file, &error)) BOOST_LOG_TRIVIAL(warning) << error;
  if (!platform::AddEventLogSink(kServiceName, &error)) BOOST_LOG_TRIVIAL(warning) << error;
}

jetsvc::service::Service::Hooks MakeHooks(const config::Config& settings,
                                          const config::ConfigLoader& loader,
                                          std::unique_ptr<platform::PipeServer>* server) {
  jetsvc::service::Service::Hooks hooks;
  const std::string pipe = settings.pipe_name;
  hooks.start_frontends = [pipe, server](platform::Controller* controller,
                                         platform::PostFunction /*post*/, std::string* why) {
    *server = platform::PipeServer::Start(
        pipe, controller, [](const std::string& line) { BOOST_LOG_TRIVIAL(warning) << line; },
        why);
    if (*server == nullptr) return false;
    BOOST_LOG_TRIVIAL(info) << "serving the API on " << (*server)->path();
    return true;
  };
  hooks.stop_frontends = [server] { server->reset(); };
  hooks.reload_config = [&loader](config::Config* fresh, std::string* why) {
    std::ostream null_out(nullptr);
    return loader.Load(fresh, null_out, why) == config::LoadOutcome::kRun;
  };
  return hooks;
}

int Install(const std::vector<std::string>& args) {
  // The options after "install" are the service's: check them now, with
  // this program's name in front as the loader expects.
  std::vector<std::string> options(args.begin() + 2, args.end());
  std::vector<std::string> check = {args[0]};
  check.insert(check.end(), options.begin(), options.end());
  const config::ConfigLoader loader = MakeLoader(check);
  config::Config settings;
  std::string error;
  std::ostream null_out(nullptr);
  if (loader.Load(&settings, null_out, &error) != config::LoadOutcome::kRun) {
    std::cerr << "jetsvc install: " << (error.empty() ? "no service options expected here" : error)
              << "; nothing was installed\n";
    return kExitConfigError;
  }
  platform::InstallOptions install;
  install.service_name = kServiceName;
  install.preshutdown_timeout = std::chrono::milliseconds(settings.preshutdown_timeout_ms);
  // The service runs in C:\Windows\System32: a relative --config must not
  // be read from there.
  for (size_t i = 0; i < options.size(); ++i) {
    std::string option = options[i];
    if (option == "--config" && i + 1 < options.size()) {
      install.arguments.push_back(option);
      option = std::filesystem::absolute(options[++i]).string();
    } else if (option.rfind("--config=", 0) == 0) {
      option = "--config=" + std::filesystem::absolute(option.substr(9)).string();
    }
    install.arguments.push_back(option);
  }
  const platform::InstallResult result = platform::InstallService(install);
  if (!result.ok()) {
    std::cerr << "jetsvc install: " << result.message << "\n";
    return kExitFailure;
  }
  for (const std::string& warning : result.warnings) std::cerr << "jetsvc install: note: " << warning << "\n";
  std::cout << result.message << "\n"
            << "data directory: " << settings.data_dir << "\n"
            << "preshutdown timeout: " << settings.preshutdown_timeout_ms << " ms\n"
            << "start it with: sc start " << kServiceName << "\n";
  return kExitOk;
}

int Uninstall(const std::vector<std::string>& args) {
  if (args.size() > 2) {
    std::cerr << "jetsvc uninstall: takes no arguments\n";
    return kExitConfigError;
  }
  const platform::InstallResult result = platform::UninstallService(kServiceName);
  if (!result.ok()) {
    std::cerr << "jetsvc uninstall: " << result.message << "\n";
    return kExitFailure;
  }
  for (const std::string& warning : result.warnings) std::cerr << "jetsvc install: note: " << warning << "\n";
  std::cout << result.message << "\n";
  return kExitOk;
}

// The service under the SCM. A bad config is reported like any failure:
// an event-log entry naming the option, then STOPPED with exit code 2.
int RunService(const config::ConfigLoader& loader, platform::StatusReporter* reporter,
               const std::function<void(platform::PostFunction)>& attach) {
  config::Config settings;
  std::string error;
  std::ostream null_out(nullptr);
  const config::LoadOutcome outcome = loader.Load(&settings, null_out, &error);
  platform::InitLogging(outcome == config::LoadOutcome::kRun ? settings.log_level : "info");
  if (outcome != config::LoadOutcome::kRun) {
    std::string sink_error;
    if (!platform::AddEventLogSink(kServiceName, &sink_error)) {
      BOOST_LOG_TRIVIAL(warning) << sink_error;
    }
    BOOST_LOG_TRIVIAL(error) << "jetsvc cannot start: bad configuration: "
                             << (error.empty() ? "unexpected arguments" : error);
    reporter->Stopped(kExitConfigError);
    return kExitConfigError;
  }
  AddServiceSinks(settings);
  BOOST_LOG_TRIVIAL(info) << "jetsvc " << config::Version() << " starting as a Windows service"
                          << (settings.config_path.empty() ? std::string(" with defaults")
                                                           : " with " + settings.config_path);
  std::unique_ptr<platform::PipeServer> server;
  jetsvc::service::Service service(settings, reporter, MakeHooks(settings, loader, &server));
  attach([&service](platform::HostRequest request) { service.Post(std::move(request)); });
  return service.Run();
}

// The same service in the foreground.
int RunConsole(const config::ConfigLoader& loader) {
  config::Config settings;
  std::string error;
  switch (loader.Load(&settings, std::cout, &error)) {
    case config::LoadOutcome::kExitSuccess:
      return kExitOk;
    case config::LoadOutcome::kError:
      std::cerr << "jetsvc: " << error << "\n";
      return kExitConfigError;
    case config::LoadOutcome::kRun:
      break;
  }
  platform::InitLogging(settings.log_level);
  if (!settings.log_file.empty()) {
    if (!platform::AddLogFile(settings.log_file, &error)) BOOST_LOG_TRIVIAL(warning) << error;
  }
  BOOST_LOG_TRIVIAL(info) << "jetsvc " << config::Version() << " starting in the foreground"
                          << (settings.config_path.empty() ? std::string(" with defaults")
                                                           : " with " + settings.config_path);
  std::unique_ptr<platform::StatusReporter> reporter = platform::CreateConsoleReporter();
  std::unique_ptr<platform::PipeServer> server;
  jetsvc::service::Service service(settings, reporter.get(), MakeHooks(settings, loader, &server));
  std::unique_ptr<platform::EventSource> controls = platform::StartConsoleControlSource(
      [&service](platform::HostRequest request) { service.Post(std::move(request)); }, &error);
  if (controls == nullptr) {
    BOOST_LOG_TRIVIAL(error) << "cannot watch Ctrl+C: " << error;
    return kExitFailure;
  }
  const int code = service.Run();
  controls->Stop();
  return code;
}

int Main() {
  const std::vector<std::string> args = platform::CommandLineUtf8();
  if (args.size() > 1 && args[1] == "install") return Install(args);
  if (args.size() > 1 && args[1] == "uninstall") return Uninstall(args);

  const config::ConfigLoader loader = MakeLoader(args);
  platform::ScmOptions options;
  options.service_name = kServiceName;
  {
    // The deadlines HandlerEx gives PRESHUTDOWN and control 128. A bad
    // config keeps the defaults here; RunService reports it.
    config::Config settings;
    std::string ignored;
    std::ostream null_out(nullptr);
    if (loader.Load(&settings, null_out, &ignored) == config::LoadOutcome::kRun) {
      options.preshutdown_timeout = std::chrono::milliseconds(settings.preshutdown_timeout_ms);
      options.prepare_timeout = std::chrono::milliseconds(settings.prepare_timeout_ms);
    }
  }
  int exit_code = kExitOk;
  std::string error;
  const platform::DispatchOutcome outcome = platform::RunUnderScm(
      options,
      [&loader](platform::StatusReporter* reporter,
                const std::function<void(platform::PostFunction)>& attach) {
        return RunService(loader, reporter, attach);
      },
      &exit_code, &error);
  switch (outcome) {
    case platform::DispatchOutcome::kServiceRan:
      return exit_code;
    case platform::DispatchOutcome::kNotUnderScm:
      return RunConsole(loader);
    case platform::DispatchOutcome::kFailed:
      break;
  }
  std::cerr << "jetsvc: " << error << "\n";
  return kExitFailure;
}

}  // namespace

int main() {
  try {
    return Main();
  } catch (const std::exception& e) {
    std::cerr << "jetsvc: unexpected error: " << e.what() << "\n";
    return kExitFailure;
  }
}

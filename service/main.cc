// jetsvc: the daemon. Reads the configuration, sets up logging, blocks the
// lifecycle signals, and hands over to Service::Run(), wiring the Linux
// frontends: the D-Bus server (org.jetsvc.Jetsvc1), the logind delay lock,
// and the signal thread. Nothing deeper calls exit(); main turns Run()'s
// result into the exit code (0 clean, 1 failure, 2 bad configuration).

#include <boost/log/trivial.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "platform/dbus/dbus_server.h"
#include "platform/dbus/logind.h"
#include "platform/logging.h"
#include "platform/reporters.h"
#include "platform/signals.h"
#include "service/service.h"

namespace {

int RunDaemon(int argc, char** argv) {
  using jetsvc::service::Service;
  namespace platform = jetsvc::platform;
  namespace config = jetsvc::config;

  // Before any thread starts, so every thread inherits the mask and only
  // the signal thread sees SIGTERM / SIGINT / SIGHUP.
  platform::BlockLifecycleSignals();

  const config::ConfigLoader loader(std::vector<std::string>(argv, argv + argc));
  config::Config settings;
  std::string error;
  switch (loader.Load(&settings, std::cout, &error)) {
    case config::LoadOutcome::kExitSuccess:
      return jetsvc::service::kExitOk;
    case config::LoadOutcome::kError:
      std::cerr << "jetsvc: " << error << "\n";
      return jetsvc::service::kExitConfigError;
    case config::LoadOutcome::kRun:
      break;
  }
  platform::InitLogging(settings.log_level);
  BOOST_LOG_TRIVIAL(info) << "jetsvc " << config::Version() << " starting"
                          << (settings.config_path.empty() ? std::string(" with defaults")
                                                           : " with " + settings.config_path);

  std::unique_ptr<platform::StatusReporter> reporter = platform::CreateDefaultReporter();
  std::unique_ptr<platform::DbusServer> server;
  std::unique_ptr<platform::LogindInhibitor> logind;

  Service::Hooks hooks;
  hooks.start_frontends = [&settings, &server, &logind](platform::Controller* controller,
                                                        platform::PostFunction post,
                                                        std::string* why) {
    platform::BusOptions bus;
    bus.bus = settings.bus;
    bus.address = settings.bus_address;
    server = platform::DbusServer::Start(bus, controller, why);
    if (server == nullptr) return false;
    BOOST_LOG_TRIVIAL(info) << "serving org.jetsvc.Jetsvc1 on " << server->BusDescription()
                            << " as " << server->UniqueName();
    platform::LogindOptions options;
    options.mode = settings.logind;
    options.margin = std::chrono::milliseconds(settings.inhibit_margin_ms);
    std::string why_not;
    logind = platform::LogindInhibitor::Start(options, std::move(post), &why_not);
    if (logind == nullptr) {
      if (settings.logind == "yes") {
        *why = "logind: " + why_not;
        return false;
      }
      BOOST_LOG_TRIVIAL(info) << "logind not used (" << why_not << "), continuing without it";
    }
    return true;
  };
  hooks.stop_frontends = [&server, &logind] {
    // The lock goes when the process exits anyway; release it explicitly.
    if (logind != nullptr) logind->Stop();
    server.reset();
  };
  hooks.reload_config = [&loader](config::Config* fresh, std::string* why) {
    std::ostream null_out(nullptr);
    return loader.Load(fresh, null_out, why) == config::LoadOutcome::kRun;
  };

  Service service(settings, reporter.get(), hooks);
  std::unique_ptr<platform::EventSource> signals = platform::StartSignalSource(
      [&service](platform::HostRequest request) { service.Post(std::move(request)); }, &error);
  if (signals == nullptr) {
    BOOST_LOG_TRIVIAL(error) << "cannot watch signals: " << error;
    return jetsvc::service::kExitFailure;
  }
  const int code = service.Run();
  signals->Stop();
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return RunDaemon(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "jetsvc: unexpected error: " << e.what() << "\n";
    return jetsvc::service::kExitFailure;
  }
}

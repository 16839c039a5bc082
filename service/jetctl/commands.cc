// jetctl: the commands, each a call to the jetsvc D-Bus API (see
// jetctl.h for the exit codes).

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "platform/controller.h"
#include "platform/dbus/names.h"
#include "service/jetctl/jetctl.h"

namespace jetsvc {
namespace jetctl {

namespace names = platform::dbus_names;

namespace {

using Item = sdbus::Struct<std::string, std::vector<uint8_t>>;

// PrepareStop's call timeout is its own timeout plus this.
constexpr uint64_t kPrepareCallMarginUsec = 5'000'000;

// The D-Bus errors that mean "the service is not there (now)".
const std::set<std::string>& UnreachableErrors() {
  static const std::set<std::string> errors = {
      "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner",
      "org.freedesktop.DBus.Error.NoReply",        "org.freedesktop.DBus.Error.Timeout",
      "org.freedesktop.DBus.Error.TimedOut",       "org.freedesktop.DBus.Error.Disconnected",
      "org.freedesktop.DBus.Error.NoServer",       "org.freedesktop.DBus.Error.UnknownObject"};
  return errors;
}

void Complain(const std::string& message) { std::cerr << "jetctl: " << message << std::endl; }

// The connection and the proxy of the jetsvc object.
class Client {
 public:
  explicit Client(const GlobalOptions& options)
      : options_(options), bus_description_(platform::DescribeBus(options.bus)) {}

  // False (after saying why) if the bus cannot be reached.
  bool Connect() {
    std::string error;
    connection_ = platform::OpenBusConnection(options_.bus, &error);
    if (connection_ == nullptr) {
      Complain("cannot reach " + std::string(names::kBusName) + ": " + error +
               " (choose the bus with --system, --session or --address ADDRESS)");
      return false;
    }
    proxy_ = sdbus::createProxy(*connection_, names::kBusName, names::kObjectPath);
    return true;
  }

  sdbus::IProxy& proxy() { return *proxy_; }
  uint64_t timeout_usec() const { return options_.call_timeout_usec; }
  bool timeout_given() const { return options_.call_timeout_given; }

  // Says what went wrong with `what` and returns the exit code for it.
  int Fail(const std::string& what, const sdbus::Error& error) const {
    const std::string& name = error.getName();
    if (UnreachableErrors().count(name) > 0) {
      std::string reason = error.getMessage();
      if (name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
          name == "org.freedesktop.DBus.Error.NameHasNoOwner") {
        reason = "the service is not running (" + reason + ")";
      } else if (name == "org.freedesktop.DBus.Error.Timeout" ||
                 name == "org.freedesktop.DBus.Error.NoReply") {
        reason = "no reply within " + FormatUsec(timeout_usec(), false) + " (" + reason +
                 "; see --timeout)";
      }
      Complain("cannot reach " + std::string(names::kBusName) + " on " + bus_description_ + ": " +
               reason);
      return kExitUnreachable;
    }
    Complain(what + ": " + error.getMessage() + " (" + name + ")");
    const std::string prefix = names::kErrorPrefix;
    if (name == prefix + "NotFound") return kExitNotFound;
    if (name == prefix + "Stopping" || name == prefix + "NotReady") return kExitRefused;
    return kExitError;
  }

 private:
  const GlobalOptions& options_;
  const std::string bus_description_;
  std::unique_ptr<sdbus::IConnection> connection_;
  std::unique_ptr<sdbus::IProxy> proxy_;
};

template <typename T>
bool Take(const std::map<std::string, sdbus::Variant>& properties, const std::string& name,
          T* out) {
  auto it = properties.find(name);
  if (it == properties.end() || !it->second.containsValueOfType<T>()) return false;
  *out = it->second.get<T>();
  return true;
}

int Status(Client& client, const Command& command) {
  std::map<std::string, sdbus::Variant> properties;
  client.proxy()
      .callMethod("GetAll")
      .onInterface(names::kPropertiesInterface)
      .withTimeout(client.timeout_usec())
      .withArguments(std::string(names::kManagerInterface))
      .storeResultsTo(properties);
  platform::ManagerSnapshot s;
  if (!Take(properties, "State", &s.state) ||
      !Take(properties, "CheckpointDepthBytes", &s.checkpoint_depth_bytes) ||
      !Take(properties, "DirtyPages", &s.dirty_pages) ||
      !Take(properties, "VersionStoreBytes", &s.version_store_bytes) ||
      !Take(properties, "DefragRunning", &s.defrag_running) ||
      !Take(properties, "LastPrepareDurationUsec", &s.last_prepare_usec) ||
      !Take(properties, "LastTermDurationUsec", &s.last_term_usec)) {
    Complain(
        "status: the service's Manager properties are missing or of another type "
        "(a different version of jetsvc?)");
    return kExitError;
  }
  std::cout << FormatStatus(s, command.json);
  return kExitOk;
}

int PrepareStop(Client& client, const Command& command) {
  // The reply comes when the engine quiesced or the deadline passed: wait
  // a little longer than the deadline (or --timeout, if longer).
  uint64_t call_timeout = command.prepare_timeout_ms * 1000ull + kPrepareCallMarginUsec;
  if (client.timeout_given()) call_timeout = std::max(call_timeout, client.timeout_usec());
  bool quiesced = false;
  uint64_t elapsed_usec = 0;
  client.proxy()
      .callMethod("PrepareStop")
      .onInterface(names::kManagerInterface)
      .withTimeout(call_timeout)
      .withArguments(command.prepare_timeout_ms)
      .storeResultsTo(quiesced, elapsed_usec);
  if (quiesced) {
    std::cout << "quiesced after " << FormatUsec(elapsed_usec, false) << "\n";
    return kExitOk;
  }
  std::cout << "timed out after " << FormatUsec(elapsed_usec, false)
            << " before the engine quiesced (the service goes on flushing; the final stop "
               "still works)\n";
  return kExitNotQuiesced;
}

int Resume(Client& client) {
  client.proxy()
      .callMethod("Resume")
      .onInterface(names::kManagerInterface)
      .withTimeout(client.timeout_usec());
  std::cout << "resumed\n";
  return kExitOk;
}

int Defragment(Client& client, bool start) {
  if (start) {
    bool was_running = false;
    client.proxy()
        .callMethod("StartDefragment")
        .onInterface(names::kManagerInterface)
        .withTimeout(client.timeout_usec())
        .storeResultsTo(was_running);
    std::cout << (was_running ? "defragmentation was already running\n"
                              : "defragmentation started\n");
    return kExitOk;
  }
  bool was_running = false;
  uint32_t passes = 0;
  uint32_t seconds = 0;
  client.proxy()
      .callMethod("StopDefragment")
      .onInterface(names::kManagerInterface)
      .withTimeout(client.timeout_usec())
      .storeResultsTo(was_running, passes, seconds);
  if (was_running) {
    std::cout << "defragmentation stopped after " << passes << " passes, " << seconds << " s\n";
  } else {
    std::cout << "defragmentation was not running\n";
  }
  return kExitOk;
}

// Reads all of stdin; false on a read error.
bool ReadStdin(std::vector<uint8_t>* out) {
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), stdin)) > 0)
    out->insert(out->end(), buffer, buffer + n);
  return std::ferror(stdin) == 0;
}

int Put(Client& client, const Command& command) {
  std::vector<uint8_t> value;
  if (command.value == "-") {
    if (!ReadStdin(&value)) {
      Complain("put: cannot read the value from stdin");
      return kExitError;
    }
  } else {
    value.assign(command.value.begin(), command.value.end());
  }
  client.proxy()
      .callMethod("Put")
      .onInterface(names::kStoreInterface)
      .withTimeout(client.timeout_usec())
      .withArguments(command.key, value);
  return kExitOk;
}

int Get(Client& client, const Command& command) {
  std::vector<uint8_t> value;
  client.proxy()
      .callMethod("Get")
      .onInterface(names::kStoreInterface)
      .withTimeout(client.timeout_usec())
      .withArguments(command.key)
      .storeResultsTo(value);
  if (!value.empty() && std::fwrite(value.data(), 1, value.size(), stdout) != value.size()) {
    Complain("get: cannot write the value to stdout");
    return kExitError;
  }
  return std::fflush(stdout) == 0 ? kExitOk : kExitError;
}

int Delete(Client& client, const Command& command) {
  bool existed = false;
  client.proxy()
      .callMethod("Delete")
      .onInterface(names::kStoreInterface)
      .withTimeout(client.timeout_usec())
      .withArguments(command.key)
      .storeResultsTo(existed);
  if (existed) return kExitOk;
  Complain("del: key \"" + EscapeBytes(command.key) + "\" not found");
  return kExitNotFound;
}

// Prints up to command.limit pairs from command.start on, paging: a Scan
// reply may hold fewer items than asked (the service caps its size), so
// scan on from the last key (skipping it) until a page brings nothing new.
int Scan(Client& client, const Command& command) {
  std::string start = command.start;
  std::optional<std::string> last;
  uint32_t printed = 0;
  while (printed < command.limit) {
    // After the first page the first item is the last key again.
    const uint32_t ask = command.limit - printed + (last ? 1 : 0);
    std::vector<Item> items;
    client.proxy()
        .callMethod("Scan")
        .onInterface(names::kStoreInterface)
        .withTimeout(client.timeout_usec())
        .withArguments(start, ask)
        .storeResultsTo(items);
    bool progressed = false;
    for (const Item& item : items) {
      const std::string& key = std::get<0>(item);
      if (last && key <= *last) continue;
      if (printed == command.limit) break;
      const std::vector<uint8_t>& value = std::get<1>(item);
      std::cout << EscapeBytes(key) << '\t' << EscapeBytes(std::string(value.begin(), value.end()))
                << '\n';
      last = key;
      ++printed;
      progressed = true;
    }
    if (!progressed) break;
    start = *last;
  }
  std::cout.flush();
  return std::cout.good() ? kExitOk : kExitError;
}

int Dispatch(Client& client, const Command& command) {
  const std::string& name = command.name;
  if (name == "status") return Status(client, command);
  if (name == "prepare-stop") return PrepareStop(client, command);
  if (name == "resume") return Resume(client);
  if (name == "defrag start") return Defragment(client, true);
  if (name == "defrag stop") return Defragment(client, false);
  if (name == "put") return Put(client, command);
  if (name == "get") return Get(client, command);
  if (name == "del") return Delete(client, command);
  if (name == "scan") return Scan(client, command);
  Complain("unknown command \"" + name + "\"");
  return kExitUsage;
}

}  // namespace

int RunCommand(const GlobalOptions& options, const Command& command) {
  Client client(options);
  if (!client.Connect()) return kExitUnreachable;
  try {
    return Dispatch(client, command);
  } catch (const sdbus::Error& e) {
    return client.Fail(command.name, e);
  }
}

}  // namespace jetctl
}  // namespace jetsvc

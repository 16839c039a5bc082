// jetctl: command-line client of the jetsvc service (D-Bus API
// org.jetsvc.Jetsvc1). This file parses the command line with
// Boost.Program_options: the global options come before the command, the
// command's own options after it. See jetctl.h for the exit codes.

#include <cstdlib>
#include <exception>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "service/jetctl/jetctl.h"

namespace po = boost::program_options;

namespace jetsvc {
namespace jetctl {
namespace {

constexpr char kUsage[] =
    "Usage: jetctl [--system | --session | --address ADDRESS] [--timeout SECONDS] COMMAND\n"
    "\n"
    "Controls the jetsvc storage service over D-Bus (org.jetsvc.Jetsvc1).\n"
    "\n"
    "Commands:\n"
    "  status [--json]               show the engine's state and counters\n"
    "  prepare-stop [--timeout T]    first phase of the stop: quiesce the engine and\n"
    "                                wait up to T (90, 90s, 1500ms, 2min; default 60s);\n"
    "                                afterwards the store refuses work until the restart\n"
    "  resume                        undo a resumable prepare (logind, sleep)\n"
    "  defrag start | defrag stop    start or stop online defragmentation\n"
    "  put KEY VALUE                 store VALUE (its UTF-8 bytes) under KEY\n"
    "  put KEY -                     store the bytes read from stdin under KEY\n"
    "  get KEY                       write the value of KEY to stdout, as is\n"
    "  del KEY                       delete KEY\n"
    "  scan [START] [--limit N]      print up to N (default 100) pairs from START on,\n"
    "                                one \"key<TAB>value\" line each; bytes that are not\n"
    "                                printable ASCII are escaped (\\t \\n \\r \\\\ \\xHH)\n"
    "  Put \"--\" before a KEY or VALUE that starts with '-'.\n"
    "\n"
    "Options:\n"
    "  --system             use the system bus (default)\n"
    "  --session            use the session bus\n"
    "  --address ADDRESS    use the bus at ADDRESS (e.g. unix:path=/run/jetsvc/bus)\n"
    "  --timeout SECONDS    D-Bus call timeout (default 25); prepare-stop waits\n"
    "                       for its own timeout plus 5 s anyway\n"
    "  -h, --help           show this help\n"
    "  --version            show the version\n"
    "\n"
    "Exit codes:\n"
    "  0  success\n"
    "  1  usage error\n"
    "  2  not found (get or del of a missing key)\n"
    "  3  the service refused: it is stopping or not ready yet\n"
    "  4  cannot reach the service (no bus, service not running, timeout)\n"
    "  5  other error\n"
    "  6  prepare-stop: the deadline passed before the engine quiesced\n";

// A usage error: the message, a pointer to --help, exit 1.
int Usage(const std::string& message) {
  std::cerr << "jetctl: " << message << "\njetctl: see 'jetctl --help'" << std::endl;
  return kExitUsage;
}

// Index of the first argument that is not a global option (the command),
// or argc. The global options that take a value may take it as the next
// argument.
int FindCommand(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") return i + 1;
    if (arg.size() < 2 || arg[0] != '-') return i;
    if (arg == "--address" || arg == "--timeout") ++i;
  }
  return argc;
}

// Parses `args` (the command's own) with `options` and `positional`.
po::variables_map ParseCommandArgs(const std::vector<std::string>& args,
                                   const po::options_description& options,
                                   const po::positional_options_description& positional) {
  po::variables_map vm;
  po::store(po::command_line_parser(args)
                .options(options)
                .positional(positional)
                .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
                .run(),
            vm);
  po::notify(vm);
  return vm;
}

// Fills `command` from the command's words; returns 0 or an exit code.
int ParseCommand(std::vector<std::string> words, Command* command) {
  command->name = words.front();
  words.erase(words.begin());
  po::options_description options;
  po::positional_options_description positional;
  std::string timeout_text;
  std::string action;
  if (command->name == "status") {
    options.add_options()("json", po::bool_switch(&command->json));
  } else if (command->name == "prepare-stop") {
    options.add_options()("timeout", po::value(&timeout_text));
  } else if (command->name == "resume") {
  } else if (command->name == "defrag") {
    options.add_options()("action", po::value(&action));
    positional.add("action", 1);
  } else if (command->name == "put") {
    options.add_options()("key", po::value(&command->key))("value", po::value(&command->value));
    positional.add("key", 1).add("value", 1);
  } else if (command->name == "get" || command->name == "del") {
    options.add_options()("key", po::value(&command->key));
    positional.add("key", 1);
  } else if (command->name == "scan") {
    options.add_options()("start", po::value(&command->start))("limit", po::value(&command->limit));
    positional.add("start", 1);
  } else {
    return Usage("unknown command \"" + command->name + "\"");
  }
  po::variables_map vm;
  try {
    vm = ParseCommandArgs(words, options, positional);
  } catch (const po::error& e) {
    return Usage(command->name + ": " + e.what());
  }
  if (command->name == "defrag") {
    if (action != "start" && action != "stop")
      return Usage("defrag: say 'defrag start' or 'defrag stop'");
    command->name = "defrag " + action;
  }
  if ((command->name == "put" || command->name == "get" || command->name == "del") &&
      vm.count("key") == 0) {
    return Usage(command->name + ": a KEY is required");
  }
  if (command->name == "put" && vm.count("value") == 0) {
    return Usage("put: a VALUE is required (or '-' to read it from stdin)");
  }
  if (vm.count("key") > 0) {
    if (command->key.empty()) return Usage(command->name + ": the key is empty");
    if (!IsValidUtf8(command->key)) return Usage(command->name + ": the key is not valid UTF-8");
  }
  if (!IsValidUtf8(command->start)) return Usage("scan: START is not valid UTF-8");
  if (command->name == "scan" && command->limit == 0)
    return Usage("scan: --limit must be at least 1");
  if (!timeout_text.empty()) {
    std::string error;
    const std::optional<uint64_t> ms = ParseDurationMs(timeout_text, &error);
    if (!ms) return Usage("prepare-stop: --timeout: " + error);
    if (*ms > std::numeric_limits<uint32_t>::max())
      return Usage("prepare-stop: --timeout is too long");
    command->prepare_timeout_ms = static_cast<uint32_t>(*ms);
  }
  return kExitOk;
}

int Run(int argc, char** argv) {
  const int command_at = FindCommand(argc, argv);
  GlobalOptions global;
  bool system = false;
  bool session = false;
  std::string address;
  double timeout_seconds = 0;
  po::options_description options;
  options.add_options()("help,h", "")("version", "")("system", po::bool_switch(&system))(
      "session", po::bool_switch(&session))("address", po::value(&address))(
      "timeout", po::value(&timeout_seconds));
  po::variables_map vm;
  try {
    std::vector<std::string> globals(argv + 1, argv + command_at);
    if (!globals.empty() && globals.back() == "--") globals.pop_back();
    po::store(
        po::command_line_parser(globals)
            .options(options)
            .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
            .run(),
        vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return Usage(e.what());
  }
  if (vm.count("help") > 0) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (vm.count("version") > 0) {
    std::cout << "jetctl " << JETSVC_VERSION << "\n";
    return kExitOk;
  }
  if (int(system) + int(session) + int(vm.count("address") > 0) > 1) {
    return Usage("choose one of --system, --session and --address");
  }
  if (session) global.bus.bus = "session";
  if (vm.count("address") > 0) {
    if (address.empty()) return Usage("--address needs an address");
    global.bus.bus = "address";
    global.bus.address = address;
  }
  if (vm.count("timeout") > 0) {
    if (!(timeout_seconds > 0) || timeout_seconds > 86400 * 365) {
      return Usage("--timeout must be a positive number of seconds");
    }
    global.call_timeout_usec = static_cast<uint64_t>(timeout_seconds * 1e6);
    global.call_timeout_given = true;
  }
  if (command_at >= argc) return Usage("no command given");
  Command command;
  const int parsed =
      ParseCommand(std::vector<std::string>(argv + command_at, argv + argc), &command);
  if (parsed != kExitOk) return parsed;
  return RunCommand(global, command);
}

}  // namespace
}  // namespace jetctl
}  // namespace jetsvc

int main(int argc, char** argv) {
  try {
    return jetsvc::jetctl::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "jetctl: " << e.what() << std::endl;
    return jetsvc::jetctl::kExitError;
  }
}

// jetctl.exe: command-line client of the jetsvc service on Windows (its
// named pipe, \\.\pipe\jetsvc by default). This file parses the command
// line: the global options come before the command, the command's own
// options after it (in any order with its arguments; "--" ends them). See
// jetctl_windows.h and service/jetctl/jetctl.h for the exit codes.

#include <cstdint>
#include <exception>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "platform/windows/pipe_protocol.h"
#include "service/jetctl_windows/jetctl_windows.h"

namespace jetsvc {
namespace jetctl {
namespace {

constexpr char kUsage[] =
    "Usage: jetctl [--pipe NAME] [--timeout SECONDS] COMMAND\n"
    "\n"
    "Controls the jetsvc storage service over its named pipe (\\\\.\\pipe\\jetsvc).\n"
    "Only SYSTEM and Administrators may use the pipe: run from an elevated prompt.\n"
    "\n"
    "Commands:\n"
    "  status [--json]               show the engine's state and counters\n"
    "  prepare-stop [--timeout-ms N | --timeout T]\n"
    "                                first phase of the stop: quiesce the engine and\n"
    "                                wait up to N ms or T (90, 90s, 1500ms, 2min;\n"
    "                                default 60s); afterwards the store refuses work\n"
    "                                until the restart\n"
    "  resume                        undo a resumable prepare (control code 128)\n"
    "  defrag start | defrag stop    start or stop online defragmentation\n"
    "  put KEY VALUE                 store VALUE (its UTF-8 bytes) under KEY\n"
    "  put KEY -                     store the bytes read from stdin under KEY\n"
    "  get KEY                       write the value of KEY to stdout, as is\n"
    "  delete KEY  (or: del KEY)     delete KEY\n"
    "  scan [START] [--limit N]      print up to N (default 100) pairs from START on,\n"
    "                                one \"key<TAB>value\" line each; bytes that are not\n"
    "                                printable ASCII are escaped (\\t \\n \\r \\\\ \\xHH)\n"
    "  limits                        show the store's limits\n"
    "  Put \"--\" before a KEY or VALUE that starts with '-'.\n"
    "\n"
    "Options:\n"
    "  --pipe NAME          the service's pipe: NAME is \\\\.\\pipe\\NAME (default: jetsvc)\n"
    "  --timeout SECONDS    how long to wait for the pipe and for a reply (default\n"
    "                       25); prepare-stop waits for its own timeout plus 5 s anyway\n"
    "  -h, --help           show this help\n"
    "  --version            show the version\n"
    "\n"
    "Exit codes:\n"
    "  0  success\n"
    "  1  usage error\n"
    "  2  not found (get or delete of a missing key)\n"
    "  3  the service refused: it is stopping or not ready yet\n"
    "  4  cannot reach the service (not running, busy, no reply in time)\n"
    "  5  other error (access denied, bad key or value, too large, engine error)\n"
    "  6  prepare-stop: the deadline passed before the engine quiesced\n";

int Usage(const std::string& message) {
  std::cerr << "jetctl: " << message << "\njetctl: see 'jetctl --help'" << std::endl;
  return kExitUsage;
}

// A decimal number in [min, max]; nullopt otherwise.
std::optional<uint64_t> ParseNumber(const std::string& text, uint64_t min, uint64_t max) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

// Seconds as milliseconds: "25", "2.5"; nullopt unless positive and
// under 2^32 ms (about 49 days).
std::optional<uint32_t> ParseSeconds(const std::string& text) {
  size_t used = 0;
  double seconds = 0;
  try {
    seconds = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || !(seconds > 0) || seconds * 1000 >= 4294967295.0) return std::nullopt;
  const uint32_t ms = static_cast<uint32_t>(seconds * 1000);
  return ms > 0 ? ms : 1;
}

// Splits "--name=value" into name and value; false if `arg` has no '='.
bool SplitOption(const std::string& arg, std::string* name, std::string* value) {
  const size_t eq = arg.find('=');
  if (eq == std::string::npos || arg.compare(0, 2, "--") != 0) return false;
  *name = arg.substr(0, eq);
  *value = arg.substr(eq + 1);
  return true;
}

// A command's words, sorted: positional arguments and options.
struct CommandArgs {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;  // name, value ("" for flags)
};

// Splits `words` by the options `allowed` (name -> takes a value); 0 or
// a usage error's exit code.
int SplitCommandArgs(const std::string& command, const std::vector<std::string>& words,
                     const std::vector<std::pair<std::string, bool>>& allowed, CommandArgs* out) {
  bool options_done = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (options_done || word.size() < 2 || word[0] != '-') {
      out->positional.push_back(word);
      continue;
    }
    if (word == "--") {
      options_done = true;
      continue;
    }
    std::string name = word;
    std::string value;
    const bool inline_value = SplitOption(word, &name, &value);
    const std::pair<std::string, bool>* option = nullptr;
    for (const auto& candidate : allowed) {
      if (candidate.first == name) option = &candidate;
    }
    if (option == nullptr) return Usage(command + ": unknown option " + name);
    if (option->second && !inline_value) {
      if (i + 1 >= words.size()) return Usage(command + ": " + name + " needs a value");
      value = words[++i];
    } else if (!option->second && inline_value) {
      return Usage(command + ": " + name + " takes no value");
    }
    out->options.emplace_back(name, value);
  }
  return kExitOk;
}

// Fills `command` from the command's words; 0 or a usage error's exit code.
int ParseCommand(const std::vector<std::string>& words, Command* command) {
  command->name = words.front();
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  const std::string& name = command->name;
  std::vector<std::pair<std::string, bool>> allowed;
  size_t min_args = 0;
  size_t max_args = 0;
  if (name == "status") {
    allowed = {{"--json", false}};
  } else if (name == "prepare-stop") {
    allowed = {{"--timeout-ms", true}, {"--timeout", true}};
  } else if (name == "resume" || name == "limits") {
  } else if (name == "defrag") {
    min_args = max_args = 1;
  } else if (name == "put") {
    min_args = max_args = 2;
  } else if (name == "get" || name == "del" || name == "delete") {
    min_args = max_args = 1;
  } else if (name == "scan") {
    allowed = {{"--limit", true}};
    max_args = 1;
  } else {
    return Usage("unknown command \"" + name + "\"");
  }
  CommandArgs args;
  const int split = SplitCommandArgs(name, rest, allowed, &args);
  if (split != kExitOk) return split;
  if (args.positional.size() > max_args) {
    return Usage(name + ": unexpected argument \"" + args.positional[max_args] + "\"");
  }
  if (args.positional.size() < min_args) {
    if (name == "defrag") return Usage("defrag: say 'defrag start' or 'defrag stop'");
    if (name == "put" && args.positional.size() == 1) {
      return Usage("put: a VALUE is required (or '-' to read it from stdin)");
    }
    return Usage(name + ": a KEY is required");
  }
  for (const auto& option : args.options) {
    if (option.first == "--json") {
      command->json = true;
    } else if (option.first == "--limit") {
      const std::optional<uint64_t> limit =
          ParseNumber(option.second, 1, std::numeric_limits<uint32_t>::max());
      if (!limit)
        return Usage("scan: --limit must be a number from 1 on, not \"" + option.second + "\"");
      command->limit = static_cast<uint32_t>(*limit);
    } else if (option.first == "--timeout-ms") {
      const std::optional<uint64_t> ms =
          ParseNumber(option.second, 0, std::numeric_limits<uint32_t>::max());
      if (!ms) return Usage("prepare-stop: --timeout-ms must be a number of milliseconds");
      command->prepare_timeout_ms = static_cast<uint32_t>(*ms);
    } else if (option.first == "--timeout") {
      std::string error;
      const std::optional<uint64_t> ms = ParseDurationMs(option.second, &error);
      if (!ms) return Usage("prepare-stop: --timeout: " + error);
      if (*ms > std::numeric_limits<uint32_t>::max()) {
        return Usage("prepare-stop: --timeout is too long");
      }
      command->prepare_timeout_ms = static_cast<uint32_t>(*ms);
    }
  }
  if (name == "defrag") {
    const std::string& action = args.positional[0];
    if (action != "start" && action != "stop") {
      return Usage("defrag: say 'defrag start' or 'defrag stop'");
    }
    command->name = "defrag " + action;
  } else if (name == "scan") {
    if (!args.positional.empty()) command->start = args.positional[0];
  } else if (min_args > 0) {
    command->key = args.positional[0];
    if (command->key.empty()) return Usage(name + ": the key is empty");
    if (name == "put") command->value = args.positional[1];
  }
  return kExitOk;
}

int Run(const std::vector<std::string>& argv) {
  PipeOptions options;
  size_t at = 1;
  for (; at < argv.size(); ++at) {
    const std::string& arg = argv[at];
    if (arg == "--") {
      ++at;
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') break;
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return kExitOk;
    }
    if (arg == "--version") {
      std::cout << "jetctl " << JETSVC_VERSION << "\n";
      return kExitOk;
    }
    std::string name = arg;
    std::string value;
    if (!SplitOption(arg, &name, &value)) {
      if (name != "--pipe" && name != "--timeout") return Usage("unknown option " + name);
      if (at + 1 >= argv.size()) return Usage(name + " needs a value");
      value = argv[++at];
    }
    if (name == "--pipe") {
      std::string error;
      if (platform::pipe::PipePath(value, &error).empty()) return Usage("--pipe: " + error);
      options.pipe = value;
    } else if (name == "--timeout") {
      const std::optional<uint32_t> ms = ParseSeconds(value);
      if (!ms) return Usage("--timeout must be a positive number of seconds");
      options.timeout_ms = *ms;
      options.timeout_given = true;
    } else {
      return Usage("unknown option " + name);
    }
  }
  if (at >= argv.size()) return Usage("no command given");
  Command command;
  const int parsed =
      ParseCommand(std::vector<std::string>(argv.begin() + at, argv.end()), &command);
  if (parsed != kExitOk) return parsed;
  return RunPipeCommand(options, command);
}

}  // namespace
}  // namespace jetctl
}  // namespace jetsvc

int main(int argc, char** argv) {
  try {
    return jetsvc::jetctl::Run(jetsvc::jetctl::Utf8Arguments(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "jetctl: " << e.what() << std::endl;
    return jetsvc::jetctl::kExitError;
  }
}

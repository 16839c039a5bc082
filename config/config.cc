// ConfigLoader: Boost.Program_options over the command line and the INI
// file, the options outside [engine], --help / --version / --check-config.
//
// The file is read twice: a first pass in this file, which follows the
// rules of Boost's config_file_iterator ('#' starts a comment anywhere,
// "[section]" sets the prefix, "name = value"), records the line of every
// option and reports unknown options, duplicates and bad lines with their
// line number (Boost's own errors carry none); then Boost parses it.

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "config/config.h"
#include "config/schema.h"
#include "esent.h"

#ifndef JETSVC_VERSION
#define JETSVC_VERSION "unknown"
#endif

namespace po = boost::program_options;

namespace jetsvc {
namespace config {

const char kDefaultConfigPath[] = "/etc/jetsvc/jetsvc.conf";

const char* Version() { return JETSVC_VERSION; }

namespace {

using internal::EngineDefaultText;
using internal::EngineOptionDef;
using internal::EngineRangeText;
using internal::ParseUnsigned;
using internal::RangeText;

enum class ServiceKind : uint8_t {
  kDataDir,   // a directory, made absolute against the working directory
  kFilePath,  // a file, made absolute under data_dir
  kText,      // free text
  kChoice,    // one word of `choices`, any case, stored in lower case
  kNumber,    // an unsigned integer in [min, max]
};

struct ServiceOptionDef {
  const char* name;
  ServiceKind kind;
  const char* choices;  // kChoice: "a|b|c"
  uint32_t min;         // kNumber
  uint32_t max;
  bool may_be_empty;  // kText
  bool reloadable;    // applied by the service on reload
  const char* help;
  std::string Config::*text;
  uint32_t Config::*number;
};

// The largest D-Bus message is 128 MiB and dbus-daemon's system bus
// default is 32 MiB (max_message_size): a value (or a batch of them) must
// fit, so single values stop at 16 MiB.
constexpr uint32_t kMaxValueBytesLimit = 16u << 20;

// clang-format off
const ServiceOptionDef kServiceOptions[] = {
  {"service.data-dir", ServiceKind::kDataDir, nullptr, 0, 0, false, false,
   "directory of the database, the logs and the checkpoint", &Config::data_dir, nullptr},
  {"service.database", ServiceKind::kFilePath, nullptr, 0, 0, false, false,
   "the database file (relative: under data-dir); created at the first start",
   &Config::database, nullptr},
  {"service.instance-name", ServiceKind::kText, nullptr, 0, 0, false, false,
   "name of the engine instance", &Config::instance_name, nullptr},
  {"service.log-level", ServiceKind::kChoice, "trace|debug|info|warning|error|fatal", 0, 0, false,
   true, "the least severe messages logged", &Config::log_level, nullptr},
  {"service.prepare-timeout-ms", ServiceKind::kNumber, nullptr, 1, 86400000, false, false,
   "deadline of a prepare-stop called with timeout 0, and of the flush on SIGTERM, in"
   " milliseconds", nullptr, &Config::prepare_timeout_ms},
  {"service.log-file", ServiceKind::kFilePath, nullptr, 0, 0, true, false,
   "also log to this file (relative: under data-dir); empty: no file, except that the Windows"
   " service then logs to jetsvc.log under data-dir", &Config::log_file, nullptr},
  {"dbus.bus", ServiceKind::kChoice, "system|session|address", 0, 0, false, false,
   "the bus the D-Bus API is served on", &Config::bus, nullptr},
  {"dbus.address", ServiceKind::kText, nullptr, 0, 0, true, false,
   "the bus address when bus = address, e.g. unix:path=/run/jetsvc/bus (empty otherwise)",
   &Config::bus_address, nullptr},
  {"logind.enable", ServiceKind::kChoice, "auto|yes|no", 0, 0, false, false,
   "take logind's delay inhibitor and prepare on PrepareForShutdown/PrepareForSleep (auto: if"
   " the system bus has org.freedesktop.login1)", &Config::logind, nullptr},
  {"logind.inhibit-margin-ms", ServiceKind::kNumber, nullptr, 0, 60000, false, false,
   "finish the prepare this long before logind's InhibitDelayMaxUSec, in milliseconds",
   nullptr, &Config::inhibit_margin_ms},
  // The store's key column is Binary, whose values ESE caps at 255 bytes
  // (JET_cbColumnMost); its index holds such keys whole at any page size.
  {"store.max-key-bytes", ServiceKind::kNumber, nullptr, 1, 255, false, false,
   "largest key of the Store interface, in bytes",
   nullptr, &Config::max_key_bytes},
  {"store.max-value-bytes", ServiceKind::kNumber, nullptr, 1, kMaxValueBytesLimit, false, false,
   "largest value of the Store interface, in bytes", nullptr, &Config::max_value_bytes},
  {"store.max-scan-items", ServiceKind::kNumber, nullptr, 1, 1000000, false, false,
   "most pairs one Scan returns", nullptr, &Config::max_scan_items},
  {"store.max-batch-items", ServiceKind::kNumber, nullptr, 1, 1000000, false, false,
   "most pairs one batch Put writes", nullptr, &Config::max_batch_items},
  {"windows.preshutdown-timeout-ms", ServiceKind::kNumber, nullptr, 1000, 3600000, false, false,
   "Windows: how long the SCM waits for the service after PRESHUTDOWN (set by jetsvc.exe"
   " install), in milliseconds", nullptr, &Config::preshutdown_timeout_ms},
  {"windows.pipe-name", ServiceKind::kText, nullptr, 0, 0, false, false,
   "Windows: the API's named pipe, \\\\.\\pipe\\<name>", &Config::pipe_name, nullptr},
};
// clang-format on

const char kDataDirDefault[] = "$STATE_DIRECTORY (its first entry), else ./jetsvc-data";

std::string Trim(const std::string& text) {
  const char* const kSpace = " \t\r\n";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string SectionOf(const std::string& name) { return name.substr(0, name.find('.')); }
std::string KeyOf(const std::string& name) { return name.substr(name.find('.') + 1); }

std::string ServiceDefaultText(const ServiceOptionDef& def) {
  const Config defaults;
  switch (def.kind) {
    case ServiceKind::kDataDir:
      return kDataDirDefault;
    case ServiceKind::kNumber:
      return std::to_string(defaults.*def.number);
    default:
      return defaults.*def.text;
  }
}

std::string ServiceRangeText(const ServiceOptionDef& def) {
  switch (def.kind) {
    case ServiceKind::kDataDir:
    case ServiceKind::kFilePath:
      return "a path";
    case ServiceKind::kText:
      return def.may_be_empty ? "text" : "non-empty text";
    case ServiceKind::kChoice:
      return def.choices;
    case ServiceKind::kNumber:
      return RangeText(def.min, def.max);
  }
  return "";
}

bool IsChoice(const std::string& choices, const std::string& word) {
  std::stringstream stream(choices);
  std::string choice;
  while (std::getline(stream, choice, '|')) {
    if (choice == word) return true;
  }
  return false;
}

// `path` absolute (against the working directory) and normal, without a
// trailing '/' unless it is the root ("/", "C:/"). Paths use '/' on every
// system (generic format; Windows accepts it).
std::string AbsoluteDirectory(const std::string& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) absolute = path;
  absolute = absolute.lexically_normal();
  std::string result = absolute.generic_string();
  const size_t root_size = absolute.root_path().generic_string().size();
  while (result.size() > root_size && result.back() == '/') result.pop_back();
  return result;
}

// One run of Load(): the parsed command line and file, and where each
// value came from.
class Loading {
 public:
  Loading(const std::vector<std::string>& args,
          const std::function<const char*(const char*)>& getenv,
          const std::string& default_config_path)
      : args_(args), getenv_(getenv), default_config_path_(default_config_path) {}

  LoadOutcome Run(Config* config, std::ostream& out, std::string* error);

 private:
  void BuildDescriptions();
  bool ParseCommandLine(std::string* error);
  bool ReadFile(std::string* error);
  bool ScanFile(const std::string& content, std::string* error);
  bool Fill(Config* config, std::string* error);
  bool FillServiceOption(const ServiceOptionDef& def, Config* config, std::string* error);
  bool CrossCheck(const Config& config, std::string* error);

  // The value given for `name` (command line first), or nullptr.
  const std::string* Given(const std::string& name) const;
  // "FILE:LINE: ", "command line: " or "" (a default), for messages.
  std::string Where(const std::string& name) const;
  std::string DefaultDataDir() const;

  const std::vector<std::string>& args_;
  const std::function<const char*(const char*)>& getenv_;
  const std::string& default_config_path_;

  po::options_description generic_{"Command-line options", 100, 50};
  po::options_description file_options_{"Options of the file and the command line", 100, 50};
  po::options_description all_{100, 50};
  po::variables_map command_line_;
  po::variables_map file_;
  std::string file_path_;                // "" when no file was read
  std::map<std::string, int> file_line_;  // option -> line in file_path_
};

void Loading::BuildDescriptions() {
  generic_.add_options()
      ("help,h", "print this help and exit")
      ("version", "print the version and exit")
      ("config,c", po::value<std::string>()->value_name("PATH"),
       (std::string("read this config file instead of ") + default_config_path_ +
        " (it must exist; the default file may be absent)").c_str())
      ("check-config", "check the command line and the config file, print the result and exit"
       " (0: valid, 1: not)");

  std::vector<OptionDoc> docs = DescribeOptions();
  std::string section;
  std::unique_ptr<po::options_description> group;
  const auto flush = [&]() {
    if (group != nullptr) file_options_.add(*group);
  };
  for (const OptionDoc& doc : docs) {
    if (doc.section != section) {
      flush();
      section = doc.section;
      group = std::make_unique<po::options_description>(
          "[" + section + "] in the file, --" + section + ".NAME on the command line", 100, 50);
    }
    std::string text = doc.help + ". Default: " +
                       (doc.default_text.empty() ? "empty" : doc.default_text) +
                       ". Allowed: " + doc.range_text + "." +
                       (doc.reloadable ? " Applied on reload." : "");
    group->add_options()(doc.name.c_str(), po::value<std::string>()->value_name("VALUE"),
                         text.c_str());
  }
  flush();
  all_.add(generic_).add(file_options_);
}

bool Loading::ParseCommandLine(std::string* error) {
  const std::vector<std::string> rest(args_.empty() ? args_.begin() : args_.begin() + 1,
                                      args_.end());
  // No abbreviations: --ver must not mean --version.
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  try {
    const po::parsed_options parsed =
        po::command_line_parser(rest).options(all_).style(style).run();
    // With no positional options declared, Boost keeps stray words aside
    // instead of refusing them.
    const std::vector<std::string> stray =
        po::collect_unrecognized(parsed.options, po::include_positional);
    if (!stray.empty()) {
      *error = "command line: unexpected argument '" + stray.front() + "' (see --help)";
      return false;
    }
    po::store(parsed, command_line_);
  } catch (const po::error& e) {
    *error = std::string("command line: ") + e.what() + " (see --help)";
    return false;
  }
  return true;
}

bool Loading::ReadFile(std::string* error) {
  const bool explicit_path = command_line_.count("config") != 0;
  const std::string path =
      explicit_path ? command_line_["config"].as<std::string>() : default_config_path_;
  if (path.empty()) {
    *error = "--config: empty path";
    return false;
  }
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (ec) {
    *error = "config file " + path + ": " + ec.message();
    return false;
  }
  if (!exists) {
    if (!explicit_path) return true;  // defaults apply
    *error = "config file " + path + ": no such file";
    return false;
  }
  if (std::filesystem::is_directory(path, ec)) {
    *error = "config file " + path + ": is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "config file " + path + ": cannot open it: " + std::strerror(errno);
    return false;
  }
  std::stringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    *error = "config file " + path + ": read error";
    return false;
  }
  file_path_ = path;
  if (!ScanFile(content.str(), error)) return false;
  try {
    std::istringstream stream(content.str());
    po::store(po::parse_config_file(stream, file_options_, false), file_);
  } catch (const po::error& e) {
    *error = "config file " + path + ": " + e.what();
    return false;
  }
  return true;
}

bool Loading::ScanFile(const std::string& content, std::string* error) {
  std::istringstream stream(content);
  std::string raw;
  std::string prefix;
  int line = 0;
  while (std::getline(stream, raw)) {
    ++line;
    const std::string where = file_path_ + ":" + std::to_string(line) + ": ";
    std::string text = raw.substr(0, raw.find('#'));
    text = Trim(text);
    if (text.empty()) continue;
    if (text.front() == '[' && text.back() == ']') {
      prefix = text.substr(1, text.size() - 2);
      if (prefix.empty() || prefix.back() != '.') prefix += '.';
      continue;
    }
    const size_t equals = text.find('=');
    if (equals == std::string::npos) {
      *error = where + "not a \"[section]\" or \"name = value\" line: " + text;
      return false;
    }
    const std::string name = prefix + Trim(text.substr(0, equals));
    if (file_options_.find_nothrow(name, false) == nullptr) {
      *error = where + "unknown option '" + name + "'";
      if (prefix.empty()) error->append(" (options belong under a [section]; see --help)");
      return false;
    }
    const auto [previous, inserted] = file_line_.emplace(name, line);
    if (!inserted) {
      *error = where + name + " is set twice (first on line " + std::to_string(previous->second) +
               ")";
      return false;
    }
  }
  return true;
}

const std::string* Loading::Given(const std::string& name) const {
  for (const po::variables_map* map : {&command_line_, &file_}) {
    const auto found = map->find(name);
    if (found != map->end() && !found->second.empty()) {
      return &found->second.as<std::string>();
    }
  }
  return nullptr;
}

std::string Loading::Where(const std::string& name) const {
  if (command_line_.count(name) != 0) return "command line: ";
  const auto line = file_line_.find(name);
  if (line != file_line_.end()) return file_path_ + ":" + std::to_string(line->second) + ": ";
  return "";
}

std::string Loading::DefaultDataDir() const {
  const char* state = getenv_ ? getenv_("STATE_DIRECTORY") : nullptr;
  if (state != nullptr) {
    const std::string first = std::string(state).substr(0, std::string(state).find(':'));
    if (!first.empty()) return first;
  }
  return "./jetsvc-data";
}

bool Loading::FillServiceOption(const ServiceOptionDef& def, Config* config,
                                std::string* error) {
  const std::string* given = Given(def.name);
  const std::string where = Where(def.name);
  const std::string shown = given == nullptr ? "" : (given->empty() ? "\"\"" : *given);
  switch (def.kind) {
    case ServiceKind::kDataDir:
    case ServiceKind::kFilePath:
    case ServiceKind::kText: {
      std::string value = given != nullptr ? *given : config->*def.text;
      if (def.kind == ServiceKind::kDataDir && given == nullptr) value = DefaultDataDir();
      if (value.empty() && !def.may_be_empty) {
        *error = where + def.name + " = \"\": must not be empty";
        return false;
      }
      if (def.kind == ServiceKind::kDataDir) value = AbsoluteDirectory(value);
      if (def.kind == ServiceKind::kFilePath && !value.empty()) {
        std::filesystem::path path(value);
        if (!path.is_absolute()) path = std::filesystem::path(config->data_dir) / path;
        value = path.lexically_normal().generic_string();
        if (value.back() == '/') {
          *error = where + def.name + " = " + shown + ": names a directory, not a file";
          return false;
        }
      }
      config->*def.text = value;
      return true;
    }
    case ServiceKind::kChoice: {
      if (given == nullptr) return true;
      const std::string word = Lower(*given);
      if (!IsChoice(def.choices, word)) {
        *error = where + def.name + " = " + shown + ": not one of " + def.choices;
        return false;
      }
      config->*def.text = word;
      return true;
    }
    case ServiceKind::kNumber: {
      if (given == nullptr) return true;
      uint64_t value = 0;
      if (!ParseUnsigned(*given, &value)) {
        *error = where + def.name + " = " + shown +
                 ": not an unsigned integer (write it in decimal or 0x hexadecimal; " +
                 RangeText(def.min, def.max) + ")";
        return false;
      }
      if (value < def.min || value > def.max) {
        *error = where + def.name + " = " + shown + ": out of range " +
                 RangeText(def.min, def.max);
        return false;
      }
      config->*def.number = static_cast<uint32_t>(value);
      return true;
    }
  }
  return true;
}

bool Loading::Fill(Config* config, std::string* error) {
  *config = Config();
  config->config_path = file_path_;
  // kServiceOptions lists data-dir first: the paths after it need it.
  for (const ServiceOptionDef& def : kServiceOptions) {
    if (!FillServiceOption(def, config, error)) return false;
  }
  size_t count = 0;
  const EngineOptionDef* defs = internal::EngineOptionDefs(&count);
  for (size_t i = 0; i < count; ++i) {
    const std::string name = std::string("engine.") + defs[i].key;
    const std::string* given = Given(name);
    const std::string text = given != nullptr ? *given : EngineDefaultText(defs[i]);
    EngineSetting setting;
    std::string message;
    if (!internal::ResolveEngineOption(defs[i], text, config->data_dir, &setting, &message)) {
      *error = given != nullptr ? Where(name) + message
                                : message + " [the default, under service.data-dir]";
      return false;
    }
    config->engine.push_back(std::move(setting));
  }
  return CrossCheck(*config, error);
}

bool Loading::CrossCheck(const Config& config, std::string* error) {
  if (config.bus == "address" && config.bus_address.empty()) {
    *error = Where("dbus.bus") +
             "dbus.bus = address needs dbus.address (a D-Bus address such as"
             " unix:path=/run/jetsvc/bus)";
    return false;
  }
  if (config.bus != "address" && !config.bus_address.empty()) {
    *error = Where("dbus.address") + "dbus.address = " + config.bus_address +
             ": only used with dbus.bus = address, but dbus.bus = " + config.bus;
    return false;
  }
  return true;
}

LoadOutcome Loading::Run(Config* config, std::ostream& out, std::string* error) {
  BuildDescriptions();
  if (!ParseCommandLine(error)) return LoadOutcome::kError;
  if (command_line_.count("help") != 0) {
    out << "Usage: jetsvc [OPTION...]\n"
        << "The jetsvc daemon: hosts an ESE-style storage engine and serves it on D-Bus.\n"
        << "Options are read from the command line and from the config file (default "
        << default_config_path_ << ");\nthe command line wins. In the file, option "
        << "SECTION.NAME is \"NAME = VALUE\" under \"[SECTION]\".\n"
        << "Integers: decimal or 0x hexadecimal. Booleans: true/false, yes/no, on/off, 1/0.\n\n"
        << all_ << "\n";
    return LoadOutcome::kExitSuccess;
  }
  if (command_line_.count("version") != 0) {
    out << "jetsvc " << Version() << "\n";
    return LoadOutcome::kExitSuccess;
  }
  if (!ReadFile(error)) return LoadOutcome::kError;
  if (!Fill(config, error)) return LoadOutcome::kError;
  if (command_line_.count("check-config") != 0) {
    out << "jetsvc: the configuration is valid ("
        << (file_path_.empty() ? "no config file: defaults and command line"
                               : "config file " + file_path_)
        << ")\n";
    return LoadOutcome::kExitSuccess;
  }
  return LoadOutcome::kRun;
}

}  // namespace

namespace internal {

std::vector<std::string> ChangedServiceOptions(const Config& a, const Config& b) {
  std::vector<std::string> changed;
  for (const ServiceOptionDef& def : kServiceOptions) {
    if (def.reloadable) continue;
    const bool differs =
        def.kind == ServiceKind::kNumber ? a.*def.number != b.*def.number : a.*def.text != b.*def.text;
    if (differs) changed.push_back(def.name);
  }
  return changed;
}

}  // namespace internal

std::vector<OptionDoc> DescribeOptions() {
  std::vector<OptionDoc> docs;
  for (const ServiceOptionDef& def : kServiceOptions) {
    docs.push_back({def.name, SectionOf(def.name), KeyOf(def.name), ServiceDefaultText(def),
                    ServiceRangeText(def), def.reloadable, def.help});
  }
  size_t count = 0;
  const EngineOptionDef* defs = internal::EngineOptionDefs(&count);
  for (size_t i = 0; i < count; ++i) {
    docs.push_back({std::string("engine.") + defs[i].key, "engine", defs[i].key,
                    EngineDefaultText(defs[i]), EngineRangeText(defs[i]),
                    internal::EngineReloadable(defs[i]), defs[i].help});
  }
  return docs;
}

ConfigLoader::ConfigLoader(std::vector<std::string> args,
                           std::function<const char*(const char*)> getenv,
                           std::string default_config_path)
    : args_(std::move(args)),
      getenv_(std::move(getenv)),
      default_config_path_(std::move(default_config_path)) {}

LoadOutcome ConfigLoader::Load(Config* config, std::ostream& out, std::string* error) const {
  try {
    Loading loading(args_, getenv_, default_config_path_);
    return loading.Run(config, out, error);
  } catch (const std::exception& e) {
    // Boost errors are caught where they can be named; this is the
    // boundary for the rest (bad_alloc, filesystem).
    *error = std::string("cannot load the configuration: ") + e.what();
  }
  return LoadOutcome::kError;
}

}  // namespace config
}  // namespace jetsvc

// Config: the daemon's settings, read from an INI file and the command line
// (Boost.Program_options, kept inside config/*.cc), and the mapping of the
// [engine] section onto the engine's system parameters.
//
// Option names are dotted: `engine.checkpoint-depth-max` is
// `checkpoint-depth-max = N` under `[engine]` in the file and
// `--engine.checkpoint-depth-max=N` on the command line; the command line
// wins. Generic command-line options: --help, --version, --config PATH,
// --check-config. config/jetsvc.conf documents every option.
//
// Engine options are checked at Load() time against the engine's own
// parameter table (engine/instance/params.h: range, power of two, string
// length), so a bad value stops the start before any engine exists, with a
// message naming the option, the value and the allowed range.
//
// Values: integers are decimal or 0x hexadecimal, never negative; booleans
// are true/false, yes/no, on/off, 1/0 (any case). Paths that Load() makes
// absolute use '/' as the separator on every system (on Windows
// "C:/ProgramData/jetsvc/data"; Win32 accepts it); a path rooted without a
// drive ("/data") is on the working directory's drive.
//
// Thread contract: Config is a plain value. ConfigLoader::Load is const and
// may run on any thread; it reads the file and calls `getenv` each time.
// The Apply* functions call the JET API, which is thread-safe.

#ifndef JETSVC_CONFIG_CONFIG_H_
#define JETSVC_CONFIG_CONFIG_H_

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "esent.h"

namespace jetsvc {
namespace config {

// The file read when --config is not given. Its absence is fine (defaults
// apply); an explicit --config file that is missing is an error.
extern const char kDefaultConfigPath[];  // "/etc/jetsvc/jetsvc.conf"

// "jetsvc <version>" is what --version prints; this is <version>.
const char* Version();

// One [engine] option with the value in effect (the default or the one
// given), ready for JetSetSystemParameter.
struct EngineSetting {
  std::string option;  // "engine.log-file-size"
  uint32_t param_id;   // JET_paramLogFileSize
  bool is_string;      // true: `text` is the value; false: `integer` is
  uint64_t integer;    // booleans are 0/1; online-defrag is JET_OnlineDefrag*
  std::string text;    // paths are absolute; directories end with '/'
  // Whether the engine accepts a change while the instance runs (its
  // table does not freeze the parameter at JetInit).
  bool reloadable;
};

struct Config {
  // [service]
  // The directory holding the database, the logs and the checkpoint.
  // Default: $STATE_DIRECTORY (its first entry if ':'-separated) when set,
  // else "./jetsvc-data". Load() makes it absolute, without a trailing '/'.
  std::string data_dir;
  // The database file. Load() makes it absolute: relative names are under
  // data_dir.
  std::string database = "jetsvc.edb";
  // Name of the engine instance (JetCreateInstance2).
  std::string instance_name = "jetsvc";
  // trace|debug|info|warning|error|fatal. Reloadable.
  std::string log_level = "info";
  // Deadline of a PrepareStop whose timeout is 0, and of SIGTERM's flush.
  uint32_t prepare_timeout_ms = 240000;
  // A file that gets the log lines too ("" : none; the Windows service then
  // uses <data_dir>/jetsvc.log). Load() makes it absolute under data_dir.
  std::string log_file;

  // [dbus]
  // system | session | address.
  std::string bus = "system";
  // The D-Bus address to connect to; required when bus is "address" and
  // refused otherwise.
  std::string bus_address;

  // [logind]
  // auto (use it if the system bus has org.freedesktop.login1) | yes | no.
  std::string logind = "auto";
  // Finish the prepare this long before logind's InhibitDelayMaxUSec.
  uint32_t inhibit_margin_ms = 1000;

  // [store]
  uint32_t max_key_bytes = 255;
  uint32_t max_value_bytes = 1048576;
  uint32_t max_scan_items = 1000;
  uint32_t max_batch_items = 10000;

  // [windows] (read on every platform, used by the Windows service)
  // SERVICE_PRESHUTDOWN_INFO set by `jetsvc.exe install`: how long Windows
  // waits for STOPPED after PRESHUTDOWN (its own default is 10 s).
  uint32_t preshutdown_timeout_ms = 120000;
  // The named pipe of the API: \\.\pipe\<pipe_name>.
  std::string pipe_name = "jetsvc";

  // [engine]: every engine option, in the schema's order, with the value
  // in effect. Empty in a default-constructed Config; Load() fills it.
  std::vector<EngineSetting> engine;

  // The file that was read ("" if none).
  std::string config_path;

  // The setting of `option` ("engine.page-size" or "page-size"), or
  // nullptr.
  const EngineSetting* FindEngine(const std::string& option) const;
};

// One option of the schema, for --help, documentation and tests.
struct OptionDoc {
  std::string name;          // "engine.log-file-size"
  std::string section;       // "engine"
  std::string key;           // "log-file-size" (the name inside the section)
  std::string default_text;  // "5120"; paths as written in the file
  std::string range_text;    // "64..32768", "trace|debug|...", "true|false"
  bool reloadable;           // a reload applies it without a restart
  std::string help;          // one line, unit included
};

// Every option of the file and command line (not --help & co.), in
// [service], [dbus], [logind], [store], [engine] order.
std::vector<OptionDoc> DescribeOptions();

enum class LoadOutcome {
  kRun,
  kExitSuccess,  // --help / --version / --check-config passed; text printed
  kError,
};

class ConfigLoader {
 public:
  // args: argv as given (argv[0] included). getenv: looks up environment
  // variables (tests fake STATE_DIRECTORY). default_config_path: the file
  // read when --config is not given.
  explicit ConfigLoader(std::vector<std::string> args,
                        std::function<const char*(const char*)> getenv = ::getenv,
                        std::string default_config_path = kDefaultConfigPath);

  // Parses the command line and the file and checks every value. Prints
  // --help / --version / --check-config text to `out`. On kError, *error
  // is one message naming the option, the value and the allowed range, or
  // the file (and line) and what is wrong with it; *config is then
  // unspecified. Never throws.
  LoadOutcome Load(Config* config, std::ostream& out, std::string* error) const;

 private:
  const std::vector<std::string> args_;
  const std::function<const char*(const char*)> getenv_;
  const std::string default_config_path_;
};

// Enters multi-instance mode (JetEnableMultiInstance) with the settings the
// engine fixes for the whole process once the first instance exists
// (engine.page-size). Call it before JetCreateInstance2. Succeeds if the
// process already runs in multi-instance mode with the same values;
// otherwise returns the engine's error and names the option in *error.
long EnterMultiInstanceMode(const Config& config, std::string* error);

// Applies every engine setting to `instance`, created but not initialized
// (JetSetSystemParameter), turning JET_paramEnableAdvanced on first so that
// advanced parameters are not ignored. Process-wide parameters
// (engine.cache-size-max) go through the instance to the process-wide
// value, as the engine routes them; engine.page-size must already hold
// (EnterMultiInstanceMode). Returns JET_errSuccess or the first error, with
// *error naming the option, e.g.
// "engine.log-file-size = 10: out of range 64..32768 (JET_paramLogFileSize)".
// REQUIRES: config came from Load() (config.engine is filled).
long ApplyEngineSettings(const Config& config, JET_INSTANCE instance, std::string* error);

// For a reload: sets on the running `instance` the reloadable engine
// settings whose value differs between the two configs; *applied gets
// their option names. *restart_needed gets every other option (of any
// section) that changed but does not take effect before the next start.
// Both lists are cleared first. service.log-level is in neither list: the
// caller applies it. Stops at
// the first engine error (settings applied so far stay) and returns it
// with *error naming the option.
long ApplyReloadableSettings(const Config& old_config, const Config& new_config,
                             JET_INSTANCE instance, std::vector<std::string>* applied,
                             std::vector<std::string>* restart_needed, std::string* error);

}  // namespace config
}  // namespace jetsvc

#endif  // JETSVC_CONFIG_CONFIG_H_

// Private to config/: the [engine] option table, value parsing and the
// checks shared by ConfigLoader::Load (config.cc) and the Apply* functions
// (engine_settings.cc). No Boost here either.
//
// Thread contract: the table is immutable; every function is thread-safe.

#ifndef JETSVC_CONFIG_SCHEMA_H_
#define JETSVC_CONFIG_SCHEMA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"

namespace jetsvc {
namespace config {
namespace internal {

// How an [engine] option's text becomes the parameter's value.
enum class EngineKind : uint8_t {
  kInteger,       // ParseUnsigned; the engine's range (and power of two)
  kBoolean,       // ParseBool -> 0 / 1
  kDefragSwitch,  // ParseBool -> JET_OnlineDefragAll / JET_OnlineDefragDisable
  kDirectory,     // a path, absolute under data_dir, ending with '/'
  kFile,          // a path, absolute under data_dir (a trailing '/' is kept)
  kName,          // verbatim text without '/'
};

// Marks an integer option whose default is the engine's own.
constexpr uint64_t kEngineDefault = ~uint64_t{0};

struct EngineOptionDef {
  const char* key;  // "log-file-size"; the option is "engine.<key>"
  uint32_t param_id;
  EngineKind kind;
  // Integers and booleans (0/1): the service's default, or kEngineDefault.
  uint64_t default_integer;
  // Paths and names: the default as written in the file.
  const char* default_text;
  const char* help;  // one line, unit included
};

// The [engine] options, in the order of Config::engine.
const EngineOptionDef* EngineOptionDefs(size_t* count);
// The row of `option` ("engine.x" or "x"), or nullptr.
const EngineOptionDef* FindEngineOptionDef(const std::string& option);

// The default as the file would spell it, and the allowed values, taken
// from the engine's table ("64..32768", "power of two in 4096..32768").
std::string EngineDefaultText(const EngineOptionDef& def);
std::string EngineRangeText(const EngineOptionDef& def);
// Whether the engine takes a change while the instance runs.
bool EngineReloadable(const EngineOptionDef& def);

// Turns `text` into the setting of `def`; relative paths are made absolute
// under `data_dir`. Then checks it (CheckEngineSetting). On failure *error
// is "engine.<key> = <text>: <what is wrong>".
bool ResolveEngineOption(const EngineOptionDef& def, const std::string& text,
                         const std::string& data_dir, EngineSetting* setting, std::string* error);

// Checks a setting against the engine's table: range, power of two,
// string length, support. `shown` is the value as the user wrote it ("" to
// print the setting's own value).
bool CheckEngineSetting(const EngineSetting& setting, const std::string& shown,
                        std::string* error);

// The options outside [engine] whose values differ between `a` and `b`,
// except service.log-level, which the service applies on reload itself.
std::vector<std::string> ChangedServiceOptions(const Config& a, const Config& b);

// Plain unsigned integers: decimal or 0x hexadecimal, nothing else.
bool ParseUnsigned(const std::string& text, uint64_t* value);
// true/false, yes/no, on/off, 1/0, in any case.
bool ParseBool(const std::string& text, bool* value);
// "0..32768"; the largest 64-bit value prints as 2^64-1.
std::string RangeText(uint64_t min, uint64_t max);

}  // namespace internal
}  // namespace config
}  // namespace jetsvc

#endif  // JETSVC_CONFIG_SCHEMA_H_

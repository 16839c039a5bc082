// The [engine] options: their table, how a value becomes a JET parameter
// and the checks against the engine's own parameter table
// (engine/instance/params.h), and the calls that hand them to the engine.

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/schema.h"
#include "engine/instance/params.h"
#include "esent.h"

namespace jetsvc {
namespace config {
namespace internal {
namespace {

constexpr uint64_t kU64Max = ~uint64_t{0};

// Service defaults differ from ESE's where ESE's are sized for a desktop
// component (cache, sessions, version store) or where the service wants
// different behaviour (circular logging, 8 KB pages, creating its paths).
// clang-format off
constexpr EngineOptionDef kEngineOptions[] = {
  {"log-path", JET_paramLogFilePath, EngineKind::kDirectory, 0, "logs/",
   "directory of the transaction log files (relative: under service.data-dir)"},
  {"system-path", JET_paramSystemPath, EngineKind::kDirectory, 0, "",
   "directory of the checkpoint file <base-name>.chk (empty: service.data-dir)"},
  {"temp-path", JET_paramTempPath, EngineKind::kFile, 0, "tmp.edb",
   "the temporary database file; a trailing / names a directory (relative: under service.data-dir)"},
  {"base-name", JET_paramBaseName, EngineKind::kName, 0, "edb",
   "three-character prefix of the log and checkpoint file names"},
  {"log-file-size", JET_paramLogFileSize, EngineKind::kInteger, 5120, nullptr,
   "size of each log file, in KB; existing logs of another size stop the start"},
  {"log-buffers", JET_paramLogBuffers, EngineKind::kInteger, kEngineDefault, nullptr,
   "size of the log buffer, in 512-byte units"},
  {"circular-log", JET_paramCircularLog, EngineKind::kBoolean, 1, nullptr,
   "delete the log files the checkpoint has passed"},
  {"checkpoint-depth-max", JET_paramCheckpointDepthMax, EngineKind::kInteger, kEngineDefault,
   nullptr, "bytes of log the checkpoint may lag behind; the cache flushes to stay within it"},
  {"cache-size-max", JET_paramCacheSizeMax, EngineKind::kInteger, 65536, nullptr,
   "upper bound of the buffer cache, in pages (process-wide)"},
  {"page-size", JET_paramDatabasePageSize, EngineKind::kInteger, 8192, nullptr,
   "database page size, in bytes (process-wide); an existing database keeps the size it was"
   " created with, so this must match it"},
  {"max-sessions", JET_paramMaxSessions, EngineKind::kInteger, 64, nullptr,
   "sessions of the instance"},
  {"max-open-tables", JET_paramMaxOpenTables, EngineKind::kInteger, kEngineDefault, nullptr,
   "open table definitions of the instance"},
  {"max-cursors", JET_paramMaxCursors, EngineKind::kInteger, kEngineDefault, nullptr,
   "open cursors of the instance"},
  {"max-ver-pages", JET_paramMaxVerPages, EngineKind::kInteger, 1024, nullptr,
   "version store budget, in buckets of 32 KB (JET_paramVerPageSize)"},
  {"db-extension-size", JET_paramDbExtensionSize, EngineKind::kInteger, kEngineDefault, nullptr,
   "pages added each time the database file grows"},
  {"online-defrag", JET_paramEnableOnlineDefrag, EngineKind::kDefragSwitch, 1, nullptr,
   "allow online defragmentation (true: JET_OnlineDefragAll, false: JET_OnlineDefragDisable)"},
  {"create-paths", JET_paramCreatePathIfNotExist, EngineKind::kBoolean, 1, nullptr,
   "create the missing directories of the paths above and of the database"},
};
// clang-format on

constexpr size_t kEngineOptionCount = sizeof(kEngineOptions) / sizeof(kEngineOptions[0]);

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool IsStringKind(EngineKind kind) {
  return kind == EngineKind::kDirectory || kind == EngineKind::kFile || kind == EngineKind::kName;
}

// `text` made absolute under `data_dir`, with '/' as the separator on every
// system (generic format); directories end with '/'.
std::string AbsolutePath(const std::string& text, const std::string& data_dir, bool directory) {
  std::filesystem::path path(text);
  if (!path.is_absolute()) path = std::filesystem::path(data_dir) / path;
  std::string result = path.lexically_normal().generic_string();
  if (directory && (result.empty() || result.back() != '/')) result += '/';
  return result;
}

// How the value of `setting` reads in a message.
std::string ShownValue(const EngineSetting& setting, const std::string& shown) {
  std::string value = shown;
  if (value.empty() && !setting.is_string) {
    const EngineOptionDef* def = FindEngineOptionDef(setting.option);
    if (def != nullptr && def->kind == EngineKind::kBoolean) {
      value = setting.integer != 0 ? "true" : "false";
    } else if (def != nullptr && def->kind == EngineKind::kDefragSwitch) {
      value = setting.integer != JET_OnlineDefragDisable ? "true" : "false";
    } else {
      value = std::to_string(setting.integer);
    }
  } else if (value.empty()) {
    value = setting.text;
  }
  return value.empty() ? "\"\"" : value;
}

const char* JetErrorName(long err) {
  switch (err) {
    case JET_errFeatureNotAvailable:
      return "JET_errFeatureNotAvailable";
    case JET_errInvalidParameter:
      return "JET_errInvalidParameter";
    case JET_errAlreadyInitialized:
      return "JET_errAlreadyInitialized";
    case JET_errInitInProgress:
      return "JET_errInitInProgress";
    case JET_errRunningInOneInstanceMode:
      return "JET_errRunningInOneInstanceMode";
    case JET_errSystemParameterConflict:
      return "JET_errSystemParameterConflict";
    case JET_errInvalidInstance:
      return "JET_errInvalidInstance";
    case JET_errInvalidGrbit:
      return "JET_errInvalidGrbit";
    default:
      return "JET error";
  }
}

std::string JetErrorText(long err) {
  return std::string(JetErrorName(err)) + " " + std::to_string(err);
}

// The value the engine holds for an integer parameter, as text ("?" if it
// cannot be read).
std::string CurrentEngineValue(JET_INSTANCE instance, const EngineSetting& setting) {
  if (setting.is_string) {
    char buffer[1024] = {0};
    if (JetGetSystemParameter(instance, JET_sesidNil, setting.param_id, nullptr, buffer,
                              sizeof(buffer)) < 0) {
      return "?";
    }
    return buffer;
  }
  JET_API_PTR value = 0;
  if (JetGetSystemParameter(instance, JET_sesidNil, setting.param_id, &value, nullptr, 0) < 0) {
    return "?";
  }
  return std::to_string(static_cast<uint64_t>(value));
}

// The message for an engine error on `setting`.
std::string EngineRefusal(JET_INSTANCE instance, const EngineSetting& setting, long err) {
  const jetsvc::ParamSpec* spec = ParamValues::Spec(setting.param_id);
  const std::string param = spec != nullptr ? spec->name : std::to_string(setting.param_id);
  std::string message = setting.option + " = " + ShownValue(setting, "") + ": ";
  const bool process_frozen =
      spec != nullptr && (spec->flags & kParamGlobal) && (spec->flags & kParamFrozenAfterGlobalInit);
  if (err == JET_errSystemParameterConflict && process_frozen) {
    message += "the process already runs in multi-instance mode with " +
               CurrentEngineValue(instance, setting) +
               "; it can change only once every instance has ended";
  } else if (err == JET_errAlreadyInitialized && process_frozen) {
    message += "the engine fixes this process-wide value once the first instance exists, and it is " +
               CurrentEngineValue(instance, setting) +
               " (set it with EnterMultiInstanceMode before JetCreateInstance2)";
  } else if (err == JET_errAlreadyInitialized) {
    message += "the engine no longer accepts a change (the instance is initialized)";
  } else {
    message += "refused by the engine";
  }
  return message + " (" + param + ", " + JetErrorText(err) + ")";
}

// JetSetSystemParameter for one setting, checked first.
long SetOne(JET_INSTANCE instance, const EngineSetting& setting, std::string* error) {
  if (!CheckEngineSetting(setting, "", error)) return JET_errInvalidParameter;
  const long err = JetSetSystemParameter(
      &instance, JET_sesidNil, setting.param_id,
      setting.is_string ? 0 : static_cast<JET_API_PTR>(setting.integer),
      setting.is_string ? setting.text.c_str() : nullptr);
  if (err < 0) *error = EngineRefusal(instance, setting, err);
  return err;
}

// Advanced parameters are ignored while JET_paramEnableAdvanced is 0: turn
// it on in the process-wide store (which gates the process-wide advanced
// parameters such as JET_paramCacheSizeMax) and in the instance's.
long EnableAdvanced(JET_INSTANCE instance, std::string* error) {
  long err = JetSetSystemParameter(nullptr, JET_sesidNil, JET_paramEnableAdvanced, 1, nullptr);
  if (err >= 0) {
    err = JetSetSystemParameter(&instance, JET_sesidNil, JET_paramEnableAdvanced, 1, nullptr);
  }
  if (err < 0) {
    *error = "cannot turn JET_paramEnableAdvanced on: " + JetErrorText(err);
  }
  return err;
}

bool SameValue(const EngineSetting& a, const EngineSetting& b) {
  return a.is_string == b.is_string && (a.is_string ? a.text == b.text : a.integer == b.integer);
}

}  // namespace

const EngineOptionDef* EngineOptionDefs(size_t* count) {
  *count = kEngineOptionCount;
  return kEngineOptions;
}

const EngineOptionDef* FindEngineOptionDef(const std::string& option) {
  const std::string key = option.rfind("engine.", 0) == 0 ? option.substr(7) : option;
  for (const EngineOptionDef& def : kEngineOptions) {
    if (key == def.key) return &def;
  }
  return nullptr;
}

std::string RangeText(uint64_t min, uint64_t max) {
  return std::to_string(min) + ".." + (max == kU64Max ? "2^64-1" : std::to_string(max));
}

std::string EngineDefaultText(const EngineOptionDef& def) {
  const jetsvc::ParamSpec* spec = ParamValues::Spec(def.param_id);
  switch (def.kind) {
    case EngineKind::kInteger:
      return std::to_string(def.default_integer == kEngineDefault ? spec->default_value
                                                                  : def.default_integer);
    case EngineKind::kBoolean:
    case EngineKind::kDefragSwitch:
      return def.default_integer != 0 ? "true" : "false";
    case EngineKind::kDirectory:
    case EngineKind::kFile:
    case EngineKind::kName:
      return def.default_text != nullptr ? def.default_text : spec->default_string;
  }
  return "";
}

std::string EngineRangeText(const EngineOptionDef& def) {
  const jetsvc::ParamSpec* spec = ParamValues::Spec(def.param_id);
  switch (def.kind) {
    case EngineKind::kInteger:
      if (spec->type == ParamType::kBlockSize) {
        return "power of two in " + RangeText(spec->min, spec->max);
      }
      return RangeText(spec->min, spec->max);
    case EngineKind::kBoolean:
    case EngineKind::kDefragSwitch:
      return "true|false";
    case EngineKind::kDirectory:
    case EngineKind::kFile:
      return "a path of at most " + std::to_string(spec->max) + " characters once made absolute";
    case EngineKind::kName:
      if (spec->min == spec->max) return "exactly " + std::to_string(spec->min) + " characters";
      return RangeText(spec->min, spec->max) + " characters";
  }
  return "";
}

bool EngineReloadable(const EngineOptionDef& def) {
  return !ParamValues::FrozenAfterInit(def.param_id);
}

bool ParseUnsigned(const std::string& text, uint64_t* value) {
  int base = 10;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    begin += 2;
  }
  // from_chars takes no sign for unsigned types, and no spaces.
  if (begin == end || !std::isxdigit(static_cast<unsigned char>(*begin))) return false;
  uint64_t parsed = 0;
  const std::from_chars_result result = std::from_chars(begin, end, parsed, base);
  if (result.ec != std::errc() || result.ptr != end) return false;
  *value = parsed;
  return true;
}

bool ParseBool(const std::string& text, bool* value) {
  const std::string lower = Lower(text);
  if (lower == "true" || lower == "yes" || lower == "on" || lower == "1") {
    *value = true;
    return true;
  }
  if (lower == "false" || lower == "no" || lower == "off" || lower == "0") {
    *value = false;
    return true;
  }
  return false;
}

bool ResolveEngineOption(const EngineOptionDef& def, const std::string& text,
                         const std::string& data_dir, EngineSetting* setting, std::string* error) {
  setting->option = std::string("engine.") + def.key;
  setting->param_id = def.param_id;
  setting->is_string = IsStringKind(def.kind);
  setting->integer = 0;
  setting->text.clear();
  setting->reloadable = EngineReloadable(def);
  const std::string prefix = setting->option + " = " + (text.empty() ? "\"\"" : text) + ": ";
  bool flag = false;
  switch (def.kind) {
    case EngineKind::kInteger:
      if (!ParseUnsigned(text, &setting->integer)) {
        *error = prefix + "not an unsigned integer (write it in decimal or 0x hexadecimal; " +
                 EngineRangeText(def) + ")";
        return false;
      }
      break;
    case EngineKind::kBoolean:
    case EngineKind::kDefragSwitch:
      if (!ParseBool(text, &flag)) {
        *error = prefix + "not a boolean (true/false, yes/no, on/off, 1/0)";
        return false;
      }
      if (def.kind == EngineKind::kBoolean) {
        setting->integer = flag ? 1 : 0;
      } else {
        setting->integer = flag ? JET_OnlineDefragAll : JET_OnlineDefragDisable;
      }
      break;
    case EngineKind::kDirectory:
    case EngineKind::kFile:
      setting->text = AbsolutePath(text, data_dir, def.kind == EngineKind::kDirectory);
      break;
    case EngineKind::kName:
      if (text.find('/') != std::string::npos) {
        *error = prefix + "must not contain '/' (it is part of file names)";
        return false;
      }
      setting->text = text;
      break;
  }
  // Paths are checked as made absolute, which is what the engine gets.
  const bool is_path = def.kind == EngineKind::kDirectory || def.kind == EngineKind::kFile;
  return CheckEngineSetting(*setting, is_path ? setting->text : text, error);
}

bool CheckEngineSetting(const EngineSetting& setting, const std::string& shown,
                        std::string* error) {
  const EngineOptionDef* def = FindEngineOptionDef(setting.option);
  const jetsvc::ParamSpec* spec = ParamValues::Spec(setting.param_id);
  if (def == nullptr || spec == nullptr || def->param_id != setting.param_id ||
      IsStringKind(def->kind) != setting.is_string) {
    *error = setting.option + ": not an engine option of jetsvc (or not for parameter " +
             std::to_string(setting.param_id) + ")";
    return false;
  }
  const std::string prefix = setting.option + " = " + ShownValue(setting, shown) + ": ";
  const std::string suffix = std::string(" (") + spec->name + ")";
  if (setting.is_string) {
    const uint64_t length = setting.text.size();
    if (length < spec->min || length > spec->max) {
      if (spec->min == spec->max) {
        *error = prefix + "must have exactly " + std::to_string(spec->min) + " characters, not " +
                 std::to_string(length) + suffix;
      } else {
        *error = prefix + "is " + std::to_string(length) + " characters long, out of range " +
                 RangeText(spec->min, spec->max) + suffix;
      }
      return false;
    }
    if (spec->support == SupportLevel::kUnsupported && setting.text != spec->default_string) {
      *error = prefix + "not supported by the engine; only its default is accepted" + suffix;
      return false;
    }
    return true;
  }
  const uint64_t value = setting.integer;
  if (value < spec->min || value > spec->max) {
    *error = prefix + "out of range " + RangeText(spec->min, spec->max) + suffix;
    return false;
  }
  if (spec->type == ParamType::kBlockSize && (value & (value - 1)) != 0) {
    *error = prefix + "not a power of two in " + RangeText(spec->min, spec->max) + suffix;
    return false;
  }
  if (spec->support == SupportLevel::kUnsupported && value != spec->default_value) {
    *error = prefix + "not supported by the engine; only its default is accepted" + suffix;
    return false;
  }
  return true;
}

}  // namespace internal

using internal::CheckEngineSetting;
using internal::EnableAdvanced;
using internal::EngineRefusal;
using internal::JetErrorText;
using internal::SameValue;
using internal::SetOne;

const EngineSetting* Config::FindEngine(const std::string& option) const {
  const std::string full = option.rfind("engine.", 0) == 0 ? option : "engine." + option;
  for (const EngineSetting& setting : engine) {
    if (setting.option == full) return &setting;
  }
  return nullptr;
}

long EnterMultiInstanceMode(const Config& config, std::string* error) {
  std::vector<JET_SETSYSPARAM_A> params;
  std::vector<const EngineSetting*> settings;
  for (const EngineSetting& setting : config.engine) {
    const jetsvc::ParamSpec* spec = ParamValues::Spec(setting.param_id);
    if (spec == nullptr || !(spec->flags & kParamGlobal) ||
        !(spec->flags & kParamFrozenAfterGlobalInit)) {
      continue;
    }
    if (!CheckEngineSetting(setting, "", error)) return JET_errInvalidParameter;
    JET_SETSYSPARAM_A param{};
    param.paramid = setting.param_id;
    param.lParam = setting.is_string ? 0 : static_cast<JET_API_PTR>(setting.integer);
    param.sz = setting.is_string ? setting.text.c_str() : nullptr;
    param.err = JET_errSuccess;
    params.push_back(param);
    settings.push_back(&setting);
  }
  unsigned long succeeded = 0;
  const long err = JetEnableMultiInstance(params.empty() ? nullptr : params.data(),
                                          static_cast<unsigned long>(params.size()), &succeeded);
  // Already in multi-instance mode with exactly these values.
  if (err == JET_errSystemParamsAlreadySet) return JET_errSuccess;
  if (err >= 0) return err;
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].err < 0) {
      *error = EngineRefusal(JET_instanceNil, *settings[i], params[i].err);
      return err;
    }
  }
  if (err == JET_errSystemParameterConflict) {
    *error = "cannot enter multi-instance mode: the process already runs in it with other "
             "process-wide settings (" + JetErrorText(err) + ")";
  } else {
    *error = "cannot enter multi-instance mode (" + JetErrorText(err) + ")";
  }
  return err;
}

long ApplyEngineSettings(const Config& config, JET_INSTANCE instance, std::string* error) {
  if (config.engine.empty()) {
    *error = "no engine settings: the Config did not come from ConfigLoader::Load";
    return JET_errInvalidParameter;
  }
  long err = EnableAdvanced(instance, error);
  if (err < 0) return err;
  for (const EngineSetting& setting : config.engine) {
    err = SetOne(instance, setting, error);
    if (err < 0) return err;
  }
  return JET_errSuccess;
}

long ApplyReloadableSettings(const Config& old_config, const Config& new_config,
                             JET_INSTANCE instance, std::vector<std::string>* applied,
                             std::vector<std::string>* restart_needed, std::string* error) {
  applied->clear();
  *restart_needed = internal::ChangedServiceOptions(old_config, new_config);
  std::vector<const EngineSetting*> to_apply;
  for (const EngineSetting& setting : new_config.engine) {
    const EngineSetting* old_setting = old_config.FindEngine(setting.option);
    if (old_setting != nullptr && SameValue(*old_setting, setting)) continue;
    if (setting.reloadable) {
      to_apply.push_back(&setting);
    } else {
      restart_needed->push_back(setting.option);
    }
  }
  if (to_apply.empty()) return JET_errSuccess;
  long err = EnableAdvanced(instance, error);
  if (err < 0) return err;
  for (const EngineSetting* setting : to_apply) {
    err = SetOne(instance, *setting, error);
    if (err < 0) return err;
    applied->push_back(setting->option);
  }
  return JET_errSuccess;
}

}  // namespace config
}  // namespace jetsvc

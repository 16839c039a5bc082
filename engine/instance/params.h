// System parameters: the table of every JET_param* id in esent.h and the
// value store behind JetSetSystemParameter / JetGetSystemParameter.
//
// The table (ParamSpec, one row per id) holds what ESE's sysparamtable
// says about each parameter: type, range, ESE's legacy default (and the
// "small" default that JET_configLowMemory selects), whether it is
// process-wide, when it freezes, plus jetsvc's support level and a one-line
// note. engine/instance/PARAMS.md is generated from it (ParamsMarkdown()).
//
// Support levels:
//   kActs        the engine reads the value and behaves as ESE does.
//   kAccepted    stored and returned, no effect; each row's note says why
//                that is harmless (tuning knobs, backup, event log, ...).
//   kUnsupported a feature jetsvc lacks. Setting a value other than the
//                default gives JET_errFeatureNotAvailable (-1001), so the
//                application learns at once; setting the default succeeds.
//                Get reports the default, which is what the engine does
//                (JET_paramUnicodeIndexDefault, whose value is a struct,
//                gives -1001 on Get too).
// Ids esent.h does not declare are unknown: Set and Get give
// JET_errInvalidParameter (-1003), as ESE does for ids past its table.
//
// ParamValues holds one value per parameter. The instance layer keeps one
// for the process-wide defaults and one per instance (a copy of the
// defaults when the instance is created); it routes global ids
// (IsGlobal) to the process-wide store and decides the ParamState.
// Set follows ESE's ErrSetSystemParameter checks, in ESE's order (step 6
// is jetsvc's own):
//   1. unknown id or read-only parameter           -> JET_errInvalidParameter
//   2. advanced parameter while EnableAdvanced = 0  -> success, ignored
//   3. new value equals the current one             -> success (integers,
//      booleans, pointers only: ESE compares strings by pointer, so a
//      string is never "equal" and step 4 applies to it)
//   4. frozen for this ParamState                   -> JET_errAlreadyInitialized
//   5. out of range / bad length / not a power of 2 -> JET_errInvalidParameter
//   6. kUnsupported and not the default             -> JET_errFeatureNotAvailable
// JET_paramEnableShrinkDatabase checks its bits (JET_errInvalidGrbit, -900)
// before step 3 and JET_paramConfiguration has its own rules, both as in ESE.
// Get: an integer parameter with a null `integer`, or a string parameter
// with a null buffer or cb_max 0 -> JET_errInvalidParameter; a string that
// does not fit (length + 1 > cb_max) -> JET_errBufferTooSmall (-1038) and
// the buffer is left untouched (ESE's JetGetSystemParameterA does the same).
//
// Left to the instance layer (ESE does these outside the value table):
//  - JET_paramCacheSize: ESE's Get reports the cache's real size; the store
//    only keeps the requested one. CacheSizeMin/Max and CheckpointDepthMax
//    take effect at once in ESE (cache resize, checkpoint update).
//  - JET_paramCommitDefault with a session: ESE sets that session's default.
//  - Paths are stored verbatim. ESE makes folder parameters absolute and
//    appends a separator when they are set, and its default ".\\" is a
//    Windows path: the instance layer resolves them through Env.
//
// Thread contract: ParamValues is a value type with no internal locking.
// The instance layer serializes writers and readers (ESE uses its
// instance critical section); the static table functions are thread-safe.

#ifndef JETSVC_ENGINE_INSTANCE_PARAMS_H_
#define JETSVC_ENGINE_INSTANCE_PARAMS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace jetsvc {

// One past the largest parameter id (JET_paramMaxValueInvalid).
constexpr uint32_t kParamIdLimit = 221;

enum class ParamType : uint8_t {
  kInteger,    // unsigned integer in [min, max]
  kBoolean,    // any value in [min, max]; stored as 0 or 1
  kBlockSize,  // a power of two in [min, max]
  kString,     // text; [min, max] bounds its length in bytes
  kPointer,    // pointer-sized value ESE treats as a callback or handle
};

enum class SupportLevel : uint8_t { kActs, kAccepted, kUnsupported };

// ParamSpec::flags bits.
constexpr uint32_t kParamGlobal = 1u << 0;  // process-wide, one value
// Frozen once any instance exists (ESE: "may not write after global init").
constexpr uint32_t kParamFrozenAfterGlobalInit = 1u << 1;
// Frozen once the owning instance is initialized.
constexpr uint32_t kParamFrozenAfterInit = 1u << 2;
// Ignored on Set while JET_paramEnableAdvanced is 0.
constexpr uint32_t kParamAdvanced = 1u << 3;
// Get only; Set gives JET_errInvalidParameter.
constexpr uint32_t kParamReadOnly = 1u << 4;

struct ParamSpec {
  uint32_t id;
  const char* name;  // "JET_paramLogFileSize"
  ParamType type;
  SupportLevel support;
  uint32_t flags;              // kParam* bits
  uint64_t min;                // integers: smallest value; strings: shortest length
  uint64_t max;                // integers: largest value; strings: longest length
  uint64_t default_value;      // ESE's legacy default (non-strings)
  uint64_t small_default;      // ESE's low-memory default (non-strings)
  const char* default_string;  // strings only; nullptr otherwise
  const char* note;            // one line: what jetsvc does with it
};

// Who is writing, which decides whether a frozen parameter may change.
enum class ParamState : uint8_t {
  // The process-wide store before the first instance exists (ESE: no run
  // mode chosen yet). Nothing is frozen.
  kBeforeFirstInstance,
  // The process-wide store once an instance exists: kParamFrozenAfterGlobalInit
  // parameters no longer change.
  kAfterFirstInstance,
  // An instance's store, or a global parameter written through an instance,
  // before that instance's JetInit completes.
  kInstanceNotInitialized,
  // The same after JetInit completed: kParamFrozenAfterInit parameters no
  // longer change either.
  kInstanceInitialized,
};

const char* SupportLevelName(SupportLevel level);

// The contents of engine/instance/PARAMS.md, rendered from the table.
std::string ParamsMarkdown();

class ParamValues {
 public:
  // Every parameter at ESE's legacy default.
  static ParamValues Defaults();

  // The table. Spec() is nullptr for an id esent.h does not declare.
  static const ParamSpec* Spec(uint32_t id);
  static std::vector<uint32_t> AllIds();  // ascending
  static bool IsGlobal(uint32_t id);
  // Frozen after instance init or after the first instance exists.
  static bool FrozenAfterInit(uint32_t id);
  // kUnsupported for unknown ids.
  static SupportLevel Support(uint32_t id);

  // REQUIRES: Spec(id) != nullptr and its type is not kString.
  uint64_t Integer(uint32_t id) const;
  // REQUIRES: Spec(id) != nullptr and its type is kString.
  const std::string& String(uint32_t id) const;

  // JetSetSystemParameter on this store: `integer` for non-string
  // parameters, `str` (nullptr means "") for strings. Order of checks and
  // errors: see the file comment. On error nothing changes.
  // JET_paramConfiguration resets other parameters to ESE's preset values
  // (JET_configDefault, JET_configLowMemory, JET_configRemoveQuotas, ...);
  // in kInstanceNotInitialized it leaves global parameters alone, and in
  // kAfterFirstInstance or kInstanceInitialized it fails with
  // JET_errAlreadyInitialized even for an unchanged value, as in ESE.
  Status Set(uint32_t id, uint64_t integer, const char* str, ParamState state);

  // JetGetSystemParameter on this store; see the file comment. For
  // JET_paramErrorToString, `*integer` is the input JET_ERR and the text
  // "<err>, (0x<hex>)" goes to the buffer (ESE's minimal-build format).
  Status Get(uint32_t id, uint64_t* integer, char* buffer, unsigned long cb_max) const;

  // Whether JET_paramRecovery turns logging on: "on" or "repair", ignoring
  // case (ESE's rule); anything else, "" included, means no logging.
  bool LoggingEnabled() const;

  // Checks every value against the table; aborts on a violation.
  void AssertValid() const;

 private:
  ParamValues();

  // Writes `value` (a string parameter: its default) without validation,
  // unless the parameter is read-only, frozen for `state`, or global while
  // `state` is an instance's; used by JET_paramConfiguration, which ignores
  // those parameters as ESE does.
  void Reset(uint32_t id, uint64_t value, ParamState state);
  Status SetConfiguration(uint64_t value, ParamState state);
  // Recomputes the read-only values that follow the page size.
  void RefreshDerived();

  std::array<uint64_t, kParamIdLimit> integers_{};
  std::array<std::string, kParamIdLimit> strings_;
  // The configuration bits in effect (ESE's INST::m_config); the value
  // Get returns for JET_paramConfiguration is kept in integers_.
  uint64_t config_ = 0;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_INSTANCE_PARAMS_H_

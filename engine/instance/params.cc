#include "engine/instance/params.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string_view>

#include "esent.h"

namespace jetsvc {

namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kI32Max = 2147483647;

// Short names for the table below.
constexpr ParamType kInt = ParamType::kInteger;
constexpr ParamType kBool = ParamType::kBoolean;
constexpr ParamType kBlock = ParamType::kBlockSize;
constexpr ParamType kStr = ParamType::kString;
constexpr ParamType kPtr = ParamType::kPointer;
constexpr SupportLevel kActs = SupportLevel::kActs;
constexpr SupportLevel kAcc = SupportLevel::kAccepted;
constexpr SupportLevel kNo = SupportLevel::kUnsupported;
constexpr uint32_t G = kParamGlobal;
constexpr uint32_t F1 = kParamFrozenAfterGlobalInit;
constexpr uint32_t FI = kParamFrozenAfterInit;
constexpr uint32_t A = kParamAdvanced;
constexpr uint32_t RO = kParamReadOnly;

// Commit bits JET_paramCommitDefault accepts: LazyFlush, WaitLastLevel0Commit,
// WaitAllLevel0Commit, ForceNewLog and ESE's CommitRedoCallback (0x20).
constexpr uint64_t kCommitDefaultMask = 0x3b;
// JET_paramEnableShrinkDatabase bits: On, Realtime, and ESE's Periodically.
constexpr uint64_t kShrinkMask = 0x0001 | 0x0002 | 0x8000;
// All JET_config* bits.
constexpr uint64_t kConfigMask = 0x7ff;

// Facts from ESE's sysparamtable (legacy and low-memory defaults, ranges,
// flags). Strings: min/max are lengths. Ids ascend; see TableIsSorted().
#define P(name) JET_param##name, "JET_param" #name
// clang-format off
constexpr ParamSpec kParams[] = {
  {P(SystemPath), kStr, kActs, FI, 0, 246, 0, 0, ".\\",
   "directory of the checkpoint file `<base>.chk`"},
  {P(TempPath), kStr, kActs, FI, 0, 247, 0, 0, "tmp.edb",
   "the temporary database file (a trailing separator names a directory)"},
  {P(LogFilePath), kStr, kActs, FI, 0, 246, 0, 0, ".\\",
   "directory of the transaction log files"},
  {P(BaseName), kStr, kActs, FI, 3, 3, 0, 0, "edb",
   "three-character prefix of the log and checkpoint file names"},
  {P(EventSource), kStr, kActs, FI, 0, 259, 0, 0, "",
   "event-log source name; the engine writes no event log, so nothing is mislabelled"},
  {P(MaxSessions), kInt, kActs, A | FI, 0, 30000, 16, 30000, nullptr,
   "sessions per instance (JET_errOutOfSessions beyond)"},
  {P(MaxOpenTables), kInt, kActs, A | FI, 0, kI32Max, 300, kI32Max, nullptr,
   "open table definitions per instance"},
  {P(PreferredMaxOpenTables), kInt, kAcc, A | FI, 0, kI32Max, 0, 0, nullptr,
   "a soft cache target that ESE ignores too"},
  {P(MaxCursors), kInt, kActs, A | FI, 0, kI32Max, 1024, kI32Max, nullptr,
   "open cursors per instance (JET_errOutOfCursors beyond)"},
  {P(MaxVerPages), kInt, kActs, A | FI, 1, kI32Max, 64, kI32Max, nullptr,
   "version store budget, in buckets of JET_paramVerPageSize bytes"},
  {P(MaxTemporaryTables), kInt, kActs, A | FI, 0, kI32Max, 20, kI32Max, nullptr,
   "open temporary tables per instance"},
  {P(LogFileSize), kInt, kActs, FI, 64, 32768, 5120, 64, nullptr,
   "log file size in KB; logs of another size give JET_errLogFileSizeMismatch"},
  {P(LogBuffers), kInt, kActs, A | FI, 1, kI32Max, 126, 1, nullptr,
   "log buffer size in 512-byte units"},
  {P(WaitLogFlush), kInt, kAcc, A, 0, kI32Max, 0, 0, nullptr,
   "obsolete; ESE ignores it too"},
  {P(LogCheckpointPeriod), kInt, kAcc, A | FI, 0, kI32Max, 1024, 1024, nullptr,
   "obsolete; ESE ignores it too"},
  {P(LogWaitingUserMax), kInt, kAcc, A | FI, 0, kI32Max, 3, 3, nullptr,
   "obsolete; ESE ignores it too"},
  {P(CommitDefault), kInt, kAcc, 0, 0, kCommitDefaultMask, 0, 0, nullptr,
   "default commit bits; jetsvc commits durably unless a call asks for lazy flush, which is"
   " at least as safe"},
  {P(CircularLog), kBool, kActs, FI, 0, kU64Max, 0, 0, nullptr,
   "delete log generations the checkpoint has passed"},
  {P(DbExtensionSize), kInt, kActs, A, 1, kI32Max, 256, 16, nullptr,
   "pages added each time a database file grows"},
  {P(PageTempDBMin), kInt, kAcc, A | FI, 0, kI32Max, 0, 14, nullptr,
   "initial size of the temporary database, which grows on demand anyway"},
  {P(PageFragment), kInt, kAcc, A | FI, 0, kI32Max, 8, 8, nullptr,
   "ESE's space allocation granularity; jetsvc's space layer has its own"},
  {P(BatchIOBufferMax), kInt, kAcc, A | G, 0, kU64Max, 256, 256, nullptr,
   "obsolete; ESE ignores it too"},
  {P(CacheSizeMax), kInt, kActs, A | G, 1, kU64Max, 2000000000, 16, nullptr,
   "upper bound of the buffer cache, in pages"},
  {P(CheckpointDepthMax), kInt, kActs, 0, 0, kU64Max, 20971520, 65536, nullptr,
   "bytes of log the checkpoint may lag; the cache flushes to stay within it"},
  {P(LRUKCorrInterval), kInt, kAcc, A | G | F1 | FI, 0, kU64Max, 128000, 128000, nullptr,
   "LRU-K replacement tuning; jetsvc's cache evicts in clock order"},
  {P(LRUKHistoryMax), kInt, kAcc, A | G | F1 | FI, 0, kU64Max, 100000, 10, nullptr,
   "LRU-K replacement tuning; jetsvc's cache evicts in clock order"},
  {P(LRUKPolicy), kInt, kAcc, A | G | F1 | FI, 1, 2, 2, 2, nullptr,
   "LRU-K replacement tuning; jetsvc's cache evicts in clock order"},
  {P(LRUKTimeout), kInt, kAcc, A | G | F1 | FI, 1, kU64Max, 100, 100, nullptr,
   "LRU-K replacement tuning; jetsvc's cache evicts in clock order"},
  {P(LRUKTrxCorrInterval), kInt, kAcc, A | G | F1 | FI, 0, kU64Max, 0, 0, nullptr,
   "obsolete; ESE ignores it too"},
  {P(OutstandingIOMax), kInt, kAcc, A | G | F1 | FI, 0, 65536, 1024, 16, nullptr,
   "I/O queue depth, a performance knob; jetsvc's I/O goes through Env synchronously"},
  {P(StartFlushThreshold), kInt, kAcc, A | G, 0, kU64Max, 20000000, 1, nullptr,
   "clean-page target of ESE's cache; jetsvc flushes for the checkpoint depth and on eviction"},
  {P(StopFlushThreshold), kInt, kAcc, A | G, 0, kU64Max, 40000000, 2, nullptr,
   "clean-page target of ESE's cache; jetsvc flushes for the checkpoint depth and on eviction"},
  {P(Recovery), kStr, kActs, FI, 0, 259, 0, 0, "on",
   "`on` logs and recovers; any other value runs without a log (`LoggingEnabled()`)"},
  {P(EnableOnlineDefrag), kInt, kActs, 0, 0, 0xffff, 0xffff, 0xffff, nullptr,
   "online defragmentation bits; 0 turns JetDefragment into a no-op"},
  {P(CacheSize), kInt, kActs, A | G, 0, kU64Max, 0, 0, nullptr,
   "requested cache size in pages (0: the cache sizes itself); Get should report the real size"},
  {P(CheckFormatWhenOpenFail), kBool, kAcc, FI, 0, kU64Max, 1, 1, nullptr,
   "obsolete; ESE ignores it too"},
  {P(EnableIndexChecking), kInt, kAcc, 0, 0, 2, 1, 1, nullptr,
   "guards Unicode indexes against OS sort-order changes; jetsvc's collation never changes"},
  {P(EnableTempTableVersioning), kBool, kAcc, FI, 0, kU64Max, 1, 1, nullptr,
   "jetsvc always versions temporary tables; 0 would only give up rollback there"},
  {P(IgnoreLogVersion), kBool, kAcc, FI, 0, 0, 0, 0, nullptr,
   "obsolete; ESE ignores it too (and accepts only 0)"},
  {P(DeleteOldLogs), kBool, kAcc, FI, 0, kU64Max, 0, 0, nullptr,
   "obsolete; ESE ignores it too"},
  {P(EventSourceKey), kStr, kAcc, FI, 0, 259, 0, 0, "",
   "event-log registry key; the engine writes no event log"},
  {P(NoInformationEvent), kBool, kActs, FI, 0, kU64Max, 0, 1, nullptr,
   "suppresses informational events; the engine writes none in any case"},
  {P(EventLoggingLevel), kInt, kAcc, FI, 0, 100, 100, 100, nullptr,
   "event-log verbosity; the engine writes no event log"},
  {P(DeleteOutOfRangeLogs), kBool, kAcc, FI, 0, kU64Max, 0, 0, nullptr,
   "jetsvc never deletes logs outside the expected range; JetInit fails on them instead"},
  {P(AccessDeniedRetryPeriod), kInt, kAcc, G, 0, kU64Max, 10000, 10000, nullptr,
   "retry time for Windows sharing violations, which POSIX files do not have"},
  {P(EnableIndexCleanup), kBool, kAcc, 0, 0, kU64Max, 1, 1, nullptr,
   "version cleanup always removes deleted index entries in jetsvc"},
  {P(CacheSizeMin), kInt, kActs, A | G, 1, kU64Max, 1, 16, nullptr,
   "lower bound of the buffer cache, in pages"},
  {P(PreferredVerPages), kInt, kAcc, A, 1, kI32Max, 58, kI32Max, nullptr,
   "a soft version store level for earlier cleanup; MaxVerPages still bounds the store"},
  {P(DatabasePageSize), kBlock, kActs, G | F1 | FI, 4096, 32768, 4096, 4096, nullptr,
   "page size of every database in the process"},
  {P(DisableCallbacks), kBool, kAcc, FI, 0, kU64Max, 0, 0, nullptr,
   "jetsvc runs no callbacks, so disabling them changes nothing"},
  {P(LogFileCreateAsynch), kBool, kAcc, A | FI, 0, kU64Max, 1, 1, nullptr,
   "whether the next log file is prepared in the background, a performance knob"},
  {P(ErrorToString), kStr, kActs, G | RO, 0, 0, 0, 0, "",
   "Get turns the JET_ERR in `*plParam` into text such as `-1003, (0xfffffc15)`"},
  {P(ZeroDatabaseDuringBackup), kBool, kAcc, FI, 0, kU64Max, 0, 0, nullptr,
   "a streaming-backup option; jetsvc has no streaming backup"},
  {P(UnicodeIndexDefault), kPtr, kNo, FI, 0, kU64Max, 0, 0, nullptr,
   "default locale for Unicode indexes; jetsvc's collation is binary"},
  {P(RuntimeCallback), kPtr, kNo, FI, 0, kU64Max, 0, 0, nullptr,
   "runtime callback (JET_CALLBACK); jetsvc makes no callbacks"},
  {P(CleanupMismatchedLogFiles), kBool, kAcc, FI, 0, kU64Max, 0, 0, nullptr,
   "matters only when old logs mismatch the settings; jetsvc then fails JetInit instead of"
   " deleting them"},
  {P(RecordUpgradeDirtyLevel), kInt, kAcc, A | G, 0, 3, 1, 1, nullptr,
   "how eagerly ESE rewrites old-format records; jetsvc has one record format"},
  {P(GlobalMinVerPages), kInt, kAcc, A | G | F1 | FI, 1, kI32Max, 64, 1, nullptr,
   "version store memory reserved up front; jetsvc allocates on demand"},
  {P(OSSnapshotTimeout), kInt, kAcc, G, 0, kI32Max, 70000, 70000, nullptr,
   "shadow-copy snapshot timeout; jetsvc has no snapshot backup"},
  {P(ExceptionAction), kInt, kAcc, G, 0, kU64Max, JET_ExceptionFailFast,
   JET_ExceptionFailFast, nullptr,
   "how Windows exceptions are reported; jetsvc raises none"},
  {P(EventLogCache), kInt, kAcc, G | F1 | FI, 0, kI32Max, 0, 0, nullptr,
   "event-log cache size; the engine writes no event log"},
  {P(CreatePathIfNotExist), kBool, kActs, 0, 0, kU64Max, 0, 0, nullptr,
   "create missing directories of the configured paths"},
  {P(PageHintCacheSize), kInt, kAcc, A | G | F1 | FI, 0, kI32Max, 262144, 32, nullptr,
   "size of ESE's page lookup hint cache, a performance knob"},
  {P(OneDatabasePerSession), kBool, kAcc, FI, 0, kU64Max, 0, 0, nullptr,
   "a restriction, not a feature: without it sessions may simply use several databases"},
  {P(MaxInstances), kInt, kActs, G | F1 | FI, 1, 10240, 16, 16, nullptr,
   "instances per process (JET_errTooManyInstances beyond)"},
  {P(VersionStoreTaskQueueMax), kInt, kAcc, A, 1, 127, 4, 4, nullptr,
   "queue depth of ESE's cleanup tasks, a performance knob"},
  {P(DisablePerfmon), kBool, kAcc, G | F1 | FI, 0, kU64Max, 0, 1, nullptr,
   "jetsvc publishes no performance counters"},
  {P(IndexTuplesLengthMin), kInt, kAcc, FI, 2, 255, 3, 3, nullptr,
   "read only by tuple indexes, which jetsvc does not build"},
  {P(IndexTuplesLengthMax), kInt, kAcc, FI, 2, 255, 10, 10, nullptr,
   "read only by tuple indexes, which jetsvc does not build"},
  {P(IndexTuplesToIndexMax), kInt, kAcc, FI, 1, 32767, 32767, 32767, nullptr,
   "read only by tuple indexes, which jetsvc does not build"},
  {P(AlternateDatabaseRecoveryPath), kStr, kNo, FI, 0, 246, 0, 0, "",
   "redirects recovery to databases in another directory; jetsvc uses the logged paths"},
  {P(CachedClosedTables), kInt, kAcc, A, 0, kI32Max, 64, 64, nullptr,
   "how many closed table definitions stay cached, a performance knob"},
  {P(EnableFileCache), kBool, kAcc, A | G | F1 | FI, 0, kU64Max, 0, 1, nullptr,
   "jetsvc always reads and writes through the OS file cache"},
  {P(EnableViewCache), kBool, kAcc, A | G | F1 | FI, 0, kU64Max, 0, 1, nullptr,
   "memory-mapped reads, a performance knob; jetsvc reads pages into its own cache"},
  {P(VerPageSize), kBlock, kActs, A | G | F1 | FI, 1024, 65536, 32768, 8192, nullptr,
   "bytes per version store bucket (see MaxVerPages); 32 KB is ESE's 64-bit default"},
  {P(Configuration), kInt, kActs, FI, 0, kConfigMask, JET_configDefault,
   JET_configDefault | JET_configLowMemory, nullptr,
   "preset bundles: resets other parameters to ESE's preset values"},
  {P(EnableAdvanced), kBool, kActs, 0, 0, kU64Max, 1, 1, nullptr,
   "0 turns Set of advanced parameters into a silent no-op"},
  {P(MaxColtyp), kInt, kActs, G | RO, 0, kU64Max, JET_coltypMax, JET_coltypMax, nullptr,
   "read-only: one past the largest column type"},
  {P(IndexTupleIncrement), kInt, kAcc, FI, 0, 32767, 1, 1, nullptr,
   "read only by tuple indexes, which jetsvc does not build"},
  {P(IndexTupleStart), kInt, kAcc, 0, 0, 32767, 0, 0, nullptr,
   "read only by tuple indexes, which jetsvc does not build"},
  {P(KeyMost), kInt, kAcc, RO, 0, kU64Max, JET_cbKeyMost4KBytePage, JET_cbKeyMost4KBytePage,
   nullptr, "read-only: ESE's largest key for the page size (1000 at 4 KB, 2000 above)"},
  {P(CheckpointIOMax), kInt, kAcc, A | G, 1, 1024, 1, 1, nullptr,
   "checkpoint write concurrency, a performance knob"},
  {P(LegacyFileNames), kInt, kActs, FI, 0, 255, JET_bitESE98FileNames |
   JET_bitEightDotThreeSoftCompat, JET_bitESE98FileNames | JET_bitEightDotThreeSoftCompat,
   nullptr, ".log/.chk names; a value without JET_bitESE98FileNames is not supported (-1001)"},
#define TABLE_CLASS(n)                                                            \
  {P(TableClass##n##Name), kStr, kAcc, G | F1 | FI, 1, JET_cbNameMost, 0, 0,   \
   "TableClass" #n, "a performance counter class name; jetsvc publishes no counters"}
  TABLE_CLASS(1), TABLE_CLASS(2), TABLE_CLASS(3), TABLE_CLASS(4), TABLE_CLASS(5),
  TABLE_CLASS(6), TABLE_CLASS(7), TABLE_CLASS(8), TABLE_CLASS(9), TABLE_CLASS(10),
  TABLE_CLASS(11), TABLE_CLASS(12), TABLE_CLASS(13), TABLE_CLASS(14), TABLE_CLASS(15),
#undef TABLE_CLASS
  {P(IOPriority), kInt, kAcc, A, 0, 7, 0, 0, nullptr,
   "I/O priority hint; POSIX file I/O has none"},
  {P(WaypointLatency), kInt, kAcc, FI, 0, 1023, 0, 0, nullptr,
   "holds database writes back by log generations; 0 (no hold) is what jetsvc does"},
  {P(EnablePersistedCallbacks), kBool, kAcc, FI, 0, kU64Max, 0, 0, nullptr,
   "jetsvc runs no callbacks stored in databases"},
  {P(DefragmentSequentialBTrees), kBool, kAcc, 0, 0, kU64Max, 1, 1, nullptr,
   "ESE's automatic defrag of sequentially filled trees, a space knob"},
  {P(DefragmentSequentialBTreesDensityCheckFrequency), kInt, kAcc, FI, 0, kU64Max, 10, 10,
   nullptr, "ESE's automatic defrag of sequentially filled trees, a space knob"},
  {P(IOThrottlingTimeQuanta), kInt, kAcc, G | F1 | FI, 1, 10000, 100, 100, nullptr,
   "I/O throttling, a performance knob"},
  {P(LVChunkSizeMost), kInt, kAcc, G | RO, 0, kU64Max, 4014, 4014, nullptr,
   "read-only: ESE's long value chunk size for the page size"},
  {P(MaxCoalesceReadSize), kInt, kAcc, A | G | F1 | FI, 0, 10485760, 524288, 524288, nullptr,
   "I/O coalescing limit, a performance knob"},
  {P(MaxCoalesceWriteSize), kInt, kAcc, A | G | F1 | FI, 0, 10485760, 524288, 524288, nullptr,
   "I/O coalescing limit, a performance knob"},
  {P(MaxCoalesceReadGapSize), kInt, kAcc, A | G | F1 | FI, 0, 10485760, 524288, 524288,
   nullptr, "I/O coalescing limit, a performance knob"},
  {P(MaxCoalesceWriteGapSize), kInt, kAcc, A | G | F1 | FI, 0, 10485760, 524288, 524288,
   nullptr, "I/O coalescing limit, a performance knob"},
  {P(EnableDBScanInRecovery), kInt, kAcc, A, 0, 2, 0, 0, nullptr,
   "background checksum scan; jetsvc verifies the checksum on every page read"},
  {P(DbScanThrottle), kInt, kAcc, A, 0, 60000, 20, 20, nullptr,
   "background checksum scan; jetsvc verifies the checksum on every page read"},
  {P(DbScanIntervalMinSec), kInt, kAcc, A | FI, 0, 1814400, 86400, 86400, nullptr,
   "background checksum scan; jetsvc verifies the checksum on every page read"},
  {P(DbScanIntervalMaxSec), kInt, kAcc, A | FI, 1, 1576800000, 604800, 604800, nullptr,
   "background checksum scan; jetsvc verifies the checksum on every page read"},
  {P(CachePriority), kInt, kAcc, A, 0, 1000, 100, 100, nullptr,
   "per-session cache priority, a performance knob"},
  {P(MaxTransactionSize), kInt, kAcc, A, 1, 100, 100, 100, nullptr,
   "share of the version store one transaction may use; MaxVerPages still bounds the whole"},
  {P(PrereadIOMax), kInt, kAcc, A, 0, 256, 8, 8, nullptr,
   "read-ahead depth, a performance knob"},
  {P(EnableDBScanSerialization), kBool, kAcc, A | FI, 0, 1, 0, 0, nullptr,
   "background checksum scan; jetsvc verifies the checksum on every page read"},
  {P(HungIOThreshold), kInt, kAcc, A | G | F1 | FI, 11000, 1800000, 30000, 30000, nullptr,
   "hung-I/O watchdog, which only reports; jetsvc has none"},
  {P(HungIOActions), kInt, kAcc, A | G | F1 | FI, 0, 0x1f, 1, 1, nullptr,
   "hung-I/O watchdog, which only reports; jetsvc has none"},
  {P(MinDataForXpress), kInt, kAcc, A | G | F1 | FI, 0, kI32Max, 1024, 1024, nullptr,
   "compression threshold; jetsvc stores data uncompressed"},
  {P(EnableShrinkDatabase), kInt, kAcc, FI, 0, 0xffff, 0, 0, nullptr,
   "returning free space to the file system; jetsvc's files only grow"},
  {P(ProcessFriendlyName), kStr, kAcc, G | F1 | FI, 0, JET_cbNameMost, 0, 0, "",
   "name shown in performance counters and events; jetsvc has neither"},
  {P(DurableCommitCallback), kPtr, kNo, A | FI, 0, kU64Max, 0, 0, nullptr,
   "called as commits become durable; jetsvc makes no callbacks"},
  {P(EnableSqm), kInt, kAcc, FI, 0, 2, 1, 1, nullptr,
   "Windows telemetry; ESE ignores it too"},
  {P(ConfigStoreSpec), kStr, kNo, FI, 0, 10000, 0, 0, "",
   "reads parameters from the Windows registry; jetsvc's service has its own config"},
  {P(UseFlushForWriteDurability), kBool, kAcc, A | FI, 0, 1, 1, 1, nullptr,
   "jetsvc always makes writes durable with an explicit flush (fsync)"},
  {P(EnableRBS), kBool, kNo, A, 0, 1, 0, 0, nullptr,
   "revert snapshots, which jetsvc does not implement"},
  {P(RBSFilePath), kStr, kAcc, FI, 0, 246, 0, 0, ".\\",
   "directory for revert snapshots, read only when EnableRBS is on (unsupported)"},
  {P(PerfmonRefreshInterval), kInt, kAcc, G | F1 | FI, 0, 86400000, 100, 100, nullptr,
   "jetsvc publishes no performance counters"},
  {P(EnableBlockCache), kBool, kAcc, A | G | F1, 0, 1, 0, 0, nullptr,
   "ESE's Windows block cache layer; jetsvc reads its files directly"},
  {P(EnableBlockCacheDetach), kBool, kAcc, A | G | F1, 0, 1, 0, 0, nullptr,
   "ESE's Windows block cache layer; jetsvc reads its files directly"},
};
// clang-format on
#undef P

constexpr size_t kParamCount = sizeof(kParams) / sizeof(kParams[0]);

// Ids ascend (so none repeats) and stay below kParamIdLimit.
constexpr bool TableIsSorted() {
  for (size_t i = 1; i < kParamCount; ++i) {
    if (kParams[i - 1].id >= kParams[i].id) return false;
  }
  return kParams[kParamCount - 1].id < kParamIdLimit;
}
static_assert(TableIsSorted(), "kParams must list each id once, in ascending order");
// esent.h declares 132 JET_param* names; JET_paramMaxValueInvalid is not one.
static_assert(kParamCount == 131, "one row per JET_param* id in esent.h");

// id -> row index, or -1.
struct Index {
  std::array<int16_t, kParamIdLimit> row;
  Index() {
    row.fill(-1);
    for (size_t i = 0; i < kParamCount; ++i) row[kParams[i].id] = static_cast<int16_t>(i);
  }
};

const Index& TheIndex() {
  static const Index index;
  return index;
}

// How JET_paramConfiguration presets convert a value (ESE's co* units).
enum class Unit : uint8_t { kNone, kBytesToPages, kPercentOfCacheMax };

struct Preset {
  uint32_t id;
  uint64_t value;
  Unit unit;
};

// ESE's preset tables (jetapi.cxx g_rgJetConfig*). JET_configLowMemory
// instead selects every parameter's small default.
constexpr Preset kRemoveQuotas[] = {
    {JET_paramMaxOpenTables, kI32Max, Unit::kNone},
    {JET_paramMaxCursors, kI32Max, Unit::kNone},
    {JET_paramMaxVerPages, kI32Max, Unit::kNone},
    {JET_paramMaxTemporaryTables, kI32Max, Unit::kNone},
    {JET_paramPreferredVerPages, kI32Max, Unit::kNone},
    {JET_paramMaxSessions, 30000, Unit::kNone},
};
constexpr Preset kLowDiskFootprint[] = {
    {JET_paramDbExtensionSize, 16, Unit::kNone},
    {JET_paramPageTempDBMin, 14, Unit::kNone},
    {JET_paramCircularLog, 1, Unit::kNone},
    {JET_paramLogFileSize, 64, Unit::kNone},
    {JET_paramCheckpointDepthMax, 512 * 1024, Unit::kNone},
};
constexpr Preset kMediumDiskFootprint[] = {
    {JET_paramDbExtensionSize, 512 * 1024, Unit::kBytesToPages},
    {JET_paramPageTempDBMin, 30, Unit::kNone},
    {JET_paramCircularLog, 1, Unit::kNone},
    {JET_paramLogFileSize, 512, Unit::kNone},
    {JET_paramCheckpointDepthMax, 4 * 1024 * 1024, Unit::kNone},
};
constexpr Preset kDynamicMediumMemory[] = {
    {JET_paramMaxInstances, 1, Unit::kNone},
    {JET_paramLogBuffers, 512, Unit::kNone},
    {JET_paramPageHintCacheSize, 64, Unit::kNone},
    {JET_paramEnableFileCache, 1, Unit::kNone},
    {JET_paramEnableViewCache, 1, Unit::kNone},
    {JET_paramCacheSizeMin, 128 * 1024, Unit::kBytesToPages},
    {JET_paramCacheSizeMax, 5 * 1024 * 1024, Unit::kBytesToPages},
    {JET_paramStartFlushThreshold, 2, Unit::kPercentOfCacheMax},
    {JET_paramStopFlushThreshold, 3, Unit::kPercentOfCacheMax},
    {JET_paramLRUKHistoryMax, 1000, Unit::kNone},
    {JET_paramGlobalMinVerPages, 1, Unit::kNone},
    {JET_paramVerPageSize, 8192, Unit::kNone},
    {JET_paramOutstandingIOMax, 48, Unit::kNone},
};
constexpr Preset kSsdProfileIo[] = {
    {JET_paramMaxCoalesceReadSize, 256 * 1024, Unit::kNone},
    {JET_paramMaxCoalesceWriteSize, 256 * 1024, Unit::kNone},
    {JET_paramMaxCoalesceWriteGapSize, 0, Unit::kNone},
    {JET_paramOutstandingIOMax, 16, Unit::kNone},
    {JET_paramPrereadIOMax, 5, Unit::kNone},
};
constexpr Preset kRunSilent[] = {
    {JET_paramNoInformationEvent, 1, Unit::kNone},
    {JET_paramEventLoggingLevel, JET_EventLoggingDisable, Unit::kNone},
    {JET_paramDisablePerfmon, 1, Unit::kNone},
};

bool IsFrozen(const ParamSpec& spec, ParamState state) {
  if ((spec.flags & kParamFrozenAfterGlobalInit) && state != ParamState::kBeforeFirstInstance) {
    return true;
  }
  return (spec.flags & kParamFrozenAfterInit) && state == ParamState::kInstanceInitialized;
}

Status AlreadyInitialized(const ParamSpec& spec, ParamState state) {
  const char* when = state == ParamState::kInstanceInitialized
                         ? "after the instance is initialized"
                         : "once an instance exists";
  return Status::FromCode(JET_errAlreadyInitialized,
                          std::string(spec.name) + " cannot change " + when);
}

Status OutOfRange(const ParamSpec& spec, uint64_t value) {
  return Status::InvalidParameter(std::string(spec.name) + " value " + std::to_string(value) +
                                  " is outside [" + std::to_string(spec.min) + ", " +
                                  std::to_string(spec.max) + "]");
}

Status Unsupported(const ParamSpec& spec) {
  return Status::NotSupported(std::string(spec.name) +
                              " is not supported by jetsvc; only its default is accepted");
}

// Copies `text` and its NUL into `buffer` as JetGetSystemParameter does.
Status CopyOut(std::string_view text, char* buffer, unsigned long cb_max) {
  if (buffer == nullptr || cb_max < 1) {
    return Status::InvalidParameter("a string parameter needs a buffer");
  }
  if (text.size() + 1 > cb_max) {
    return Status::FromCode(JET_errBufferTooSmall,
                            "the value needs " + std::to_string(text.size() + 1) + " bytes");
  }
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  return Status::OK();
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

const char* SupportLevelName(SupportLevel level) {
  switch (level) {
    case SupportLevel::kActs:
      return "acts";
    case SupportLevel::kAccepted:
      return "accepted";
    case SupportLevel::kUnsupported:
      return "unsupported";
  }
  return "?";
}

// ---- the table --------------------------------------------------------------

const ParamSpec* ParamValues::Spec(uint32_t id) {
  if (id >= kParamIdLimit) return nullptr;
  const int row = TheIndex().row[id];
  return row < 0 ? nullptr : &kParams[row];
}

std::vector<uint32_t> ParamValues::AllIds() {
  std::vector<uint32_t> ids;
  ids.reserve(kParamCount);
  for (const ParamSpec& spec : kParams) ids.push_back(spec.id);
  return ids;
}

bool ParamValues::IsGlobal(uint32_t id) {
  const ParamSpec* spec = Spec(id);
  return spec != nullptr && (spec->flags & kParamGlobal) != 0;
}

bool ParamValues::FrozenAfterInit(uint32_t id) {
  const ParamSpec* spec = Spec(id);
  return spec != nullptr &&
         (spec->flags & (kParamFrozenAfterInit | kParamFrozenAfterGlobalInit)) != 0;
}

SupportLevel ParamValues::Support(uint32_t id) {
  const ParamSpec* spec = Spec(id);
  return spec == nullptr ? SupportLevel::kUnsupported : spec->support;
}

// ---- values -----------------------------------------------------------------

ParamValues::ParamValues() = default;

ParamValues ParamValues::Defaults() {
  ParamValues values;
  for (const ParamSpec& spec : kParams) {
    if (spec.type == ParamType::kString) {
      values.strings_[spec.id] = spec.default_string;
    } else {
      values.integers_[spec.id] = spec.default_value;
    }
  }
  values.config_ = JET_configDefault;
  values.RefreshDerived();
  values.AssertValid();
  return values;
}

uint64_t ParamValues::Integer(uint32_t id) const {
  assert(Spec(id) != nullptr && Spec(id)->type != ParamType::kString);
  return integers_[id];
}

const std::string& ParamValues::String(uint32_t id) const {
  assert(Spec(id) != nullptr && Spec(id)->type == ParamType::kString);
  return strings_[id];
}

bool ParamValues::LoggingEnabled() const {
  const std::string& recovery = strings_[JET_paramRecovery];
  return EqualsIgnoringCase(recovery, "on") || EqualsIgnoringCase(recovery, "repair");
}

void ParamValues::RefreshDerived() {
  const uint64_t page = integers_[JET_paramDatabasePageSize];
  uint64_t key_most = JET_cbKeyMost4KBytePage;
  uint64_t chunk = 4014;  // page - (42-byte chunk overhead + 40-byte page header)
  if (page == 8192) {
    key_most = JET_cbKeyMost8KBytePage;
    chunk = 8110;
  } else if (page == 16384) {
    key_most = JET_cbKeyMost16KBytePage;
    chunk = 4050;  // ESE's large-page chunk sizes: four chunks per page
  } else if (page == 32768) {
    key_most = JET_cbKeyMost32KBytePage;
    chunk = 8150;
  }
  integers_[JET_paramKeyMost] = key_most;
  integers_[JET_paramLVChunkSizeMost] = chunk;
}

Status ParamValues::Set(uint32_t id, uint64_t integer, const char* str, ParamState state) {
  const ParamSpec* spec = Spec(id);
  if (spec == nullptr) {
    return Status::InvalidParameter("unknown system parameter id " + std::to_string(id));
  }
  if (spec->flags & kParamReadOnly) {
    return Status::InvalidParameter(std::string(spec->name) + " is read-only");
  }
  if ((spec->flags & kParamAdvanced) && integers_[JET_paramEnableAdvanced] == 0) {
    return Status::OK();  // ESE ignores advanced parameters then
  }
  if (id == JET_paramConfiguration) return SetConfiguration(integer, state);

  if (spec->type == ParamType::kString) {
    // No "unchanged" shortcut: ESE compares string pointers, never contents.
    if (IsFrozen(*spec, state)) return AlreadyInitialized(*spec, state);
    const std::string_view text = str != nullptr ? str : "";
    if (text.size() < spec->min || text.size() > spec->max) {
      return Status::InvalidParameter(std::string(spec->name) + " must have " +
                                      std::to_string(spec->min) + " to " +
                                      std::to_string(spec->max) + " characters, not " +
                                      std::to_string(text.size()));
    }
    if (spec->support == SupportLevel::kUnsupported && text != spec->default_string) {
      return Unsupported(*spec);
    }
    strings_[id].assign(text);
    return Status::OK();
  }

  // ESE validates the shrink bits before anything else; values past the
  // range still get the range error below.
  const bool shrink_bits_bad =
      (integer & ~kShrinkMask) != 0 || (integer != 0 && (integer & JET_bitShrinkDatabaseOn) == 0);
  if (id == JET_paramEnableShrinkDatabase && integer <= spec->max && shrink_bits_bad) {
    return Status::FromCode(JET_errInvalidGrbit,
                            "JET_paramEnableShrinkDatabase: unknown bits, or bits without "
                            "JET_bitShrinkDatabaseOn");
  }
  if (integer == integers_[id]) return Status::OK();
  if (IsFrozen(*spec, state)) return AlreadyInitialized(*spec, state);
  if (integer < spec->min || integer > spec->max) return OutOfRange(*spec, integer);
  if (spec->type == ParamType::kBlockSize && (integer & (integer - 1)) != 0) {
    return Status::InvalidParameter(std::string(spec->name) + " must be a power of two");
  }
  if (id == JET_paramCommitDefault && (integer & ~kCommitDefaultMask) != 0) {
    return Status::InvalidParameter("JET_paramCommitDefault: unknown commit bits");
  }
  const uint64_t value = spec->type == ParamType::kBoolean ? (integer != 0 ? 1 : 0) : integer;
  if (spec->support == SupportLevel::kUnsupported && value != spec->default_value) {
    return Unsupported(*spec);
  }
  if (id == JET_paramLegacyFileNames && (value & JET_bitESE98FileNames) == 0) {
    return Status::NotSupported(
        "JET_paramLegacyFileNames: jetsvc always uses the .log/.chk names "
        "(JET_bitESE98FileNames)");
  }
  integers_[id] = value;
  if (id == JET_paramDatabasePageSize) RefreshDerived();
  return Status::OK();
}

void ParamValues::Reset(uint32_t id, uint64_t value, ParamState state) {
  const ParamSpec* spec = Spec(id);
  assert(spec != nullptr);
  if (spec->flags & kParamReadOnly) return;
  if (state == ParamState::kInstanceNotInitialized && (spec->flags & kParamGlobal)) return;
  if (IsFrozen(*spec, state)) return;  // ESE's Reset fails and the caller ignores it
  if (spec->type == ParamType::kString) {
    strings_[id] = spec->default_string;
  } else {
    integers_[id] = value;
  }
}

// ESE's SetConfiguration: 0 is the legacy "small" configuration, 1 the
// legacy default; other values are JET_config* bits, cumulative unless
// JET_configDefault is among them.
Status ParamValues::SetConfiguration(uint64_t value, ParamState state) {
  const ParamSpec& spec = *Spec(JET_paramConfiguration);
  if (state == ParamState::kAfterFirstInstance || state == ParamState::kInstanceInitialized) {
    return AlreadyInitialized(spec, state);
  }
  if (value > spec.max) return OutOfRange(spec, value);

  const bool legacy_small = value == 0;
  uint64_t apply;  // the presets to install now
  uint64_t final_config;
  if (legacy_small) {
    apply = JET_configDefault | JET_configLowDiskFootprint | JET_configLowMemory |
            JET_configRemoveQuotas;
    final_config = apply;
  } else if (value == JET_configDefault) {
    apply = JET_configDefault;
    final_config = apply;
  } else {
    apply = value;
    final_config = (value & JET_configDefault) ? JET_configDefault : config_;
    final_config |= value & ~uint64_t{JET_configDefault};
  }
  integers_[JET_paramConfiguration] = legacy_small ? 0 : final_config;
  config_ = final_config;

  if ((apply & JET_configDefault) || legacy_small) {
    for (const ParamSpec& p : kParams) {
      if (p.id == JET_paramConfiguration) continue;
      Reset(p.id, legacy_small ? p.small_default : p.default_value, state);
    }
  }
  const auto install = [this, state](const Preset* presets, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      const Preset& preset = presets[i];
      const uint64_t page = integers_[JET_paramDatabasePageSize];
      uint64_t v = preset.value;
      if (preset.unit == Unit::kBytesToPages) {
        v /= page;
      } else if (preset.unit == Unit::kPercentOfCacheMax) {
        const uint64_t cache_max = integers_[JET_paramCacheSizeMax];
        v = cache_max * v / 100;
        if (cache_max <= 100) {
          v = std::max<uint64_t>(v, preset.id == JET_paramStartFlushThreshold ? 1 : 2);
        }
      }
      if (preset.id == JET_paramLogFileSize && page == 32768 && v == 64) v = 128;
      Reset(preset.id, v, state);
    }
  };
#define INSTALL(table) install(table, sizeof(table) / sizeof(table[0]))
  if ((apply & JET_configLowDiskFootprint) && !legacy_small) INSTALL(kLowDiskFootprint);
  if (apply & JET_configMediumDiskFootprint) INSTALL(kMediumDiskFootprint);
  if ((apply & JET_configLowMemory) && !legacy_small) {
    for (const ParamSpec& p : kParams) {
      if (p.id != JET_paramConfiguration && p.small_default != p.default_value) {
        Reset(p.id, p.small_default, state);
      }
    }
  }
  if (apply & JET_configDynamicMediumMemory) INSTALL(kDynamicMediumMemory);
  if (apply & JET_configSSDProfileIO) INSTALL(kSsdProfileIo);
  if (apply & JET_configRemoveQuotas) INSTALL(kRemoveQuotas);
  if (apply & JET_configRunSilent) INSTALL(kRunSilent);
#undef INSTALL
  // LowPower, UnthrottledMemory and HighConcurrencyScaling change no
  // parameter in ESE either.
  RefreshDerived();
  AssertValid();
  return Status::OK();
}

Status ParamValues::Get(uint32_t id, uint64_t* integer, char* buffer,
                        unsigned long cb_max) const {
  const ParamSpec* spec = Spec(id);
  if (spec == nullptr) {
    return Status::InvalidParameter("unknown system parameter id " + std::to_string(id));
  }
  if (id == JET_paramErrorToString) {
    if (integer == nullptr) {
      return Status::InvalidParameter("JET_paramErrorToString needs the error in *plParam");
    }
    // ESE reads a JET_ERR (32 bits) from the start of *plParam.
    const int32_t err = static_cast<int32_t>(static_cast<uint32_t>(*integer));
    char text[40];
    std::snprintf(text, sizeof(text), "%d, (0x%08x)", static_cast<int>(err),
                  static_cast<unsigned>(static_cast<uint32_t>(err)));
    return CopyOut(text, buffer, cb_max);
  }
  if (id == JET_paramUnicodeIndexDefault) return Unsupported(*spec);
  if (spec->type == ParamType::kString) return CopyOut(strings_[id], buffer, cb_max);
  if (integer == nullptr) {
    return Status::InvalidParameter(std::string(spec->name) + " needs plParam");
  }
  *integer = integers_[id];
  return Status::OK();
}

void ParamValues::AssertValid() const {
#ifndef NDEBUG
  for (const ParamSpec& spec : kParams) {
    if (spec.type == ParamType::kString) {
      const size_t length = strings_[spec.id].size();
      assert(spec.id == JET_paramErrorToString || (length >= spec.min && length <= spec.max));
      continue;
    }
    const uint64_t value = integers_[spec.id];
    if (spec.flags & kParamReadOnly) continue;
    if (spec.id == JET_paramConfiguration) {
      assert(value <= kConfigMask);
      continue;
    }
    assert(value >= spec.min && value <= spec.max);
    if (spec.type == ParamType::kBoolean) assert(value <= 1);
    if (spec.type == ParamType::kBlockSize) assert((value & (value - 1)) == 0);
  }
  assert((config_ & ~kConfigMask) == 0);
  const uint64_t page = integers_[JET_paramDatabasePageSize];
  assert(integers_[JET_paramKeyMost] == (page == 4096 ? 1000u : 2000u));
#endif
}

// ---- PARAMS.md -----------------------------------------------------------------

namespace {

std::string Number(uint64_t value) {
  if (value == kU64Max) return "2^64-1";
  if (value >= 0x100 && (value & (value + 1)) == 0) {  // 0xff, 0xffff, 0x7ff, ...
    char hex[24];
    std::snprintf(hex, sizeof(hex), "0x%llx", static_cast<unsigned long long>(value));
    return hex;
  }
  return std::to_string(value);
}

const char* TypeName(ParamType type) {
  switch (type) {
    case ParamType::kInteger:
      return "integer";
    case ParamType::kBoolean:
      return "boolean";
    case ParamType::kBlockSize:
      return "block size";
    case ParamType::kString:
      return "string";
    case ParamType::kPointer:
      return "pointer";
  }
  return "?";
}

}  // namespace

std::string ParamsMarkdown() {
  size_t counts[3] = {0, 0, 0};
  for (const ParamSpec& spec : kParams) ++counts[static_cast<int>(spec.support)];
  std::string out;
  out += "# System parameters\n\n";
  out +=
      "Generated from the table in `engine/instance/params.cc` by `ParamsMarkdown()`; do not\n"
      "edit by hand. `params_test` fails when this file is stale; run it with\n"
      "`JETSVC_UPDATE_GOLDEN=1` to rewrite it.\n\n";
  out += "Every `JET_param*` id in `esent.h` (" + std::to_string(kParamCount) +
         " parameters) with ESE's legacy default, its range and jetsvc's support:\n\n";
  out += "- **acts** (" + std::to_string(counts[0]) +
         "): the engine reads the value and behaves as ESE does.\n";
  out += "- **accepted** (" + std::to_string(counts[1]) +
         "): stored and returned, no effect; the note says why that is harmless.\n";
  out += "- **unsupported** (" + std::to_string(counts[2]) +
         "): setting anything but the default gives `JET_errFeatureNotAvailable` (-1001);\n"
         "  Get returns the default.\n\n";
  out +=
      "Ids esent.h does not declare give `JET_errInvalidParameter` (-1003) on Set and Get.\n"
      "Out-of-range values give -1003; changing a frozen parameter gives\n"
      "`JET_errAlreadyInitialized` (-1030) unless an integer value is unchanged (strings\n"
      "always fail, as in ESE, which compares them by pointer).\n\n";
  out +=
      "Flags: **G** global (one process-wide value), **F1** frozen once any instance exists,\n"
      "**FI** frozen once the instance is initialized, **A** advanced (ignored while\n"
      "`JET_paramEnableAdvanced` is 0), **RO** read-only. Ranges of strings are lengths.\n\n";
  out += "| id | parameter | type | default | range | flags | support | note |\n";
  out += "|---:|---|---|---|---|---|---|---|\n";
  for (const ParamSpec& spec : kParams) {
    std::string flags;
    const auto add = [&flags](const char* flag) {
      if (!flags.empty()) flags += " ";
      flags += flag;
    };
    if (spec.flags & kParamGlobal) add("G");
    if (spec.flags & kParamFrozenAfterGlobalInit) add("F1");
    if (spec.flags & kParamFrozenAfterInit) add("FI");
    if (spec.flags & kParamAdvanced) add("A");
    if (spec.flags & kParamReadOnly) add("RO");
    std::string default_text = Number(spec.default_value);
    if (spec.type == ParamType::kString) {
      default_text = *spec.default_string == '\0' ? std::string("(empty)")
                                                  : "`" + std::string(spec.default_string) + "`";
    }
    const std::string range = (spec.flags & kParamReadOnly)
                                  ? std::string("-")
                                  : Number(spec.min) + ".." + Number(spec.max);
    out += "| " + std::to_string(spec.id) + " | `" + spec.name + "` | " + TypeName(spec.type) +
           " | " + default_text + " | " + range + " | " + flags + " | " +
           SupportLevelName(spec.support) + " | " + spec.note + " |\n";
  }
  return out;
}

}  // namespace jetsvc

// Tests of the system parameter table and value store (engine/instance/params.h).

#include "engine/instance/params.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "esent.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
constexpr ParamState kBefore = ParamState::kBeforeFirstInstance;
constexpr ParamState kAfterFirst = ParamState::kAfterFirstInstance;
constexpr ParamState kCreated = ParamState::kInstanceNotInitialized;
constexpr ParamState kInitialized = ParamState::kInstanceInitialized;

// Every JET_param* id esent.h declares, copied by hand (JET_paramMaxValueInvalid
// is a bound, not a parameter).
#define ID(name) {JET_param##name, "JET_param" #name}
const std::vector<std::pair<uint32_t, std::string>> kDeclared = {
    ID(SystemPath), ID(TempPath), ID(LogFilePath), ID(BaseName), ID(EventSource),
    ID(MaxSessions), ID(MaxOpenTables), ID(PreferredMaxOpenTables), ID(CachedClosedTables),
    ID(MaxCursors), ID(MaxVerPages), ID(PreferredVerPages), ID(GlobalMinVerPages),
    ID(VersionStoreTaskQueueMax), ID(MaxTemporaryTables),
    ID(LogFileSize), ID(LogBuffers), ID(WaitLogFlush), ID(LogCheckpointPeriod),
    ID(LogWaitingUserMax), ID(CommitDefault), ID(CircularLog), ID(DbExtensionSize),
    ID(PageTempDBMin), ID(PageFragment),
    ID(EnableFileCache), ID(VerPageSize), ID(Configuration), ID(EnableAdvanced), ID(MaxColtyp),
    ID(BatchIOBufferMax), ID(CacheSize), ID(CacheSizeMin), ID(CacheSizeMax),
    ID(CheckpointDepthMax), ID(LRUKCorrInterval), ID(LRUKHistoryMax), ID(LRUKPolicy),
    ID(LRUKTimeout), ID(LRUKTrxCorrInterval), ID(OutstandingIOMax), ID(StartFlushThreshold),
    ID(StopFlushThreshold), ID(EnableViewCache), ID(CheckpointIOMax),
    ID(TableClass1Name), ID(TableClass2Name), ID(TableClass3Name), ID(TableClass4Name),
    ID(TableClass5Name), ID(TableClass6Name), ID(TableClass7Name), ID(TableClass8Name),
    ID(TableClass9Name), ID(TableClass10Name), ID(TableClass11Name), ID(TableClass12Name),
    ID(TableClass13Name), ID(TableClass14Name), ID(TableClass15Name),
    ID(IOPriority), ID(Recovery), ID(EnableOnlineDefrag),
    ID(CheckFormatWhenOpenFail), ID(EnableTempTableVersioning), ID(IgnoreLogVersion),
    ID(DeleteOldLogs), ID(EventSourceKey), ID(NoInformationEvent), ID(EventLoggingLevel),
    ID(DeleteOutOfRangeLogs), ID(AccessDeniedRetryPeriod),
    ID(EnableIndexChecking), ID(EnableIndexCleanup), ID(DatabasePageSize),
    ID(DisableCallbacks),
    ID(LogFileCreateAsynch), ID(ErrorToString), ID(ZeroDatabaseDuringBackup),
    ID(UnicodeIndexDefault), ID(RuntimeCallback), ID(CleanupMismatchedLogFiles),
    ID(RecordUpgradeDirtyLevel), ID(OSSnapshotTimeout),
    ID(ExceptionAction), ID(EventLogCache), ID(CreatePathIfNotExist), ID(PageHintCacheSize),
    ID(OneDatabasePerSession), ID(MaxInstances), ID(DisablePerfmon),
    ID(IndexTuplesLengthMin), ID(IndexTuplesLengthMax), ID(IndexTuplesToIndexMax),
    ID(AlternateDatabaseRecoveryPath),
    ID(IndexTupleIncrement), ID(IndexTupleStart), ID(KeyMost), ID(LegacyFileNames),
    ID(EnablePersistedCallbacks), ID(WaypointLatency), ID(DefragmentSequentialBTrees),
    ID(DefragmentSequentialBTreesDensityCheckFrequency), ID(IOThrottlingTimeQuanta),
    ID(LVChunkSizeMost), ID(MaxCoalesceReadSize), ID(MaxCoalesceWriteSize),
    ID(MaxCoalesceReadGapSize), ID(MaxCoalesceWriteGapSize), ID(EnableDBScanInRecovery),
    ID(DbScanThrottle), ID(DbScanIntervalMinSec), ID(DbScanIntervalMaxSec),
    ID(CachePriority), ID(MaxTransactionSize), ID(PrereadIOMax),
    ID(EnableDBScanSerialization), ID(HungIOThreshold), ID(HungIOActions),
    ID(MinDataForXpress), ID(EnableShrinkDatabase), ID(ProcessFriendlyName),
    ID(DurableCommitCallback), ID(EnableSqm), ID(ConfigStoreSpec),
    ID(UseFlushForWriteDurability), ID(EnableRBS), ID(RBSFilePath),
    ID(PerfmonRefreshInterval), ID(EnableBlockCache), ID(EnableBlockCacheDetach),
};
#undef ID

class ParamsTest : public ::testing::Test {
 protected:
  ParamValues values_ = ParamValues::Defaults();

  std::string GetString(uint32_t id) {
    char buffer[512];
    EXPECT_OK(values_.Get(id, nullptr, buffer, sizeof(buffer)));
    return buffer;
  }
};

// What Set must return for an in-range value on fresh defaults.
int32_t ExpectedForInRange(const ParamSpec& spec, uint64_t value) {
  const uint64_t stored = spec.type == ParamType::kBoolean ? (value != 0) : value;
  if (spec.support == SupportLevel::kUnsupported && stored != spec.default_value) {
    return JET_errFeatureNotAvailable;
  }
  if (spec.id == JET_paramLegacyFileNames && (value & JET_bitESE98FileNames) == 0) {
    return JET_errFeatureNotAvailable;
  }
  if (spec.id == JET_paramEnableShrinkDatabase && value == 0xffff) return JET_errInvalidGrbit;
  return JET_errSuccess;
}

// ---- the table ----------------------------------------------------------------

TEST_F(ParamsTest, EveryIdDeclaredInEsentHIsInTheTableOnce) {
  std::set<uint32_t> declared;
  for (const auto& [id, name] : kDeclared) {
    EXPECT_TRUE(declared.insert(id).second) << name << " listed twice";
    const ParamSpec* spec = ParamValues::Spec(id);
    ASSERT_NE(nullptr, spec) << name << " is missing";
    EXPECT_EQ(id, spec->id);
    EXPECT_STREQ(name.c_str(), spec->name);
  }
  EXPECT_EQ(131u, declared.size());
  const std::vector<uint32_t> all = ParamValues::AllIds();
  EXPECT_EQ(std::vector<uint32_t>(declared.begin(), declared.end()), all)
      << "AllIds() must list each declared id once, ascending";
  for (uint32_t id = 0; id < kParamIdLimit + 10; ++id) {
    EXPECT_EQ(declared.count(id) == 1, ParamValues::Spec(id) != nullptr) << "id " << id;
  }
}

TEST_F(ParamsTest, EveryRowIsConsistent) {
  for (uint32_t id : ParamValues::AllIds()) {
    const ParamSpec& spec = *ParamValues::Spec(id);
    SCOPED_TRACE(spec.name);
    EXPECT_EQ(0, std::strncmp(spec.name, "JET_param", 9));
    ASSERT_NE(nullptr, spec.note);
    EXPECT_GT(std::strlen(spec.note), 10u);
    EXPECT_LE(spec.min, spec.max);
    if (spec.type == ParamType::kString) {
      ASSERT_NE(nullptr, spec.default_string);
    } else {
      EXPECT_EQ(nullptr, spec.default_string);
      if (!(spec.flags & kParamReadOnly)) {
        EXPECT_GE(spec.default_value, spec.min);
        EXPECT_LE(spec.default_value, spec.max);
        EXPECT_GE(spec.small_default, spec.min);
        EXPECT_LE(spec.small_default, spec.max);
      }
    }
  }
}

TEST_F(ParamsTest, UnknownIdsAreInvalidParameter) {
  for (uint32_t id : {21u, 33u, 36u, 185u, 219u, 221u, 1000u, 0xffffffffu}) {
    uint64_t integer = 0;
    char buffer[16];
    EXPECT_TRUE(values_.Set(id, 1, "x", kBefore).IsCode(JET_errInvalidParameter)) << id;
    EXPECT_TRUE(values_.Get(id, &integer, buffer, sizeof(buffer)).IsCode(JET_errInvalidParameter))
        << id;
    EXPECT_EQ(SupportLevel::kUnsupported, ParamValues::Support(id));
    EXPECT_FALSE(ParamValues::IsGlobal(id));
    EXPECT_FALSE(ParamValues::FrozenAfterInit(id));
  }
}

TEST_F(ParamsTest, RequiredParamsAreImplemented) {
  for (uint32_t id : {JET_paramSystemPath, JET_paramTempPath, JET_paramLogFilePath,
                      JET_paramBaseName, JET_paramMaxSessions, JET_paramMaxOpenTables,
                      JET_paramMaxCursors, JET_paramMaxVerPages, JET_paramVerPageSize,
                      JET_paramMaxTemporaryTables, JET_paramLogFileSize, JET_paramLogBuffers,
                      JET_paramCircularLog, JET_paramDbExtensionSize,
                      JET_paramCheckpointDepthMax, JET_paramRecovery,
                      JET_paramEnableOnlineDefrag, JET_paramDatabasePageSize,
                      JET_paramMaxInstances, JET_paramCacheSizeMax, JET_paramCacheSizeMin,
                      JET_paramCacheSize, JET_paramCreatePathIfNotExist,
                      JET_paramLegacyFileNames, JET_paramNoInformationEvent,
                      JET_paramEventSource}) {
    EXPECT_EQ(SupportLevel::kActs, ParamValues::Support(id)) << ParamValues::Spec(id)->name;
  }
}

TEST_F(ParamsTest, ProcessWideParamsAreGlobal) {
  for (uint32_t id : {JET_paramDatabasePageSize, JET_paramMaxInstances, JET_paramCacheSizeMax,
                      JET_paramCacheSizeMin, JET_paramCacheSize, JET_paramVerPageSize}) {
    EXPECT_TRUE(ParamValues::IsGlobal(id)) << ParamValues::Spec(id)->name;
  }
  for (uint32_t id : {JET_paramLogFileSize, JET_paramSystemPath, JET_paramMaxSessions,
                      JET_paramCheckpointDepthMax, JET_paramCircularLog}) {
    EXPECT_FALSE(ParamValues::IsGlobal(id)) << ParamValues::Spec(id)->name;
  }
}

// ---- defaults -------------------------------------------------------------------

TEST_F(ParamsTest, DefaultsMatchTheReference) {
  EXPECT_EQ(".\\", values_.String(JET_paramSystemPath));
  EXPECT_EQ("tmp.edb", values_.String(JET_paramTempPath));
  EXPECT_EQ(".\\", values_.String(JET_paramLogFilePath));
  EXPECT_EQ("edb", values_.String(JET_paramBaseName));
  EXPECT_EQ(16u, values_.Integer(JET_paramMaxSessions));
  EXPECT_EQ(300u, values_.Integer(JET_paramMaxOpenTables));
  EXPECT_EQ(1024u, values_.Integer(JET_paramMaxCursors));
  EXPECT_EQ(20u, values_.Integer(JET_paramMaxTemporaryTables));
  EXPECT_EQ(64u, values_.Integer(JET_paramMaxVerPages));
  EXPECT_EQ(32768u, values_.Integer(JET_paramVerPageSize));  // 64-bit
  EXPECT_EQ(5120u, values_.Integer(JET_paramLogFileSize));
  EXPECT_EQ(126u, values_.Integer(JET_paramLogBuffers));
  EXPECT_EQ(0u, values_.Integer(JET_paramCircularLog));
  EXPECT_EQ(256u, values_.Integer(JET_paramDbExtensionSize));
  EXPECT_EQ(20971520u, values_.Integer(JET_paramCheckpointDepthMax));
  EXPECT_EQ("on", values_.String(JET_paramRecovery));
  EXPECT_EQ(0xffffu, values_.Integer(JET_paramEnableOnlineDefrag));
  EXPECT_EQ(4096u, values_.Integer(JET_paramDatabasePageSize));
  EXPECT_EQ(16u, values_.Integer(JET_paramMaxInstances));
}

TEST_F(ParamsTest, OtherDefaultsAreEseLegacyValues) {
  EXPECT_EQ(2000000000u, values_.Integer(JET_paramCacheSizeMax));
  EXPECT_EQ(1u, values_.Integer(JET_paramCacheSizeMin));
  EXPECT_EQ(1u, values_.Integer(JET_paramConfiguration));
  EXPECT_EQ(1u, values_.Integer(JET_paramEnableAdvanced));
  EXPECT_EQ(uint64_t{JET_bitESE98FileNames | JET_bitEightDotThreeSoftCompat},
            values_.Integer(JET_paramLegacyFileNames));
  EXPECT_EQ(uint64_t{JET_coltypMax}, values_.Integer(JET_paramMaxColtyp));
  EXPECT_EQ(1000u, values_.Integer(JET_paramKeyMost));
  EXPECT_EQ(4014u, values_.Integer(JET_paramLVChunkSizeMost));
  EXPECT_EQ(0u, values_.Integer(JET_paramCreatePathIfNotExist));
  EXPECT_EQ("", values_.String(JET_paramEventSource));
  EXPECT_EQ("TableClass7", values_.String(JET_paramTableClass7Name));
  EXPECT_TRUE(values_.LoggingEnabled());
  values_.AssertValid();
}

TEST_F(ParamsTest, GetReturnsDefaults) {
  uint64_t integer = 0;
  ASSERT_OK(values_.Get(JET_paramLogFileSize, &integer, nullptr, 0));
  EXPECT_EQ(5120u, integer);
  EXPECT_EQ("edb", GetString(JET_paramBaseName));
  EXPECT_EQ(".\\", GetString(JET_paramSystemPath));
}

// ---- ranges -------------------------------------------------------------------------

TEST_F(ParamsTest, IntegerRangeEndsAreAcceptedAndTheirNeighboursRejected) {
  int checked = 0;
  for (uint32_t id : ParamValues::AllIds()) {
    const ParamSpec& spec = *ParamValues::Spec(id);
    if (spec.type == ParamType::kString || (spec.flags & kParamReadOnly)) continue;
    SCOPED_TRACE(spec.name);
    for (uint64_t end : {spec.min, spec.max}) {
      ParamValues values = ParamValues::Defaults();
      const int32_t expected = ExpectedForInRange(spec, end);
      EXPECT_EQ(expected, values.Set(id, end, nullptr, kBefore).code()) << "value " << end;
      if (expected == JET_errSuccess) {
        const uint64_t stored = spec.type == ParamType::kBoolean ? (end != 0) : end;
        EXPECT_EQ(stored, values.Integer(id));
      }
      values.AssertValid();
    }
    if (spec.min > 0) {
      ParamValues values = ParamValues::Defaults();
      EXPECT_TRUE(values.Set(id, spec.min - 1, nullptr, kBefore).IsCode(JET_errInvalidParameter));
      EXPECT_EQ(spec.default_value, values.Integer(id));
      ++checked;
    }
    if (spec.max < kU64Max) {
      ParamValues values = ParamValues::Defaults();
      EXPECT_TRUE(values.Set(id, spec.max + 1, nullptr, kBefore).IsCode(JET_errInvalidParameter));
      EXPECT_EQ(spec.default_value, values.Integer(id));
      ++checked;
    }
  }
  EXPECT_GT(checked, 80);  // the loop really ran over the finite ranges
}

TEST_F(ParamsTest, BlockSizesMustBePowersOfTwo) {
  EXPECT_OK(values_.Set(JET_paramDatabasePageSize, 8192, nullptr, kBefore));
  EXPECT_TRUE(values_.Set(JET_paramDatabasePageSize, 6144, nullptr, kBefore)
                  .IsCode(JET_errInvalidParameter));
  EXPECT_TRUE(
      values_.Set(JET_paramVerPageSize, 3000, nullptr, kBefore).IsCode(JET_errInvalidParameter));
  EXPECT_EQ(8192u, values_.Integer(JET_paramDatabasePageSize));
  EXPECT_EQ(32768u, values_.Integer(JET_paramVerPageSize));
}

TEST_F(ParamsTest, BooleansAreStoredAsZeroOrOne) {
  ASSERT_OK(values_.Set(JET_paramCircularLog, 7, nullptr, kBefore));
  EXPECT_EQ(1u, values_.Integer(JET_paramCircularLog));
  ASSERT_OK(values_.Set(JET_paramCircularLog, 0, nullptr, kBefore));
  EXPECT_EQ(0u, values_.Integer(JET_paramCircularLog));
}

TEST_F(ParamsTest, ReadOnlyParamsRejectSet) {
  for (uint32_t id : {JET_paramKeyMost, JET_paramMaxColtyp, JET_paramLVChunkSizeMost,
                      JET_paramErrorToString}) {
    EXPECT_TRUE(values_.Set(id, 1, "x", kBefore).IsCode(JET_errInvalidParameter))
        << ParamValues::Spec(id)->name;
  }
}

TEST_F(ParamsTest, KeyMostAndChunkSizeFollowThePageSize) {
  const std::vector<std::pair<uint64_t, std::pair<uint64_t, uint64_t>>> cases = {
      {8192, {2000, 8110}}, {16384, {2000, 4050}}, {32768, {2000, 8150}}, {4096, {1000, 4014}}};
  for (const auto& [page, expected] : cases) {
    ASSERT_OK(values_.Set(JET_paramDatabasePageSize, page, nullptr, kBefore));
    uint64_t key_most = 0;
    ASSERT_OK(values_.Get(JET_paramKeyMost, &key_most, nullptr, 0));
    EXPECT_EQ(expected.first, key_most) << page;
    EXPECT_EQ(expected.second, values_.Integer(JET_paramLVChunkSizeMost)) << page;
  }
}

TEST_F(ParamsTest, CommitDefaultRejectsUnknownBits) {
  EXPECT_OK(values_.Set(JET_paramCommitDefault, JET_bitCommitLazyFlush, nullptr, kInitialized));
  EXPECT_TRUE(values_.Set(JET_paramCommitDefault, 0x4, nullptr, kBefore)
                  .IsCode(JET_errInvalidParameter));
  EXPECT_EQ(uint64_t{JET_bitCommitLazyFlush}, values_.Integer(JET_paramCommitDefault));
}

TEST_F(ParamsTest, ShrinkBitsNeedShrinkOn) {
  EXPECT_TRUE(values_.Set(JET_paramEnableShrinkDatabase, JET_bitShrinkDatabaseRealtime, nullptr,
                          kBefore)
                  .IsCode(JET_errInvalidGrbit));
  EXPECT_TRUE(values_.Set(JET_paramEnableShrinkDatabase, 0x10, nullptr, kBefore)
                  .IsCode(JET_errInvalidGrbit));
  EXPECT_OK(values_.Set(JET_paramEnableShrinkDatabase,
                        JET_bitShrinkDatabaseOn | JET_bitShrinkDatabaseRealtime, nullptr,
                        kBefore));
  EXPECT_TRUE(values_.Set(JET_paramEnableShrinkDatabase, 0x10000, nullptr, kBefore)
                  .IsCode(JET_errInvalidParameter));
}

TEST_F(ParamsTest, LegacyFileNamesMustKeepEse98Names) {
  EXPECT_TRUE(values_.Set(JET_paramLegacyFileNames, 0, nullptr, kBefore)
                  .IsCode(JET_errFeatureNotAvailable));
  EXPECT_OK(values_.Set(JET_paramLegacyFileNames, JET_bitESE98FileNames, nullptr, kBefore));
  EXPECT_EQ(uint64_t{JET_bitESE98FileNames}, values_.Integer(JET_paramLegacyFileNames));
}

// ---- frozen parameters ----------------------------------------------------------------

TEST_F(ParamsTest, FrozenParamsRejectChangesAfterInitUnlessUnchanged) {
  int checked = 0;
  for (uint32_t id : ParamValues::AllIds()) {
    const ParamSpec& spec = *ParamValues::Spec(id);
    if (!ParamValues::FrozenAfterInit(id) || (spec.flags & kParamReadOnly) ||
        id == JET_paramConfiguration) {
      continue;
    }
    SCOPED_TRACE(spec.name);
    ParamValues values = ParamValues::Defaults();
    if (spec.type == ParamType::kString) {
      // ESE compares strings by pointer, so even the same text is a change.
      const std::string current = values.String(id);
      EXPECT_TRUE(
          values.Set(id, 0, current.c_str(), kInitialized).IsCode(JET_errAlreadyInitialized));
    } else {
      const uint64_t current = values.Integer(id);
      EXPECT_OK(values.Set(id, current, nullptr, kInitialized));
      uint64_t other =
          current != spec.min ? spec.min : (current != spec.max ? spec.max : current + 1);
      if (id == JET_paramEnableShrinkDatabase) other = JET_bitShrinkDatabaseOn;  // valid bits
      EXPECT_TRUE(values.Set(id, other, nullptr, kInitialized).IsCode(JET_errAlreadyInitialized))
          << "value " << other;
      EXPECT_EQ(current, values.Integer(id));
    }
    ++checked;
  }
  EXPECT_GT(checked, 60);
}

TEST_F(ParamsTest, DynamicParamsChangeAfterInit) {
  EXPECT_OK(values_.Set(JET_paramCheckpointDepthMax, 16384, nullptr, kInitialized));
  EXPECT_OK(values_.Set(JET_paramCacheSizeMax, 4096, nullptr, kInitialized));
  EXPECT_OK(values_.Set(JET_paramEnableOnlineDefrag, JET_OnlineDefragDisable, nullptr,
                        kInitialized));
  EXPECT_OK(values_.Set(JET_paramDbExtensionSize, 32, nullptr, kInitialized));
  EXPECT_OK(values_.Set(JET_paramCreatePathIfNotExist, 1, nullptr, kInitialized));
  EXPECT_EQ(16384u, values_.Integer(JET_paramCheckpointDepthMax));
  EXPECT_EQ(4096u, values_.Integer(JET_paramCacheSizeMax));
  EXPECT_EQ(0u, values_.Integer(JET_paramEnableOnlineDefrag));
  EXPECT_EQ(32u, values_.Integer(JET_paramDbExtensionSize));
  EXPECT_EQ(1u, values_.Integer(JET_paramCreatePathIfNotExist));
}

TEST_F(ParamsTest, UnfrozenParamsNeverGiveAlreadyInitialized) {
  for (uint32_t id : ParamValues::AllIds()) {
    const ParamSpec& spec = *ParamValues::Spec(id);
    if (ParamValues::FrozenAfterInit(id) || (spec.flags & kParamReadOnly) ||
        spec.type == ParamType::kString) {
      continue;
    }
    ParamValues values = ParamValues::Defaults();
    const uint64_t other = values.Integer(id) != spec.min ? spec.min : spec.max;
    EXPECT_FALSE(values.Set(id, other, nullptr, kInitialized).IsCode(JET_errAlreadyInitialized))
        << spec.name;
  }
}

TEST_F(ParamsTest, FrozenCheckComesBeforeRangeCheck) {
  EXPECT_TRUE(values_.Set(JET_paramLogFileSize, 1, nullptr, kInitialized)
                  .IsCode(JET_errAlreadyInitialized));
  EXPECT_TRUE(
      values_.Set(JET_paramLogFileSize, 1, nullptr, kCreated).IsCode(JET_errInvalidParameter));
}

TEST_F(ParamsTest, InstanceFrozenParamsMayChangeBeforeInitAndInTheDefaults) {
  EXPECT_OK(values_.Set(JET_paramLogFileSize, 1024, nullptr, kCreated));
  EXPECT_OK(values_.Set(JET_paramLogFilePath, 0, "/var/lib/jetsvc/", kCreated));
  EXPECT_OK(values_.Set(JET_paramCircularLog, 1, nullptr, kAfterFirst));
  EXPECT_EQ(1024u, values_.Integer(JET_paramLogFileSize));
  EXPECT_EQ("/var/lib/jetsvc/", values_.String(JET_paramLogFilePath));
  EXPECT_EQ(1u, values_.Integer(JET_paramCircularLog));
}

TEST_F(ParamsTest, ProcessFrozenParamsRejectChangesOnceAnInstanceExists) {
  int checked = 0;
  for (uint32_t id : ParamValues::AllIds()) {
    const ParamSpec& spec = *ParamValues::Spec(id);
    if (!(spec.flags & kParamFrozenAfterGlobalInit)) continue;
    SCOPED_TRACE(spec.name);
    for (ParamState state : {kAfterFirst, kCreated}) {
      ParamValues values = ParamValues::Defaults();
      const Status status =
          spec.type == ParamType::kString
              ? values.Set(id, 0, "Name", state)
              : values.Set(id, values.Integer(id) != spec.max ? spec.max : spec.min, nullptr,
                           state);
      EXPECT_TRUE(status.IsCode(JET_errAlreadyInitialized)) << status.ToString();
    }
    ++checked;
  }
  EXPECT_GT(checked, 20);
  EXPECT_OK(values_.Set(JET_paramDatabasePageSize, 16384, nullptr, kBefore));
  EXPECT_OK(values_.Set(JET_paramMaxInstances, 4, nullptr, kBefore));
  EXPECT_TRUE(values_.Set(JET_paramDatabasePageSize, 8192, nullptr, kAfterFirst)
                  .IsCode(JET_errAlreadyInitialized));
  EXPECT_OK(values_.Set(JET_paramDatabasePageSize, 16384, nullptr, kAfterFirst));  // unchanged
}

// ---- strings --------------------------------------------------------------------------

TEST_F(ParamsTest, BaseNameMustBeThreeCharacters) {
  EXPECT_TRUE(values_.Set(JET_paramBaseName, 0, "ab", kBefore).IsCode(JET_errInvalidParameter));
  EXPECT_TRUE(values_.Set(JET_paramBaseName, 0, "abcd", kBefore).IsCode(JET_errInvalidParameter));
  EXPECT_TRUE(values_.Set(JET_paramBaseName, 0, nullptr, kBefore).IsCode(JET_errInvalidParameter));
  EXPECT_EQ("edb", values_.String(JET_paramBaseName));
  EXPECT_OK(values_.Set(JET_paramBaseName, 0, "jsv", kBefore));
  EXPECT_EQ("jsv", values_.String(JET_paramBaseName));
}

TEST_F(ParamsTest, StringLengthsFollowEseLimits) {
  EXPECT_EQ(246u, ParamValues::Spec(JET_paramSystemPath)->max);
  EXPECT_EQ(246u, ParamValues::Spec(JET_paramLogFilePath)->max);
  EXPECT_EQ(247u, ParamValues::Spec(JET_paramTempPath)->max);
  for (uint32_t id : ParamValues::AllIds()) {
    const ParamSpec& spec = *ParamValues::Spec(id);
    if (spec.type != ParamType::kString || (spec.flags & kParamReadOnly) ||
        spec.support == SupportLevel::kUnsupported) {
      continue;
    }
    SCOPED_TRACE(spec.name);
    ParamValues values = ParamValues::Defaults();
    const std::string longest(spec.max, 'p');
    EXPECT_OK(values.Set(id, 0, longest.c_str(), kBefore));
    EXPECT_EQ(longest, values.String(id));
    const std::string too_long(spec.max + 1, 'p');
    EXPECT_TRUE(values.Set(id, 0, too_long.c_str(), kBefore).IsCode(JET_errInvalidParameter));
    EXPECT_EQ(longest, values.String(id));
    if (spec.min > 0) {
      const std::string too_short(spec.min - 1, 'p');
      EXPECT_TRUE(values.Set(id, 0, too_short.c_str(), kBefore).IsCode(JET_errInvalidParameter));
    }
  }
}

TEST_F(ParamsTest, NullStringSetsTheEmptyString) {
  ASSERT_OK(values_.Set(JET_paramEventSource, 0, "svc", kBefore));
  ASSERT_OK(values_.Set(JET_paramEventSource, 0, nullptr, kBefore));
  EXPECT_EQ("", values_.String(JET_paramEventSource));
}

TEST_F(ParamsTest, GetStringNeedsRoomForTheTerminator) {
  char buffer[8];
  std::memset(buffer, '#', sizeof(buffer));
  EXPECT_TRUE(values_.Get(JET_paramBaseName, nullptr, buffer, 3).IsCode(JET_errBufferTooSmall));
  EXPECT_EQ('#', buffer[0]) << "the buffer is left alone on error";
  ASSERT_OK(values_.Get(JET_paramBaseName, nullptr, buffer, 4));
  EXPECT_STREQ("edb", buffer);
}

TEST_F(ParamsTest, GetStringWithoutBufferIsInvalidParameter) {
  char buffer[8];
  uint64_t integer = 0;
  EXPECT_TRUE(
      values_.Get(JET_paramBaseName, &integer, nullptr, 8).IsCode(JET_errInvalidParameter));
  EXPECT_TRUE(values_.Get(JET_paramBaseName, &integer, buffer, 0).IsCode(JET_errInvalidParameter));
}

TEST_F(ParamsTest, GetIntegerWithoutPointerIsInvalidParameter) {
  char buffer[8];
  EXPECT_TRUE(values_.Get(JET_paramLogFileSize, nullptr, buffer, sizeof(buffer))
                  .IsCode(JET_errInvalidParameter));
  EXPECT_TRUE(values_.Get(JET_paramRuntimeCallback, nullptr, nullptr, 0)
                  .IsCode(JET_errInvalidParameter));
}

TEST_F(ParamsTest, ErrorToStringFormatsTheGivenError) {
  uint64_t err = static_cast<uint32_t>(int32_t{JET_errInvalidParameter});
  char buffer[64];
  ASSERT_OK(values_.Get(JET_paramErrorToString, &err, buffer, sizeof(buffer)));
  EXPECT_STREQ("-1003, (0xfffffc15)", buffer);
  EXPECT_TRUE(
      values_.Get(JET_paramErrorToString, &err, buffer, 5).IsCode(JET_errBufferTooSmall));
  EXPECT_TRUE(values_.Get(JET_paramErrorToString, nullptr, buffer, sizeof(buffer))
                  .IsCode(JET_errInvalidParameter));
}

TEST_F(ParamsTest, LoggingFollowsRecovery) {
  const std::vector<std::pair<const char*, bool>> cases = {
      {"on", true}, {"ON", true}, {"repair", true}, {"off", false}, {"", false},
      {"repairs", false}, {"yes", false}};
  for (const auto& [text, logging] : cases) {
    ASSERT_OK(values_.Set(JET_paramRecovery, 0, text, kBefore));
    EXPECT_EQ(logging, values_.LoggingEnabled()) << '"' << text << '"';
  }
}

// ---- support levels -------------------------------------------------------------------

TEST_F(ParamsTest, UnsupportedParamsAcceptOnlyTheirDefault) {
  EXPECT_OK(values_.Set(JET_paramRuntimeCallback, 0, nullptr, kBefore));
  EXPECT_TRUE(values_.Set(JET_paramRuntimeCallback, 0x1234, nullptr, kBefore)
                  .IsCode(JET_errFeatureNotAvailable));
  EXPECT_TRUE(values_.Set(JET_paramDurableCommitCallback, 0x1234, nullptr, kBefore)
                  .IsCode(JET_errFeatureNotAvailable));
  EXPECT_TRUE(
      values_.Set(JET_paramEnableRBS, 1, nullptr, kBefore).IsCode(JET_errFeatureNotAvailable));
  EXPECT_OK(values_.Set(JET_paramEnableRBS, 0, nullptr, kBefore));
  EXPECT_OK(values_.Set(JET_paramConfigStoreSpec, 0, "", kBefore));
  EXPECT_OK(values_.Set(JET_paramConfigStoreSpec, 0, nullptr, kBefore));
  EXPECT_TRUE(values_.Set(JET_paramConfigStoreSpec, 0, "reg:HKLM\\x", kBefore)
                  .IsCode(JET_errFeatureNotAvailable));
  EXPECT_TRUE(values_.Set(JET_paramAlternateDatabaseRecoveryPath, 0, "/elsewhere/", kBefore)
                  .IsCode(JET_errFeatureNotAvailable));
  EXPECT_TRUE(values_.Set(JET_paramUnicodeIndexDefault, 0x1000, nullptr, kBefore)
                  .IsCode(JET_errFeatureNotAvailable));

  uint64_t integer = 99;
  ASSERT_OK(values_.Get(JET_paramRuntimeCallback, &integer, nullptr, 0));
  EXPECT_EQ(0u, integer);
  EXPECT_EQ("", GetString(JET_paramConfigStoreSpec));
  EXPECT_TRUE(values_.Get(JET_paramUnicodeIndexDefault, &integer, nullptr, 0)
                  .IsCode(JET_errFeatureNotAvailable));
}

TEST_F(ParamsTest, AcceptedParamsRoundTrip) {
  ASSERT_OK(values_.Set(JET_paramEventLoggingLevel, JET_EventLoggingLevelLow, nullptr, kBefore));
  ASSERT_OK(values_.Set(JET_paramTableClass3Name, 0, "Mail", kBefore));
  uint64_t integer = 0;
  ASSERT_OK(values_.Get(JET_paramEventLoggingLevel, &integer, nullptr, 0));
  EXPECT_EQ(uint64_t{JET_EventLoggingLevelLow}, integer);
  EXPECT_EQ("Mail", GetString(JET_paramTableClass3Name));
}

TEST_F(ParamsTest, AdvancedParamsAreIgnoredWhileEnableAdvancedIsOff) {
  ASSERT_OK(values_.Set(JET_paramEnableAdvanced, 0, nullptr, kBefore));
  EXPECT_OK(values_.Set(JET_paramMaxSessions, 100, nullptr, kBefore));
  EXPECT_OK(values_.Set(JET_paramMaxSessions, 99999999, nullptr, kBefore));  // not even checked
  EXPECT_EQ(16u, values_.Integer(JET_paramMaxSessions));
  EXPECT_OK(values_.Set(JET_paramLogFileSize, 1024, nullptr, kBefore));  // not advanced
  EXPECT_EQ(1024u, values_.Integer(JET_paramLogFileSize));
  ASSERT_OK(values_.Set(JET_paramEnableAdvanced, 1, nullptr, kBefore));
  EXPECT_OK(values_.Set(JET_paramMaxSessions, 100, nullptr, kBefore));
  EXPECT_EQ(100u, values_.Integer(JET_paramMaxSessions));
}

// ---- JET_paramConfiguration -----------------------------------------------------------

TEST_F(ParamsTest, ConfigurationLowDiskFootprintInstallsItsPreset) {
  ASSERT_OK(values_.Set(JET_paramConfiguration, JET_configLowDiskFootprint, nullptr, kBefore));
  EXPECT_EQ(1u, values_.Integer(JET_paramCircularLog));
  EXPECT_EQ(64u, values_.Integer(JET_paramLogFileSize));
  EXPECT_EQ(512u * 1024, values_.Integer(JET_paramCheckpointDepthMax));
  EXPECT_EQ(16u, values_.Integer(JET_paramDbExtensionSize));
  EXPECT_EQ(16u, values_.Integer(JET_paramMaxSessions));  // untouched
  // Bits accumulate on top of the current configuration.
  EXPECT_EQ(uint64_t{JET_configDefault | JET_configLowDiskFootprint},
            values_.Integer(JET_paramConfiguration));
  ASSERT_OK(values_.Set(JET_paramConfiguration, JET_configRemoveQuotas, nullptr, kBefore));
  EXPECT_EQ(uint64_t{JET_configDefault | JET_configLowDiskFootprint | JET_configRemoveQuotas},
            values_.Integer(JET_paramConfiguration));
  EXPECT_EQ(30000u, values_.Integer(JET_paramMaxSessions));
  EXPECT_EQ(2147483647u, values_.Integer(JET_paramMaxCursors));
  EXPECT_EQ(64u, values_.Integer(JET_paramLogFileSize));
  values_.AssertValid();
}

TEST_F(ParamsTest, ConfigurationZeroSelectsSmallDefaultsWithoutQuotas) {
  ASSERT_OK(values_.Set(JET_paramConfiguration, 0, nullptr, kBefore));
  EXPECT_EQ(0u, values_.Integer(JET_paramConfiguration));
  EXPECT_EQ(64u, values_.Integer(JET_paramLogFileSize));
  EXPECT_EQ(65536u, values_.Integer(JET_paramCheckpointDepthMax));
  EXPECT_EQ(16u, values_.Integer(JET_paramCacheSizeMax));
  EXPECT_EQ(16u, values_.Integer(JET_paramDbExtensionSize));
  EXPECT_EQ(8192u, values_.Integer(JET_paramVerPageSize));
  EXPECT_EQ(30000u, values_.Integer(JET_paramMaxSessions));
  EXPECT_EQ(2147483647u, values_.Integer(JET_paramMaxOpenTables));
  EXPECT_EQ(0u, values_.Integer(JET_paramCircularLog));  // small default; no disk preset
  values_.AssertValid();
}

TEST_F(ParamsTest, ConfigurationDefaultResetsEveryParameter) {
  ASSERT_OK(values_.Set(JET_paramLogFilePath, 0, "/var/log/jetsvc/", kBefore));
  ASSERT_OK(values_.Set(JET_paramMaxSessions, 500, nullptr, kBefore));
  ASSERT_OK(values_.Set(JET_paramConfiguration, JET_configLowDiskFootprint, nullptr, kBefore));
  ASSERT_OK(values_.Set(JET_paramConfiguration, JET_configDefault, nullptr, kBefore));
  EXPECT_EQ(1u, values_.Integer(JET_paramConfiguration));
  EXPECT_EQ(".\\", values_.String(JET_paramLogFilePath));
  EXPECT_EQ(16u, values_.Integer(JET_paramMaxSessions));
  EXPECT_EQ(5120u, values_.Integer(JET_paramLogFileSize));
  EXPECT_EQ(0u, values_.Integer(JET_paramCircularLog));
}

TEST_F(ParamsTest, ConfigurationOnAnInstanceLeavesGlobalParamsAlone) {
  ASSERT_OK(values_.Set(JET_paramConfiguration, JET_configLowMemory, nullptr, kCreated));
  EXPECT_EQ(2000000000u, values_.Integer(JET_paramCacheSizeMax));  // global
  EXPECT_EQ(32768u, values_.Integer(JET_paramVerPageSize));         // global
  EXPECT_EQ(1u, values_.Integer(JET_paramLogBuffers));              // the instance's own
  EXPECT_EQ(16u, values_.Integer(JET_paramDbExtensionSize));
}

TEST_F(ParamsTest, ConfigurationDynamicMediumMemoryConvertsUnits) {
  ASSERT_OK(values_.Set(JET_paramConfiguration, JET_configDynamicMediumMemory, nullptr, kBefore));
  EXPECT_EQ(5u * 1024 * 1024 / 4096, values_.Integer(JET_paramCacheSizeMax));
  EXPECT_EQ(128u * 1024 / 4096, values_.Integer(JET_paramCacheSizeMin));
  EXPECT_EQ(1280u * 2 / 100, values_.Integer(JET_paramStartFlushThreshold));
  EXPECT_EQ(1280u * 3 / 100, values_.Integer(JET_paramStopFlushThreshold));
  EXPECT_EQ(1u, values_.Integer(JET_paramMaxInstances));
}

TEST_F(ParamsTest, ConfigurationDoublesTinyLogsOnLargePages) {
  ASSERT_OK(values_.Set(JET_paramDatabasePageSize, 32768, nullptr, kBefore));
  ASSERT_OK(values_.Set(JET_paramConfiguration, JET_configLowDiskFootprint, nullptr, kBefore));
  EXPECT_EQ(128u, values_.Integer(JET_paramLogFileSize));
}

TEST_F(ParamsTest, ConfigurationIsFrozenOnceAnInstanceExistsOrIsInitialized) {
  EXPECT_TRUE(values_.Set(JET_paramConfiguration, JET_configDefault, nullptr, kAfterFirst)
                  .IsCode(JET_errAlreadyInitialized));
  EXPECT_TRUE(values_.Set(JET_paramConfiguration, JET_configDefault, nullptr, kInitialized)
                  .IsCode(JET_errAlreadyInitialized));
  EXPECT_TRUE(values_.Set(JET_paramConfiguration, 0x800, nullptr, kBefore)
                  .IsCode(JET_errInvalidParameter));
}

// ---- PARAMS.md -----------------------------------------------------------------------

// The source tree root, from this file's path; "" if the tree is not here.
std::string SourceRoot() {
  const std::string self = __FILE__;
  const std::string suffix = "tests/unit/instance/params_test.cc";
  if (self.size() < suffix.size() ||
      self.compare(self.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return "";
  }
  const std::string root = self.substr(0, self.size() - suffix.size());
  std::ifstream probe(root + suffix);
  return probe ? (root.empty() ? "./" : root) : "";
}

TEST_F(ParamsTest, ParamsMdMatchesTheTable) {
  const std::string root = SourceRoot();
  if (root.empty()) GTEST_SKIP() << "source tree not reachable from " << __FILE__;
  const std::string path = root + "engine/instance/PARAMS.md";
  const std::string expected = ParamsMarkdown();
  if (std::getenv("JETSVC_UPDATE_GOLDEN") != nullptr) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << expected;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path << " is missing; run with JETSVC_UPDATE_GOLDEN=1";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(text.str() == expected)
      << path << " is stale; run params_test with JETSVC_UPDATE_GOLDEN=1";
  for (uint32_t id : ParamValues::AllIds()) {
    const std::string quoted = std::string("`") + ParamValues::Spec(id)->name + "`";
    EXPECT_NE(std::string::npos, expected.find(quoted)) << quoted;
  }
}

}  // namespace
}  // namespace jetsvc

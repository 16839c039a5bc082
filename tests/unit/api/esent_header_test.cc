// Checks engine/include/esent.h against the project reference
// (/work/shared/reference/ese-api.md, which wins over other sources) and
// ESE's own header: values, type widths, signatures, and that the plain
// names select the narrow ("A") forms.
//
// Nothing here calls into the engine: signatures are compared through
// decltype, so this file builds and runs before the engine exists.

#include "esent.h"

#include <cstddef>
#include <type_traits>

#include <gtest/gtest.h>

namespace {

// Checks a constant at compile time, and reports it at run time as well so
// the test log lists what was compared.
#define EXPECT_JET_CONST(name, value)                                \
  do {                                                               \
    static_assert(static_cast<long long>(name) ==                    \
                      static_cast<long long>(value),                 \
                  #name " must be " #value);                         \
    EXPECT_EQ(static_cast<long long>(name),                          \
              static_cast<long long>(value))                         \
        << #name;                                                    \
  } while (0)

// Expands a macro, then turns the result into a string literal.
#define ESENT_TEST_EXPAND_TO_STRING(x) ESENT_TEST_TO_STRING(x)
#define ESENT_TEST_TO_STRING(x) #x

constexpr bool SameString(const char* a, const char* b) {
  return *a == *b && (*a == '\0' || SameString(a + 1, b + 1));
}

// The plain name must expand to exactly the narrow name.
#define EXPECT_SELECTS_NARROW(plain, narrow)                          \
  static_assert(SameString(ESENT_TEST_EXPAND_TO_STRING(plain), #narrow), \
                #plain " must select " #narrow)

// A name without a narrow form must not be renamed by a macro.
#define EXPECT_KEEPS_NAME(name)                                         \
  static_assert(SameString(ESENT_TEST_EXPAND_TO_STRING(name), #name), \
                #name " must not be a macro")

// decltype(&f) must be the function pointer type ESE declares.
#define EXPECT_SIGNATURE(function, ...)                                  \
  static_assert(std::is_same<decltype(&function),                       \
                             JET_ERR(JET_API*)(__VA_ARGS__)>::value,     \
                #function " has the wrong signature")

TEST(EsentHeaderTest, ErrorValuesMatchReference) {
  // Lifecycle
  EXPECT_JET_CONST(JET_errSuccess, 0);
  EXPECT_JET_CONST(JET_errTermInProgress, -1000);
  EXPECT_JET_CONST(JET_errNotInitialized, -1029);
  EXPECT_JET_CONST(JET_errAlreadyInitialized, -1030);
  EXPECT_JET_CONST(JET_errInitInProgress, -1031);
  EXPECT_JET_CONST(JET_errRunningInOneInstanceMode, -1080);
  EXPECT_JET_CONST(JET_errRunningInMultiInstanceMode, -1081);
  EXPECT_JET_CONST(JET_errSystemParamsAlreadySet, -1082);
  EXPECT_JET_CONST(JET_errInstanceNameInUse, -1086);
  EXPECT_JET_CONST(JET_errSystemParameterConflict, -1087);
  EXPECT_JET_CONST(JET_errInstanceUnavailable, -1090);
  EXPECT_JET_CONST(JET_errInstanceUnavailableDueToFatalLogDiskFull, -1092);
  EXPECT_JET_CONST(JET_errInvalidInstance, -1115);
  EXPECT_JET_CONST(JET_errDirtyShutdown, -1116);
  EXPECT_JET_CONST(JET_errTooManyInstances, -1214);
  EXPECT_JET_CONST(JET_errClientRequestToStopJetService, -1329);
  EXPECT_JET_CONST(JET_errTooManyActiveUsers, -1059);
  EXPECT_JET_CONST(JET_errBackupInProgress, -505);
  EXPECT_JET_CONST(JET_errRestoreInProgress, -506);
  EXPECT_JET_CONST(JET_errInvalidSettings, -1328);
  // Bad input
  EXPECT_JET_CONST(JET_errInvalidGrbit, -900);
  EXPECT_JET_CONST(JET_errInvalidName, -1002);
  EXPECT_JET_CONST(JET_errInvalidParameter, -1003);
  EXPECT_JET_CONST(JET_errInvalidDatabaseId, -1010);
  EXPECT_JET_CONST(JET_errInvalidPath, -1023);
  EXPECT_JET_CONST(JET_errInvalidBufferSize, -1047);
  EXPECT_JET_CONST(JET_errInvalidSesid, -1104);
  EXPECT_JET_CONST(JET_errInvalidTableId, -1310);
  EXPECT_JET_CONST(JET_errInvalidOperation, -1906);
  EXPECT_JET_CONST(JET_errSessionSharingViolation, -1910);
  EXPECT_JET_CONST(JET_errSessionContextAlreadySet, -1912);
  EXPECT_JET_CONST(JET_errSessionInUse, -1914);
  // Resources
  EXPECT_JET_CONST(JET_errOutOfMemory, -1011);
  EXPECT_JET_CONST(JET_errOutOfDatabaseSpace, -1012);
  EXPECT_JET_CONST(JET_errOutOfCursors, -1013);
  EXPECT_JET_CONST(JET_errOutOfBuffers, -1014);
  EXPECT_JET_CONST(JET_errOutOfSessions, -1101);
  EXPECT_JET_CONST(JET_errVersionStoreOutOfMemory, -1069);
  EXPECT_JET_CONST(JET_errVersionStoreOutOfMemoryAndCleanupTimedOut, -1066);
  // Transactions
  EXPECT_JET_CONST(JET_errNotInTransaction, -1054);
  EXPECT_JET_CONST(JET_errWriteConflict, -1102);
  EXPECT_JET_CONST(JET_errTransTooDeep, -1103);
  EXPECT_JET_CONST(JET_errInTransaction, -1108);
  EXPECT_JET_CONST(JET_errRollbackRequired, -1109);
  EXPECT_JET_CONST(JET_errSessionWriteConflict, -1111);
  EXPECT_JET_CONST(JET_errRollbackError, -1917);
  // Data
  EXPECT_JET_CONST(JET_errRecordNotFound, -1601);
  EXPECT_JET_CONST(JET_errNoCurrentRecord, -1603);
  EXPECT_JET_CONST(JET_errKeyDuplicate, -1605);
  EXPECT_JET_CONST(JET_errAlreadyPrepared, -1607);
  EXPECT_JET_CONST(JET_errKeyNotMade, -1608);
  EXPECT_JET_CONST(JET_errUpdateNotPrepared, -1609);
  EXPECT_JET_CONST(JET_errRecordTooBig, -1026);
  EXPECT_JET_CONST(JET_errIndexNotFound, -1404);
  EXPECT_JET_CONST(JET_errNullInvalid, -1504);
  EXPECT_JET_CONST(JET_errColumnNotFound, -1507);
  EXPECT_JET_CONST(JET_errObjectNotFound, -1305);
  EXPECT_JET_CONST(JET_errTableDuplicate, -1303);
  EXPECT_JET_CONST(JET_errTableLocked, -1302);
  // Files
  EXPECT_JET_CONST(JET_errDatabaseDirtyShutdown, -550);
  EXPECT_JET_CONST(JET_errReadVerifyFailure, -1018);
  EXPECT_JET_CONST(JET_errDiskIO, -1022);
  EXPECT_JET_CONST(JET_errInvalidDatabase, -1028);
  EXPECT_JET_CONST(JET_errDatabaseDuplicate, -1201);
  EXPECT_JET_CONST(JET_errDatabaseInUse, -1202);
  EXPECT_JET_CONST(JET_errDatabaseNotFound, -1203);
  EXPECT_JET_CONST(JET_errDatabaseCorrupted, -1206);
  EXPECT_JET_CONST(JET_errDiskFull, -1808);
  EXPECT_JET_CONST(JET_errFileNotFound, -1811);
  // Log and recovery
  EXPECT_JET_CONST(JET_errLogFileCorrupt, -501);
  EXPECT_JET_CONST(JET_errLogWriteFail, -510);
  EXPECT_JET_CONST(JET_errMissingLogFile, -528);
  EXPECT_JET_CONST(JET_errLogDiskFull, -529);
  EXPECT_JET_CONST(JET_errCheckpointCorrupt, -533);
  EXPECT_JET_CONST(JET_errLogFileSizeMismatch, -541);
  EXPECT_JET_CONST(JET_errCheckpointFileNotFound, -542);
  EXPECT_JET_CONST(JET_errRequiredLogFilesMissing, -543);
  EXPECT_JET_CONST(JET_errAttachedDatabaseMismatch, -1216);
  EXPECT_JET_CONST(JET_errLogCorrupted, -1852);
  // Warnings
  EXPECT_JET_CONST(JET_wrnColumnNull, 1004);
  EXPECT_JET_CONST(JET_wrnBufferTruncated, 1006);
  EXPECT_JET_CONST(JET_wrnDatabaseAttached, 1007);
  EXPECT_JET_CONST(JET_wrnSeekNotEqual, 1039);
  EXPECT_JET_CONST(JET_wrnRemainingVersions, 321);
  EXPECT_JET_CONST(JET_wrnDefragAlreadyRunning, 2000);
  EXPECT_JET_CONST(JET_wrnDefragNotRunning, 2001);
  // Aliases and the client-reserved range.
  EXPECT_JET_CONST(JET_errDatabaseInconsistent, -550);
  EXPECT_JET_CONST(JET_wrnRecordFoundGreater, JET_wrnSeekNotEqual);
  EXPECT_JET_CONST(JET_errColumnIllegalNull, JET_errNullInvalid);
  EXPECT_JET_CONST(JET_errClientSpaceBegin, -10000);
  EXPECT_JET_CONST(JET_errClientSpaceEnd, -11999);
}

TEST(EsentHeaderTest, OtherCommonErrorValuesMatchEse) {
  EXPECT_JET_CONST(JET_errFeatureNotAvailable, -1001);
  EXPECT_JET_CONST(JET_errKeyTruncated, -346);
  EXPECT_JET_CONST(JET_errKeyTooBig, -408);
  EXPECT_JET_CONST(JET_errColumnTooBig, -1506);
  EXPECT_JET_CONST(JET_errInvalidColumnType, -1511);
  EXPECT_JET_CONST(JET_errColumnDuplicate, -1508);
  EXPECT_JET_CONST(JET_errColumnInUse, -1046);
  EXPECT_JET_CONST(JET_errIndexDuplicate, -1403);
  EXPECT_JET_CONST(JET_errIndexHasPrimary, -1402);
  EXPECT_JET_CONST(JET_errIndexInUse, -1051);
  EXPECT_JET_CONST(JET_errTableInUse, -1304);
  EXPECT_JET_CONST(JET_errTableNotEmpty, -1308);
  EXPECT_JET_CONST(JET_errInvalidBookmark, -1045);
  EXPECT_JET_CONST(JET_errFileAccessDenied, -1032);
  EXPECT_JET_CONST(JET_errInvalidFilename, -1044);
  EXPECT_JET_CONST(JET_errTransReadOnly, -1110);
  EXPECT_JET_CONST(JET_errDatabaseFileReadOnly, -1008);
  EXPECT_JET_CONST(JET_errInternalError, -107);
  EXPECT_JET_CONST(JET_wrnNyi, -1);
  EXPECT_JET_CONST(JET_wrnUniqueKey, 345);
  EXPECT_JET_CONST(JET_wrnColumnMaxTruncated, 1512);
}

// The reference says these names do not exist in ESE; jetsvc must not
// invent them.
#if defined(JET_errOutOfDiskSpace) || defined(JET_wrnNothing)
#error "esent.h defines a JET_ERR name that ESE does not have"
#endif

TEST(EsentHeaderTest, ParameterIdsMatchReference) {
  EXPECT_JET_CONST(JET_paramSystemPath, 0);
  EXPECT_JET_CONST(JET_paramTempPath, 1);
  EXPECT_JET_CONST(JET_paramLogFilePath, 2);
  EXPECT_JET_CONST(JET_paramBaseName, 3);
  EXPECT_JET_CONST(JET_paramMaxSessions, 5);
  EXPECT_JET_CONST(JET_paramMaxOpenTables, 6);
  EXPECT_JET_CONST(JET_paramMaxCursors, 8);
  EXPECT_JET_CONST(JET_paramMaxVerPages, 9);
  EXPECT_JET_CONST(JET_paramMaxTemporaryTables, 10);
  EXPECT_JET_CONST(JET_paramLogFileSize, 11);
  EXPECT_JET_CONST(JET_paramLogBuffers, 12);
  EXPECT_JET_CONST(JET_paramCircularLog, 17);
  EXPECT_JET_CONST(JET_paramDbExtensionSize, 18);
  EXPECT_JET_CONST(JET_paramCheckpointDepthMax, 24);
  EXPECT_JET_CONST(JET_paramRecovery, 34);
  EXPECT_JET_CONST(JET_paramEnableOnlineDefrag, 35);
  EXPECT_JET_CONST(JET_paramDatabasePageSize, 64);
  EXPECT_JET_CONST(JET_paramMaxInstances, 104);
  EXPECT_JET_CONST(JET_paramVerPageSize, 128);
  // Not in the reference; values from ESE's header.
  EXPECT_JET_CONST(JET_paramCacheSizeMax, 23);
  EXPECT_JET_CONST(JET_paramCacheSize, 41);
  EXPECT_JET_CONST(JET_paramCacheSizeMin, 60);
  EXPECT_JET_CONST(JET_paramPreferredVerPages, 63);
  EXPECT_JET_CONST(JET_paramCreatePathIfNotExist, 100);
  EXPECT_JET_CONST(JET_paramOneDatabasePerSession, 102);
  EXPECT_JET_CONST(JET_paramCachedClosedTables, 125);
  EXPECT_JET_CONST(JET_paramLegacyFileNames, 136);
  // EnableOnlineDefrag values.
  EXPECT_JET_CONST(JET_OnlineDefragDisable, 0);
  EXPECT_JET_CONST(JET_OnlineDefragDatabases, 2);
  EXPECT_JET_CONST(JET_OnlineDefragSpaceTrees, 4);
  EXPECT_JET_CONST(JET_OnlineDefragAll, 0xffff);
}

TEST(EsentHeaderTest, InitTermAndStopServiceBitsMatchReference) {
  EXPECT_JET_CONST(JET_bitReplayIgnoreMissingDB, 0x4);
  EXPECT_JET_CONST(JET_bitRecoveryWithoutUndo, 0x8);
  EXPECT_JET_CONST(JET_bitTruncateLogsAfterRecovery, 0x10);
  EXPECT_JET_CONST(JET_bitReplayMissingMapEntryDB, 0x20);
  EXPECT_JET_CONST(JET_bitLogStreamMustExist, 0x40);
  EXPECT_JET_CONST(JET_bitReplayIgnoreLostLogs, 0x80);
  EXPECT_JET_CONST(JET_bitKeepDbAttachedAtEndOfRecovery, 0x1000);

  EXPECT_JET_CONST(JET_bitTermComplete, 0x1);
  EXPECT_JET_CONST(JET_bitTermAbrupt, 0x2);
  EXPECT_JET_CONST(JET_bitTermStopBackup, 0x4);
  EXPECT_JET_CONST(JET_bitTermDirty, 0x8);

  EXPECT_JET_CONST(JET_bitStopServiceAll, 0x0);
  EXPECT_JET_CONST(JET_bitStopServiceBackgroundUserTasks, 0x2);
  EXPECT_JET_CONST(JET_bitStopServiceQuiesceCaches, 0x4);
  EXPECT_JET_CONST(JET_bitStopServiceStopAndEmitLog, 0x8);
  EXPECT_JET_CONST(JET_bitStopServiceResume, 0x80000000LL);
}

TEST(EsentHeaderTest, DatabaseAndTableBitsMatchReference) {
  EXPECT_JET_CONST(JET_bitDbReadOnly, 0x1);
  EXPECT_JET_CONST(JET_bitDbExclusive, 0x2);
  EXPECT_JET_CONST(JET_bitDbUpgrade, 0x200);
  EXPECT_JET_CONST(JET_bitDbRecoveryOff, 0x8);
  EXPECT_JET_CONST(JET_bitDbOverwriteExisting, 0x200);
  EXPECT_JET_CONST(JET_bitForceDetach, 0x1);
  EXPECT_JET_CONST(JET_bitForceCloseAndDetach, 0x3);

  EXPECT_JET_CONST(JET_bitTableDenyWrite, 0x1);
  EXPECT_JET_CONST(JET_bitTableDenyRead, 0x2);
  EXPECT_JET_CONST(JET_bitTableReadOnly, 0x4);
  EXPECT_JET_CONST(JET_bitTableUpdatable, 0x8);

  EXPECT_JET_CONST(JET_bitColumnFixed, 0x1);
  EXPECT_JET_CONST(JET_bitColumnTagged, 0x2);
  EXPECT_JET_CONST(JET_bitColumnNotNULL, 0x4);
  EXPECT_JET_CONST(JET_bitColumnVersion, 0x8);
  EXPECT_JET_CONST(JET_bitColumnAutoincrement, 0x10);
  EXPECT_JET_CONST(JET_bitColumnMultiValued, 0x400);
  EXPECT_JET_CONST(JET_bitColumnEscrowUpdate, 0x800);

  EXPECT_JET_CONST(JET_bitIndexUnique, 0x1);
  EXPECT_JET_CONST(JET_bitIndexPrimary, 0x2);
  EXPECT_JET_CONST(JET_bitIndexDisallowNull, 0x4);
  EXPECT_JET_CONST(JET_bitIndexIgnoreNull, 0x8);
  EXPECT_JET_CONST(JET_bitIndexIgnoreAnyNull, 0x20);
}

TEST(EsentHeaderTest, TransactionAndRecordConstantsMatchReference) {
  EXPECT_JET_CONST(JET_bitTransactionReadOnly, 0x1);
  EXPECT_JET_CONST(JET_bitCommitLazyFlush, 0x1);
  EXPECT_JET_CONST(JET_bitWaitLastLevel0Commit, 0x2);
  EXPECT_JET_CONST(JET_bitWaitAllLevel0Commit, 0x8);
  EXPECT_JET_CONST(JET_bitForceNewLog, 0x10);
  EXPECT_JET_CONST(JET_bitRollbackAll, 0x1);

  EXPECT_JET_CONST(JET_prepInsert, 0);
  EXPECT_JET_CONST(JET_prepReplace, 2);
  EXPECT_JET_CONST(JET_prepCancel, 3);
  EXPECT_JET_CONST(JET_prepReplaceNoLock, 4);
  EXPECT_JET_CONST(JET_prepInsertCopy, 5);
  EXPECT_JET_CONST(JET_prepInsertCopyDeleteOriginal, 7);
  EXPECT_JET_CONST(JET_prepInsertCopyReplaceOriginal, 9);

  EXPECT_JET_CONST(JET_bitSetAppendLV, 0x1);
  EXPECT_JET_CONST(JET_bitSetOverwriteLV, 0x4);
  EXPECT_JET_CONST(JET_bitSetZeroLength, 0x20);
  EXPECT_JET_CONST(JET_bitRetrieveCopy, 0x1);
  EXPECT_JET_CONST(JET_bitRetrieveFromIndex, 0x2);
}

TEST(EsentHeaderTest, NavigationConstantsMatchReference) {
  EXPECT_JET_CONST(JET_bitNewKey, 0x1);
  EXPECT_JET_CONST(JET_bitStrLimit, 0x2);
  EXPECT_JET_CONST(JET_bitSubStrLimit, 0x4);
  EXPECT_JET_CONST(JET_bitNormalizedKey, 0x8);
  EXPECT_JET_CONST(JET_bitFullColumnStartLimit, 0x100);
  EXPECT_JET_CONST(JET_bitFullColumnEndLimit, 0x200);

  EXPECT_JET_CONST(JET_bitSeekEQ, 0x1);
  EXPECT_JET_CONST(JET_bitSeekLT, 0x2);
  EXPECT_JET_CONST(JET_bitSeekLE, 0x4);
  EXPECT_JET_CONST(JET_bitSeekGE, 0x8);
  EXPECT_JET_CONST(JET_bitSeekGT, 0x10);
  EXPECT_JET_CONST(JET_bitSetIndexRange, 0x20);
  EXPECT_JET_CONST(JET_bitCheckUniqueness, 0x40);

  EXPECT_JET_CONST(JET_MoveFirst, 0x80000000LL);
  EXPECT_JET_CONST(JET_MovePrevious, -1);
  EXPECT_JET_CONST(JET_MoveNext, 1);
  EXPECT_JET_CONST(JET_MoveLast, 0x7fffffff);
  EXPECT_JET_CONST(JET_bitMoveKeyNE, 0x1);
  // JetMove takes a long: MoveFirst must survive the conversion and stay
  // distinct from every ordinary row count.
  const long move_first = JET_MoveFirst;
  EXPECT_EQ(move_first, static_cast<long>(JET_MoveFirst));
  EXPECT_NE(move_first, static_cast<long>(JET_MoveLast));
  EXPECT_NE(move_first, static_cast<long>(JET_MovePrevious));

  EXPECT_JET_CONST(JET_bitMoveFirst, 0);
  EXPECT_JET_CONST(JET_bitNoMove, 2);

  EXPECT_JET_CONST(JET_bitRangeInclusive, 0x1);
  EXPECT_JET_CONST(JET_bitRangeUpperLimit, 0x2);
  EXPECT_JET_CONST(JET_bitRangeInstantDuration, 0x4);
  EXPECT_JET_CONST(JET_bitRangeRemove, 0x8);

  EXPECT_JET_CONST(JET_bitDefragmentBatchStart, 0x1);
  EXPECT_JET_CONST(JET_bitDefragmentBatchStop, 0x2);
  EXPECT_JET_CONST(JET_bitDefragmentAvailSpaceTreesOnly, 0x40);
  EXPECT_JET_CONST(JET_bitDefragmentNoPartialMerges, 0x80);
  EXPECT_JET_CONST(JET_bitDefragmentBTree, 0x100);
}

TEST(EsentHeaderTest, ColumnTypesMatchReference) {
  EXPECT_JET_CONST(JET_coltypBit, 1);
  EXPECT_JET_CONST(JET_coltypUnsignedByte, 2);
  EXPECT_JET_CONST(JET_coltypShort, 3);
  EXPECT_JET_CONST(JET_coltypLong, 4);
  EXPECT_JET_CONST(JET_coltypCurrency, 5);
  EXPECT_JET_CONST(JET_coltypIEEESingle, 6);
  EXPECT_JET_CONST(JET_coltypIEEEDouble, 7);
  EXPECT_JET_CONST(JET_coltypDateTime, 8);
  EXPECT_JET_CONST(JET_coltypBinary, 9);
  EXPECT_JET_CONST(JET_coltypText, 10);
  EXPECT_JET_CONST(JET_coltypLongBinary, 11);
  EXPECT_JET_CONST(JET_coltypLongText, 12);
  EXPECT_JET_CONST(JET_coltypUnsignedLong, 14);
  EXPECT_JET_CONST(JET_coltypLongLong, 15);
  EXPECT_JET_CONST(JET_coltypGUID, 16);
  EXPECT_JET_CONST(JET_coltypUnsignedShort, 17);
  EXPECT_JET_CONST(JET_coltypUnsignedLongLong, 18);
  EXPECT_JET_CONST(JET_coltypMax, 19);
}

TEST(EsentHeaderTest, DatabaseStatesMatchReference) {
  EXPECT_JET_CONST(JET_dbstateJustCreated, 1);
  EXPECT_JET_CONST(JET_dbstateDirtyShutdown, 2);
  EXPECT_JET_CONST(JET_dbstateCleanShutdown, 3);
  EXPECT_JET_CONST(JET_dbstateBeingConverted, 4);
  EXPECT_JET_CONST(JET_dbstateForceDetach, 5);
  EXPECT_JET_CONST(JET_dbstateIncrementalReseedInProgress, 6);
  EXPECT_JET_CONST(JET_dbstateDirtyAndPatchedShutdown, 7);
  EXPECT_JET_CONST(JET_dbstateRevertInProgress, 8);
  EXPECT_JET_CONST(JET_DbInfoMisc, 14);
}

TEST(EsentHeaderTest, LimitsMatchEse) {
  EXPECT_JET_CONST(JET_cbBookmarkMost, 256);
  EXPECT_JET_CONST(JET_cbKeyMost, 255);
  EXPECT_JET_CONST(JET_cbKeyMostMin, 255);
  EXPECT_JET_CONST(JET_cbKeyMost8KBytePage, 2000);
  EXPECT_JET_CONST(JET_cbKeyMostMost, 2000);
  EXPECT_JET_CONST(JET_cbPrimaryKeyMost, 255);
  EXPECT_JET_CONST(JET_cbSecondaryKeyMost, 255);
  EXPECT_JET_CONST(JET_cbColumnMost, 255);
  EXPECT_JET_CONST(JET_cbLVColumnMost, 0x7FFFFFFF);
  EXPECT_JET_CONST(JET_ccolKeyMost, 16);
  EXPECT_JET_CONST(JET_cbNameMost, 64);
}

TEST(EsentHeaderTest, NilValuesAreAllOnesOfTheirType) {
  static_assert(std::is_same<decltype(JET_instanceNil), JET_INSTANCE>::value,
                "JET_instanceNil is a JET_INSTANCE");
  static_assert(std::is_same<decltype(JET_sesidNil), JET_SESID>::value,
                "JET_sesidNil is a JET_SESID");
  static_assert(std::is_same<decltype(JET_tableidNil), JET_TABLEID>::value,
                "JET_tableidNil is a JET_TABLEID");
  static_assert(std::is_same<decltype(JET_dbidNil), JET_DBID>::value,
                "JET_dbidNil is a JET_DBID");
  EXPECT_EQ(JET_instanceNil, ~JET_INSTANCE{0});
  EXPECT_EQ(JET_sesidNil, ~JET_SESID{0});
  EXPECT_EQ(JET_tableidNil, ~JET_TABLEID{0});
  EXPECT_EQ(JET_dbidNil, JET_DBID{0xFFFFFFFF});
  EXPECT_EQ(JET_bitNil, JET_GRBIT{0});
}

TEST(EsentHeaderTest, TypesHaveEseWidths) {
  static_assert(std::is_same<JET_ERR, long>::value, "JET_ERR is long");
  static_assert(std::is_same<JET_DBID, unsigned long>::value, "");
  static_assert(std::is_same<JET_COLUMNID, unsigned long>::value, "");
  static_assert(std::is_same<JET_GRBIT, unsigned long>::value, "");
  static_assert(std::is_same<JET_COLTYP, unsigned long>::value, "");
  static_assert(std::is_same<JET_OBJTYP, unsigned long>::value, "");
  static_assert(std::is_same<JET_CBTYP, unsigned long>::value, "");
  static_assert(std::is_same<JET_INSTANCE, JET_API_PTR>::value, "");
  static_assert(std::is_same<JET_SESID, JET_API_PTR>::value, "");
  static_assert(std::is_same<JET_TABLEID, JET_API_PTR>::value, "");
  static_assert(std::is_same<JET_LS, JET_API_PTR>::value, "");
  static_assert(std::is_unsigned<JET_API_PTR>::value, "");
  static_assert(sizeof(JET_API_PTR) >= sizeof(void*),
                "a handle can hold a pointer");
  static_assert(sizeof(void*) < 8 || sizeof(JET_API_PTR) == 8,
                "64 bits on every 64-bit target");
  static_assert(sizeof(JET_DBID) == sizeof(unsigned long), "");
  static_assert(sizeof(WCHAR) == 2, "wide strings are UTF-16");
  static_assert(std::is_same<JET_PCSTR, const char*>::value, "");
  static_assert(std::is_same<JET_PSTR, char*>::value, "");
  static_assert(std::is_same<JET_PCWSTR, const WCHAR*>::value, "");
  static_assert(sizeof(JET_LOGTIME) == 8, "byte-packed");
  static_assert(sizeof(JET_SIGNATURE) ==
                    sizeof(unsigned long) + sizeof(JET_LOGTIME) +
                        JET_MAX_COMPUTERNAME_LENGTH + 1,
                "byte-packed");
  static_assert(offsetof(JET_COMMIT_ID, commitId) % 8 == 0, "aligned");
  static_assert(sizeof(JET_INDEXID) >=
                    sizeof(unsigned long) + sizeof(JET_API_PTR) +
                        2 * sizeof(unsigned long),
                "room for the opaque index id");
  SUCCEED();
}

TEST(EsentHeaderTest, StructMembersKeepEseOrder) {
  static_assert(offsetof(JET_TABLECREATE_A, cbStruct) == 0, "");
  static_assert(offsetof(JET_TABLECREATE_A, szTableName) <
                    offsetof(JET_TABLECREATE_A, rgcolumncreate), "");
  static_assert(offsetof(JET_TABLECREATE_A, cIndexes) <
                    offsetof(JET_TABLECREATE_A, grbit), "");
  static_assert(offsetof(JET_TABLECREATE_A, tableid) <
                    offsetof(JET_TABLECREATE_A, cCreated), "");
  static_assert(offsetof(JET_INDEXCREATE_A, lcid) ==
                    offsetof(JET_INDEXCREATE_A, pidxunicode), "a union");
  static_assert(offsetof(JET_INDEXCREATE_A, cbVarSegMac) ==
                    offsetof(JET_INDEXCREATE_A, ptuplelimits), "a union");
  static_assert(offsetof(JET_INDEXCREATE_A, err) <
                    offsetof(JET_INDEXCREATE_A, cbKeyMost), "");
  static_assert(offsetof(JET_COLUMNCREATE_A, cp) <
                    offsetof(JET_COLUMNCREATE_A, columnid), "");
  static_assert(offsetof(JET_COLUMNDEF, wCollate) <
                    offsetof(JET_COLUMNDEF, cbMax), "");
  static_assert(offsetof(JET_SETSYSPARAM_A, paramid) == 0, "");
  static_assert(offsetof(JET_SETSYSPARAM_A, err) >
                    offsetof(JET_SETSYSPARAM_A, sz), "");
  static_assert(offsetof(JET_DBINFOMISC4, cbPageSize) ==
                    offsetof(JET_DBINFOMISC, cbPageSize),
                "later versions extend the first");
  static_assert(offsetof(JET_DBINFOMISC4, genCommitted) ==
                    offsetof(JET_DBINFOMISC3, genCommitted), "");
  static_assert(sizeof(JET_DBINFOMISC) < sizeof(JET_DBINFOMISC2) &&
                    sizeof(JET_DBINFOMISC2) < sizeof(JET_DBINFOMISC3) &&
                    sizeof(JET_DBINFOMISC3) < sizeof(JET_DBINFOMISC4),
                "");

  // Anonymous union members are writable by name, as client code does.
  JET_INDEXCREATE index = {};
  JET_UNICODEINDEX unicode = {0x409, 0};
  index.pidxunicode = &unicode;
  EXPECT_EQ(index.pidxunicode, &unicode);
  JET_LOGTIME logtime = {};
  logtime.fTimeIsUTC = 1;
  logtime.bMillisecondsLow = 0x7f;
  EXPECT_EQ(logtime.fTimeIsUTC, 1);
  EXPECT_EQ(logtime.bMillisecondsLow, 0x7f);
}

TEST(EsentHeaderTest, PlainNamesSelectNarrowForms) {
  EXPECT_SELECTS_NARROW(JetCreateInstance, JetCreateInstanceA);
  EXPECT_SELECTS_NARROW(JetCreateInstance2, JetCreateInstance2A);
  EXPECT_SELECTS_NARROW(JetInit3, JetInit3A);
  EXPECT_SELECTS_NARROW(JetEnableMultiInstance, JetEnableMultiInstanceA);
  EXPECT_SELECTS_NARROW(JetSetSystemParameter, JetSetSystemParameterA);
  EXPECT_SELECTS_NARROW(JetGetSystemParameter, JetGetSystemParameterA);
  EXPECT_SELECTS_NARROW(JetGetInstanceInfo, JetGetInstanceInfoA);
  EXPECT_SELECTS_NARROW(JetBeginSession, JetBeginSessionA);
  EXPECT_SELECTS_NARROW(JetCreateDatabase, JetCreateDatabaseA);
  EXPECT_SELECTS_NARROW(JetCreateDatabase2, JetCreateDatabase2A);
  EXPECT_SELECTS_NARROW(JetAttachDatabase, JetAttachDatabaseA);
  EXPECT_SELECTS_NARROW(JetAttachDatabase2, JetAttachDatabase2A);
  EXPECT_SELECTS_NARROW(JetDetachDatabase, JetDetachDatabaseA);
  EXPECT_SELECTS_NARROW(JetDetachDatabase2, JetDetachDatabase2A);
  EXPECT_SELECTS_NARROW(JetOpenDatabase, JetOpenDatabaseA);
  EXPECT_SELECTS_NARROW(JetGetDatabaseInfo, JetGetDatabaseInfoA);
  EXPECT_SELECTS_NARROW(JetGetDatabaseFileInfo, JetGetDatabaseFileInfoA);
  EXPECT_SELECTS_NARROW(JetCreateTable, JetCreateTableA);
  EXPECT_SELECTS_NARROW(JetCreateTableColumnIndex, JetCreateTableColumnIndexA);
  EXPECT_SELECTS_NARROW(JetCreateTableColumnIndex2,
                        JetCreateTableColumnIndex2A);
  EXPECT_SELECTS_NARROW(JetCreateTableColumnIndex3,
                        JetCreateTableColumnIndex3A);
  EXPECT_SELECTS_NARROW(JetDeleteTable, JetDeleteTableA);
  EXPECT_SELECTS_NARROW(JetOpenTable, JetOpenTableA);
  EXPECT_SELECTS_NARROW(JetAddColumn, JetAddColumnA);
  EXPECT_SELECTS_NARROW(JetDeleteColumn, JetDeleteColumnA);
  EXPECT_SELECTS_NARROW(JetDeleteColumn2, JetDeleteColumn2A);
  EXPECT_SELECTS_NARROW(JetCreateIndex, JetCreateIndexA);
  EXPECT_SELECTS_NARROW(JetCreateIndex2, JetCreateIndex2A);
  EXPECT_SELECTS_NARROW(JetCreateIndex3, JetCreateIndex3A);
  EXPECT_SELECTS_NARROW(JetDeleteIndex, JetDeleteIndexA);
  EXPECT_SELECTS_NARROW(JetGetTableColumnInfo, JetGetTableColumnInfoA);
  EXPECT_SELECTS_NARROW(JetGetColumnInfo, JetGetColumnInfoA);
  EXPECT_SELECTS_NARROW(JetGetTableIndexInfo, JetGetTableIndexInfoA);
  EXPECT_SELECTS_NARROW(JetGetIndexInfo, JetGetIndexInfoA);
  EXPECT_SELECTS_NARROW(JetGetTableInfo, JetGetTableInfoA);
  EXPECT_SELECTS_NARROW(JetSetCurrentIndex, JetSetCurrentIndexA);
  EXPECT_SELECTS_NARROW(JetSetCurrentIndex2, JetSetCurrentIndex2A);
  EXPECT_SELECTS_NARROW(JetSetCurrentIndex3, JetSetCurrentIndex3A);
  EXPECT_SELECTS_NARROW(JetSetCurrentIndex4, JetSetCurrentIndex4A);
  EXPECT_SELECTS_NARROW(JetGetCurrentIndex, JetGetCurrentIndexA);
  EXPECT_SELECTS_NARROW(JetDefragment, JetDefragmentA);
  EXPECT_SELECTS_NARROW(JetDefragment2, JetDefragment2A);

  EXPECT_SELECTS_NARROW(JET_SETSYSPARAM, JET_SETSYSPARAM_A);
  EXPECT_SELECTS_NARROW(JET_RSTMAP, JET_RSTMAP_A);
  EXPECT_SELECTS_NARROW(JET_RSTINFO, JET_RSTINFO_A);
  EXPECT_SELECTS_NARROW(JET_INSTANCE_INFO, JET_INSTANCE_INFO_A);
  EXPECT_SELECTS_NARROW(JET_COLUMNBASE, JET_COLUMNBASE_A);
  EXPECT_SELECTS_NARROW(JET_COLUMNCREATE, JET_COLUMNCREATE_A);
  EXPECT_SELECTS_NARROW(JET_CONDITIONALCOLUMN, JET_CONDITIONALCOLUMN_A);
  EXPECT_SELECTS_NARROW(JET_INDEXCREATE, JET_INDEXCREATE_A);
  EXPECT_SELECTS_NARROW(JET_INDEXCREATE2, JET_INDEXCREATE2_A);
  EXPECT_SELECTS_NARROW(JET_INDEXCREATE3, JET_INDEXCREATE3_A);
  EXPECT_SELECTS_NARROW(JET_TABLECREATE, JET_TABLECREATE_A);
  EXPECT_SELECTS_NARROW(JET_TABLECREATE2, JET_TABLECREATE2_A);
  EXPECT_SELECTS_NARROW(JET_TABLECREATE3, JET_TABLECREATE3_A);

  // Functions without strings keep their plain name: no macro renames them.
  EXPECT_KEEPS_NAME(JetInit);
  EXPECT_KEEPS_NAME(JetTerm2);
  EXPECT_KEEPS_NAME(JetStopServiceInstance2);
  EXPECT_KEEPS_NAME(JetBeginTransaction3);
  EXPECT_KEEPS_NAME(JetGetSessionInfo);
  EXPECT_KEEPS_NAME(JetRetrieveColumn);
  SUCCEED();
}

TEST(EsentHeaderTest, SignaturesMatchEse) {
  EXPECT_SIGNATURE(JetCreateInstance2, JET_INSTANCE*, JET_PCSTR, JET_PCSTR,
                   JET_GRBIT);
  EXPECT_SIGNATURE(JetInit3, JET_INSTANCE*, JET_RSTINFO_A*, JET_GRBIT);
  EXPECT_SIGNATURE(JetTerm2, JET_INSTANCE, JET_GRBIT);
  EXPECT_SIGNATURE(JetStopService, void);
  EXPECT_SIGNATURE(JetStopServiceInstance2, JET_INSTANCE, JET_GRBIT);
  EXPECT_SIGNATURE(JetEnableMultiInstance, JET_SETSYSPARAM_A*, unsigned long,
                   unsigned long*);
  EXPECT_SIGNATURE(JetSetSystemParameter, JET_INSTANCE*, JET_SESID,
                   unsigned long, JET_API_PTR, JET_PCSTR);
  EXPECT_SIGNATURE(JetGetSystemParameter, JET_INSTANCE, JET_SESID,
                   unsigned long, JET_API_PTR*, JET_PSTR, unsigned long);
  EXPECT_SIGNATURE(JetGetInstanceInfo, unsigned long*, JET_INSTANCE_INFO_A**);
  EXPECT_SIGNATURE(JetGetSessionInfo, JET_SESID, void*, unsigned long,
                   unsigned long);
  EXPECT_SIGNATURE(JetAttachDatabase2, JET_SESID, JET_PCSTR, unsigned long,
                   JET_GRBIT);
  EXPECT_SIGNATURE(JetGetDatabaseFileInfo, JET_PCSTR, void*, unsigned long,
                   unsigned long);
  EXPECT_SIGNATURE(JetOpenTable, JET_SESID, JET_DBID, JET_PCSTR, const void*,
                   unsigned long, JET_GRBIT, JET_TABLEID*);
  EXPECT_SIGNATURE(JetCreateIndex, JET_SESID, JET_TABLEID, JET_PCSTR,
                   JET_GRBIT, const char*, unsigned long, unsigned long);
  EXPECT_SIGNATURE(JetCreateIndex3, JET_SESID, JET_TABLEID,
                   JET_INDEXCREATE2_A*, unsigned long);
  EXPECT_SIGNATURE(JetCreateTableColumnIndex3, JET_SESID, JET_DBID,
                   JET_TABLECREATE3_A*);
  EXPECT_SIGNATURE(JetBeginTransaction3, JET_SESID, long long, JET_GRBIT);
  EXPECT_SIGNATURE(JetCommitTransaction2, JET_SESID, JET_GRBIT, unsigned long,
                   JET_COMMIT_ID*);
  EXPECT_SIGNATURE(JetRetrieveColumn, JET_SESID, JET_TABLEID, JET_COLUMNID,
                   void*, unsigned long, unsigned long*, JET_GRBIT,
                   JET_RETINFO*);
  EXPECT_SIGNATURE(JetUpdate2, JET_SESID, JET_TABLEID, void*, unsigned long,
                   unsigned long*, JET_GRBIT);
  EXPECT_SIGNATURE(JetEscrowUpdate, JET_SESID, JET_TABLEID, JET_COLUMNID,
                   void*, unsigned long, void*, unsigned long, unsigned long*,
                   JET_GRBIT);
  EXPECT_SIGNATURE(JetSetCurrentIndex4, JET_SESID, JET_TABLEID, JET_PCSTR,
                   JET_INDEXID*, JET_GRBIT, unsigned long);
  EXPECT_SIGNATURE(JetMove, JET_SESID, JET_TABLEID, long, JET_GRBIT);
  EXPECT_SIGNATURE(JetGetRecordPosition, JET_SESID, JET_TABLEID, JET_RECPOS*,
                   unsigned long);
  EXPECT_SIGNATURE(JetDefragment2, JET_SESID, JET_DBID, JET_PCSTR,
                   unsigned long*, unsigned long*, JET_CALLBACK, JET_GRBIT);
  static_assert(
      std::is_same<JET_CALLBACK,
                   JET_ERR(JET_API*)(JET_SESID, JET_DBID, JET_TABLEID,
                                     JET_CBTYP, void*, void*, void*,
                                     JET_API_PTR)>::value,
      "JET_CALLBACK has ESE's signature");
  SUCCEED();
}

TEST(EsentHeaderTest, JetVersionIsDefinedForClientCode) {
  EXPECT_GE(JET_VERSION, 0x0A00);
}

}  // namespace

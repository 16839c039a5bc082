// Regression: a database created just before its log failed could not be
// recovered ("JET_ERR -1206: page 3 does not belong to object 2").
//
// JetCreateDatabase made its attach record durable but returned before the
// record that formats the new file's first pages (space root, object
// directory, catalog) reached the disk. When the log failed next (or the
// power went), the failed instance wrote no page (by design), so recovery
// found an attach record for a file whose pages were all zero and stopped
// at the object directory. Found by the service test
// ServiceTest.AnEngineFailureStopsTheServiceWithExitOne: the service
// creates its database and table, the next log write fails, and the next
// start must recover.
//
// Now JetCreateDatabase returns only once the formatted database is
// durable, and recovery completes a creation whose formatting never
// reached the log (a crash or failure in the middle of JetCreateDatabase).
// The tests go through the public API with the fault-injecting Env, and
// end the failed instance the way the service does.

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "engine/api/api_state.h"
#include "engine/instance/log_records.h"
#include "esent.h"
#include "jetsvc_ext.h"
#include "platform/testing/fault_env.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

using testing::ScratchDir;

class CreateDurabilityTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (instance_ != JET_instanceNil) JetTerm2(instance_, JET_bitTermAbrupt);
    SetEnv(nullptr);
  }

  static void SetEnv(Env* env) {
    api::ApiState& state = api::ApiState::Get();
    MutexLock lock(&state.mu);
    state.env_for_new_instances = env;
  }

  // Creates and initializes an instance on `dir` that does its I/O through
  // `env` (null: the default Env); recovery keeps databases attached, as
  // the service asks.
  JET_ERR StartInstance(const std::string& dir, Env* env) {
    SetEnv(env);
    const std::string folder = dir + "/";
    JET_ERR err = JetCreateInstance(&instance_, "create-durability");
    if (err >= 0)
      err = JetSetSystemParameter(&instance_, 0, JET_paramSystemPath, 0, folder.c_str());
    if (err >= 0)
      err = JetSetSystemParameter(&instance_, 0, JET_paramLogFilePath, 0, folder.c_str());
    if (err >= 0) err = JetSetSystemParameter(&instance_, 0, JET_paramLogFileSize, 1024, nullptr);
    if (err >= 0) err = JetSetSystemParameter(&instance_, 0, JET_paramCacheSizeMax, 4096, nullptr);
    if (err >= 0) err = JetInit2(&instance_, JET_bitKeepDbAttachedAtEndOfRecovery);
    SetEnv(nullptr);
    if (err < 0) {
      instance_ = JET_instanceNil;  // a failed JetInit frees the instance
      return err;
    }
    sesid_ = JET_sesidNil;
    tableid_ = JET_tableidNil;
    return JetBeginSession(instance_, &sesid_, nullptr, nullptr);
  }

  // The service's table: a Binary key (primary index) and a LongBinary
  // value. Created outside a transaction, so its commit is lazy.
  JET_ERR CreateTable(JET_DBID dbid) {
    JET_COLUMNCREATE columns[2];
    std::memset(columns, 0, sizeof(columns));
    columns[0].cbStruct = sizeof(JET_COLUMNCREATE);
    columns[0].szColumnName = const_cast<char*>("key");
    columns[0].coltyp = JET_coltypBinary;
    columns[0].cbMax = 255;
    columns[0].grbit = JET_bitColumnNotNULL;
    columns[1].cbStruct = sizeof(JET_COLUMNCREATE);
    columns[1].szColumnName = const_cast<char*>("value");
    columns[1].coltyp = JET_coltypLongBinary;
    static const char kIndexKey[] = "+key\0";
    JET_INDEXCREATE index;
    std::memset(&index, 0, sizeof(index));
    index.cbStruct = sizeof(index);
    index.szIndexName = const_cast<char*>("primary");
    index.szKey = const_cast<char*>(kIndexKey);
    index.cbKey = sizeof(kIndexKey);
    index.grbit = JET_bitIndexPrimary | JET_bitIndexUnique;
    JET_TABLECREATE table;
    std::memset(&table, 0, sizeof(table));
    table.cbStruct = sizeof(table);
    table.szTableName = const_cast<char*>("kv");
    table.rgcolumncreate = columns;
    table.cColumns = 2;
    table.rgindexcreate = &index;
    table.cIndexes = 1;
    JET_ERR err = JetCreateTableColumnIndex(sesid_, dbid, &table);
    if (err >= 0) {
      tableid_ = table.tableid;
      key_ = columns[0].columnid;
      value_ = columns[1].columnid;
    }
    return err;
  }

  JET_ERR OpenTable(JET_DBID dbid) {
    JET_ERR err = JetOpenTable(sesid_, dbid, "kv", nullptr, 0, 0, &tableid_);
    JET_COLUMNDEF def;
    if (err >= 0)
      err = JetGetTableColumnInfo(sesid_, tableid_, "key", &def, sizeof(def), JET_ColInfo);
    if (err >= 0) key_ = def.columnid;
    if (err >= 0)
      err = JetGetTableColumnInfo(sesid_, tableid_, "value", &def, sizeof(def), JET_ColInfo);
    if (err >= 0) value_ = def.columnid;
    return err;
  }

  // One durable transaction, as the service's Put.
  JET_ERR Put(const std::string& key, const std::string& value) {
    JET_ERR err = JetBeginTransaction(sesid_);
    if (err < 0) return err;
    err = JetPrepareUpdate(sesid_, tableid_, JET_prepInsert);
    if (err >= 0)
      err = JetSetColumn(sesid_, tableid_, key_, key.data(), static_cast<unsigned long>(key.size()),
                         0, nullptr);
    if (err >= 0)
      err = JetSetColumn(sesid_, tableid_, value_, value.data(),
                         static_cast<unsigned long>(value.size()), 0, nullptr);
    if (err >= 0) err = JetUpdate(sesid_, tableid_, nullptr, 0, nullptr);
    if (err >= 0) err = JetCommitTransaction(sesid_, 0);
    if (err < 0) {
      JetPrepareUpdate(sesid_, tableid_, JET_prepCancel);
      JetRollback(sesid_, JET_bitRollbackAll);
    }
    return err;
  }

  // Reads every row of the open table into *rows.
  JET_ERR ReadAll(std::map<std::string, std::string>* rows) {
    rows->clear();
    JET_ERR err = JetMove(sesid_, tableid_, JET_MoveFirst, 0);
    while (err >= 0) {
      std::string key(255, '\0');
      unsigned long key_size = 0;
      err = JetRetrieveColumn(sesid_, tableid_, key_, key.data(),
                              static_cast<unsigned long>(key.size()), &key_size, 0, nullptr);
      if (err < 0) return err;
      key.resize(key_size);
      unsigned long value_size = 0;
      err = JetRetrieveColumn(sesid_, tableid_, value_, nullptr, 0, &value_size, 0, nullptr);
      if (err < 0 && err != JET_wrnBufferTruncated) return err;
      std::string value(value_size, '\0');
      err = JetRetrieveColumn(sesid_, tableid_, value_, value.data(), value_size, &value_size, 0,
                              nullptr);
      if (err < 0) return err;
      (*rows)[key] = value;
      err = JetMove(sesid_, tableid_, JET_MoveNext, 0);
    }
    return err == JET_errNoCurrentRecord ? JET_errSuccess : err;
  }

  // Ends a failed instance the way the service does after a fatal error:
  // the stop (refused), then every handle, then a term that ends dirty. A
  // term whose own flush hits the `injected` error returns that error.
  void TermLikeTheService(JET_ERR injected) {
    JetStopServiceInstance2(instance_, JET_bitStopServiceAll);
    JetRollback(sesid_, JET_bitRollbackAll);
    if (tableid_ != JET_tableidNil) JetCloseTable(sesid_, tableid_);
    JetEndSession(sesid_, 0);
    const JET_ERR err = JetTerm2(instance_, JET_bitTermComplete);
    EXPECT_TRUE(err == JET_errSuccess || err == JET_errDirtyShutdown || err == injected) << err;
    instance_ = JET_instanceNil;
    tableid_ = JET_tableidNil;
  }

  // After a restart: the database is attached (recovery kept it) or
  // attachable, and opens.
  void ExpectUsableDatabase(const std::string& path, JET_DBID* dbid) {
    const JET_ERR attach = JetAttachDatabase(sesid_, path.c_str(), 0);
    ASSERT_TRUE(attach == JET_errSuccess || attach == JET_wrnDatabaseAttached) << attach;
    ASSERT_JET(JET_errSuccess, JetOpenDatabase(sesid_, path.c_str(), nullptr, dbid, 0));
  }

  ScratchDir dir_;
  JET_INSTANCE instance_ = JET_instanceNil;
  JET_SESID sesid_ = JET_sesidNil;
  JET_TABLEID tableid_ = JET_tableidNil;
  JET_COLUMNID key_ = 0;
  JET_COLUMNID value_ = 0;
};

// The service's sequence: create the database and its table, then the log
// fails at the first durable write. The next start recovers, and every
// write acknowledged before the failure is there. Run for a full log disk
// and for an I/O error, with and without acknowledged writes.
struct LogFailureCase {
  JET_ERR error;
  int acknowledged_puts;  // durable writes before the log fails
  // After creating the table, JetCommitTransaction(WaitLastLevel0Commit)
  // outside a transaction makes the lazily committed DDL durable.
  bool durable_schema;
};

class LogFailureAfterCreateTest : public CreateDurabilityTest,
                                  public ::testing::WithParamInterface<LogFailureCase> {};

TEST_P(LogFailureAfterCreateTest, TheNextStartRecoversEveryAcknowledgedWrite) {
  const LogFailureCase param = GetParam();
  FaultInjectionEnv env(Env::Default());
  const std::string path = dir_.Join("kv.edb");
  ASSERT_JET(JET_errSuccess, StartInstance(dir_.path(), &env));
  JET_DBID dbid = 0;
  ASSERT_JET(JET_errSuccess, JetCreateDatabase(sesid_, path.c_str(), nullptr, &dbid, 0));
  ASSERT_JET(JET_errSuccess, CreateTable(dbid));
  if (param.durable_schema) {
    ASSERT_JET(JET_errSuccess, JetCommitTransaction(sesid_, JET_bitWaitLastLevel0Commit));
  }
  std::map<std::string, std::string> acknowledged;
  for (int i = 0; i < param.acknowledged_puts; ++i) {
    const std::string key = "k" + std::to_string(i);
    const std::string value(4000, static_cast<char>('a' + i % 26));
    ASSERT_JET(JET_errSuccess, Put(key, value));
    acknowledged[key] = value;
  }
  env.FailWrites(".log", param.error);
  JET_ERR err = JET_errSuccess;
  for (int i = 0; i < 100 && err >= 0; ++i) {
    err = Put("x" + std::to_string(i), std::string(4000, 'x'));
    if (err >= 0) acknowledged["x" + std::to_string(i)] = std::string(4000, 'x');
  }
  ASSERT_LT(err, 0) << "the log failure never surfaced";
  JET_ERR fatal = JET_errSuccess;
  ASSERT_JET(JET_errSuccess, JetsvcGetInstanceFailure(instance_, &fatal));
  EXPECT_LT(fatal, 0);
  TermLikeTheService(param.error);
  env.ClearWriteFailure();

  // Before the fix this JetInit failed with -1206.
  ASSERT_JET(JET_errSuccess, StartInstance(dir_.path(), nullptr));
  ASSERT_NO_FATAL_FAILURE(ExpectUsableDatabase(path, &dbid));
  // The table's creation was lazy: unless made durable, or followed by an
  // acknowledged write, it may be gone.
  const JET_ERR open = OpenTable(dbid);
  if (acknowledged.empty() && !param.durable_schema) {
    ASSERT_TRUE(open == JET_errSuccess || open == JET_errObjectNotFound) << open;
    if (open == JET_errObjectNotFound) {
      ASSERT_JET(JET_errSuccess, CreateTable(dbid));
    }
  } else {
    ASSERT_JET(JET_errSuccess, open);
  }
  std::map<std::string, std::string> rows;
  ASSERT_JET(JET_errSuccess, ReadAll(&rows));
  for (const auto& [key, value] : acknowledged) {
    auto it = rows.find(key);
    ASSERT_NE(rows.end(), it) << "acknowledged key " << key << " lost";
    EXPECT_EQ(value, it->second) << key;
  }
  // Writable again.
  ASSERT_JET(JET_errSuccess, Put("after", std::string(4000, 'z')));
  ASSERT_JET(JET_errSuccess, JetCloseTable(sesid_, tableid_));
  tableid_ = JET_tableidNil;
  ASSERT_JET(JET_errSuccess, JetEndSession(sesid_, 0));
  ASSERT_JET(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete));
  instance_ = JET_instanceNil;
}

INSTANTIATE_TEST_SUITE_P(Failures, LogFailureAfterCreateTest,
                         ::testing::Values(LogFailureCase{JET_errDiskFull, 0, false},
                                           LogFailureCase{JET_errDiskIO, 0, false},
                                           LogFailureCase{JET_errDiskFull, 0, true},
                                           LogFailureCase{JET_errDiskFull, 5, false},
                                           LogFailureCase{JET_errDiskIO, 5, false}));

// Database-file writes fail instead: the log is fine, so every write is
// acknowledged until the cache cannot write pages; the term cannot flush
// and ends dirty. The next start replays the log onto the file.
TEST_F(CreateDurabilityTest, DatabaseWriteFailureAfterCreateLosesNothing) {
  for (JET_ERR error : {JET_errDiskFull, JET_errDiskIO}) {
    SCOPED_TRACE(error);
    ScratchDir dir;
    FaultInjectionEnv env(Env::Default());
    const std::string path = dir.Join("kv.edb");
    ASSERT_JET(JET_errSuccess, StartInstance(dir.path(), &env));
    JET_DBID dbid = 0;
    ASSERT_JET(JET_errSuccess, JetCreateDatabase(sesid_, path.c_str(), nullptr, &dbid, 0));
    ASSERT_JET(JET_errSuccess, CreateTable(dbid));
    env.FailWrites(".edb", error);
    std::map<std::string, std::string> acknowledged;
    for (int i = 0; i < 100; ++i) {
      const std::string key = "k" + std::to_string(i);
      const std::string value(4000, static_cast<char>('a' + i % 26));
      if (Put(key, value) < 0) break;
      acknowledged[key] = value;
    }
    ASSERT_FALSE(acknowledged.empty());
    TermLikeTheService(error);
    env.ClearWriteFailure();

    ASSERT_JET(JET_errSuccess, StartInstance(dir.path(), nullptr));
    ASSERT_NO_FATAL_FAILURE(ExpectUsableDatabase(path, &dbid));
    ASSERT_JET(JET_errSuccess, OpenTable(dbid));
    std::map<std::string, std::string> rows;
    ASSERT_JET(JET_errSuccess, ReadAll(&rows));
    EXPECT_EQ(acknowledged, rows);
    ASSERT_JET(JET_errSuccess, JetCloseTable(sesid_, tableid_));
    tableid_ = JET_tableidNil;
    ASSERT_JET(JET_errSuccess, JetEndSession(sesid_, 0));
    ASSERT_JET(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete));
    instance_ = JET_instanceNil;
  }
}

// JetCreateDatabase is durable when it returns: a power cut right after it
// leaves a database that recovers and opens.
TEST_F(CreateDurabilityTest, PowerCutRightAfterCreateKeepsTheDatabase) {
  FaultInjectionEnv env(Env::Default());
  const std::string path = dir_.Join("kv.edb");
  ASSERT_JET(JET_errSuccess, StartInstance(dir_.path(), &env));
  JET_DBID dbid = 0;
  ASSERT_JET(JET_errSuccess, JetCreateDatabase(sesid_, path.c_str(), nullptr, &dbid, 0));
  env.CutPower();
  JetEndSession(sesid_, 0);
  JetTerm2(instance_, JET_bitTermAbrupt);
  instance_ = JET_instanceNil;
  ASSERT_OK(env.DropUnsyncedData());

  ASSERT_JET(JET_errSuccess, StartInstance(dir_.path(), nullptr));
  ASSERT_NO_FATAL_FAILURE(ExpectUsableDatabase(path, &dbid));
  ASSERT_JET(JET_errSuccess, CreateTable(dbid));
  ASSERT_JET(JET_errSuccess, Put("k", std::string(4000, 'v')));
}

// A write failure at any point inside JetCreateDatabase: whatever the call
// returned, the next start recovers, and the path then holds a usable
// database (the creation completed by recovery) or can be created again.
// The log budgets end inside the attach record (about a hundred bytes) or
// inside the formatting record after it; the database-file budgets end at
// each header write (a page each).
TEST_F(CreateDurabilityTest, AWriteFailureInsideCreateNeverBlocksRecovery) {
  std::vector<std::pair<const char*, uint64_t>> cases;
  for (uint64_t budget = 0; budget <= 480; budget += 12) cases.emplace_back(".log", budget);
  for (uint64_t pages = 0; pages <= 10; ++pages) cases.emplace_back(".edb", pages * 4096);
  int completed_by_recovery = 0;
  for (const auto& [file, budget] : cases) {
    SCOPED_TRACE(std::string(file) + " budget " + std::to_string(budget));
    ScratchDir dir;
    FaultInjectionEnv env(Env::Default());
    const std::string path = dir.Join("kv.edb");
    ASSERT_JET(JET_errSuccess, StartInstance(dir.path(), &env));
    env.FailWrites(file, JET_errDiskFull, budget);
    JET_DBID dbid = 0;
    const JET_ERR created = JetCreateDatabase(sesid_, path.c_str(), nullptr, &dbid, 0);
    JetEndSession(sesid_, 0);
    // Abrupt: a crash as far as the files are concerned.
    JetTerm2(instance_, JET_bitTermAbrupt);
    instance_ = JET_instanceNil;
    env.ClearWriteFailure();

    ASSERT_JET(JET_errSuccess, StartInstance(dir.path(), nullptr));
    const JET_ERR attach = JetAttachDatabase(sesid_, path.c_str(), 0);
    if (created >= 0) {
      ASSERT_TRUE(attach == JET_errSuccess || attach == JET_wrnDatabaseAttached) << attach;
    } else if (attach == JET_wrnDatabaseAttached) {
      ++completed_by_recovery;  // the attach record made it, the rest did not
    } else if (attach != JET_errSuccess) {
      ASSERT_JET(JET_errSuccess, JetCreateDatabase(sesid_, path.c_str(), nullptr, &dbid,
                                                   JET_bitDbOverwriteExisting));
      ASSERT_JET(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
    }
    ASSERT_JET(JET_errSuccess, JetOpenDatabase(sesid_, path.c_str(), nullptr, &dbid, 0));
    ASSERT_JET(JET_errSuccess, CreateTable(dbid));
    ASSERT_JET(JET_errSuccess, Put("k", "v"));
    ASSERT_JET(JET_errSuccess, JetCloseTable(sesid_, tableid_));
    tableid_ = JET_tableidNil;
    ASSERT_JET(JET_errSuccess, JetEndSession(sesid_, 0));
    ASSERT_JET(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete));
    instance_ = JET_instanceNil;
  }
  // The interesting window was reached at least once.
  EXPECT_GT(completed_by_recovery, 0);
}

// The exact window: the attach record reaches the log, the formatting
// record does not. Recovery formats the file as JetCreateDatabase2 asked,
// size limit included (the attach record carries it).
TEST_F(CreateDurabilityTest, RecoveryFinishesACreateCutAfterItsAttachRecord) {
  FaultInjectionEnv env(Env::Default());
  const std::string path = dir_.Join("kv.edb");
  constexpr unsigned long kMaxPages = 40;
  ASSERT_JET(JET_errSuccess, StartInstance(dir_.path(), &env));
  // The attach record is the next log write: one fragment (7-byte header)
  // in the first block. Allow exactly that much.
  AttachRecord attach;
  attach.db_id = 1;
  attach.path = path;
  attach.created = true;
  attach.max_pages = kMaxPages;
  env.FailWrites(".log", JET_errDiskFull, 7 + EncodeAttachRecord(attach).size());
  JET_DBID dbid = 0;
  EXPECT_JET(JET_errLogDiskFull, JetCreateDatabase2(sesid_, path.c_str(), kMaxPages, &dbid, 0));
  TermLikeTheService(JET_errLogDiskFull);
  env.ClearWriteFailure();

  ASSERT_JET(JET_errSuccess, StartInstance(dir_.path(), nullptr));
  // Recovery replayed the attach record, so the database is attached.
  ASSERT_JET(JET_wrnDatabaseAttached, JetAttachDatabase(sesid_, path.c_str(), 0));
  ASSERT_JET(JET_errSuccess, JetOpenDatabase(sesid_, path.c_str(), nullptr, &dbid, 0));
  ASSERT_JET(JET_errSuccess, CreateTable(dbid));
  JET_ERR err = JET_errSuccess;
  int puts = 0;
  for (; puts < 200 && err >= 0; ++puts)
    err = Put("k" + std::to_string(puts), std::string(4000, 'v'));
  EXPECT_JET(JET_errOutOfDatabaseSpace, err) << "after " << puts << " puts of 4000 bytes";
}

}  // namespace
}  // namespace jetsvc

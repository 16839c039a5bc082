// The stop service and term through the C API (reference §3): which calls a
// stop refuses with JET_errClientRequestToStopJetService and which it
// allows, resumable stops, stops with an open transaction, the jetsvc
// quiesce extension, and stop/term racing with busy sessions.

#include <atomic>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/api/api_state.h"
#include "esent.h"
#include "jetsvc_ext.h"
#include "platform/testing/fault_env.h"
#include "tests/testing/test_util.h"

namespace {

using jetsvc::testing::ScratchDir;

class ApiStopTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Start(/*create=*/true)); }

  void TearDown() override {
    if (instance_ != JET_instanceNil) {
      JetRollback(sesid_, JET_bitRollbackAll);
      EXPECT_JET(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete));
    }
  }

  void Start(bool create) {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_JET(JET_errSuccess, JetCreateInstance(&instance_, name.c_str()));
    const std::string folder = dir_.path() + "/";
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramSystemPath, 0, folder.c_str()));
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramLogFilePath, 0, folder.c_str()));
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramLogFileSize, 1024, nullptr));
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramCacheSizeMax, 4096, nullptr));
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramMaxVerPages, 4096, nullptr));
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramMaxSessions, 64, nullptr));
    ASSERT_JET(JET_errSuccess, JetInit(&instance_));
    ASSERT_JET(JET_errSuccess, JetBeginSession(instance_, &sesid_, nullptr, nullptr));
    db_path_ = dir_.Join("stop.edb");
    if (create) {
      ASSERT_JET(JET_errSuccess, JetCreateDatabase(sesid_, db_path_.c_str(), nullptr, &dbid_, 0));
      ASSERT_NO_FATAL_FAILURE(CreateTable());
    } else {
      ASSERT_JET(JET_errSuccess, JetAttachDatabase(sesid_, db_path_.c_str(), 0));
      ASSERT_JET(JET_errSuccess, JetOpenDatabase(sesid_, db_path_.c_str(), nullptr, &dbid_, 0));
      ASSERT_JET(JET_errSuccess, JetOpenTable(sesid_, dbid_, "t", nullptr, 0, 0, &tableid_));
      ASSERT_NO_FATAL_FAILURE(FindColumns(sesid_, tableid_));
    }
  }

  void Restart() {
    ASSERT_JET(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete));
    instance_ = JET_instanceNil;
    ASSERT_NO_FATAL_FAILURE(Start(/*create=*/false));
  }

  void CreateTable() {
    JET_COLUMNCREATE columns[2];
    std::memset(columns, 0, sizeof(columns));
    columns[0] = {sizeof(JET_COLUMNCREATE), const_cast<char*>("k"), JET_coltypLong, 0, 0, nullptr, 0, 0, 0, 0};
    columns[1] = {sizeof(JET_COLUMNCREATE), const_cast<char*>("v"), JET_coltypLongBinary, 0, 0, nullptr, 0, 0, 0, 0};
    static const char kKey[] = "+k\0";
    JET_INDEXCREATE index;
    std::memset(&index, 0, sizeof(index));
    index.cbStruct = sizeof(index);
    index.szIndexName = const_cast<char*>("primary");
    index.szKey = const_cast<char*>(kKey);
    index.cbKey = sizeof(kKey);
    index.grbit = JET_bitIndexPrimary;
    JET_TABLECREATE create;
    std::memset(&create, 0, sizeof(create));
    create.cbStruct = sizeof(create);
    create.szTableName = const_cast<char*>("t");
    create.rgcolumncreate = columns;
    create.cColumns = 2;
    create.rgindexcreate = &index;
    create.cIndexes = 1;
    ASSERT_JET(JET_errSuccess, JetCreateTableColumnIndex(sesid_, dbid_, &create));
    tableid_ = create.tableid;
    k_ = columns[0].columnid;
    v_ = columns[1].columnid;
  }

  void FindColumns(JET_SESID sesid, JET_TABLEID tableid) {
    JET_COLUMNDEF def;
    ASSERT_JET(JET_errSuccess, JetGetTableColumnInfo(sesid, tableid, "k", &def, sizeof(def), JET_ColInfo));
    k_ = def.columnid;
    ASSERT_JET(JET_errSuccess, JetGetTableColumnInfo(sesid, tableid, "v", &def, sizeof(def), JET_ColInfo));
    v_ = def.columnid;
  }

  JET_ERR Insert(JET_SESID sesid, JET_TABLEID tableid, int32_t k, const std::string& v) {
    JET_ERR err = JetPrepareUpdate(sesid, tableid, JET_prepInsert);
    if (err >= 0) err = JetSetColumn(sesid, tableid, k_, &k, sizeof(k), 0, nullptr);
    if (err >= 0) {
      err = JetSetColumn(sesid, tableid, v_, v.data(), static_cast<unsigned long>(v.size()), 0, nullptr);
    }
    if (err >= 0) err = JetUpdate(sesid, tableid, nullptr, 0, nullptr);
    if (err < 0) JetPrepareUpdate(sesid, tableid, JET_prepCancel);
    return err;
  }

  // Lazily committed inserts that leave the cache dirty.
  void Load(int count) {
    for (int i = 0; i < count; i += 50) {
      ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid_));
      for (int j = i; j < i + 50 && j < count; ++j) {
        ASSERT_JET(JET_errSuccess, Insert(sesid_, tableid_, j, std::string(200, static_cast<char>('a' + j % 26))));
      }
      ASSERT_JET(JET_errSuccess, JetCommitTransaction(sesid_, JET_bitCommitLazyFlush));
    }
  }

  int CountRecords() {
    int count = 0;
    JET_ERR err = JetMove(sesid_, tableid_, JET_MoveFirst, 0);
    while (err == JET_errSuccess) {
      ++count;
      err = JetMove(sesid_, tableid_, JET_MoveNext, 0);
    }
    EXPECT_JET(JET_errNoCurrentRecord, err);
    return count;
  }

  ScratchDir dir_;
  JET_INSTANCE instance_ = JET_instanceNil;
  JET_SESID sesid_ = JET_sesidNil;
  JET_DBID dbid_ = 0;
  JET_TABLEID tableid_ = JET_tableidNil;
  std::string db_path_;
  JET_COLUMNID k_ = 0;
  JET_COLUMNID v_ = 0;
};

TEST_F(ApiStopTest, StopAllRefusesWorkAndAllowsWindingDown) {
  Load(200);
  JET_SESID second = JET_sesidNil;
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance_, &second, nullptr, nullptr));
  ASSERT_JET(JET_errSuccess, JetSetSessionContext(second, 42));
  ASSERT_JET(JET_errSuccess, JetStopServiceInstance2(instance_, JET_bitStopServiceAll));
  // Refused: new sessions and every working call, reads included.
  JET_SESID third = JET_sesidNil;
  EXPECT_JET(JET_errClientRequestToStopJetService, JetBeginSession(instance_, &third, nullptr, nullptr));
  EXPECT_JET(JET_errClientRequestToStopJetService, JetBeginTransaction(sesid_));
  EXPECT_JET(JET_errClientRequestToStopJetService, JetMove(sesid_, tableid_, JET_MoveFirst, 0));
  int32_t k = 0;
  unsigned long actual = 0;
  EXPECT_JET(JET_errClientRequestToStopJetService,
             JetRetrieveColumn(sesid_, tableid_, k_, &k, sizeof(k), &actual, 0, nullptr));
  EXPECT_JET(JET_errClientRequestToStopJetService, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  JET_TABLEID other = JET_tableidNil;
  EXPECT_JET(JET_errClientRequestToStopJetService, JetOpenTable(sesid_, dbid_, "t", nullptr, 0, 0, &other));
  JET_DBID dbid = 0;
  EXPECT_JET(JET_errClientRequestToStopJetService,
             JetOpenDatabase(sesid_, db_path_.c_str(), nullptr, &dbid, 0));
  unsigned long passes = 0, seconds = 0;
  EXPECT_JET(JET_errClientRequestToStopJetService,
             JetDefragment(sesid_, dbid_, nullptr, &passes, &seconds, JET_bitDefragmentBatchStart));
  // Parameters are never blocked.
  JET_API_PTR value = 0;
  EXPECT_JET(JET_errSuccess, JetGetSystemParameter(instance_, JET_sesidNil, JET_paramCacheSizeMax,
                                                   &value, nullptr, 0));
  EXPECT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, JET_sesidNil, JET_paramCacheSizeMax,
                                                   value, nullptr));
  // Allowed: winding down.
  EXPECT_JET(JET_errClientRequestToStopJetService, JetSetSessionContext(sesid_, 7));
  EXPECT_JET(JET_errSuccess, JetResetSessionContext(second));
  EXPECT_JET(JET_errSuccess, JetCloseTable(sesid_, tableid_));
  tableid_ = JET_tableidNil;
  EXPECT_JET(JET_errSuccess, JetCloseDatabase(sesid_, dbid_, 0));
  EXPECT_JET(JET_errSuccess, JetEndSession(second, 0));
  EXPECT_JET(JET_errSuccess, JetDetachDatabase(sesid_, db_path_.c_str()));
  // The quiesce finishes; term has nothing left.
  EXPECT_JET(JET_errSuccess, JetsvcWaitForQuiesce(instance_, 30000));
  JETSVC_STOP_PROGRESS progress;
  std::memset(&progress, 0, sizeof(progress));
  progress.cbStruct = sizeof(progress);
  ASSERT_JET(JET_errSuccess, JetsvcGetStopProgress(instance_, &progress));
  EXPECT_EQ(0u, progress.cDirtyPages);
  EXPECT_NE(0u, progress.ulStopState & JETSVC_bitStopAll);
  EXPECT_NE(0u, progress.ulStopState & JETSVC_bitStopQuiesced);
  // A Resume after All is refused and changes nothing.
  EXPECT_JET(JET_errClientRequestToStopJetService,
             JetStopServiceInstance2(instance_, JET_bitStopServiceResume));
}

TEST_F(ApiStopTest, ResumableStopsKeepTheApiUsable) {
  Load(100);
  for (JET_GRBIT bits : {JET_GRBIT{JET_bitStopServiceBackgroundUserTasks},
                         JET_GRBIT{JET_bitStopServiceQuiesceCaches}}) {
    ASSERT_JET(JET_errSuccess, JetStopServiceInstance2(instance_, bits));
    JET_SESID session = JET_sesidNil;
    EXPECT_JET(JET_errSuccess, JetBeginSession(instance_, &session, nullptr, nullptr));
    EXPECT_JET(JET_errSuccess, JetEndSession(session, 0));
    EXPECT_JET(JET_errSuccess, JetBeginTransaction(sesid_));
    EXPECT_JET(JET_errSuccess, Insert(sesid_, tableid_, 10000 + static_cast<int32_t>(bits), "x"));
    EXPECT_JET(JET_errSuccess, JetCommitTransaction(sesid_, 0));
    ASSERT_JET(JET_errSuccess, JetStopServiceInstance2(instance_, JET_bitStopServiceResume | bits));
  }
  // QuiesceCaches: the wait works while the API stays open.
  ASSERT_JET(JET_errSuccess, JetStopServiceInstance2(instance_, JET_bitStopServiceQuiesceCaches));
  EXPECT_JET(JET_errSuccess, JetsvcWaitForQuiesce(instance_, 30000));
  ASSERT_JET(JET_errSuccess, JetStopServiceInstance2(instance_, JET_bitStopServiceResume));
  EXPECT_JET(JET_errInvalidOperation, JetsvcWaitForQuiesce(instance_, 10));
  EXPECT_EQ(102, CountRecords());
}

TEST_F(ApiStopTest, StopWithAnOpenTransactionAllowsOnlyRollback) {
  Load(10);
  ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_JET(JET_errSuccess, Insert(sesid_, tableid_, 777, "uncommitted"));
  ASSERT_JET(JET_errSuccess, JetStopServiceInstance2(instance_, JET_bitStopServiceAll));
  EXPECT_JET(JET_errClientRequestToStopJetService, JetCommitTransaction(sesid_, 0));
  // Term refuses while the transaction is open; the instance stays alive.
  EXPECT_JET(JET_errTooManyActiveUsers, JetTerm2(instance_, JET_bitTermComplete));
  EXPECT_JET(JET_errSuccess, JetRollback(sesid_, 0));
  ASSERT_JET(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete));
  instance_ = JET_instanceNil;
  ASSERT_NO_FATAL_FAILURE(Start(/*create=*/false));
  EXPECT_EQ(10, CountRecords());
}

TEST_F(ApiStopTest, LegacyStopInMultiInstanceModeUsesTheInstanceCall) {
  EXPECT_JET(JET_errRunningInMultiInstanceMode, JetStopService());
  ASSERT_JET(JET_errSuccess, JetStopServiceInstance(instance_));
  JET_SESID session = JET_sesidNil;
  EXPECT_JET(JET_errClientRequestToStopJetService, JetBeginSession(instance_, &session, nullptr, nullptr));
  JET_API_PTR depth = 0;
  ASSERT_JET(JET_errSuccess, JetGetSystemParameter(instance_, JET_sesidNil, JET_paramCheckpointDepthMax,
                                                   &depth, nullptr, 0));
  EXPECT_EQ(16384u, depth);
  EXPECT_JET(JET_errSuccess, JetStopServiceInstance2(instance_, JET_bitStopServiceResume));
  EXPECT_JET(JET_errClientRequestToStopJetService, JetBeginSession(instance_, &session, nullptr, nullptr));
}

TEST_F(ApiStopTest, DefragmentStartsStopsAndReports) {
  Load(600);
  // Delete most records so leaves are sparse.
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid_, JET_MoveFirst, 0));
  int index = 0;
  JET_ERR err = JET_errSuccess;
  while (err == JET_errSuccess) {
    if (index++ % 5 != 0) {
      ASSERT_JET(JET_errSuccess, JetDelete(sesid_, tableid_));
    }
    err = JetMove(sesid_, tableid_, JET_MoveNext, 0);
  }
  unsigned long passes = 0, seconds = 0;
  EXPECT_JET(JET_wrnDefragNotRunning,
             JetDefragment(sesid_, dbid_, nullptr, &passes, &seconds, JET_bitDefragmentBatchStop));
  passes = 3;
  seconds = 0;
  ASSERT_JET(JET_errSuccess,
             JetDefragment2(sesid_, dbid_, nullptr, &passes, &seconds, nullptr, JET_bitDefragmentBatchStart));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  err = JetDefragment2(sesid_, dbid_, nullptr, &passes, &seconds, nullptr, JET_bitDefragmentBatchStop);
  EXPECT_TRUE(err == JET_errSuccess || err == JET_wrnDefragNotRunning) << err;
  EXPECT_LE(passes, 3u);
  EXPECT_EQ(120, CountRecords());
}

// Eight sessions insert durably while another thread stops and terms the
// instance. Nothing crashes or deadlocks, and every acknowledged commit is
// there after the next init.
TEST_F(ApiStopTest, StopAndTermRaceBusySessions) {
  std::atomic<bool> go{false};
  std::mutex mu;
  std::vector<int32_t> acknowledged;
  std::vector<std::thread> workers;
  for (int t = 0; t < 8; ++t) {
    workers.emplace_back([&, t] {
      JET_SESID sesid = JET_sesidNil;
      if (JetBeginSession(instance_, &sesid, nullptr, nullptr) != JET_errSuccess) return;
      JET_DBID dbid = 0;
      JET_TABLEID tableid = JET_tableidNil;
      if (JetOpenDatabase(sesid, db_path_.c_str(), nullptr, &dbid, 0) != JET_errSuccess ||
          JetOpenTable(sesid, dbid, "t", nullptr, 0, 0, &tableid) != JET_errSuccess) {
        JetEndSession(sesid, 0);
        return;
      }
      while (!go.load()) std::this_thread::yield();
      for (int32_t i = 0; i < 100000; ++i) {
        const int32_t k = 1000000 * (t + 1) + i;
        JET_ERR err = JetBeginTransaction(sesid);
        if (err >= 0) err = Insert(sesid, tableid, k, "worker");
        if (err >= 0) err = JetCommitTransaction(sesid, 0);
        if (err < 0) {
          // Stopped, terminating, or gone. A rollback that lands inside one
          // of the main thread's term attempts gets JET_errTermInProgress
          // (as in ESE): retry until it goes through or the session is gone.
          JET_ERR rolled = JET_errTermInProgress;
          while (rolled == JET_errTermInProgress) {
            rolled = JetRollback(sesid, JET_bitRollbackAll);
            if (rolled == JET_errTermInProgress) std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
          break;
        }
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.push_back(k);
      }
      JetCloseTable(sesid, tableid);
      JetEndSession(sesid, 0);
    });
  }
  go = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_JET(JET_errSuccess, JetStopServiceInstance2(instance_, JET_bitStopServiceAll));
  JetCloseTable(sesid_, tableid_);
  tableid_ = JET_tableidNil;
  // Term retries while workers still hold open transactions.
  JET_ERR term = JET_errTooManyActiveUsers;
  for (int attempt = 0; attempt < 2000 && term == JET_errTooManyActiveUsers; ++attempt) {
    term = JetTerm2(instance_, JET_bitTermComplete);
    if (term == JET_errTooManyActiveUsers) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_JET(JET_errSuccess, term);
  for (std::thread& worker : workers) worker.join();
  instance_ = JET_instanceNil;
  ASSERT_NO_FATAL_FAILURE(Start(/*create=*/false));
  for (int32_t k : acknowledged) {
    ASSERT_JET(JET_errSuccess, JetMakeKey(sesid_, tableid_, &k, sizeof(k), JET_bitNewKey));
    ASSERT_JET(JET_errSuccess, JetSeek(sesid_, tableid_, JET_bitSeekEQ)) << "lost commit " << k;
  }
  EXPECT_GT(acknowledged.size(), 0u);
}

}  // namespace

namespace jetsvc {
namespace {

// Instances created by this fixture write through a fault-injecting Env.
class ApiInstanceFailureTest : public ApiStopTest {
 protected:
  void SetUp() override {
    SetEnv(&env_);
    ApiStopTest::SetUp();
    SetEnv(nullptr);
  }

  // A failed instance terminates dirty (the next JetInit recovers).
  void TearDown() override {
    JetRollback(sesid_, JET_bitRollbackAll);
    EXPECT_JET(JET_errDirtyShutdown, JetTerm2(instance_, JET_bitTermComplete));
    instance_ = JET_instanceNil;
  }

  static void SetEnv(Env* env) {
    api::ApiState& state = api::ApiState::Get();
    MutexLock lock(&state.mu);
    state.env_for_new_instances = env;
  }

  FaultInjectionEnv env_{Env::Default()};
};

TEST_F(ApiInstanceFailureTest, ALogWriteFailureIsReportedUntilTerm) {
  JET_ERR fatal = -1;
  ASSERT_JET(JET_errSuccess, JetsvcGetInstanceFailure(instance_, &fatal));
  EXPECT_EQ(JET_errSuccess, fatal);
  EXPECT_JET(JET_errInvalidParameter, JetsvcGetInstanceFailure(instance_, nullptr));
  Load(50);
  env_.FailWrites(".log", JET_errDiskFull);
  JET_ERR err = JET_errSuccess;
  for (int i = 0; i < 200 && err >= 0; ++i) {
    err = JetBeginTransaction(sesid_);
    if (err >= 0) err = Insert(sesid_, tableid_, 1000 + i, std::string(4000, 'x'));
    if (err >= 0) err = JetCommitTransaction(sesid_, 0);
  }
  ASSERT_LT(err, 0);
  JetRollback(sesid_, JET_bitRollbackAll);
  ASSERT_JET(JET_errSuccess, JetsvcGetInstanceFailure(instance_, &fatal));
  EXPECT_LT(fatal, 0);
  env_.ClearWriteFailure();
  // Still reported: the failure is sticky.
  ASSERT_JET(JET_errSuccess, JetsvcGetInstanceFailure(instance_, &fatal));
  EXPECT_LT(fatal, 0);
}

}  // namespace
}  // namespace jetsvc

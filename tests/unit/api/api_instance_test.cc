// Tests of the C API's instances, run modes, parameters, handles and
// session concurrency (engine/api/api_instance.cc, api_session.cc,
// api_state.cc), against reference §3 "Mode" and ManagedEsent's
// InitTermTests checklist.
//
// The run mode and the process-wide parameters are process state: every
// test leaves the mode unset (TearDown checks it through JetStopService,
// which gives -1003 only then) and restores the global parameters it
// changes.

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/api/api_state.h"
#include "esent.h"
#include "platform/env.h"
#include "tests/testing/test_util.h"

namespace {

using jetsvc::testing::ScratchDir;

// Sets what a small, private instance needs: its own files under `dir`,
// 256 KB logs and a small cache. `instance` 0 sets the process-wide
// defaults (one-instance mode takes them).
void Configure(JET_INSTANCE instance, const std::string& dir) {
  JET_INSTANCE copy = instance;
  JET_INSTANCE* target = instance != 0 ? &copy : nullptr;
  const std::string folder = dir + "/";
  ASSERT_JET(JET_errSuccess, JetSetSystemParameter(target, 0, JET_paramSystemPath, 0, folder.c_str()));
  ASSERT_JET(JET_errSuccess, JetSetSystemParameter(target, 0, JET_paramLogFilePath, 0, folder.c_str()));
  ASSERT_JET(JET_errSuccess, JetSetSystemParameter(target, 0, JET_paramTempPath, 0, folder.c_str()));
  ASSERT_JET(JET_errSuccess, JetSetSystemParameter(target, 0, JET_paramLogFileSize, 256, nullptr));
  ASSERT_JET(JET_errSuccess, JetSetSystemParameter(target, 0, JET_paramCacheSizeMax, 1024, nullptr));
}

class ApiInstanceTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (JET_INSTANCE instance : instances_) JetTerm2(instance, JET_bitTermAbrupt);
    // The mode is unset again only if every instance is gone.
    EXPECT_JET(JET_errInvalidParameter, JetStopService());
  }

  // A named instance with its own directory under the scratch dir.
  JET_INSTANCE Create(const std::string& name) {
    JET_INSTANCE instance = JET_instanceNil;
    EXPECT_JET(JET_errSuccess, JetCreateInstance(&instance, name.c_str()));
    if (instance == JET_instanceNil) return instance;
    instances_.push_back(instance);
    const std::string dir = dir_.Join(name);
    EXPECT_TRUE(jetsvc::Env::Default()->CreateDirRecursive(dir).ok());
    Configure(instance, dir);
    return instance;
  }

  JET_INSTANCE CreateAndInit(const std::string& name) {
    JET_INSTANCE instance = Create(name);
    EXPECT_JET(JET_errSuccess, JetInit(&instance));
    return instance;
  }

  void Forget(JET_INSTANCE instance) {
    for (auto it = instances_.begin(); it != instances_.end(); ++it) {
      if (*it == instance) {
        instances_.erase(it);
        return;
      }
    }
  }

  ScratchDir dir_;
  std::vector<JET_INSTANCE> instances_;
};

// --- modes -------------------------------------------------------------------

TEST_F(ApiInstanceTest, NoInstanceCallsWithoutModeGiveInvalidParameter) {
  EXPECT_JET(JET_errInvalidParameter, JetStopService());
  EXPECT_JET(JET_errInvalidParameter, JetStopServiceInstance(0));
  EXPECT_JET(JET_errInvalidParameter, JetTerm(0));
  EXPECT_JET(JET_errInvalidParameter, JetTerm(JET_instanceNil));
  JET_SESID sesid = JET_sesidNil;
  EXPECT_JET(JET_errInvalidParameter, JetBeginSession(0, &sesid, nullptr, nullptr));
}

TEST_F(ApiInstanceTest, CreateInstanceSelectsMultiInstanceMode) {
  JET_INSTANCE instance = Create("multi");
  EXPECT_JET(JET_errRunningInMultiInstanceMode, JetInit(nullptr));
  EXPECT_JET(JET_errRunningInMultiInstanceMode, JetStopService());
  // A nil instance argument does not name an instance in this mode.
  EXPECT_JET(JET_errInvalidParameter, JetStopServiceInstance(JET_instanceNil));
  EXPECT_JET(JET_errInvalidParameter, JetTerm(0));
  // A stop needs an initialized instance.
  EXPECT_JET(JET_errNotInitialized, JetStopServiceInstance(instance));
  // Term of an instance that was never initialized just frees it.
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
  Forget(instance);
  EXPECT_JET(JET_errInvalidParameter, JetStopService());  // the mode is reset
}

TEST_F(ApiInstanceTest, EnableMultiInstanceSelectsMultiInstanceMode) {
  JET_SETSYSPARAM params[] = {{JET_paramMaxInstances, 16, nullptr, JET_errSuccess}};
  unsigned long succeeded = 99;
  EXPECT_JET(JET_errSuccess, JetEnableMultiInstance(params, 1, &succeeded));
  EXPECT_EQ(1u, succeeded);
  EXPECT_JET(JET_errRunningInMultiInstanceMode, JetStopService());
  EXPECT_JET(JET_errRunningInMultiInstanceMode, JetInit(nullptr));
  // The mode resets only when the last instance is freed.
  JET_INSTANCE instance = Create("after-enable");
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
  Forget(instance);
}

TEST_F(ApiInstanceTest, EnableMultiInstanceTwiceComparesParameters) {
  EXPECT_JET(JET_errInvalidParameter, JetEnableMultiInstance(nullptr, 1, nullptr));
  JET_SETSYSPARAM one[1] = {{JET_paramMaxInstances, 16, nullptr, JET_errSuccess}};
  EXPECT_JET(JET_errInvalidParameter, JetEnableMultiInstance(one, 0, nullptr));

  // Every process-wide parameter frozen by the mode that this process ever
  // set must be given again (ESE compares what was written), so the set
  // includes those other tests set too.
  JET_SETSYSPARAM params[] = {
      {JET_paramMaxInstances, 16, nullptr, JET_errSuccess},
      {JET_paramDatabasePageSize, 4096, nullptr, JET_errSuccess},
      {JET_paramCacheSizeMax, 1024, nullptr, JET_errSuccess},
  };
  unsigned long succeeded = 0;
  ASSERT_JET(JET_errSuccess, JetEnableMultiInstance(params, 3, &succeeded));
  EXPECT_EQ(3u, succeeded);
  // The same parameters again: -1082, each one reported equal.
  JET_SETSYSPARAM again[] = {
      {JET_paramMaxInstances, 16, nullptr, JET_wrnNyi},
      {JET_paramDatabasePageSize, 4096, nullptr, JET_wrnNyi},
      {JET_paramCacheSizeMax, 1024, nullptr, JET_wrnNyi},
  };
  EXPECT_JET(JET_errSystemParamsAlreadySet, JetEnableMultiInstance(again, 3, &succeeded));
  EXPECT_EQ(3u, succeeded);
  for (const auto& p : again) EXPECT_EQ(JET_errSuccess, p.err);
  // A different value conflicts.
  JET_SETSYSPARAM different[] = {
      {JET_paramMaxInstances, 16, nullptr, JET_wrnNyi},
      {JET_paramDatabasePageSize, 4096, nullptr, JET_wrnNyi},
      {JET_paramCacheSizeMax, 2048, nullptr, JET_wrnNyi},
  };
  EXPECT_JET(JET_errSystemParameterConflict, JetEnableMultiInstance(different, 3, &succeeded));
  EXPECT_EQ(2u, succeeded);
  EXPECT_EQ(JET_errSystemParameterConflict, different[2].err);
  // Leaving out a process-wide parameter the first call froze conflicts too.
  JET_SETSYSPARAM missing[] = {{JET_paramCacheSizeMax, 1024, nullptr, JET_wrnNyi}};
  EXPECT_JET(JET_errSystemParameterConflict, JetEnableMultiInstance(missing, 1, &succeeded));

  JET_INSTANCE instance = Create("reset-mode");
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
  Forget(instance);
}

TEST_F(ApiInstanceTest, InitWithoutInstanceSelectsOneInstanceMode) {
  Configure(0, dir_.path());
  ASSERT_JET(JET_errSuccess, JetInit(nullptr));
  JET_INSTANCE instance = JET_instanceNil;
  EXPECT_JET(JET_errRunningInOneInstanceMode, JetCreateInstance(&instance, "x"));
  JET_SETSYSPARAM params[] = {{JET_paramMaxInstances, 16, nullptr, JET_errSuccess}};
  EXPECT_JET(JET_errRunningInOneInstanceMode, JetEnableMultiInstance(params, 1, nullptr));
  EXPECT_JET(JET_errAlreadyInitialized, JetInit(nullptr));
  // Instance arguments are ignored in this mode.
  JET_SESID sesid = JET_sesidNil;
  EXPECT_JET(JET_errSuccess, JetBeginSession(0, &sesid, nullptr, nullptr));
  EXPECT_JET(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_JET(JET_errSuccess, JetBeginSession(JET_instanceNil, &sesid, "", ""));
  EXPECT_JET(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_JET(JET_errSuccess, JetStopService());
  EXPECT_JET(JET_errClientRequestToStopJetService, JetBeginSession(0, &sesid, nullptr, nullptr));
  EXPECT_JET(JET_errSuccess, JetTerm(0));
  // Gone, so the mode is free again.
  EXPECT_JET(JET_errSuccess, JetCreateInstance(&instance, "y"));
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
}

TEST_F(ApiInstanceTest, InitWithNilInstanceReturnsTheOneInstance) {
  Configure(0, dir_.path());
  JET_INSTANCE instance = 0;
  ASSERT_JET(JET_errSuccess, JetInit(&instance));
  EXPECT_NE(0u, instance);
  EXPECT_NE(JET_instanceNil, instance);
  JET_SESID sesid = JET_sesidNil;
  EXPECT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  EXPECT_JET(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
  EXPECT_JET(JET_errInvalidInstance, JetTerm(instance));
}

TEST_F(ApiInstanceTest, InstanceNamesAreUnique) {
  JET_INSTANCE a = Create("same");
  JET_INSTANCE dup = JET_instanceNil;
  EXPECT_JET(JET_errInstanceNameInUse, JetCreateInstance(&dup, "same"));
  EXPECT_EQ(JET_instanceNil, dup);
  JET_INSTANCE unnamed = JET_instanceNil;
  EXPECT_JET(JET_errSuccess, JetCreateInstance(&unnamed, nullptr));
  instances_.push_back(unnamed);
  EXPECT_JET(JET_errInstanceNameInUse, JetCreateInstance(&dup, nullptr));
  EXPECT_JET(JET_errSuccess, JetCreateInstance2(&dup, "other", "Display", 0));
  instances_.push_back(dup);
  EXPECT_NE(a, dup);
  JET_INSTANCE bad = JET_instanceNil;
  EXPECT_JET(JET_errInvalidGrbit, JetCreateInstance2(&bad, "grbit", nullptr, 0x1));
  EXPECT_JET(JET_errInvalidParameter, JetCreateInstance(nullptr, "null"));
}

TEST_F(ApiInstanceTest, MaxInstancesLimitsLiveInstances) {
  // Process-wide and frozen once the mode is set: set it first.
  ASSERT_JET(JET_errSuccess, JetSetSystemParameter(nullptr, 0, JET_paramMaxInstances, 2, nullptr));
  Create("one");
  Create("two");
  JET_INSTANCE third = JET_instanceNil;
  EXPECT_JET(JET_errTooManyInstances, JetCreateInstance(&third, "three"));
  EXPECT_JET(JET_errAlreadyInitialized,
             JetSetSystemParameter(nullptr, 0, JET_paramMaxInstances, 3, nullptr));
  for (JET_INSTANCE instance : instances_) EXPECT_JET(JET_errSuccess, JetTerm(instance));
  instances_.clear();
  EXPECT_JET(JET_errSuccess, JetSetSystemParameter(nullptr, 0, JET_paramMaxInstances, 16, nullptr));
}

// --- init and term (ManagedEsent InitTermTests) ----------------------------

TEST_F(ApiInstanceTest, TermOfUninitializedInstanceReturnsZero) {
  JET_INSTANCE instance = Create("uninit");
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
  Forget(instance);
  EXPECT_JET(JET_errInvalidInstance, JetTerm(instance));  // stale handle
}

TEST_F(ApiInstanceTest, InitTermOnce) {
  JET_INSTANCE instance = CreateAndInit("once");
  EXPECT_JET(JET_errAlreadyInitialized, JetInit(&instance));
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
  Forget(instance);
}

TEST_F(ApiInstanceTest, InitTermTwice) {
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round);
    JET_INSTANCE instance = CreateAndInit("twice");
    JET_SESID sesid = JET_sesidNil;
    EXPECT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
    EXPECT_JET(JET_errSuccess, JetTerm2(instance, JET_bitTermComplete));
    Forget(instance);
    EXPECT_JET(JET_errInvalidSesid, JetEndSession(sesid, 0));  // ended by term
  }
}

TEST_F(ApiInstanceTest, InitTermTwoInstances) {
  JET_INSTANCE a = CreateAndInit("first");
  JET_INSTANCE b = CreateAndInit("second");
  JET_SESID sa = JET_sesidNil;
  JET_SESID sb = JET_sesidNil;
  EXPECT_JET(JET_errSuccess, JetBeginSession(a, &sa, nullptr, nullptr));
  EXPECT_JET(JET_errSuccess, JetBeginSession(b, &sb, nullptr, nullptr));
  EXPECT_JET(JET_errSuccess, JetTerm(a));
  Forget(a);
  // The other instance is untouched.
  EXPECT_JET(JET_errSuccess, JetBeginTransaction(sb));
  EXPECT_JET(JET_errSuccess, JetCommitTransaction(sb, 0));
  EXPECT_JET(JET_errSuccess, JetTerm2(b, 0));
  Forget(b);
}

TEST_F(ApiInstanceTest, AbruptTerm) {
  JET_INSTANCE instance = CreateAndInit("abrupt");
  EXPECT_JET(JET_errSuccess, JetTerm2(instance, JET_bitTermAbrupt));
  Forget(instance);
}

TEST_F(ApiInstanceTest, TermWithUnknownGrbitFails) {
  JET_INSTANCE instance = CreateAndInit("grbit");
  EXPECT_JET(JET_errInvalidGrbit, JetTerm2(instance, 0x100));
}

TEST_F(ApiInstanceTest, FailedInitFreesTheInstance) {
  JET_INSTANCE instance = Create("fails");
  // A log directory that does not exist (and may not be created).
  const std::string missing = dir_.Join("no/such/dir") + "/";
  ASSERT_JET(JET_errSuccess,
             JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, missing.c_str()));
  JET_INSTANCE copy = instance;
  EXPECT_GT(0, JetInit(&copy));
  EXPECT_EQ(0u, copy);
  Forget(instance);
  EXPECT_JET(JET_errInvalidInstance, JetTerm(instance));
  // It was the last instance: the mode is reset (TearDown checks).
}

TEST_F(ApiInstanceTest, FailedInitInOneInstanceModeResetsTheMode) {
  ASSERT_JET(JET_errSuccess, JetSetSystemParameter(nullptr, 0, JET_paramLogFilePath, 0,
                                                   (dir_.Join("missing/dir") + "/").c_str()));
  EXPECT_GT(0, JetInit(nullptr));
  JET_INSTANCE instance = JET_instanceNil;
  EXPECT_JET(JET_errSuccess, JetCreateInstance(&instance, "after-failure"));
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
}

TEST_F(ApiInstanceTest, DirtyTermReturnsDirtyShutdownAndFreesTheInstance) {
  const std::string db = dir_.Join("dirty/dirty.edb");
  JET_INSTANCE instance = CreateAndInit("dirty");
  JET_SESID sesid = JET_sesidNil;
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  JET_DBID dbid = 0;
  ASSERT_JET(JET_errSuccess, JetCreateDatabase(sesid, db.c_str(), nullptr, &dbid, 0));
  ASSERT_JET(JET_errSuccess, JetTerm(instance));
  Forget(instance);

  instance = CreateAndInit("dirty");
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  ASSERT_JET(JET_errSuccess, JetAttachDatabase(sesid, db.c_str(), 0));
  EXPECT_JET(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));
  Forget(instance);
  EXPECT_JET(JET_errInvalidInstance, JetTerm(instance));
  JET_DBINFOMISC misc;
  EXPECT_JET(JET_errSuccess, JetGetDatabaseFileInfo(db.c_str(), &misc, sizeof(misc), JET_DbInfoMisc));
  EXPECT_EQ(static_cast<unsigned long>(JET_dbstateDirtyShutdown), misc.dbstate);
  // The next JetInit recovers.
  instance = CreateAndInit("dirty");
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
  Forget(instance);
  EXPECT_JET(JET_errSuccess, JetGetDatabaseFileInfo(db.c_str(), &misc, sizeof(misc), JET_DbInfoMisc));
  EXPECT_EQ(static_cast<unsigned long>(JET_dbstateCleanShutdown), misc.dbstate);
}

// ManagedEsent's VerifyCreateDictionaryFromConfigSetWithTermFlags: a
// database made by JetCreateDatabase reads DirtyShutdown after a dirty term.
// ESE's ErrDBCreateDBFinish moves the header from JustCreated to
// DirtyShutdown once creation is logged; Instance::CreateDatabase
// (engine/instance/instance_db.cc) leaves it at JustCreated (1).
TEST_F(ApiInstanceTest, CreatedDatabaseReadsDirtyShutdownAfterDirtyTerm) {
  const std::string db = dir_.Join("created/created.edb");
  JET_INSTANCE instance = CreateAndInit("created");
  JET_SESID sesid = JET_sesidNil;
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  JET_DBID dbid = 0;
  ASSERT_JET(JET_errSuccess, JetCreateDatabase(sesid, db.c_str(), nullptr, &dbid, 0));
  EXPECT_JET(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));
  Forget(instance);
  JET_DBINFOMISC misc;
  EXPECT_JET(JET_errSuccess, JetGetDatabaseFileInfo(db.c_str(), &misc, sizeof(misc), JET_DbInfoMisc));
  EXPECT_EQ(static_cast<unsigned long>(JET_dbstateDirtyShutdown), misc.dbstate);
}

TEST_F(ApiInstanceTest, TermWithOpenTransactionLeavesTheInstanceAlive) {
  JET_INSTANCE instance = CreateAndInit("busy");
  JET_SESID sesid = JET_sesidNil;
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid));
  EXPECT_JET(JET_errTooManyActiveUsers, JetTerm(instance));
  EXPECT_JET(JET_errTooManyActiveUsers, JetTerm2(instance, JET_bitTermComplete));
  EXPECT_JET(JET_errSuccess, JetRollback(sesid, 0));
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
  Forget(instance);
}

// --- parameters --------------------------------------------------------------

TEST_F(ApiInstanceTest, NewInstancesCopyTheGlobalDefaults) {
  ASSERT_JET(JET_errSuccess, JetSetSystemParameter(nullptr, 0, JET_paramMaxSessions, 10, nullptr));
  JET_INSTANCE instance = Create("copies");
  JET_API_PTR value = 0;
  EXPECT_JET(JET_errSuccess, JetGetSystemParameter(instance, 0, JET_paramMaxSessions, &value, nullptr, 0));
  EXPECT_EQ(10u, value);
  // An instance's own value leaves the default alone.
  EXPECT_JET(JET_errSuccess, JetSetSystemParameter(&instance, 0, JET_paramMaxSessions, 7, nullptr));
  EXPECT_JET(JET_errSuccess, JetGetSystemParameter(instance, 0, JET_paramMaxSessions, &value, nullptr, 0));
  EXPECT_EQ(7u, value);
  EXPECT_JET(JET_errSuccess, JetGetSystemParameter(0, 0, JET_paramMaxSessions, &value, nullptr, 0));
  EXPECT_EQ(10u, value);
  EXPECT_JET(JET_errSuccess, JetSetSystemParameter(nullptr, 0, JET_paramMaxSessions, 16, nullptr));
}

TEST_F(ApiInstanceTest, ParametersThroughASession) {
  JET_INSTANCE instance = CreateAndInit("by-session");
  JET_SESID sesid = JET_sesidNil;
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  EXPECT_JET(JET_errSuccess,
             JetSetSystemParameter(nullptr, sesid, JET_paramCheckpointDepthMax, 1 << 20, nullptr));
  JET_API_PTR value = 0;
  EXPECT_JET(JET_errSuccess,
             JetGetSystemParameter(instance, 0, JET_paramCheckpointDepthMax, &value, nullptr, 0));
  EXPECT_EQ(1u << 20, value);
  EXPECT_JET(JET_errInvalidSesid,
             JetSetSystemParameter(nullptr, 0x7777, JET_paramCheckpointDepthMax, 1, nullptr));
}

TEST_F(ApiInstanceTest, OneInstanceModeSendsInstanceParametersToTheLiveInstance) {
  Configure(0, dir_.path());
  ASSERT_JET(JET_errSuccess, JetInit(nullptr));
  EXPECT_JET(JET_errSuccess,
             JetSetSystemParameter(nullptr, 0, JET_paramCheckpointDepthMax, 65536, nullptr));
  JET_API_PTR value = 0;
  EXPECT_JET(JET_errSuccess,
             JetGetSystemParameter(0, 0, JET_paramCheckpointDepthMax, &value, nullptr, 0));
  EXPECT_EQ(65536u, value);
  EXPECT_JET(JET_errSuccess, JetTerm(0));
  // The process-wide default kept ESE's 20 MB.
  EXPECT_JET(JET_errSuccess,
             JetGetSystemParameter(0, 0, JET_paramCheckpointDepthMax, &value, nullptr, 0));
  EXPECT_EQ(20971520u, value);
}

TEST_F(ApiInstanceTest, FrozenAfterInit) {
  JET_INSTANCE instance = CreateAndInit("frozen");
  EXPECT_JET(JET_errAlreadyInitialized,
             JetSetSystemParameter(&instance, 0, JET_paramLogFileSize, 512, nullptr));
  // The same value is not a change.
  EXPECT_JET(JET_errSuccess, JetSetSystemParameter(&instance, 0, JET_paramLogFileSize, 256, nullptr));
  // Strings are never "the same" (ESE compares pointers).
  EXPECT_JET(JET_errAlreadyInitialized,
             JetSetSystemParameter(&instance, 0, JET_paramBaseName, 0, "edb"));
  // Not frozen: changes take effect at once.
  EXPECT_JET(JET_errSuccess,
             JetSetSystemParameter(&instance, 0, JET_paramCheckpointDepthMax, 1 << 20, nullptr));
}

TEST_F(ApiInstanceTest, GlobalParameterFrozenOnceAModeIsSet) {
  ASSERT_JET(JET_errSuccess,
             JetSetSystemParameter(nullptr, 0, JET_paramDatabasePageSize, 8192, nullptr));
  JET_API_PTR value = 0;
  EXPECT_JET(JET_errSuccess,
             JetGetSystemParameter(0, 0, JET_paramDatabasePageSize, &value, nullptr, 0));
  EXPECT_EQ(8192u, value);
  ASSERT_JET(JET_errSuccess,
             JetSetSystemParameter(nullptr, 0, JET_paramDatabasePageSize, 4096, nullptr));
  JET_INSTANCE instance = Create("pagesize");
  EXPECT_JET(JET_errAlreadyInitialized,
             JetSetSystemParameter(nullptr, 0, JET_paramDatabasePageSize, 8192, nullptr));
  EXPECT_JET(JET_errAlreadyInitialized,
             JetSetSystemParameter(&instance, 0, JET_paramDatabasePageSize, 8192, nullptr));
  EXPECT_JET(JET_errSuccess,
             JetSetSystemParameter(&instance, 0, JET_paramDatabasePageSize, 4096, nullptr));
  EXPECT_JET(JET_errSuccess,
             JetGetSystemParameter(instance, 0, JET_paramDatabasePageSize, &value, nullptr, 0));
  EXPECT_EQ(4096u, value);
}

TEST_F(ApiInstanceTest, ParameterRangesAndIds) {
  JET_INSTANCE instance = Create("ranges");
  EXPECT_JET(JET_errInvalidParameter,
             JetSetSystemParameter(&instance, 0, JET_paramLogFileSize, 10, nullptr));
  EXPECT_JET(JET_errInvalidParameter, JetSetSystemParameter(&instance, 0, 21, 1, nullptr));
  EXPECT_JET(JET_errInvalidParameter, JetSetSystemParameter(&instance, 0, 9999, 1, nullptr));
  JET_API_PTR value = 0;
  EXPECT_JET(JET_errInvalidParameter, JetGetSystemParameter(instance, 0, 9999, &value, nullptr, 0));
  EXPECT_JET(JET_errInvalidParameter,
             JetGetSystemParameter(instance, 0, JET_paramLogFileSize, nullptr, nullptr, 0));
  EXPECT_JET(JET_errInvalidInstance,
             JetGetSystemParameter(0x4321, 0, JET_paramLogFileSize, &value, nullptr, 0));
  JET_INSTANCE garbage = 0x4321;
  EXPECT_JET(JET_errInvalidInstance,
             JetSetSystemParameter(&garbage, 0, JET_paramLogFileSize, 512, nullptr));
}

TEST_F(ApiInstanceTest, StringParameters) {
  JET_INSTANCE instance = Create("strings");
  EXPECT_JET(JET_errSuccess, JetSetSystemParameter(&instance, 0, JET_paramBaseName, 0, "abc"));
  char buffer[64] = {};
  EXPECT_JET(JET_errSuccess,
             JetGetSystemParameter(instance, 0, JET_paramBaseName, nullptr, buffer, sizeof(buffer)));
  EXPECT_STREQ("abc", buffer);
  char small[3] = {'x', 'x', 'x'};
  EXPECT_JET(JET_errBufferTooSmall,
             JetGetSystemParameter(instance, 0, JET_paramBaseName, nullptr, small, sizeof(small)));
  EXPECT_EQ('x', small[0]);
  EXPECT_JET(JET_errInvalidParameter, JetSetSystemParameter(&instance, 0, JET_paramBaseName, 0, "ab"));
  JET_API_PTR err = static_cast<JET_API_PTR>(static_cast<unsigned long>(-1003L) & 0xFFFFFFFFul);
  EXPECT_JET(JET_errSuccess,
             JetGetSystemParameter(0, 0, JET_paramErrorToString, &err, buffer, sizeof(buffer)));
  EXPECT_STREQ("-1003, (0xfffffc15)", buffer);
}

// --- handles -----------------------------------------------------------------

TEST_F(ApiInstanceTest, InvalidHandlesGiveErrorsNotCrashes) {
  JET_INSTANCE instance = CreateAndInit("handles");
  JET_SESID sesid = JET_sesidNil;
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  const JET_SESID bad_sesids[] = {0, JET_sesidNil, 1, 0x12345678, static_cast<JET_SESID>(instance)};
  for (JET_SESID bad : bad_sesids) {
    SCOPED_TRACE(bad);
    EXPECT_JET(JET_errInvalidSesid, JetBeginTransaction(bad));
    EXPECT_JET(JET_errInvalidSesid, JetEndSession(bad, 0));
    EXPECT_JET(JET_errInvalidSesid, JetCloseTable(bad, 5));
    unsigned long version = 0;
    EXPECT_JET(JET_errInvalidSesid, JetGetVersion(bad, &version));
  }
  const JET_INSTANCE bad_instances[] = {1, 0x12345678, static_cast<JET_INSTANCE>(sesid)};
  for (JET_INSTANCE bad : bad_instances) {
    SCOPED_TRACE(bad);
    JET_SESID s = JET_sesidNil;
    EXPECT_JET(JET_errInvalidInstance, JetBeginSession(bad, &s, nullptr, nullptr));
    EXPECT_JET(JET_errInvalidInstance, JetTerm(bad));
    EXPECT_JET(JET_errInvalidInstance, JetStopServiceInstance2(bad, 0));
  }
  EXPECT_JET(JET_errInvalidTableId, JetCloseTable(sesid, 0));
  EXPECT_JET(JET_errInvalidTableId, JetCloseTable(sesid, JET_tableidNil));
  EXPECT_JET(JET_errInvalidTableId, JetCloseTable(sesid, static_cast<JET_TABLEID>(sesid)));
  EXPECT_JET(JET_errInvalidParameter, JetBeginSession(instance, nullptr, nullptr, nullptr));
  EXPECT_JET(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_JET(JET_errInvalidSesid, JetEndSession(sesid, 0));  // stale
  EXPECT_JET(JET_errSuccess, JetTerm(instance));
  Forget(instance);
  JET_SESID s = JET_sesidNil;
  EXPECT_JET(JET_errInvalidInstance, JetBeginSession(instance, &s, nullptr, nullptr));
}

TEST_F(ApiInstanceTest, StopServiceArgumentChecks) {
  JET_INSTANCE instance = CreateAndInit("stop");
  EXPECT_JET(JET_errInvalidGrbit, JetStopServiceInstance2(instance, 0x1));
  EXPECT_JET(JET_errInvalidGrbit, JetStopServiceInstance2(instance, 0x10));
  EXPECT_JET(JET_errInvalidGrbit,
             JetStopServiceInstance2(instance, JET_bitStopServiceStopAndEmitLog |
                                                   JET_bitStopServiceQuiesceCaches));
  EXPECT_JET(JET_errInvalidGrbit,
             JetStopServiceInstance2(instance, JET_bitStopServiceResume |
                                                   JET_bitStopServiceStopAndEmitLog));
  // ESE's internal StopAndEmitLog is refused (engine/api/NOT_SUPPORTED.md).
  EXPECT_JET(JET_errInvalidGrbit, JetStopServiceInstance2(instance, JET_bitStopServiceStopAndEmitLog));
  EXPECT_JET(JET_errSuccess, JetStopServiceInstance2(instance, JET_bitStopServiceQuiesceCaches));
  EXPECT_JET(JET_errSuccess, JetStopServiceInstance2(instance, JET_bitStopServiceAll));
}

TEST_F(ApiInstanceTest, SessionInformationContextVersionAndIdle) {
  JET_INSTANCE instance = CreateAndInit("session-info");
  JET_SESID sesid = JET_sesidNil;
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  JET_SESSIONINFO info;
  ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid));
  ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid));
  EXPECT_JET(JET_errSuccess, JetGetSessionInfo(sesid, &info, sizeof(info), JET_SessionInfo));
  EXPECT_EQ(2u, info.ulTrxLevel);
  EXPECT_JET(JET_errSuccess, JetRollback(sesid, JET_bitRollbackAll));
  EXPECT_JET(JET_errBufferTooSmall, JetGetSessionInfo(sesid, &info, 4, JET_SessionInfo));
  EXPECT_JET(JET_errInvalidParameter, JetGetSessionInfo(sesid, &info, sizeof(info), 7));

  EXPECT_JET(JET_errInvalidParameter, JetSetSessionContext(sesid, 0));
  EXPECT_JET(JET_errSessionContextNotSetByThisThread, JetResetSessionContext(sesid));
  EXPECT_JET(JET_errSuccess, JetSetSessionContext(sesid, 42));
  EXPECT_JET(JET_errSessionContextAlreadySet, JetSetSessionContext(sesid, 43));
  EXPECT_JET(JET_errSuccess, JetGetSessionInfo(sesid, &info, sizeof(info), JET_SessionInfo));
  EXPECT_EQ(42u, info.ulTrxContext);
  EXPECT_JET(JET_errSuccess, JetResetSessionContext(sesid));

  unsigned long version = 0;
  EXPECT_JET(JET_errSuccess, JetGetVersion(sesid, &version));
  EXPECT_EQ(0x01000000ul, version);  // 0.1.0
  EXPECT_JET(JET_errInvalidParameter, JetGetVersion(sesid, nullptr));
  EXPECT_JET(JET_wrnNoIdleActivity, JetIdle(sesid, 0));
  EXPECT_JET(JET_wrnNoIdleActivity, JetIdle(sesid, JET_bitIdleCompact));
  EXPECT_JET(JET_errInvalidGrbit, JetIdle(sesid, 0x100));
  JET_SESID dup = JET_sesidNil;
  EXPECT_JET(JET_errFeatureNotAvailable, JetDupSession(sesid, &dup));
  unsigned long count = 0;
  JET_INSTANCE_INFO* infos = nullptr;
  EXPECT_JET(JET_errFeatureNotAvailable, JetGetInstanceInfo(&count, &infos));
}

// --- concurrency -------------------------------------------------------------

// Blocks calls that need the instance's apply mutex, so a call can be held
// inside the API on purpose.
jetsvc::Mutex* ApplyMutexOf(JET_SESID sesid) {
  auto session = jetsvc::api::ApiState::Get().session_handles.Find(sesid);
  return session->owner->instance->apply_mutex();
}

bool InCall(JET_SESID sesid) {
  auto session = jetsvc::api::ApiState::Get().session_handles.Find(sesid);
  return session != nullptr && session->in_call.load();
}

TEST_F(ApiInstanceTest, OneSessionOnTwoThreadsIsASharingViolation) {
  JET_INSTANCE instance = CreateAndInit("sharing");
  JET_SESID sesid = JET_sesidNil;
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  const std::string db = dir_.Join("sharing/sharing.edb");
  jetsvc::Mutex* apply = ApplyMutexOf(sesid);
  apply->Lock();
  std::atomic<long> created{1};
  std::thread worker([&] {
    JET_DBID dbid = 0;
    created = JetCreateDatabase(sesid, db.c_str(), nullptr, &dbid, 0);
  });
  while (!InCall(sesid)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // The worker is inside JetCreateDatabase on this session.
  EXPECT_JET(JET_errSessionSharingViolation, JetBeginTransaction(sesid));
  JET_SESSIONINFO info;
  EXPECT_JET(JET_errSessionSharingViolation,
             JetGetSessionInfo(sesid, &info, sizeof(info), JET_SessionInfo));
  // Another session of the same instance is not affected.
  JET_SESID other = JET_sesidNil;
  EXPECT_JET(JET_errSuccess, JetBeginSession(instance, &other, nullptr, nullptr));
  EXPECT_JET(JET_errSuccess, JetBeginTransaction(other));
  EXPECT_JET(JET_errSuccess, JetRollback(other, 0));
  apply->Unlock();
  worker.join();
  EXPECT_EQ(JET_errSuccess, created.load());
  EXPECT_JET(JET_errSuccess, JetBeginTransaction(sesid));
  EXPECT_JET(JET_errSuccess, JetRollback(sesid, 0));
}

TEST_F(ApiInstanceTest, TermWaitsForCallsInFlight) {
  JET_INSTANCE instance = CreateAndInit("in-flight");
  JET_SESID sesid = JET_sesidNil;
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  const std::string db = dir_.Join("in-flight/in-flight.edb");
  jetsvc::Mutex* apply = ApplyMutexOf(sesid);
  apply->Lock();
  std::atomic<long> created{1};
  std::thread worker([&] {
    JET_DBID dbid = 0;
    created = JetCreateDatabase(sesid, db.c_str(), nullptr, &dbid, 0);
  });
  while (!InCall(sesid)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::atomic<bool> termed{false};
  std::atomic<long> term_result{1};
  std::thread terminator([&] {
    term_result = JetTerm(instance);
    termed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(termed.load());
  // New calls are refused while term waits.
  JET_SESID late = JET_sesidNil;
  EXPECT_JET(JET_errTermInProgress, JetBeginSession(instance, &late, nullptr, nullptr));
  apply->Unlock();
  worker.join();
  terminator.join();
  EXPECT_EQ(JET_errSuccess, created.load());
  EXPECT_EQ(JET_errSuccess, term_result.load());
  Forget(instance);
}

}  // namespace

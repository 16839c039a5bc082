// The stop service (JetStopServiceInstance2 semantics, reference §3, and
// jetsvc's quiesce extension) and online defragmentation, through the
// engine's C++ interfaces. The C API's -1329 gating is tested in
// tests/unit/api.

#include <chrono>
#include <memory>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "engine/instance/instance.h"
#include "engine/space/space.h"
#include "esent.h"
#include "tests/testing/kv_workload.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

using testing::KvModel;
using testing::KvWorkload;

class StopServiceTest : public ::testing::Test {
 protected:
  void Open(bool create, uint64_t depth_max = 64 << 20) {
    ParamValues params = testing::TestParams(dir_.path(), 1024);
    ASSERT_OK(params.Set(JET_paramCheckpointDepthMax, depth_max, nullptr,
                         ParamState::kInstanceNotInitialized));
    instance_ = std::make_unique<Instance>(Env::Default(), "stop", "stop", std::move(params));
    ASSERT_OK(instance_->Init(0));
    ASSERT_OK(instance_->BeginSession(&session_));
    if (create) {
      ASSERT_OK(instance_->CreateDatabase(dir_.Join("kv.edb"), 0, 0, &db_id_));
    } else {
      ASSERT_OK(instance_->AttachDatabase(dir_.Join("kv.edb"), 0, 0, &db_id_));
    }
    session_->OpenDatabase(db_id_);
    workload_ = std::make_unique<KvWorkload>(session_, db_id_);
    if (create) {
      ASSERT_OK(workload_->CreateTable());
    } else {
      ASSERT_OK(workload_->OpenTable());
    }
  }

  void Close() {
    workload_.reset();
    if (instance_ == nullptr) return;
    ASSERT_OK(instance_->EndSession(session_));
    ASSERT_OK(instance_->Term(0));
    instance_.reset();
  }

  // Lazily committed random writes: dirty pages pile up in the cache.
  KvModel Load(int transactions, uint64_t seed) {
    std::mt19937_64 rng(seed);
    KvModel model;
    for (int i = 0; i < transactions; ++i) {
      const auto ops = testing::RandomTransaction(&rng, 2000, 8);
      EXPECT_OK(session_->Begin());
      EXPECT_OK(workload_->Apply(ops));
      EXPECT_OK(session_->Commit(JET_bitCommitLazyFlush));
      testing::ApplyToModel(ops, &model);
    }
    return model;
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Instance> instance_;
  Session* session_ = nullptr;
  uint32_t db_id_ = 0;
  std::unique_ptr<KvWorkload> workload_;
};

TEST_F(StopServiceTest, StopAllFlushesToDepthZeroAndTermHasNothingLeft) {
  Open(true);
  const KvModel model = Load(400, 1);
  StopProgress before = instance_->GetStopProgress();
  EXPECT_GT(before.dirty_pages, 0u);
  EXPECT_FALSE(before.stop_requested);
  ASSERT_OK(instance_->StopService(JET_bitStopServiceAll));
  bool quiesced = false;
  ASSERT_OK(instance_->WaitQuiesced(30'000'000, &quiesced));
  ASSERT_TRUE(quiesced);
  const StopProgress after = instance_->GetStopProgress();
  EXPECT_TRUE(after.stop_requested);
  EXPECT_EQ(0u, after.dirty_pages);
  EXPECT_EQ(0u, after.checkpoint_depth_bytes);
  EXPECT_GE(after.bytes_flushed, before.dirty_bytes);
  EXPECT_EQ(0x7u, after.stopped_bits);
  // An open transaction can still roll back.
  ASSERT_OK(session_->Begin());
  ASSERT_OK(session_->Rollback(0));
  const auto start = std::chrono::steady_clock::now();
  Close();
  const auto term_micros = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(term_micros, 2'000'000) << "term after a quiesced stop has almost nothing to do";
  Open(false);
  EXPECT_EQ(0u, instance_->Stats().records_replayed);
  KvModel actual;
  ASSERT_OK(workload_->ReadAll(&actual));
  EXPECT_EQ("", testing::DiffModels(model, actual));
  Close();
}

TEST_F(StopServiceTest, CrashAfterQuiescedStopReplaysAlmostNothing) {
  Open(true);
  const KvModel model = Load(400, 2);
  ASSERT_OK(instance_->StopService(JET_bitStopServiceAll));
  bool quiesced = false;
  ASSERT_OK(instance_->WaitQuiesced(30'000'000, &quiesced));
  ASSERT_TRUE(quiesced);
  // A crash: no term record, nothing more flushed.
  workload_.reset();
  EXPECT_EQ(JET_errDirtyShutdown, instance_->Term(JET_bitTermDirty).code());
  instance_.reset();
  Open(false);
  EXPECT_LE(instance_->Stats().records_replayed, 4u);
  KvModel actual;
  ASSERT_OK(workload_->ReadAll(&actual));
  EXPECT_EQ("", testing::DiffModels(model, actual));
  ASSERT_OK(workload_->CheckIndexes());
  Close();
}

TEST_F(StopServiceTest, ResumeRules) {
  Open(true);
  // Invalid bits (0x1 is ESE's internal marker; 0x8 is refused).
  EXPECT_EQ(JET_errInvalidGrbit, instance_->StopService(0x1).code());
  EXPECT_EQ(JET_errInvalidGrbit, instance_->StopService(0x8).code());
  EXPECT_EQ(JET_errInvalidGrbit, instance_->StopService(0x10).code());
  // QuiesceCaches alone: recorded, no stop flag; Resume clears it.
  ASSERT_OK(instance_->StopService(JET_bitStopServiceQuiesceCaches));
  EXPECT_FALSE(instance_->stop_requested());
  EXPECT_EQ(0x4u, instance_->GetStopProgress().stopped_bits);
  ASSERT_OK(instance_->StopService(JET_bitStopServiceBackgroundUserTasks));
  EXPECT_EQ(0x6u, instance_->GetStopProgress().stopped_bits);
  ASSERT_OK(instance_->StopService(JET_bitStopServiceResume | JET_bitStopServiceQuiesceCaches));
  EXPECT_EQ(0x2u, instance_->GetStopProgress().stopped_bits);
  ASSERT_OK(instance_->StopService(JET_bitStopServiceResume));
  EXPECT_EQ(0x0u, instance_->GetStopProgress().stopped_bits);
  EXPECT_FALSE(instance_->GetStopProgress().quiescing);
  // After All, Resume fails and nothing changes.
  ASSERT_OK(instance_->StopService(JET_bitStopServiceAll));
  EXPECT_EQ(JET_errClientRequestToStopJetService,
            instance_->StopService(JET_bitStopServiceResume).code());
  EXPECT_TRUE(instance_->stop_requested());
  EXPECT_EQ(0x7u, instance_->GetStopProgress().stopped_bits);
  Close();
}

TEST_F(StopServiceTest, LegacyStopRecordsNothingAndLowersTheCheckpointTarget) {
  Open(true);
  ASSERT_OK(instance_->StopServiceLegacy());
  EXPECT_TRUE(instance_->stop_requested());
  EXPECT_EQ(16384u, instance_->Param(JET_paramCheckpointDepthMax));
  // Resume returns 0 and changes nothing.
  ASSERT_OK(instance_->StopService(JET_bitStopServiceResume));
  EXPECT_TRUE(instance_->stop_requested());
  EXPECT_EQ(16384u, instance_->Param(JET_paramCheckpointDepthMax));
  Close();
}

TEST_F(StopServiceTest, WaitWithoutAStopIsInvalid) {
  Open(true);
  bool quiesced = true;
  EXPECT_EQ(JET_errInvalidOperation, instance_->WaitQuiesced(1000, &quiesced).code());
  EXPECT_FALSE(quiesced);
  Close();
}

class DefragTest : public StopServiceTest {
 protected:
  // Many records, then most deleted: sparse leaves everywhere.
  KvModel Fragment() {
    KvModel model;
    std::mt19937_64 rng(7);
    for (int32_t k = 0; k < 6000; k += 3) {
      EXPECT_OK(session_->Begin());
      testing::KvRow row = KvWorkload::RandomRow(&rng);
      row.v.resize(60);
      bool existed = false;
      EXPECT_OK(workload_->Put(k, row, &existed));
      EXPECT_OK(session_->Commit(JET_bitCommitLazyFlush));
      model[k] = row;
    }
    for (int32_t k = 0; k < 6000; k += 3) {
      if (k % 12 == 0) continue;
      bool existed = false;
      EXPECT_OK(workload_->Remove(k, &existed));
      model.erase(k);
    }
    // Let version cleanup remove the deleted nodes.
    EXPECT_OK(instance_->RunVersionCleanup());
    EXPECT_OK(instance_->RunVersionCleanup());
    return model;
  }
};

TEST_F(DefragTest, MergesSparseLeavesAndKeepsEveryRecord) {
  Open(true);
  const KvModel model = Fragment();
  SpaceInfo before;
  {
    MutexLock apply(instance_->apply_mutex());
    ASSERT_OK(instance_->FindDatabase(db_id_)->space()->GetInfo(instance_->cache(), &before));
  }
  // Paused (BackgroundUserTasks) while it starts, so that it cannot finish
  // before the second start looks: that one must see it running.
  ASSERT_OK(instance_->StopService(JET_bitStopServiceBackgroundUserTasks));
  ASSERT_OK(instance_->StartDefrag(db_id_, 0, 0));
  EXPECT_EQ(JET_wrnDefragAlreadyRunning, instance_->StartDefrag(db_id_, 0, 0).code());
  ASSERT_OK(instance_->StopService(JET_bitStopServiceResume));
  for (int i = 0; i < 1000 && instance_->DefragRunning(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(instance_->DefragRunning()) << "a pass that changes nothing ends the task";
  uint32_t passes = 0;
  uint32_t seconds = 0;
  EXPECT_EQ(JET_wrnDefragNotRunning, instance_->StopDefrag(db_id_, &passes, &seconds).code());
  EXPECT_GE(passes, 1u);
  SpaceInfo after;
  {
    MutexLock apply(instance_->apply_mutex());
    ASSERT_OK(instance_->FindDatabase(db_id_)->space()->GetInfo(instance_->cache(), &after));
  }
  EXPECT_GT(after.free_pages, before.free_pages) << "emptied pages go back to the free list";
  KvModel actual;
  ASSERT_OK(workload_->ReadAll(&actual));
  EXPECT_EQ("", testing::DiffModels(model, actual));
  ASSERT_OK(workload_->CheckIndexes());
  Close();
  // And after a restart.
  Open(false);
  ASSERT_OK(workload_->ReadAll(&actual));
  EXPECT_EQ("", testing::DiffModels(model, actual));
  Close();
}

TEST_F(DefragTest, StopServiceHaltsDefragWithinMilliseconds) {
  Open(true);
  const KvModel model = Fragment();
  // Pause-free run with no limits; stop it right away.
  ASSERT_OK(instance_->StartDefrag(db_id_, 0, 0));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_OK(instance_->StopService(JET_bitStopServiceAll));
  const auto halted = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start).count();
  EXPECT_FALSE(instance_->DefragRunning());
  EXPECT_LT(halted, 500) << "defrag must stop between steps, not at the end of a pass";
  KvModel actual;
  ASSERT_OK(workload_->ReadAll(&actual));
  EXPECT_EQ("", testing::DiffModels(model, actual));
  ASSERT_OK(workload_->CheckIndexes());
  Close();
}

TEST_F(DefragTest, DisabledDefragDoesNothingAndSucceeds) {
  Open(true);
  ASSERT_OK(instance_->SetParam(JET_paramEnableOnlineDefrag, JET_OnlineDefragDisable, nullptr,
                                ParamState::kInstanceInitialized));
  ASSERT_OK(instance_->StartDefrag(db_id_, 0, 0));
  EXPECT_FALSE(instance_->DefragRunning());
  Close();
}

TEST_F(DefragTest, CrashDuringDefragRecoversConsistently) {
  Open(true);
  const KvModel model = Fragment();
  ASSERT_OK(instance_->WaitAllCommitsDurable());
  ASSERT_OK(instance_->StartDefrag(db_id_, 0, 0));
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  workload_.reset();
  instance_->Term(JET_bitTermDirty).PermitUnchecked();
  instance_.reset();
  Open(false);
  KvModel actual;
  ASSERT_OK(workload_->ReadAll(&actual));
  EXPECT_EQ("", testing::DiffModels(model, actual));
  ASSERT_OK(workload_->CheckIndexes());
  Close();
}

}  // namespace
}  // namespace jetsvc

// A randomized differential test: thousands of random inserts, replaces,
// deletes, seeks and range scans on a table with two secondary indexes,
// checked against a std::map model, with detach/attach and term/init
// between rounds. Seeded: set JETSVC_TEST_SEED to replay a failure.

#include <map>
#include <memory>
#include <random>

#include <gtest/gtest.h>

#include "engine/instance/instance.h"
#include "engine/util/coding.h"
#include "esent.h"
#include "tests/testing/kv_workload.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

using testing::KvModel;
using testing::KvWorkload;

std::string Int32Bytes(int32_t v) {
  std::string s(4, '\0');
  EncodeFixed32(s.data(), static_cast<uint32_t>(v));
  return s;
}

class DifferentialTest : public ::testing::Test {
 protected:
  void Start(bool create) {
    instance_ = std::make_unique<Instance>(Env::Default(), "diff", "diff",
                                           testing::TestParams(dir_.path()));
    ASSERT_OK(instance_->Init(0));
    ASSERT_OK(instance_->BeginSession(&session_));
    if (create) {
      ASSERT_OK(instance_->CreateDatabase(dir_.Join("diff.edb"), 0, 0, &db_id_));
    } else {
      ASSERT_OK(instance_->AttachDatabase(dir_.Join("diff.edb"), 0, 0, &db_id_));
    }
    session_->OpenDatabase(db_id_);
    workload_ = std::make_unique<KvWorkload>(session_, db_id_);
    if (create) {
      ASSERT_OK(workload_->CreateTable());
    } else {
      ASSERT_OK(workload_->OpenTable());
    }
  }

  void Stop() {
    workload_.reset();
    ASSERT_OK(instance_->EndSession(session_));
    ASSERT_OK(instance_->Term(JET_bitTermComplete));
    instance_.reset();
  }

  void DetachAndAttach() {
    workload_->CloseTable();
    ASSERT_OK(session_->CloseDatabase(db_id_));
    ASSERT_OK(instance_->DetachDatabase(dir_.Join("diff.edb"), 0));
    ASSERT_OK(instance_->AttachDatabase(dir_.Join("diff.edb"), 0, 0, &db_id_));
    session_->OpenDatabase(db_id_);
    workload_ = std::make_unique<KvWorkload>(session_, db_id_);
    ASSERT_OK(workload_->OpenTable());
  }

  // SeekGE on the primary index agrees with map::lower_bound, and a range
  // scan [low, high] returns exactly the model's keys.
  void CheckSeekAndRange(std::mt19937_64* rng, const KvModel& model) {
    TableCursor* cursor = workload_->cursor();
    const int32_t low = static_cast<int32_t>((*rng)() % 1200) - 100;
    const int32_t high = low + static_cast<int32_t>((*rng)() % 200);
    ASSERT_OK(cursor->SetCurrentIndex("primary", 0));
    ASSERT_OK(cursor->MakeKey(Int32Bytes(low), JET_bitNewKey));
    const Status seek = cursor->Seek(JET_bitSeekGE);
    auto it = model.lower_bound(low);
    if (it == model.end()) {
      ASSERT_EQ(JET_errRecordNotFound, seek.code());
      return;
    }
    ASSERT_TRUE(seek.ok()) << seek.ToString();
    EXPECT_EQ(it->first == low ? 0 : JET_wrnSeekNotEqual, seek.code());
    ASSERT_OK(cursor->MakeKey(Int32Bytes(high), JET_bitNewKey));
    const Status range = cursor->SetIndexRange(JET_bitRangeUpperLimit | JET_bitRangeInclusive);
    if (it->first > high) {
      EXPECT_EQ(JET_errNoCurrentRecord, range.code());
      return;
    }
    ASSERT_OK(range);
    std::vector<int32_t> expected;
    for (; it != model.end() && it->first <= high; ++it) expected.push_back(it->first);
    std::vector<int32_t> actual;
    Status status;
    do {
      std::string key(4, '\0');
      RetrieveResult result;
      ASSERT_OK(cursor->RetrieveColumn(cursor->def().FindColumnByName("k")->columnid, key.data(),
                                       4, 0, 1, 0, &result));
      actual.push_back(static_cast<int32_t>(DecodeFixed32(key.data())));
      status = cursor->Move(1, 0);
    } while (status.ok());
    EXPECT_EQ(JET_errNoCurrentRecord, status.code());
    EXPECT_EQ(expected, actual) << "range [" << low << ", " << high << "]";
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Instance> instance_;
  Session* session_ = nullptr;
  uint32_t db_id_ = 0;
  std::unique_ptr<KvWorkload> workload_;
};

TEST_F(DifferentialTest, RandomOperationsMatchAMapAcrossRestarts) {
  const uint64_t seed = testing::TestSeed(20261124);
  SCOPED_TRACE("JETSVC_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  KvModel model;
  ASSERT_NO_FATAL_FAILURE(Start(/*create=*/true));
  for (int round = 0; round < 8; ++round) {
    for (int op = 0; op < 1500; ++op) {
      const int kind = static_cast<int>(rng() % 20);
      if (kind < 2) {
        // A transaction of several writes, committed or rolled back.
        KvModel scratch = model;
        ASSERT_OK(session_->Begin());
        for (int i = 0; i < 5; ++i) ASSERT_OK(workload_->RandomWrite(&rng, 1000, &scratch));
        if (rng() % 3 == 0) {
          ASSERT_OK(session_->Rollback(0));
        } else {
          ASSERT_OK(session_->Commit(JET_bitCommitLazyFlush));
          model = std::move(scratch);
        }
      } else if (kind < 4) {
        ASSERT_NO_FATAL_FAILURE(CheckSeekAndRange(&rng, model));
      } else {
        ASSERT_OK(workload_->RandomWrite(&rng, 1000, &model));
      }
    }
    KvModel actual;
    ASSERT_OK(workload_->ReadAll(&actual));
    ASSERT_EQ("", testing::DiffModels(model, actual)) << "round " << round;
    ASSERT_OK(workload_->CheckIndexes()) << "round " << round;
    if (round % 2 == 0) {
      ASSERT_NO_FATAL_FAILURE(DetachAndAttach());
    } else {
      ASSERT_NO_FATAL_FAILURE(Stop());
      ASSERT_NO_FATAL_FAILURE(Start(/*create=*/false));
    }
    ASSERT_OK(workload_->ReadAll(&actual));
    ASSERT_EQ("", testing::DiffModels(model, actual)) << "after restart, round " << round;
  }
  ASSERT_NO_FATAL_FAILURE(Stop());
}

}  // namespace
}  // namespace jetsvc

// Faults and damage: a full log disk, a failing page read, flipped bytes
// and truncated files. Every case must end in an error code (or success
// where the damage is repairable), never a crash or a silent wrong answer.

#include <cstring>
#include <fstream>
#include <filesystem>
#include <memory>
#include <random>

#include <gtest/gtest.h>

#include "engine/instance/instance.h"
#include "esent.h"
#include "platform/testing/fault_env.h"
#include "tests/testing/kv_workload.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

using testing::KvModel;
using testing::KvWorkload;

class FaultTest : public ::testing::Test {
 protected:
  Status Open(Env* env, bool create) {
    instance_ = std::make_unique<Instance>(env, "fault", "fault", testing::TestParams(dir_.path()));
    JET_RETURN_IF_ERROR(instance_->Init(0));
    JET_RETURN_IF_ERROR(instance_->BeginSession(&session_));
    if (create) {
      JET_RETURN_IF_ERROR(instance_->CreateDatabase(db_path(), 0, 0, &db_id_));
    } else {
      JET_RETURN_IF_ERROR(instance_->AttachDatabase(db_path(), 0, 0, &db_id_));
    }
    session_->OpenDatabase(db_id_);
    workload_ = std::make_unique<KvWorkload>(session_, db_id_);
    if (create) {
      JET_RETURN_IF_ERROR(workload_->CreateTable());
      return instance_->WaitAllCommitsDurable();
    }
    return workload_->OpenTable();
  }

  void Close(bool clean) {
    workload_.reset();
    if (instance_ == nullptr) return;
    if (clean) {
      EXPECT_OK(instance_->EndSession(session_));
      EXPECT_OK(instance_->Term(0));
    } else {
      instance_->Term(JET_bitTermDirty).PermitUnchecked();
    }
    instance_.reset();
  }

  // Fills the table with `count` durable commits; returns the model.
  KvModel Fill(int count, uint64_t seed) {
    std::mt19937_64 rng(seed);
    KvModel model;
    for (int i = 0; i < count; ++i) {
      const auto ops = testing::RandomTransaction(&rng, 400, 3);
      EXPECT_OK(session_->Begin());
      EXPECT_OK(workload_->Apply(ops));
      EXPECT_OK(session_->Commit(0));
      testing::ApplyToModel(ops, &model);
    }
    return model;
  }

  std::string db_path() const { return dir_.Join("kv.edb"); }

  testing::ScratchDir dir_;
  std::unique_ptr<Instance> instance_;
  Session* session_ = nullptr;
  uint32_t db_id_ = 0;
  std::unique_ptr<KvWorkload> workload_;
};

TEST_F(FaultTest, FullLogDiskIsStickyAndLosesNothingCommitted) {
  FaultInjectionEnv env(Env::Default());
  ASSERT_OK(Open(&env, true));
  const KvModel model = Fill(50, 1);
  env.FailWrites(".log", JET_errDiskFull);
  // Enough writes to need the log on disk.
  std::mt19937_64 rng(2);
  Status status;
  for (int i = 0; i < 200 && status.ok(); ++i) {
    status = session_->Begin();
    if (status.ok()) status = workload_->Apply(testing::RandomTransaction(&rng, 400, 3));
    if (status.ok()) status = session_->Commit(0);
  }
  ASSERT_TRUE(status.IsError());
  EXPECT_TRUE(status.IsCode(JET_errLogDiskFull) || status.IsCode(JET_errInstanceUnavailable))
      << status.ToString();
  if (session_->level() > 0) session_->Rollback(JET_bitRollbackAll).PermitUnchecked();
  // Sticky: the instance takes no more writes, even with room again.
  env.ClearWriteFailure();
  EXPECT_EQ(InstanceState::kFailed, instance_->state());
  ASSERT_OK(session_->Begin());
  const Status after = workload_->Apply(testing::RandomTransaction(&rng, 400, 3));
  EXPECT_TRUE(after.IsError()) << "a failed instance must refuse writes";
  session_->Rollback(JET_bitRollbackAll).PermitUnchecked();
  Close(/*clean=*/false);
  // Recovery brings back every acknowledged commit.
  ASSERT_OK(Open(&env, false));
  KvModel actual;
  ASSERT_OK(workload_->ReadAll(&actual));
  // Commits acknowledged before the failure are all there; the table is
  // consistent with its indexes.
  for (const auto& [k, row] : model) {
    EXPECT_EQ(1u, actual.count(k)) << "key " << k << " lost";
  }
  ASSERT_OK(workload_->CheckIndexes());
  Close(true);
}

TEST_F(FaultTest, PageReadErrorIsDiskIO) {
  FaultInjectionEnv env(Env::Default());
  ASSERT_OK(Open(&env, true));
  Fill(200, 3);
  Close(true);
  ASSERT_OK(Open(&env, false));
  env.FailReads("kv.edb");
  KvModel actual;
  const Status status = workload_->ReadAll(&actual);
  // The attach already cached some pages; any read that reaches the disk
  // must fail as an I/O error.
  if (status.IsError()) {
    EXPECT_EQ(JET_errDiskIO, status.code()) << status.ToString();
  }
  env.FailReads("");
  Close(true);
}

// Damaged files: each variant ends in an error code or in a consistent
// table, never a crash.
TEST_F(FaultTest, DamagedFilesGiveErrorsNotCrashes) {
  ASSERT_OK(Open(Env::Default(), true));
  const KvModel model = Fill(300, 4);
  Close(true);
  const std::string pristine = dir_.Join("pristine");
  std::filesystem::create_directories(pristine);
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    if (entry.is_regular_file()) {
      std::filesystem::copy_file(entry.path(), pristine + "/" + entry.path().filename().string());
    }
  }
  const auto restore = [&] {
    for (const auto& entry : std::filesystem::directory_iterator(pristine)) {
      // remove + copy, not copy_options::overwrite_existing: GCC 12's
      // libstdc++ for MinGW refuses that with "File exists".
      const std::string target = dir_.Join(entry.path().filename().string());
      std::filesystem::remove(target);
      std::filesystem::copy_file(entry.path(), target);
    }
  };
  // Pages in use: the last page holding anything but zeros.
  uint64_t used_pages = 0;
  {
    std::ifstream file(db_path(), std::ios::binary);
    std::string page(4096, '\0');
    for (uint64_t pgno = 0; file.read(page.data(), 4096); ++pgno) {
      if (page.find_first_not_of('\0') != std::string::npos) used_pages = pgno + 1;
    }
  }
  ASSERT_GT(used_pages, 8u);
  std::mt19937_64 rng(testing::TestSeed(5));
  int errors = 0;
  int must_fail = 0;
  for (int variant = 0; variant < 60; ++variant) {
    restore();
    const int kind = variant % 5;
    {
      std::fstream file(db_path(), std::ios::in | std::ios::out | std::ios::binary);
      const auto flip = [&](uint64_t offset) {
        file.seekg(static_cast<std::streamoff>(offset));
        char byte = 0;
        file.read(&byte, 1);
        byte = static_cast<char>(byte ^ (1 + rng() % 255));
        file.seekp(static_cast<std::streamoff>(offset));
        file.write(&byte, 1);
      };
      switch (kind) {
        case 0:  // the primary header only: the shadow copy repairs it
          flip(16 + rng() % 80);
          break;
        case 1:  // both header copies
          flip(16 + rng() % 80);
          flip(4096 + 16 + rng() % 80);
          ++must_fail;
          break;
        case 2:  // the directory or the catalog root, which attach reads
          flip((3 + rng() % 2) * 4096 + 16 + rng() % 4000);
          ++must_fail;
          break;
        case 3:  // any page in use
          flip(5 * 4096 + rng() % ((used_pages - 5) * 4096));
          break;
        case 4:  // truncated inside the pages in use
          file.close();
          std::filesystem::resize_file(db_path(), (3 + rng() % (used_pages - 3)) * 4096 +
                                                      rng() % 4096);
          ++must_fail;
          break;
      }
    }
    Status status = Open(Env::Default(), false);
    KvModel actual;
    if (status.ok()) status = workload_->ReadAll(&actual);
    if (status.ok()) status = workload_->CheckIndexes();
    if (status.ok()) {
      EXPECT_NE(1, kind) << "both headers damaged, yet variant " << variant << " opened";
      EXPECT_NE(2, kind) << "a damaged root page went unnoticed in variant " << variant;
      // Damage that reads back fine must not have changed the data
      // silently (a flip in a free page, or in the primary header).
      EXPECT_EQ("", testing::DiffModels(model, actual)) << "variant " << variant;
    } else {
      ++errors;
      EXPECT_NE(0, kind) << "the shadow header should have been used: " << status.ToString();
      const int32_t code = status.code();
      EXPECT_TRUE(code == JET_errReadVerifyFailure || code == JET_errDatabaseCorrupted ||
                  code == JET_errInvalidDatabase || code == JET_errDiskIO ||
                  code == JET_errInvalidDatabaseVersion)
          << "variant " << variant << ": " << status.ToString();
    }
    if (instance_ != nullptr) {
      workload_.reset();
      instance_->Term(JET_bitTermDirty).PermitUnchecked();
      instance_.reset();
    }
  }
  EXPECT_GE(errors, must_fail);
}

}  // namespace
}  // namespace jetsvc

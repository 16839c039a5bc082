// Crash recovery under fire.
//
// SigkillKeepsEveryAcknowledgedCommit: a child process runs durable
// transactions and reports each acknowledged commit through a pipe; the
// parent SIGKILLs it at a random moment (during recovery, setup or the
// workload), recovers, and checks that the table holds exactly the state
// after the acknowledged commits (or one more: the commit in flight), and
// that every index agrees with the table.
//
// PowerLossKeepsEveryDurableCommit: the same in one process with the
// fault-injecting Env: at a random moment every write stops reaching the
// disk, and what was not synced is dropped, as after a power cut.
//
// Rounds: JETSVC_RECOVERY_ROUNDS (default 200 each). Seed:
// JETSVC_TEST_SEED.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <thread>
#include <vector>

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

int Rounds() {
  const char* env = std::getenv("JETSVC_RECOVERY_ROUNDS");
  return env != nullptr ? std::atoi(env) : 200;
}

// One open instance with the kv table attached.
struct Opened {
  std::unique_ptr<Instance> instance;
  Session* session = nullptr;
  uint32_t db_id = 0;
  std::unique_ptr<KvWorkload> workload;

  Status Open(Env* env, const std::string& dir, bool create) {
    instance = std::make_unique<Instance>(env, "recovery", "recovery", testing::TestParams(dir));
    JET_RETURN_IF_ERROR(instance->Init(0));
    JET_RETURN_IF_ERROR(instance->BeginSession(&session));
    const std::string path = dir + "/kv.edb";
    if (create) {
      JET_RETURN_IF_ERROR(instance->CreateDatabase(path, 0, 0, &db_id));
    } else {
      JET_RETURN_IF_ERROR(instance->AttachDatabase(path, 0, 0, &db_id));
    }
    session->OpenDatabase(db_id);
    workload = std::make_unique<KvWorkload>(session, db_id);
    if (create) {
      JET_RETURN_IF_ERROR(workload->CreateTable());
      return instance->WaitAllCommitsDurable();
    }
    return workload->OpenTable();
  }

  // Reads and checks the table; the state must be one of `candidates`.
  ::testing::AssertionResult Verify(const std::vector<KvModel>& candidates, KvModel* actual) {
    Status status = workload->ReadAll(actual);
    if (status.IsError()) return ::testing::AssertionFailure() << "read: " << status.ToString();
    status = workload->CheckIndexes();
    if (status.IsError()) return ::testing::AssertionFailure() << status.ToString();
    std::string diffs;
    for (const KvModel& candidate : candidates) {
      const std::string diff = testing::DiffModels(candidate, *actual);
      if (diff.empty()) return ::testing::AssertionSuccess();
      diffs += "\n  " + diff;
    }
    return ::testing::AssertionFailure() << "the recovered table matches no allowed state:" << diffs;
  }

  Status Close(bool clean) {
    workload.reset();
    Status status;
    if (clean) {
      status = instance->EndSession(session);
      if (status.ok()) status = instance->Term(JET_bitTermComplete);
    } else {
      instance->Term(JET_bitTermDirty).PermitUnchecked();
    }
    instance.reset();
    return status;
  }
};

TEST(RecoveryTest, SigkillKeepsEveryAcknowledgedCommit) {
  testing::ScratchDir dir;
  const uint64_t seed = testing::TestSeed(424242);
  SCOPED_TRACE("JETSVC_TEST_SEED=" + std::to_string(seed));
  {
    Opened setup;
    ASSERT_OK(setup.Open(Env::Default(), dir.path(), /*create=*/true));
    ASSERT_OK(setup.Close(/*clean=*/true));
  }
  std::mt19937_64 timing(seed);
  KvModel base;
  uint64_t replayed_total = 0;
  for (int round = 0; round < Rounds(); ++round) {
    int fds[2];
    ASSERT_EQ(0, ::pipe(fds));
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: recover, then commit durably until killed.
      ::close(fds[0]);
      Opened child;
      if (child.Open(Env::Default(), dir.path(), false).IsError()) ::_exit(2);
      std::mt19937_64 rng(seed * 1000003 + static_cast<uint64_t>(round));
      for (uint32_t acked = 1; acked < 100000; ++acked) {
        const auto ops = testing::RandomTransaction(&rng, 300, 4);
        if (child.session->Begin().IsError()) ::_exit(3);
        if (child.workload->Apply(ops).IsError()) ::_exit(4);
        if (child.session->Commit(0).IsError()) ::_exit(5);
        if (::write(fds[1], &acked, sizeof(acked)) != sizeof(acked)) ::_exit(6);
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + timing() % 60000));
    ::kill(pid, SIGKILL);
    int wait_status = 0;
    ::waitpid(pid, &wait_status, 0);
    ASSERT_TRUE(WIFSIGNALED(wait_status)) << "the child exited by itself with "
                                          << WEXITSTATUS(wait_status) << " in round " << round;
    uint32_t acked = 0;
    uint32_t value = 0;
    while (::read(fds[0], &value, sizeof(value)) == sizeof(value)) acked = value;
    ::close(fds[0]);

    // Replay the child's transactions on the model.
    std::mt19937_64 rng(seed * 1000003 + static_cast<uint64_t>(round));
    KvModel expected = base;
    for (uint32_t i = 0; i < acked; ++i) {
      testing::ApplyToModel(testing::RandomTransaction(&rng, 300, 4), &expected);
    }
    KvModel in_flight = expected;
    testing::ApplyToModel(testing::RandomTransaction(&rng, 300, 4), &in_flight);

    Opened parent;
    ASSERT_OK(parent.Open(Env::Default(), dir.path(), false)) << "round " << round;
    replayed_total += parent.instance->Stats().records_replayed;
    ASSERT_TRUE(parent.Verify({expected, in_flight}, &base))
        << "round " << round << " after " << acked << " acknowledged commits";
    ASSERT_OK(parent.Close(/*clean=*/true));
  }
  EXPECT_GT(replayed_total, 0u) << "some round must have needed redo";
}

// Stop (quiesce), then SIGKILL: the next JetInit has almost nothing to
// replay and loses nothing, even of lazily committed work.
TEST(RecoveryTest, SigkillAfterAQuiescedStopReplaysAlmostNothing) {
  testing::ScratchDir dir;
  {
    Opened setup;
    ASSERT_OK(setup.Open(Env::Default(), dir.path(), /*create=*/true));
    ASSERT_OK(setup.Close(/*clean=*/true));
  }
  const uint64_t seed = testing::TestSeed(31337);
  int fds[2];
  ASSERT_EQ(0, ::pipe(fds));
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    Opened child;
    if (child.Open(Env::Default(), dir.path(), false).IsError()) ::_exit(2);
    std::mt19937_64 rng(seed);
    for (int i = 0; i < 300; ++i) {
      if (child.session->Begin().IsError()) ::_exit(3);
      if (child.workload->Apply(testing::RandomTransaction(&rng, 500, 6)).IsError()) ::_exit(4);
      if (child.session->Commit(JET_bitCommitLazyFlush).IsError()) ::_exit(5);
    }
    if (child.instance->StopService(JET_bitStopServiceAll).IsError()) ::_exit(6);
    bool quiesced = false;
    if (child.instance->WaitQuiesced(60'000'000, &quiesced).IsError() || !quiesced) ::_exit(7);
    const char ready = 'q';
    if (::write(fds[1], &ready, 1) != 1) ::_exit(8);
    for (;;) ::pause();  // killed here
  }
  ::close(fds[1]);
  char ready = 0;
  ASSERT_EQ(1, ::read(fds[0], &ready, 1)) << "the child failed before quiescing";
  ::close(fds[0]);
  ::kill(pid, SIGKILL);
  int wait_status = 0;
  ::waitpid(pid, &wait_status, 0);
  KvModel expected;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 300; ++i) {
    testing::ApplyToModel(testing::RandomTransaction(&rng, 500, 6), &expected);
  }
  Opened parent;
  ASSERT_OK(parent.Open(Env::Default(), dir.path(), false));
  EXPECT_LE(parent.instance->Stats().records_replayed, 4u)
      << "a quiesced stop leaves (almost) nothing to replay";
  KvModel actual;
  ASSERT_TRUE(parent.Verify({expected}, &actual));
  ASSERT_OK(parent.Close(/*clean=*/true));
}

TEST(RecoveryTest, PowerLossKeepsEveryDurableCommit) {
  testing::ScratchDir dir;
  const uint64_t seed = testing::TestSeed(777);
  SCOPED_TRACE("JETSVC_TEST_SEED=" + std::to_string(seed));
  FaultInjectionEnv env(Env::Default());
  std::mt19937_64 rng(seed);
  std::vector<KvModel> candidates{KvModel()};
  bool created = false;
  for (int round = 0; round < Rounds(); ++round) {
    Opened opened;
    ASSERT_OK(opened.Open(&env, dir.path(), !created)) << "round " << round;
    created = true;
    KvModel actual;
    ASSERT_TRUE(opened.Verify(candidates, &actual)) << "round " << round;
    candidates = {actual};

    // Cut the power at a random moment while transactions run.
    const auto delay = std::chrono::microseconds(rng() % 20000);
    std::atomic<bool> cut{false};
    std::thread cutter([&] {
      std::this_thread::sleep_for(delay);
      env.CutPower();
      cut = true;
    });
    for (int txn = 0; txn < 100000 && !cut.load(); ++txn) {
      const auto ops = testing::RandomTransaction(&rng, 300, 4);
      const bool lazy = rng() % 4 == 0;
      KvModel next = candidates.back();
      testing::ApplyToModel(ops, &next);
      const uint64_t commits_before = opened.session->last_commit_lsn();
      Status status = opened.session->Begin();
      if (status.ok()) status = opened.workload->Apply(ops);
      if (status.ok()) status = opened.session->Commit(lazy ? JET_bitCommitLazyFlush : 0);
      if (status.IsError()) {
        candidates.push_back(std::move(next));  // it may have reached the log
        if (opened.session->level() > 0) opened.session->Rollback(JET_bitRollbackAll).PermitUnchecked();
        break;
      }
      // A commit that changed nothing (say, deletes of absent keys) logs
      // nothing and waits for nothing, so it makes no earlier lazy commit
      // durable either.
      const bool wrote = opened.session->last_commit_lsn() != commits_before;
      if (lazy || !wrote) {
        candidates.push_back(std::move(next));  // durable only with a later sync
      } else {
        candidates = {std::move(next)};
      }
    }
    cutter.join();
    ASSERT_OK(opened.Close(/*clean=*/false));
    ASSERT_OK(env.DropUnsyncedData());
  }
}

}  // namespace
}  // namespace jetsvc

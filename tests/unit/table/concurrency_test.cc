// Concurrency: 8 threads of conflicting read-modify-write transactions.
//
// Every transaction reads a few accounts and writes new, globally unique
// values to exactly those accounts, retrying after JET_errWriteConflict.
// Because each transaction writes all it reads, snapshot isolation with
// first-committer-wins must make the committed ones serializable: for
// every account, the committed transactions touching it form one chain in
// which each read the value the previous one wrote, the chains of all
// accounts order the transactions without a cycle, and the table ends
// with each chain's last value.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/instance/instance.h"
#include "engine/table/ddl.h"
#include "engine/table/table_cursor.h"
#include "engine/util/coding.h"
#include "esent.h"
#include "tests/testing/kv_workload.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

constexpr int kThreads = 8;
constexpr int kAccounts = 24;
constexpr int kTransactionsPerThread = 150;

struct Access {
  int32_t account;
  int64_t read;
  int64_t written;
};
struct Committed {
  int thread;
  std::vector<Access> accesses;
};

std::string Bytes32(int32_t v) {
  std::string s(4, '\0');
  EncodeFixed32(s.data(), static_cast<uint32_t>(v));
  return s;
}
std::string Bytes64(int64_t v) {
  std::string s(8, '\0');
  EncodeFixed64(s.data(), static_cast<uint64_t>(v));
  return s;
}

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = std::make_unique<Instance>(Env::Default(), "conc", "conc",
                                           testing::TestParams(dir_.path()));
    ASSERT_OK(instance_->Init(0));
    Session* session = nullptr;
    ASSERT_OK(instance_->BeginSession(&session));
    ASSERT_OK(instance_->CreateDatabase(dir_.Join("conc.edb"), 0, 0, &db_id_));
    session->OpenDatabase(db_id_);
    TableSpec spec;
    spec.name = "acct";
    spec.columns = {{"k", JET_coltypLong, 0, JET_bitColumnNotNULL, 0, std::nullopt},
                    {"v", JET_coltypLongLong, 0, 0, 0, std::nullopt}};
    spec.indexes = {{"primary", std::string("+k\0\0", 4), JET_bitIndexPrimary, 0, 0}};
    TableCreateResult result;
    std::unique_ptr<TableCursor> cursor;
    ASSERT_OK(CreateTable(session, db_id_, spec, &result, &cursor));
    k_ = result.columnids[0];
    v_ = result.columnids[1];
    for (int32_t a = 0; a < kAccounts; ++a) {
      ASSERT_OK(cursor->PrepareUpdate(JET_prepInsert));
      ASSERT_OK(cursor->SetColumn(k_, Bytes32(a).data(), 4, 0, 1, 0));
      ASSERT_OK(cursor->SetColumn(v_, Bytes64(-1 - a).data(), 8, 0, 1, 0));
      ASSERT_OK(cursor->Update(nullptr));
    }
    cursor.reset();
    ASSERT_OK(instance_->EndSession(session));
  }

  void TearDown() override {
    if (instance_ != nullptr) {
      ASSERT_OK(instance_->Term(0));
    }
  }

  // One transaction; returns WriteConflict (after rolling back) to retry.
  Status RunTransaction(Session* session, TableCursor* cursor, std::mt19937_64* rng,
                        std::atomic<int64_t>* next_value, Committed* committed) {
    std::set<int32_t> accounts;
    while (accounts.size() < 3) accounts.insert(static_cast<int32_t>((*rng)() % kAccounts));
    const bool lazy = (*rng)() % 2 == 0;
    JET_RETURN_IF_ERROR(session->Begin());
    Status status;
    for (int32_t account : accounts) {
      status = cursor->MakeKey(Bytes32(account), JET_bitNewKey);
      if (status.ok()) status = cursor->Seek(JET_bitSeekEQ);
      int64_t value = 0;
      if (status.ok()) {
        char buffer[8];
        RetrieveResult result;
        status = cursor->RetrieveColumn(v_, buffer, 8, 0, 1, 0, &result);
        value = static_cast<int64_t>(DecodeFixed64(buffer));
      }
      const int64_t written = next_value->fetch_add(1);
      if (status.ok()) status = cursor->PrepareUpdate(JET_prepReplace);
      if (status.ok()) status = cursor->SetColumn(v_, Bytes64(written).data(), 8, 0, 1, 0);
      if (status.ok()) status = cursor->Update(nullptr);
      if (status.IsError()) break;
      committed->accesses.push_back(Access{account, value, written});
    }
    if (status.ok()) status = session->Commit(lazy ? JET_bitCommitLazyFlush : 0);
    if (status.IsError()) {
      if (cursor->update_prepared()) cursor->PrepareUpdate(JET_prepCancel).PermitUnchecked();
      if (session->level() > 0) session->Rollback(JET_bitRollbackAll).PermitUnchecked();
      committed->accesses.clear();
    }
    return status;
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Instance> instance_;
  uint32_t db_id_ = 0;
  uint32_t k_ = 0;
  uint32_t v_ = 0;
};

TEST_F(ConcurrencyTest, ConflictingTransactionsAreSerializable) {
  std::mutex mu;
  std::vector<Committed> committed;
  std::atomic<int64_t> next_value{1};
  std::atomic<int> conflicts{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  const uint64_t seed = testing::TestSeed(99);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Session* session = nullptr;
      if (instance_->BeginSession(&session).IsError()) {
        ++failures;
        return;
      }
      session->OpenDatabase(db_id_);
      std::unique_ptr<TableCursor> cursor;
      if (TableCursor::Open(session, db_id_, "acct", 0, &cursor).IsError()) {
        ++failures;
        return;
      }
      std::mt19937_64 rng(seed * 31 + static_cast<uint64_t>(t));
      for (int i = 0; i < kTransactionsPerThread; ++i) {
        // Retry after a conflict with a growing, jittered pause, as a
        // client of ESE would: an immediate retry only meets the same
        // lock holder again.
        for (int attempt = 0; attempt < 100000; ++attempt) {
          Committed record{t, {}};
          const Status status = RunTransaction(session, cursor.get(), &rng, &next_value, &record);
          if (status.ok()) {
            std::lock_guard<std::mutex> lock(mu);
            committed.push_back(std::move(record));
            break;
          }
          if (!status.IsCode(JET_errWriteConflict)) {
            ADD_FAILURE() << "thread " << t << ": " << status.ToString();
            ++failures;
            return;
          }
          ++conflicts;
          std::this_thread::sleep_for(
              std::chrono::microseconds(rng() % (20 * std::min(attempt + 1, 50))));
        }
      }
      cursor.reset();
      instance_->EndSession(session).PermitUnchecked();
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(0, failures.load());
  ASSERT_EQ(static_cast<size_t>(kThreads * kTransactionsPerThread), committed.size());
  EXPECT_GT(conflicts.load(), 0) << "the workload should have produced write conflicts";

  // Per account: follow the chain of values from the initial one.
  std::vector<std::vector<int>> after(committed.size());  // edges: txn -> later txn
  std::map<int32_t, int64_t> final_values;
  for (int32_t account = 0; account < kAccounts; ++account) {
    std::map<int64_t, int> reader_of;  // value read -> transaction
    size_t touching = 0;
    for (size_t i = 0; i < committed.size(); ++i) {
      for (const Access& access : committed[i].accesses) {
        if (access.account != account) continue;
        ++touching;
        ASSERT_TRUE(reader_of.emplace(access.read, static_cast<int>(i)).second)
            << "two committed transactions read the same value of account " << account
            << ": a lost update";
      }
    }
    int64_t value = -1 - account;
    int previous = -1;
    for (size_t step = 0; step < touching; ++step) {
      auto it = reader_of.find(value);
      ASSERT_NE(it, reader_of.end()) << "account " << account << ": no transaction read value "
                                     << value << " (chain broken after " << step << " steps)";
      const int txn = it->second;
      if (previous >= 0) after[previous].push_back(txn);
      for (const Access& access : committed[txn].accesses) {
        if (access.account == account) value = access.written;
      }
      previous = txn;
      reader_of.erase(it);
    }
    final_values[account] = value;
  }
  // The per-account orders together must have no cycle (Kahn's algorithm).
  std::vector<int> in_degree(committed.size(), 0);
  for (const auto& edges : after) {
    for (int to : edges) ++in_degree[to];
  }
  std::vector<int> ready;
  for (size_t i = 0; i < committed.size(); ++i) {
    if (in_degree[i] == 0) ready.push_back(static_cast<int>(i));
  }
  size_t ordered = 0;
  while (!ready.empty()) {
    const int txn = ready.back();
    ready.pop_back();
    ++ordered;
    for (int to : after[txn]) {
      if (--in_degree[to] == 0) ready.push_back(to);
    }
  }
  EXPECT_EQ(committed.size(), ordered) << "the committed transactions have no serial order";

  // The table holds each chain's last value.
  Session* session = nullptr;
  ASSERT_OK(instance_->BeginSession(&session));
  session->OpenDatabase(db_id_);
  std::unique_ptr<TableCursor> cursor;
  ASSERT_OK(TableCursor::Open(session, db_id_, "acct", 0, &cursor));
  for (const auto& [account, value] : final_values) {
    ASSERT_OK(cursor->MakeKey(Bytes32(account), JET_bitNewKey));
    ASSERT_OK(cursor->Seek(JET_bitSeekEQ));
    char buffer[8];
    RetrieveResult result;
    ASSERT_OK(cursor->RetrieveColumn(v_, buffer, 8, 0, 1, 0, &result));
    EXPECT_EQ(value, static_cast<int64_t>(DecodeFixed64(buffer))) << "account " << account;
  }
  cursor.reset();
  ASSERT_OK(instance_->EndSession(session));
}

}  // namespace
}  // namespace jetsvc

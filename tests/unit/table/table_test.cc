// Tests of tables through the engine's C++ interfaces: DDL, records,
// indexes, navigation, transactions, and term/init round trips.

#include "engine/table/table_cursor.h"

#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "engine/instance/instance.h"
#include "engine/instance/session.h"
#include "engine/table/ddl.h"
#include "engine/util/coding.h"
#include "esent.h"
#include "platform/env.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

std::string Int32Bytes(int32_t v) {
  std::string s(4, '\0');
  EncodeFixed32(s.data(), static_cast<uint32_t>(v));
  return s;
}

class TableTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartInstance()); }
  void TearDown() override {
    cursor_.reset();
    if (instance_ != nullptr) {
      if (session_ != nullptr) {
        ASSERT_OK(instance_->EndSession(session_));
      }
      ASSERT_OK(instance_->Term(JET_bitTermComplete));
    }
  }

  ParamValues Params() {
    ParamValues params = ParamValues::Defaults();
    EXPECT_OK(params.Set(JET_paramSystemPath, 0, dir_.path().c_str(), ParamState::kInstanceNotInitialized));
    EXPECT_OK(params.Set(JET_paramLogFilePath, 0, dir_.path().c_str(), ParamState::kInstanceNotInitialized));
    EXPECT_OK(params.Set(JET_paramLogFileSize, 256, nullptr, ParamState::kInstanceNotInitialized));
    EXPECT_OK(params.Set(JET_paramCacheSizeMax, 2048, nullptr, ParamState::kInstanceNotInitialized));
    EXPECT_OK(params.Set(JET_paramMaxVerPages, 4096, nullptr, ParamState::kInstanceNotInitialized));
    return params;
  }

  void StartInstance(uint32_t grbit = 0) {
    instance_ = std::make_unique<Instance>(Env::Default(), "test", "test", Params());
    ASSERT_OK(instance_->Init(grbit));
    ASSERT_OK(instance_->BeginSession(&session_));
  }

  void RestartInstance() {
    cursor_.reset();
    ASSERT_OK(instance_->EndSession(session_));
    session_ = nullptr;
    ASSERT_OK(instance_->Term(JET_bitTermComplete));
    instance_.reset();
    StartInstance();
    uint32_t db_id = 0;
    ASSERT_OK(instance_->AttachDatabase(db_path(), 0, 0, &db_id));
    db_id_ = db_id;
    session_->OpenDatabase(db_id_);
  }

  std::string db_path() const { return dir_.Join("test.edb"); }

  void CreateDatabase() {
    ASSERT_OK(instance_->CreateDatabase(db_path(), 0, 0, &db_id_));
    session_->OpenDatabase(db_id_);
  }

  // A table: id (Long, primary), name (Text), score (Long, descending
  // index), blob (LongBinary), tags (multi-valued tagged Text).
  void CreatePeopleTable() {
    TableSpec spec;
    spec.name = "people";
    spec.columns = {
        {"id", JET_coltypLong, 0, JET_bitColumnNotNULL, 0, std::nullopt},
        {"name", JET_coltypText, 64, 0, 1252, std::nullopt},
        {"score", JET_coltypLong, 0, 0, 0, std::nullopt},
        {"blob", JET_coltypLongBinary, 0, 0, 0, std::nullopt},
        {"tags", JET_coltypText, 32, JET_bitColumnTagged | JET_bitColumnMultiValued, 1252,
         std::nullopt},
    };
    spec.indexes = {
        {"primary", std::string("+id\0\0", 5), JET_bitIndexPrimary, 0, 0},
        {"by_name", std::string("+name\0\0", 7), 0, 0, 0},
        {"by_score", std::string("-score\0\0", 8), 0, 0, 0},
    };
    TableCreateResult result;
    ASSERT_OK(CreateTable(session_, db_id_, spec, &result, &cursor_));
    id_ = result.columnids[0];
    name_ = result.columnids[1];
    score_ = result.columnids[2];
    blob_ = result.columnids[3];
    tags_ = result.columnids[4];
  }

  void Insert(int32_t id, const std::string& name, int32_t score,
              const std::string& blob = "") {
    ASSERT_OK(cursor_->PrepareUpdate(JET_prepInsert));
    const std::string id_bytes = Int32Bytes(id);
    const std::string score_bytes = Int32Bytes(score);
    ASSERT_OK(cursor_->SetColumn(id_, id_bytes.data(), 4, 0, 0, 0));
    ASSERT_OK(cursor_->SetColumn(name_, name.data(), name.size(), 0, 0, 0));
    ASSERT_OK(cursor_->SetColumn(score_, score_bytes.data(), 4, 0, 0, 0));
    if (!blob.empty()) {
      ASSERT_OK(cursor_->SetColumn(blob_, blob.data(), blob.size(), 0, 0, 0));
    }
    ASSERT_OK(cursor_->Update(nullptr));
  }

  std::string Get(uint32_t columnid) {
    std::string buffer(1 << 20, '\0');
    RetrieveResult result;
    Status status = cursor_->RetrieveColumn(columnid, buffer.data(), buffer.size(), 0, 1, 0, &result);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (result.warning == JET_wrnColumnNull) return "<null>";
    buffer.resize(result.actual);
    return buffer;
  }

  int32_t GetInt(uint32_t columnid) {
    const std::string bytes = Get(columnid);
    EXPECT_EQ(4u, bytes.size());
    return bytes.size() == 4 ? static_cast<int32_t>(DecodeFixed32(bytes.data())) : 0;
  }

  Status SeekInt(int32_t value, uint32_t grbit) {
    const std::string bytes = Int32Bytes(value);
    JET_RETURN_IF_ERROR(cursor_->MakeKey(bytes, JET_bitNewKey));
    return cursor_->Seek(grbit);
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Instance> instance_;
  Session* session_ = nullptr;
  uint32_t db_id_ = 0;
  std::unique_ptr<TableCursor> cursor_;
  uint32_t id_ = 0, name_ = 0, score_ = 0, blob_ = 0, tags_ = 0;
};

TEST_F(TableTest, InsertedRecordsReadBackInEveryIndexOrder) {
  CreateDatabase();
  CreatePeopleTable();
  Insert(3, "carol", 30);
  Insert(1, "alice", 10);
  Insert(2, "bob", 20);
  // Primary order.
  ASSERT_OK(cursor_->Move(TableCursor::kMoveFirst, 0));
  EXPECT_EQ(1, GetInt(id_));
  ASSERT_OK(cursor_->Move(1, 0));
  EXPECT_EQ(2, GetInt(id_));
  ASSERT_OK(cursor_->Move(1, 0));
  EXPECT_EQ(3, GetInt(id_));
  EXPECT_EQ(JET_errNoCurrentRecord, cursor_->Move(1, 0).code());
  // Descending score.
  ASSERT_OK(cursor_->SetCurrentIndex("by_score", 0));
  EXPECT_EQ(30, GetInt(score_));
  ASSERT_OK(cursor_->Move(1, 0));
  EXPECT_EQ(20, GetInt(score_));
  // By name.
  ASSERT_OK(cursor_->SetCurrentIndex("by_name", 0));
  EXPECT_EQ("alice", Get(name_));
  ASSERT_OK(cursor_->MakeKey("bob", JET_bitNewKey));
  ASSERT_OK(cursor_->Seek(JET_bitSeekEQ));
  EXPECT_EQ(2, GetInt(id_));
}

TEST_F(TableTest, SeekModesAndWarnings) {
  CreateDatabase();
  CreatePeopleTable();
  for (int32_t i = 0; i < 100; i += 10) Insert(i, "n" + std::to_string(i), i);
  EXPECT_OK(SeekInt(30, JET_bitSeekEQ));
  EXPECT_EQ(30, GetInt(id_));
  EXPECT_EQ(JET_errRecordNotFound, SeekInt(35, JET_bitSeekEQ).code());
  EXPECT_EQ(JET_wrnSeekNotEqual, SeekInt(35, JET_bitSeekGE).code());
  EXPECT_EQ(40, GetInt(id_));
  EXPECT_EQ(JET_wrnSeekNotEqual, SeekInt(35, JET_bitSeekLE).code());
  EXPECT_EQ(30, GetInt(id_));
  EXPECT_OK(SeekInt(30, JET_bitSeekGT));
  EXPECT_EQ(40, GetInt(id_));
  EXPECT_OK(SeekInt(30, JET_bitSeekLT));
  EXPECT_EQ(20, GetInt(id_));
  EXPECT_EQ(JET_errRecordNotFound, SeekInt(95, JET_bitSeekGT).code());
  EXPECT_EQ(JET_errRecordNotFound, SeekInt(-5, JET_bitSeekLT).code());
}

TEST_F(TableTest, IndexRangeStopsMoves) {
  CreateDatabase();
  CreatePeopleTable();
  for (int32_t i = 0; i < 50; ++i) Insert(i, "x", i);
  ASSERT_OK(SeekInt(10, JET_bitSeekGE));
  const std::string upper = Int32Bytes(14);
  ASSERT_OK(cursor_->MakeKey(upper, JET_bitNewKey));
  ASSERT_OK(cursor_->SetIndexRange(JET_bitRangeUpperLimit | JET_bitRangeInclusive));
  int seen = 1;
  while (cursor_->Move(1, 0).ok()) ++seen;
  EXPECT_EQ(5, seen);
}

TEST_F(TableTest, UniqueAndPrimaryDuplicatesAreRejected) {
  CreateDatabase();
  CreatePeopleTable();
  Insert(1, "a", 1);
  ASSERT_OK(cursor_->PrepareUpdate(JET_prepInsert));
  const std::string one = Int32Bytes(1);
  ASSERT_OK(cursor_->SetColumn(id_, one.data(), 4, 0, 0, 0));
  EXPECT_EQ(JET_errKeyDuplicate, cursor_->Update(nullptr).code());
  ASSERT_OK(cursor_->PrepareUpdate(JET_prepCancel));
}

TEST_F(TableTest, ReplaceAndDeleteMaintainIndexes) {
  CreateDatabase();
  CreatePeopleTable();
  Insert(1, "alice", 10);
  Insert(2, "bob", 20);
  ASSERT_OK(SeekInt(1, JET_bitSeekEQ));
  ASSERT_OK(cursor_->PrepareUpdate(JET_prepReplace));
  ASSERT_OK(cursor_->SetColumn(name_, "zed", 3, 0, 0, 0));
  ASSERT_OK(cursor_->Update(nullptr));
  ASSERT_OK(cursor_->SetCurrentIndex("by_name", 0));
  EXPECT_EQ("bob", Get(name_));
  ASSERT_OK(cursor_->Move(1, 0));
  EXPECT_EQ("zed", Get(name_));
  ASSERT_OK(cursor_->Delete());
  RetrieveResult deleted;
  EXPECT_EQ(JET_errRecordDeleted, cursor_->RetrieveColumn(name_, nullptr, 0, 0, 1, 0, &deleted).code());
  ASSERT_OK(cursor_->Move(TableCursor::kMoveFirst, 0));
  EXPECT_EQ("bob", Get(name_));
  EXPECT_EQ(JET_errNoCurrentRecord, cursor_->Move(1, 0).code());
}

TEST_F(TableTest, LongValuesAreStoredOutOfLine) {
  CreateDatabase();
  CreatePeopleTable();
  std::string big(100000, 'q');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  Insert(7, "big", 1, big);
  ASSERT_OK(SeekInt(7, JET_bitSeekEQ));
  EXPECT_EQ(big, Get(blob_));
  // A partial read with an offset.
  char part[10];
  RetrieveResult result;
  ASSERT_OK(cursor_->RetrieveColumn(blob_, part, sizeof(part), 0, 1, 50000, &result));
  EXPECT_EQ(0, std::memcmp(part, big.data() + 50000, sizeof(part)));
  EXPECT_EQ(big.size() - 50000, result.actual);
  // Append through a replace.
  ASSERT_OK(cursor_->PrepareUpdate(JET_prepReplace));
  ASSERT_OK(cursor_->SetColumn(blob_, "END", 3, JET_bitSetAppendLV, 0, 0));
  ASSERT_OK(cursor_->Update(nullptr));
  EXPECT_EQ(big + "END", Get(blob_));
}

TEST_F(TableTest, RollbackUndoesInsertsAndDdl) {
  CreateDatabase();
  ASSERT_OK(session_->Begin());
  CreatePeopleTable();
  Insert(1, "a", 1);
  cursor_.reset();
  ASSERT_OK(session_->Rollback(0));
  std::unique_ptr<TableCursor> cursor;
  EXPECT_EQ(JET_errObjectNotFound, TableCursor::Open(session_, db_id_, "people", 0, &cursor).code());
  CreatePeopleTable();
  ASSERT_OK(session_->Begin());
  Insert(1, "a", 1);
  ASSERT_OK(session_->Rollback(0));
  EXPECT_EQ(JET_errNoCurrentRecord, cursor_->Move(TableCursor::kMoveFirst, 0).code());
}

TEST_F(TableTest, SnapshotIsolationAndWriteConflicts) {
  CreateDatabase();
  CreatePeopleTable();
  Insert(1, "a", 1);
  Session* other = nullptr;
  ASSERT_OK(instance_->BeginSession(&other));
  other->OpenDatabase(db_id_);
  std::unique_ptr<TableCursor> theirs;
  ASSERT_OK(TableCursor::Open(other, db_id_, "people", 0, &theirs));
  ASSERT_OK(other->Begin());  // snapshot taken here
  ASSERT_OK(theirs->Move(TableCursor::kMoveFirst, 0));
  // We update the record after their snapshot.
  ASSERT_OK(SeekInt(1, JET_bitSeekEQ));
  ASSERT_OK(session_->Begin());
  ASSERT_OK(cursor_->PrepareUpdate(JET_prepReplace));
  ASSERT_OK(cursor_->SetColumn(name_, "mine", 4, 0, 0, 0));
  ASSERT_OK(cursor_->Update(nullptr));
  // They still read the old value and cannot write the record.
  std::string buffer(16, '\0');
  RetrieveResult result;
  ASSERT_OK(theirs->RetrieveColumn(name_, buffer.data(), buffer.size(), 0, 1, 0, &result));
  EXPECT_EQ("a", buffer.substr(0, result.actual));
  // As in ESE, a replace prepared in a transaction locks the record, so
  // the conflict shows at prepare time; without the lock, at update time.
  EXPECT_EQ(JET_errWriteConflict, theirs->PrepareUpdate(JET_prepReplace).code());
  ASSERT_OK(theirs->PrepareUpdate(JET_prepReplaceNoLock));
  ASSERT_OK(theirs->SetColumn(name_, "theirs", 6, 0, 0, 0));
  EXPECT_EQ(JET_errWriteConflict, theirs->Update(nullptr).code());
  ASSERT_OK(session_->Commit(0));
  // Committed after their snapshot: still invisible, still a conflict.
  ASSERT_OK(theirs->RetrieveColumn(name_, buffer.data(), buffer.size(), 0, 1, 0, &result));
  EXPECT_EQ("a", buffer.substr(0, result.actual));
  EXPECT_EQ(JET_errWriteConflict, theirs->Update(nullptr).code());
  ASSERT_OK(theirs->PrepareUpdate(JET_prepCancel));
  ASSERT_OK(other->Rollback(0));
  ASSERT_OK(theirs->Move(TableCursor::kMoveFirst, 0));
  ASSERT_OK(theirs->RetrieveColumn(name_, buffer.data(), buffer.size(), 0, 1, 0, &result));
  EXPECT_EQ("mine", buffer.substr(0, result.actual));
  theirs.reset();
  ASSERT_OK(instance_->EndSession(other));
}

TEST_F(TableTest, DataSurvivesTermAndInit) {
  CreateDatabase();
  CreatePeopleTable();
  for (int32_t i = 0; i < 2000; ++i) Insert(i, "name" + std::to_string(i), i * 3);
  RestartInstance();
  ASSERT_OK(TableCursor::Open(session_, db_id_, "people", 0, &cursor_));
  EXPECT_EQ(0u, instance_->Stats().records_replayed) << "a clean term replays nothing";
  int count = 0;
  Status status = cursor_->Move(TableCursor::kMoveFirst, 0);
  while (status.ok()) {
    EXPECT_EQ(count, GetInt(id_));
    ++count;
    status = cursor_->Move(1, 0);
  }
  EXPECT_EQ(2000, count);
  ASSERT_OK(SeekInt(1234, JET_bitSeekEQ));
  EXPECT_EQ("name1234", Get(name_));
}

TEST_F(TableTest, AddColumnAndCreateIndexOnExistingData) {
  CreateDatabase();
  CreatePeopleTable();
  for (int32_t i = 0; i < 300; ++i) Insert(i, "n" + std::to_string(i % 7), 300 - i);
  ColumnDef spec;
  spec.coltyp = JET_coltypLong;
  spec.default_value = Int32Bytes(42);
  uint32_t extra = 0;
  ASSERT_OK(cursor_->AddColumn("extra", spec, &extra));
  ASSERT_OK(cursor_->Move(TableCursor::kMoveFirst, 0));
  EXPECT_EQ(42, GetInt(extra)) << "old records read the default";
  IndexDef index;
  index.name = "by_name_id";
  index.segments = {{name_, false}, {id_, true}};
  ASSERT_OK(cursor_->CreateIndex(index));
  ASSERT_OK(cursor_->SetCurrentIndex("by_name_id", 0));
  EXPECT_EQ("n0", Get(name_));
  EXPECT_EQ(294, GetInt(id_));  // id descending within "n0"
}

}  // namespace
}  // namespace jetsvc

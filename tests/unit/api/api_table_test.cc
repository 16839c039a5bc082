// Tests of databases, tables and records through the C API
// (engine/api/api_session.cc, api_table.cc, api_record.cc): DDL and its
// errors, column and index information, every column type, retrieve
// warnings, bookmarks, transactions, seeks, moves and index ranges.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "esent.h"
#include "platform/env.h"
#include "tests/testing/test_util.h"

namespace {

using jetsvc::testing::ScratchDir;

// "+id\0\0" style key descriptions (cbKey counts both NULs).
std::string Key(const std::string& segments) { return segments + std::string(1, '\0'); }

class ApiTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_JET(JET_errSuccess, JetCreateInstance(&instance_, name.c_str()));
    const std::string folder = dir_.path() + "/";
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramSystemPath, 0, folder.c_str()));
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramLogFilePath, 0, folder.c_str()));
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramTempPath, 0, folder.c_str()));
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramLogFileSize, 256, nullptr));
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramCacheSizeMax, 1024, nullptr));
    ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramMaxVerPages, 1024, nullptr));
    ASSERT_JET(JET_errSuccess, JetInit(&instance_));
    ASSERT_JET(JET_errSuccess, JetBeginSession(instance_, &sesid_, nullptr, nullptr));
    db_path_ = dir_.Join("api.edb");
    ASSERT_JET(JET_errSuccess, JetCreateDatabase(sesid_, db_path_.c_str(), nullptr, &dbid_, 0));
  }

  void TearDown() override {
    if (instance_ == JET_instanceNil) return;
    JetRollback(sesid_, JET_bitRollbackAll);  // in case a test left one open
    EXPECT_JET(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete));
  }

  // Table "people": id Long (primary), name Text, score Long; indexes
  // "primary" (+id), "by_name" (+name), "by_score" (-score).
  void CreatePeople(JET_TABLEID* tableid) {
    JET_COLUMNCREATE columns[3];
    std::memset(columns, 0, sizeof(columns));
    const char* names[] = {"id", "name", "score"};
    const JET_COLTYP types[] = {JET_coltypLong, JET_coltypText, JET_coltypLong};
    for (int i = 0; i < 3; ++i) {
      columns[i].cbStruct = sizeof(JET_COLUMNCREATE);
      columns[i].szColumnName = const_cast<char*>(names[i]);
      columns[i].coltyp = types[i];
      columns[i].cp = types[i] == JET_coltypText ? 1252 : 0;
    }
    keys_[0] = Key("+id");
    keys_[1] = Key("+name");
    keys_[2] = Key("-score");
    JET_INDEXCREATE indexes[3];
    std::memset(indexes, 0, sizeof(indexes));
    const char* index_names[] = {"primary", "by_name", "by_score"};
    const JET_GRBIT grbits[] = {JET_bitIndexPrimary, 0, 0};
    for (int i = 0; i < 3; ++i) {
      indexes[i].cbStruct = sizeof(JET_INDEXCREATE);
      indexes[i].szIndexName = const_cast<char*>(index_names[i]);
      indexes[i].szKey = const_cast<char*>(keys_[i].c_str());
      indexes[i].cbKey = static_cast<unsigned long>(keys_[i].size() + 1);
      indexes[i].grbit = grbits[i];
    }
    JET_TABLECREATE create;
    std::memset(&create, 0, sizeof(create));
    create.cbStruct = sizeof(create);
    create.szTableName = const_cast<char*>("people");
    create.rgcolumncreate = columns;
    create.cColumns = 3;
    create.rgindexcreate = indexes;
    create.cIndexes = 3;
    ASSERT_JET(JET_errSuccess, JetCreateTableColumnIndex(sesid_, dbid_, &create));
    EXPECT_EQ(7u, create.cCreated);  // the table, 3 columns, 3 indexes
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(JET_errSuccess, columns[i].err);
      EXPECT_NE(0u, columns[i].columnid);
      EXPECT_EQ(JET_errSuccess, indexes[i].err);
      columnids_[i] = columns[i].columnid;
    }
    ASSERT_NE(JET_tableidNil, create.tableid);
    *tableid = create.tableid;
  }

  JET_COLUMNID id_column() const { return columnids_[0]; }
  JET_COLUMNID name_column() const { return columnids_[1]; }
  JET_COLUMNID score_column() const { return columnids_[2]; }

  void Insert(JET_TABLEID tableid, int32_t id, const std::string& name, int32_t score) {
    ASSERT_JET(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepInsert));
    ASSERT_JET(JET_errSuccess, JetSetColumn(sesid_, tableid, id_column(), &id, sizeof(id), 0, nullptr));
    ASSERT_JET(JET_errSuccess, JetSetColumn(sesid_, tableid, name_column(), name.data(),
                                            static_cast<unsigned long>(name.size()), 0, nullptr));
    ASSERT_JET(JET_errSuccess, JetSetColumn(sesid_, tableid, score_column(), &score, sizeof(score), 0, nullptr));
    ASSERT_JET(JET_errSuccess, JetUpdate(sesid_, tableid, nullptr, 0, nullptr));
  }

  int32_t CurrentId(JET_TABLEID tableid) {
    int32_t id = -1;
    unsigned long actual = 0;
    EXPECT_JET(JET_errSuccess, JetRetrieveColumn(sesid_, tableid, id_column(), &id, sizeof(id), &actual, 0, nullptr));
    EXPECT_EQ(sizeof(id), actual);
    return id;
  }

  unsigned long Count(JET_TABLEID tableid) {
    unsigned long count = 0;
    EXPECT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveFirst, 0));
    EXPECT_JET(JET_errSuccess, JetIndexRecordCount(sesid_, tableid, &count, 0));
    return count;
  }

  ScratchDir dir_;
  JET_INSTANCE instance_ = JET_instanceNil;
  JET_SESID sesid_ = JET_sesidNil;
  JET_DBID dbid_ = JET_dbidNil;
  std::string db_path_;
  std::string keys_[3];
  JET_COLUMNID columnids_[3] = {};
};

// --- DDL -----------------------------------------------------------------

TEST_F(ApiTableTest, CreateTableColumnIndexAndInformation) {
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_NO_FATAL_FAILURE(CreatePeople(&tableid));

  JET_COLUMNDEF def;
  ASSERT_JET(JET_errSuccess, JetGetTableColumnInfo(sesid_, tableid, "name", &def, sizeof(def), JET_ColInfo));
  EXPECT_EQ(sizeof(JET_COLUMNDEF), def.cbStruct);
  EXPECT_EQ(name_column(), def.columnid);
  EXPECT_EQ(static_cast<JET_COLTYP>(JET_coltypText), def.coltyp);
  EXPECT_EQ(1252, def.cp);
  JET_COLUMNID by_id = score_column();
  ASSERT_JET(JET_errSuccess, JetGetTableColumnInfo(sesid_, tableid, reinterpret_cast<const char*>(&by_id),
                                                   &def, sizeof(def), JET_ColInfoByColid));
  EXPECT_EQ(static_cast<JET_COLTYP>(JET_coltypLong), def.coltyp);
  EXPECT_EQ(4u, def.cbMax);
  EXPECT_TRUE(def.grbit & JET_bitColumnFixed);
  JET_COLUMNBASE base;
  ASSERT_JET(JET_errSuccess, JetGetColumnInfo(sesid_, dbid_, "people", "id", &base, sizeof(base), JET_ColInfoBase));
  EXPECT_STREQ("people", base.szBaseTableName);
  EXPECT_STREQ("id", base.szBaseColumnName);
  EXPECT_JET(JET_errColumnNotFound, JetGetTableColumnInfo(sesid_, tableid, "nope", &def, sizeof(def), JET_ColInfo));
  EXPECT_JET(JET_errBufferTooSmall, JetGetTableColumnInfo(sesid_, tableid, "id", &def, 8, JET_ColInfo));
  JET_COLUMNLIST list;
  EXPECT_JET(JET_errFeatureNotAvailable,
             JetGetTableColumnInfo(sesid_, tableid, nullptr, &list, sizeof(list), JET_ColInfoList));

  int count = 0;
  EXPECT_JET(JET_errSuccess, JetGetTableIndexInfo(sesid_, tableid, nullptr, &count, sizeof(count), JET_IdxInfoCount));
  EXPECT_EQ(3, count);
  unsigned short key_most = 0;
  EXPECT_JET(JET_errSuccess,
             JetGetIndexInfo(sesid_, dbid_, "people", "by_name", &key_most, sizeof(key_most), JET_IdxInfoKeyMost));
  EXPECT_EQ(JET_cbKeyMost, key_most);
  EXPECT_JET(JET_errIndexNotFound,
             JetGetTableIndexInfo(sesid_, tableid, "missing", &key_most, sizeof(key_most), JET_IdxInfoKeyMost));

  char name[JET_cbNameMost + 1];
  EXPECT_JET(JET_errSuccess, JetGetTableInfo(sesid_, tableid, name, sizeof(name), JET_TblInfoName));
  EXPECT_STREQ("people", name);
  JET_DBID dbid = 0;
  EXPECT_JET(JET_errSuccess, JetGetTableInfo(sesid_, tableid, &dbid, sizeof(dbid), JET_TblInfoDbid));
  EXPECT_EQ(dbid_, dbid);
  JET_OBJECTINFO info;
  EXPECT_JET(JET_errSuccess, JetGetTableInfo(sesid_, tableid, &info, sizeof(info), JET_TblInfo));
  EXPECT_EQ(static_cast<JET_OBJTYP>(JET_objtypTable), info.objtyp);
  EXPECT_JET(JET_errSuccess, JetGetCurrentIndex(sesid_, tableid, name, sizeof(name)));
  EXPECT_STREQ("primary", name);
  char small[4];
  EXPECT_JET(JET_wrnBufferTruncated, JetGetCurrentIndex(sesid_, tableid, small, sizeof(small)));
  EXPECT_STREQ("pri", small);

  EXPECT_JET(JET_errSuccess, JetCloseTable(sesid_, tableid));
  ASSERT_JET(JET_errSuccess, JetOpenTable(sesid_, dbid_, "people", nullptr, 0, 0, &tableid));
  EXPECT_JET(JET_errSuccess, JetCloseTable(sesid_, tableid));
}

TEST_F(ApiTableTest, DdlErrors) {
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_NO_FATAL_FAILURE(CreatePeople(&tableid));
  JET_TABLEID other = JET_tableidNil;
  EXPECT_JET(JET_errTableDuplicate, JetCreateTable(sesid_, dbid_, "people", 0, 0, &other));
  const std::string long_name(65, 'x');
  const char* bad_names[] = {nullptr, "", " lead", "a.b", "a!b", "a[b", "tab\tle", long_name.c_str()};
  for (const char* bad : bad_names) {
    SCOPED_TRACE(bad != nullptr ? bad : "(null)");
    EXPECT_JET(JET_errInvalidName, JetCreateTable(sesid_, dbid_, bad, 0, 0, &other));
    EXPECT_JET(JET_errInvalidName, JetOpenTable(sesid_, dbid_, bad, nullptr, 0, 0, &other));
  }
  EXPECT_JET(JET_errDensityInvalid, JetCreateTable(sesid_, dbid_, "dense", 0, 5, &other));

  JET_COLUMNCREATE columns[2];
  std::memset(columns, 0, sizeof(columns));
  for (auto& c : columns) {
    c.cbStruct = sizeof(JET_COLUMNCREATE);
    c.szColumnName = const_cast<char*>("dup");
    c.coltyp = JET_coltypLong;
  }
  JET_TABLECREATE create;
  std::memset(&create, 0, sizeof(create));
  create.cbStruct = sizeof(create);
  create.szTableName = const_cast<char*>("bad");
  create.rgcolumncreate = columns;
  create.cColumns = 2;
  EXPECT_JET(JET_errColumnDuplicate, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  EXPECT_EQ(JET_errSuccess, columns[0].err);
  EXPECT_EQ(JET_errColumnDuplicate, columns[1].err);
  EXPECT_EQ(JET_tableidNil, create.tableid);

  columns[1].szColumnName = const_cast<char*>("other");
  columns[1].coltyp = 99;
  EXPECT_JET(JET_errInvalidColumnType, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  EXPECT_EQ(JET_errInvalidColumnType, columns[1].err);
  columns[1].coltyp = JET_coltypLong;
  columns[1].cbStruct = sizeof(JET_COLUMNCREATE) - 1;
  EXPECT_JET(JET_errInvalidParameter, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  columns[1].cbStruct = sizeof(JET_COLUMNCREATE);
  create.cbStruct = sizeof(create) + 4;
  EXPECT_JET(JET_errInvalidParameter, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  create.cbStruct = sizeof(create);
  create.szTemplateTableName = const_cast<char*>("people");
  EXPECT_JET(JET_errFeatureNotAvailable, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  create.szTemplateTableName = nullptr;

  // Indexes: two primaries, duplicate names, unknown columns, bad keys.
  const std::string key_dup = Key("+dup");
  const std::string key_other = Key("-other");
  const std::string key_missing = Key("+missing");
  JET_INDEXCREATE indexes[2];
  std::memset(indexes, 0, sizeof(indexes));
  for (auto& index : indexes) {
    index.cbStruct = sizeof(JET_INDEXCREATE);
    index.grbit = JET_bitIndexPrimary;
  }
  indexes[0].szIndexName = const_cast<char*>("pk1");
  indexes[0].szKey = const_cast<char*>(key_dup.c_str());
  indexes[0].cbKey = static_cast<unsigned long>(key_dup.size() + 1);
  indexes[1].szIndexName = const_cast<char*>("pk2");
  indexes[1].szKey = const_cast<char*>(key_other.c_str());
  indexes[1].cbKey = static_cast<unsigned long>(key_other.size() + 1);
  create.rgindexcreate = indexes;
  create.cIndexes = 2;
  EXPECT_JET(JET_errIndexHasPrimary, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  EXPECT_EQ(JET_errIndexHasPrimary, indexes[1].err);
  indexes[1].grbit = 0;
  indexes[1].szIndexName = const_cast<char*>("pk1");
  EXPECT_JET(JET_errIndexDuplicate, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  indexes[1].szIndexName = const_cast<char*>("ix");
  indexes[1].szKey = const_cast<char*>(key_missing.c_str());
  indexes[1].cbKey = static_cast<unsigned long>(key_missing.size() + 1);
  EXPECT_JET(JET_errColumnNotFound, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  indexes[1].cbKey = static_cast<unsigned long>(key_missing.size());  // one NUL only
  EXPECT_JET(JET_errIndexInvalidDef, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  indexes[1].cbKey = 0;
  EXPECT_JET(JET_errInvalidParameter, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  const std::string no_sign = Key("other");
  indexes[1].szKey = const_cast<char*>(no_sign.c_str());
  indexes[1].cbKey = static_cast<unsigned long>(no_sign.size() + 1);
  EXPECT_JET(JET_errIndexInvalidDef, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  indexes[1].szKey = const_cast<char*>(key_other.c_str());
  indexes[1].cbKey = static_cast<unsigned long>(key_other.size() + 1);
  indexes[1].grbit = JET_bitIndexTuples;
  EXPECT_JET(JET_errFeatureNotAvailable, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  indexes[1].grbit = 0x40000000;
  EXPECT_JET(JET_errInvalidGrbit, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  indexes[1].grbit = 0;
  ASSERT_JET(JET_errSuccess, JetCreateTableColumnIndex(sesid_, dbid_, &create));
  EXPECT_EQ(5u, create.cCreated);
  EXPECT_JET(JET_errSuccess, JetCloseTable(sesid_, create.tableid));

  // A table in use cannot be deleted; an unknown one is not found.
  EXPECT_JET(JET_errTableInUse, JetDeleteTable(sesid_, dbid_, "people"));
  EXPECT_JET(JET_errObjectNotFound, JetDeleteTable(sesid_, dbid_, "ghost"));
  EXPECT_JET(JET_errSuccess, JetDeleteTable(sesid_, dbid_, "bad"));
  EXPECT_JET(JET_errObjectNotFound, JetOpenTable(sesid_, dbid_, "bad", nullptr, 0, 0, &other));
}

TEST_F(ApiTableTest, CreateTableColumnIndex3TakesIndexCreate2) {
  JET_COLUMNCREATE column;
  std::memset(&column, 0, sizeof(column));
  column.cbStruct = sizeof(column);
  column.szColumnName = const_cast<char*>("k");
  column.coltyp = JET_coltypLongLong;
  const std::string key = Key("+k");
  JET_INDEXCREATE2 index;
  std::memset(&index, 0, sizeof(index));
  index.cbStruct = sizeof(index);
  index.szIndexName = const_cast<char*>("pk");
  index.szKey = const_cast<char*>(key.c_str());
  index.cbKey = static_cast<unsigned long>(key.size() + 1);
  index.grbit = JET_bitIndexPrimary | JET_bitIndexKeyMost;
  index.cbKeyMost = 500;
  JET_TABLECREATE3 create;
  std::memset(&create, 0, sizeof(create));
  create.cbStruct = sizeof(create);
  create.szTableName = const_cast<char*>("t3");
  create.rgcolumncreate = &column;
  create.cColumns = 1;
  create.rgindexcreate = &index;
  create.cIndexes = 1;
  ASSERT_JET(JET_errSuccess, JetCreateTableColumnIndex3(sesid_, dbid_, &create));
  unsigned short key_most = 0;
  EXPECT_JET(JET_errSuccess,
             JetGetTableIndexInfo(sesid_, create.tableid, "pk", &key_most, sizeof(key_most), JET_IdxInfoKeyMost));
  EXPECT_EQ(500, key_most);
  EXPECT_JET(JET_errSuccess, JetCloseTable(sesid_, create.tableid));
  index.cbKeyMost = 100;  // below JET_cbKeyMostMin
  create.szTableName = const_cast<char*>("t4");
  EXPECT_JET(JET_errIndexInvalidDef, JetCreateTableColumnIndex3(sesid_, dbid_, &create));
}

TEST_F(ApiTableTest, AddAndDeleteColumnsAndIndexes) {
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_NO_FATAL_FAILURE(CreatePeople(&tableid));
  JET_COLUMNDEF def;
  std::memset(&def, 0, sizeof(def));
  def.cbStruct = sizeof(def);
  def.coltyp = JET_coltypLongText;
  JET_COLUMNID extra = 0;
  ASSERT_JET(JET_errSuccess, JetAddColumn(sesid_, tableid, "notes", &def, nullptr, 0, &extra));
  EXPECT_NE(0u, extra);
  EXPECT_JET(JET_errColumnDuplicate, JetAddColumn(sesid_, tableid, "notes", &def, nullptr, 0, &extra));
  def.cbStruct = 4;
  EXPECT_JET(JET_errInvalidParameter, JetAddColumn(sesid_, tableid, "more", &def, nullptr, 0, &extra));
  def.cbStruct = sizeof(def);
  def.coltyp = 0;
  EXPECT_JET(JET_errInvalidColumnType, JetAddColumn(sesid_, tableid, "more", &def, nullptr, 0, &extra));
  JET_COLUMNDEF info;
  EXPECT_JET(JET_errSuccess, JetGetTableColumnInfo(sesid_, tableid, "notes", &info, sizeof(info), JET_ColInfo));
  EXPECT_EQ(extra, info.columnid);
  EXPECT_JET(JET_errSuccess, JetDeleteColumn(sesid_, tableid, "notes"));
  EXPECT_JET(JET_errColumnNotFound, JetGetTableColumnInfo(sesid_, tableid, "notes", &info, sizeof(info), JET_ColInfo));
  EXPECT_JET(JET_errColumnNotFound, JetDeleteColumn2(sesid_, tableid, "notes", 0));
  EXPECT_JET(JET_errInvalidGrbit, JetDeleteColumn2(sesid_, tableid, "name", 0x10));

  const std::string key = Key("+name") + "-score" + std::string(1, '\0');
  ASSERT_JET(JET_errSuccess, JetCreateIndex(sesid_, tableid, "name_score", 0, key.c_str(),
                                            static_cast<unsigned long>(key.size() + 1), 80));
  EXPECT_JET(JET_errIndexDuplicate, JetCreateIndex(sesid_, tableid, "name_score", 0, key.c_str(),
                                                   static_cast<unsigned long>(key.size() + 1), 80));
  EXPECT_JET(JET_errIndexHasPrimary, JetCreateIndex(sesid_, tableid, "pk2", JET_bitIndexPrimary,
                                                    key.c_str(), static_cast<unsigned long>(key.size() + 1), 0));
  unsigned long density = 0;
  EXPECT_JET(JET_errSuccess,
             JetGetTableIndexInfo(sesid_, tableid, "name_score", &density, sizeof(density), JET_IdxInfoSpaceAlloc));
  EXPECT_EQ(80u, density);
  const std::string key2 = Key("-name");
  JET_INDEXCREATE create;
  std::memset(&create, 0, sizeof(create));
  create.cbStruct = sizeof(create);
  create.szIndexName = const_cast<char*>("name_desc");
  create.szKey = const_cast<char*>(key2.c_str());
  create.cbKey = static_cast<unsigned long>(key2.size() + 1);
  create.err = 1;
  ASSERT_JET(JET_errSuccess, JetCreateIndex2(sesid_, tableid, &create, 1));
  EXPECT_EQ(JET_errSuccess, create.err);
  int count = 0;
  EXPECT_JET(JET_errSuccess, JetGetTableIndexInfo(sesid_, tableid, nullptr, &count, sizeof(count), JET_IdxInfoCount));
  EXPECT_EQ(5, count);
  EXPECT_JET(JET_errSuccess, JetDeleteIndex(sesid_, tableid, "name_score"));
  EXPECT_JET(JET_errIndexNotFound, JetDeleteIndex(sesid_, tableid, "name_score"));
  EXPECT_JET(JET_errSuccess, JetSetCurrentIndex(sesid_, tableid, "name_desc"));
  EXPECT_JET(JET_errIndexNotFound, JetSetCurrentIndex(sesid_, tableid, "name_score"));
}

// --- tables and handles ------------------------------------------------------

TEST_F(ApiTableTest, TableHandles) {
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_NO_FATAL_FAILURE(CreatePeople(&tableid));
  JET_TABLEID other = JET_tableidNil;
  EXPECT_JET(JET_errInvalidGrbit, JetOpenTable(sesid_, dbid_, "people", nullptr, 0, 0x4000, &other));
  EXPECT_JET(JET_errInvalidDatabaseId, JetOpenTable(sesid_, 77, "people", nullptr, 0, 0, &other));
  EXPECT_JET(JET_errInvalidDatabaseId, JetOpenTable(sesid_, JET_dbidNil, "people", nullptr, 0, 0, &other));
  EXPECT_JET(JET_errInvalidParameter, JetOpenTable(sesid_, dbid_, "people", nullptr, 0, 0, nullptr));

  // Another session's table.
  JET_SESID second = JET_sesidNil;
  ASSERT_JET(JET_errSuccess, JetBeginSession(instance_, &second, nullptr, nullptr));
  JET_DBID dbid = 0;
  ASSERT_JET(JET_errSuccess, JetOpenDatabase(second, db_path_.c_str(), nullptr, &dbid, 0));
  EXPECT_EQ(dbid_, dbid);
  JET_TABLEID theirs = JET_tableidNil;
  ASSERT_JET(JET_errSuccess, JetOpenTable(second, dbid, "people", nullptr, 0, 0, &theirs));
  EXPECT_JET(JET_errSesidTableIdMismatch, JetMove(sesid_, theirs, JET_MoveFirst, 0));
  EXPECT_JET(JET_errSesidTableIdMismatch, JetCloseTable(sesid_, theirs));
  EXPECT_JET(JET_errInvalidTableId, JetMove(sesid_, static_cast<JET_TABLEID>(second), JET_MoveFirst, 0));
  EXPECT_JET(JET_errInvalidTableId, JetMove(sesid_, 0, JET_MoveFirst, 0));
  EXPECT_JET(JET_errInvalidSesid, JetMove(static_cast<JET_SESID>(theirs), theirs, JET_MoveFirst, 0));
  // Closing the database closes the session's tables on it.
  EXPECT_JET(JET_errSuccess, JetCloseDatabase(second, dbid, 0));
  EXPECT_JET(JET_errInvalidTableId, JetMove(second, theirs, JET_MoveFirst, 0));
  EXPECT_JET(JET_errInvalidDatabaseId, JetCloseDatabase(second, dbid, 0));
  EXPECT_JET(JET_errSuccess, JetEndSession(second, 0));

  EXPECT_JET(JET_errSuccess, JetCloseTable(sesid_, tableid));
  EXPECT_JET(JET_errInvalidTableId, JetCloseTable(sesid_, tableid));  // stale
  EXPECT_JET(JET_errInvalidTableId, JetMove(sesid_, tableid, JET_MoveFirst, 0));
}

TEST_F(ApiTableTest, DatabasesThroughTheApi) {
  JET_DBID dbid = 0;
  EXPECT_JET(JET_errDatabaseDuplicate, JetCreateDatabase(sesid_, db_path_.c_str(), nullptr, &dbid, 0));
  EXPECT_JET(JET_errInvalidGrbit, JetCreateDatabase(sesid_, dir_.Join("x.edb").c_str(), nullptr, &dbid, 0x1));
  EXPECT_JET(JET_errInvalidParameter, JetCreateDatabase(sesid_, nullptr, nullptr, &dbid, 0));
  EXPECT_JET(JET_wrnDatabaseAttached, JetAttachDatabase(sesid_, db_path_.c_str(), 0));
  EXPECT_JET(JET_errDatabaseNotFound, JetOpenDatabase(sesid_, dir_.Join("none.edb").c_str(), nullptr, &dbid, 0));
  EXPECT_JET(JET_errInvalidGrbit, JetOpenDatabase(sesid_, db_path_.c_str(), nullptr, &dbid, 0x100));

  char filename[512];
  EXPECT_JET(JET_errSuccess, JetGetDatabaseInfo(sesid_, dbid_, filename, sizeof(filename), JET_DbInfoFilename));
  EXPECT_EQ(db_path_, filename);
  EXPECT_JET(JET_errBufferTooSmall, JetGetDatabaseInfo(sesid_, dbid_, filename, 3, JET_DbInfoFilename));
  unsigned long value = 0;
  EXPECT_JET(JET_errSuccess, JetGetDatabaseInfo(sesid_, dbid_, &value, sizeof(value), JET_DbInfoPageSize));
  EXPECT_EQ(4096u, value);
  EXPECT_JET(JET_errSuccess, JetGetDatabaseInfo(sesid_, dbid_, &value, sizeof(value), JET_DbInfoSpaceOwned));
  EXPECT_LT(0u, value);
  EXPECT_JET(JET_errSuccess, JetGetDatabaseInfo(sesid_, dbid_, &value, sizeof(value), JET_DbInfoTransactions));
  EXPECT_EQ(7u, value);
  JET_DBINFOMISC misc;
  EXPECT_JET(JET_errSuccess, JetGetDatabaseInfo(sesid_, dbid_, &misc, sizeof(misc), JET_DbInfoMisc));
  EXPECT_EQ(4096u, misc.cbPageSize);
  EXPECT_JET(JET_errInvalidBufferSize, JetGetDatabaseInfo(sesid_, dbid_, &misc, sizeof(misc) - 1, JET_DbInfoMisc));
  EXPECT_JET(JET_errInvalidDatabaseId, JetGetDatabaseInfo(sesid_, 99, &value, sizeof(value), JET_DbInfoPageSize));

  int in_use = 0;
  EXPECT_JET(JET_errSuccess, JetGetDatabaseFileInfo(db_path_.c_str(), &in_use, sizeof(in_use), JET_DbInfoDBInUse));
  EXPECT_EQ(1, in_use);
  EXPECT_JET(JET_errDatabaseInUse, JetDetachDatabase(sesid_, db_path_.c_str()));
  EXPECT_JET(JET_errSuccess, JetCloseDatabase(sesid_, dbid_, 0));
  EXPECT_JET(JET_errSuccess, JetDetachDatabase(sesid_, nullptr));
  EXPECT_JET(JET_errSuccess, JetGetDatabaseFileInfo(db_path_.c_str(), &in_use, sizeof(in_use), JET_DbInfoDBInUse));
  EXPECT_EQ(0, in_use);
  JET_DBINFOMISC4 misc4;
  ASSERT_JET(JET_errSuccess, JetGetDatabaseFileInfo(db_path_.c_str(), &misc4, sizeof(misc4), JET_DbInfoMisc));
  EXPECT_EQ(static_cast<unsigned long>(JET_dbstateCleanShutdown), misc4.dbstate);
  EXPECT_EQ(4096u, misc4.cbPageSize);
  // JET_SIGNATURE, JET_LGPOS and JET_LOGTIME are byte-packed: copy their
  // members out instead of binding references to them.
  const unsigned long random = misc4.signDb.ulRandom;
  const long generation = misc4.lgposConsistent.lGeneration;
  const int utc = misc4.logtimeConsistent.fTimeIsUTC;
  EXPECT_NE(0u, random);
  EXPECT_NE(0, generation);
  EXPECT_EQ(1, utc);
  EXPECT_JET(JET_errSuccess, JetGetDatabaseFileInfo(db_path_.c_str(), &value, sizeof(value), JET_DbInfoPageSize));
  EXPECT_EQ(4096u, value);
  unsigned long long size = 0;
  EXPECT_JET(JET_errSuccess, JetGetDatabaseFileInfo(db_path_.c_str(), &size, sizeof(size), JET_DbInfoFilesize));
  EXPECT_EQ(0u, size % 4096);
  EXPECT_LT(0u, size);
  EXPECT_JET(JET_errInvalidBufferSize, JetGetDatabaseFileInfo(db_path_.c_str(), &size, 3, JET_DbInfoFilesize));
  EXPECT_JET(JET_errInvalidBufferSize, JetGetDatabaseFileInfo(db_path_.c_str(), &misc, 12, JET_DbInfoMisc));
  EXPECT_JET(JET_errFileNotFound,
             JetGetDatabaseFileInfo(dir_.Join("none.edb").c_str(), &misc, sizeof(misc), JET_DbInfoMisc));

  EXPECT_JET(JET_errSuccess, JetAttachDatabase(sesid_, db_path_.c_str(), 0));
  EXPECT_JET(JET_errSuccess, JetOpenDatabase(sesid_, db_path_.c_str(), nullptr, &dbid_, 0));
}

// --- records -----------------------------------------------------------------

TEST_F(ApiTableTest, RecordsRoundTripEveryColumnType) {
  struct Column {
    const char* name;
    JET_COLTYP coltyp;
    std::string value;
    JET_COLUMNID id;
  };
  auto bytes = [](const void* data, size_t size) {
    return std::string(static_cast<const char*>(data), size);
  };
  const unsigned char bit = 0xFF;
  const unsigned char ubyte = 200;
  const int16_t i16 = -12345;
  const int32_t i32 = -1234567890;
  const int64_t currency = -123456789012345LL;
  const float f32 = 3.5f;
  const double f64 = -2.25;
  const double date = 45000.5;
  const uint32_t u32 = 4000000000u;
  const int64_t i64 = -9000000000000000000LL;
  const unsigned char guid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  const uint16_t u16 = 65000;
  const uint64_t u64 = 18000000000000000000ull;
  std::vector<Column> columns = {
      {"c_bit", JET_coltypBit, bytes(&bit, 1), 0},
      {"c_ubyte", JET_coltypUnsignedByte, bytes(&ubyte, 1), 0},
      {"c_short", JET_coltypShort, bytes(&i16, 2), 0},
      {"c_long", JET_coltypLong, bytes(&i32, 4), 0},
      {"c_currency", JET_coltypCurrency, bytes(&currency, 8), 0},
      {"c_single", JET_coltypIEEESingle, bytes(&f32, 4), 0},
      {"c_double", JET_coltypIEEEDouble, bytes(&f64, 8), 0},
      {"c_date", JET_coltypDateTime, bytes(&date, 8), 0},
      {"c_binary", JET_coltypBinary, std::string("\x00\x01\x02binary", 9), 0},
      {"c_text", JET_coltypText, "some text", 0},
      {"c_longbinary", JET_coltypLongBinary, std::string(10000, '\x5a'), 0},
      {"c_longtext", JET_coltypLongText, std::string(5000, 't'), 0},
      {"c_ulong", JET_coltypUnsignedLong, bytes(&u32, 4), 0},
      {"c_longlong", JET_coltypLongLong, bytes(&i64, 8), 0},
      {"c_guid", JET_coltypGUID, bytes(guid, 16), 0},
      {"c_ushort", JET_coltypUnsignedShort, bytes(&u16, 2), 0},
      {"c_ulonglong", JET_coltypUnsignedLongLong, bytes(&u64, 8), 0},
  };
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_JET(JET_errSuccess, JetCreateTable(sesid_, dbid_, "types", 0, 0, &tableid));
  for (Column& column : columns) {
    JET_COLUMNDEF def;
    std::memset(&def, 0, sizeof(def));
    def.cbStruct = sizeof(def);
    def.coltyp = column.coltyp;
    ASSERT_JET(JET_errSuccess, JetAddColumn(sesid_, tableid, column.name, &def, nullptr, 0, &column.id));
  }
  ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_JET(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepInsert));
  for (const Column& column : columns) {
    SCOPED_TRACE(column.name);
    EXPECT_JET(JET_errSuccess, JetSetColumn(sesid_, tableid, column.id, column.value.data(),
                                            static_cast<unsigned long>(column.value.size()), 0, nullptr));
  }
  ASSERT_JET(JET_errSuccess, JetUpdate(sesid_, tableid, nullptr, 0, nullptr));
  ASSERT_JET(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveFirst, 0));
  for (const Column& column : columns) {
    SCOPED_TRACE(column.name);
    std::string buffer(20000, '\0');
    unsigned long actual = 0;
    EXPECT_JET(JET_errSuccess, JetRetrieveColumn(sesid_, tableid, column.id, &buffer[0],
                                                 static_cast<unsigned long>(buffer.size()), &actual, 0, nullptr));
    ASSERT_EQ(column.value.size(), actual);
    EXPECT_EQ(column.value, buffer.substr(0, actual));
  }
  EXPECT_JET(JET_errNoCurrentRecord, JetMove(sesid_, tableid, JET_MoveNext, 0));
}

TEST_F(ApiTableTest, RetrieveColumnWarningsAndActualSize) {
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_NO_FATAL_FAILURE(CreatePeople(&tableid));
  ASSERT_JET(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepInsert));
  const int32_t id = 7;
  ASSERT_JET(JET_errSuccess, JetSetColumn(sesid_, tableid, id_column(), &id, sizeof(id), 0, nullptr));
  ASSERT_JET(JET_errSuccess, JetSetColumn(sesid_, tableid, name_column(), "abcdefgh", 8, 0, nullptr));
  JET_SETINFO bad_info = {4, 0, 1};
  EXPECT_JET(JET_errInvalidParameter, JetSetColumn(sesid_, tableid, score_column(), &id, sizeof(id), 0, &bad_info));
  EXPECT_JET(JET_errInvalidGrbit, JetSetColumn(sesid_, tableid, score_column(), &id, sizeof(id), 0x80000000, nullptr));
  EXPECT_JET(JET_errInvalidParameter, JetSetColumn(sesid_, tableid, score_column(), nullptr, 4, 0, nullptr));
  ASSERT_JET(JET_errSuccess, JetUpdate(sesid_, tableid, nullptr, 0, nullptr));
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveFirst, 0));

  char buffer[16];
  unsigned long actual = 99;
  EXPECT_JET(JET_wrnColumnNull, JetRetrieveColumn(sesid_, tableid, score_column(), buffer, sizeof(buffer), &actual, 0, nullptr));
  EXPECT_EQ(0u, actual);
  EXPECT_JET(JET_wrnBufferTruncated, JetRetrieveColumn(sesid_, tableid, name_column(), buffer, 3, &actual, 0, nullptr));
  EXPECT_EQ(8u, actual);
  EXPECT_EQ(0, std::memcmp(buffer, "abc", 3));
  EXPECT_JET(JET_wrnBufferTruncated, JetRetrieveColumn(sesid_, tableid, name_column(), nullptr, 0, &actual, 0, nullptr));
  EXPECT_EQ(8u, actual);
  EXPECT_JET(JET_errSuccess, JetRetrieveColumn(sesid_, tableid, name_column(), buffer, sizeof(buffer), nullptr, 0, nullptr));
  EXPECT_EQ(0, std::memcmp(buffer, "abcdefgh", 8));
  JET_RETINFO info = {sizeof(JET_RETINFO), 2, 1, 77};
  EXPECT_JET(JET_errSuccess, JetRetrieveColumn(sesid_, tableid, name_column(), buffer, sizeof(buffer), &actual, 0, &info));
  EXPECT_EQ(0u, info.columnidNextTagged);
  info.cbStruct = 3;
  EXPECT_JET(JET_errInvalidParameter, JetRetrieveColumn(sesid_, tableid, name_column(), buffer, sizeof(buffer), &actual, 0, &info));
  EXPECT_JET(JET_errInvalidGrbit, JetRetrieveColumn(sesid_, tableid, name_column(), buffer, sizeof(buffer), &actual, 0x100000, nullptr));
  EXPECT_JET(JET_errColumnNotFound, JetRetrieveColumn(sesid_, tableid, 9999, buffer, sizeof(buffer), &actual, 0, nullptr));
}

TEST_F(ApiTableTest, SetColumnsAndRetrieveColumnsReportEachColumn) {
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_NO_FATAL_FAILURE(CreatePeople(&tableid));
  const int32_t id = 3;
  const int32_t score = 30;
  JET_SETCOLUMN set[3];
  std::memset(set, 0, sizeof(set));
  set[0].columnid = id_column();
  set[0].pvData = &id;
  set[0].cbData = sizeof(id);
  set[1].columnid = name_column();
  set[1].pvData = "three";
  set[1].cbData = 5;
  set[2].columnid = score_column();
  set[2].pvData = &score;
  set[2].cbData = sizeof(score);
  for (auto& s : set) {
    s.itagSequence = 1;
    s.err = 12345;
  }
  ASSERT_JET(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepInsert));
  ASSERT_JET(JET_errSuccess, JetSetColumns(sesid_, tableid, set, 3));
  for (const auto& s : set) EXPECT_EQ(JET_errSuccess, s.err);
  ASSERT_JET(JET_errSuccess, JetUpdate(sesid_, tableid, nullptr, 0, nullptr));
  EXPECT_JET(JET_errInvalidParameter, JetSetColumns(sesid_, tableid, nullptr, 2));

  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveFirst, 0));
  int32_t id_out = 0;
  char name_out[2];
  int32_t score_out = 0;
  JET_RETRIEVECOLUMN get[4];
  std::memset(get, 0, sizeof(get));
  get[0].columnid = id_column();
  get[0].pvData = &id_out;
  get[0].cbData = sizeof(id_out);
  get[1].columnid = name_column();
  get[1].pvData = name_out;
  get[1].cbData = sizeof(name_out);
  get[2].columnid = score_column();
  get[2].pvData = &score_out;
  get[2].cbData = sizeof(score_out);
  get[3].columnid = name_column();  // itagSequence 0: count the values
  for (int i = 0; i < 3; ++i) get[i].itagSequence = 1;
  EXPECT_JET(JET_wrnBufferTruncated, JetRetrieveColumns(sesid_, tableid, get, 4));
  EXPECT_EQ(JET_errSuccess, get[0].err);
  EXPECT_EQ(3, id_out);
  EXPECT_EQ(4u, get[0].cbActual);
  EXPECT_EQ(JET_wrnBufferTruncated, get[1].err);
  EXPECT_EQ(5u, get[1].cbActual);
  EXPECT_EQ(JET_errSuccess, get[2].err);
  EXPECT_EQ(30, score_out);
  EXPECT_EQ(JET_errSuccess, get[3].err);
  EXPECT_EQ(1u, get[3].itagSequence);
  EXPECT_EQ(0u, get[3].cbActual);
}

TEST_F(ApiTableTest, Bookmarks) {
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_NO_FATAL_FAILURE(CreatePeople(&tableid));
  ASSERT_NO_FATAL_FAILURE(Insert(tableid, 1, "one", 10));
  unsigned char bookmark[JET_cbBookmarkMost];
  unsigned long size = 0;
  const int32_t id = 2;
  ASSERT_JET(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepInsert));
  ASSERT_JET(JET_errSuccess, JetSetColumn(sesid_, tableid, id_column(), &id, sizeof(id), 0, nullptr));
  ASSERT_JET(JET_errSuccess, JetUpdate(sesid_, tableid, bookmark, sizeof(bookmark), &size));
  ASSERT_LT(0u, size);
  ASSERT_NO_FATAL_FAILURE(Insert(tableid, 3, "three", 30));
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveFirst, 0));
  ASSERT_JET(JET_errSuccess, JetGotoBookmark(sesid_, tableid, bookmark, size));
  EXPECT_EQ(2, CurrentId(tableid));

  unsigned char again[JET_cbBookmarkMost];
  unsigned long again_size = 0;
  EXPECT_JET(JET_errSuccess, JetGetBookmark(sesid_, tableid, again, sizeof(again), &again_size));
  EXPECT_EQ(size, again_size);
  EXPECT_EQ(0, std::memcmp(bookmark, again, size));
  EXPECT_JET(JET_errBufferTooSmall, JetGetBookmark(sesid_, tableid, again, 1, &again_size));
  EXPECT_EQ(size, again_size);
  EXPECT_JET(JET_errBufferTooSmall, JetGetBookmark(sesid_, tableid, nullptr, 0, &again_size));
  EXPECT_JET(JET_errInvalidBookmark, JetGotoBookmark(sesid_, tableid, bookmark, 0));

  // An insert whose bookmark does not fit inserts nothing.
  const int32_t four = 4;
  ASSERT_JET(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepInsert));
  ASSERT_JET(JET_errSuccess, JetSetColumn(sesid_, tableid, id_column(), &four, sizeof(four), 0, nullptr));
  EXPECT_JET(JET_errBufferTooSmall, JetUpdate(sesid_, tableid, bookmark, 1, &size));
  EXPECT_EQ(3u, Count(tableid));
  // A replace copies what fits.
  ASSERT_JET(JET_errSuccess, JetGotoBookmark(sesid_, tableid, again, again_size));
  ASSERT_JET(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepReplace));
  ASSERT_JET(JET_errSuccess, JetSetColumn(sesid_, tableid, name_column(), "two", 3, 0, nullptr));
  EXPECT_JET(JET_errSuccess, JetUpdate(sesid_, tableid, bookmark, 1, &size));
  EXPECT_EQ(again_size, size);
  EXPECT_JET(JET_errSuccess, JetDelete(sesid_, tableid));
  EXPECT_EQ(2u, Count(tableid));
  EXPECT_JET(JET_errInvalidParameter, JetPrepareUpdate(sesid_, tableid, 1));
}

// --- transactions --------------------------------------------------------------

TEST_F(ApiTableTest, Transactions) {
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_NO_FATAL_FAILURE(CreatePeople(&tableid));
  EXPECT_JET(JET_errNotInTransaction, JetCommitTransaction(sesid_, 0));
  EXPECT_JET(JET_errNotInTransaction, JetRollback(sesid_, 0));
  for (int level = 1; level <= 7; ++level) {
    SCOPED_TRACE(level);
    ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid_));
  }
  EXPECT_JET(JET_errTransTooDeep, JetBeginTransaction(sesid_));
  EXPECT_JET(JET_errSuccess, JetRollback(sesid_, JET_bitRollbackAll));
  EXPECT_JET(JET_errNotInTransaction, JetRollback(sesid_, 0));
  EXPECT_JET(JET_errInvalidGrbit, JetBeginTransaction2(sesid_, 0x10));
  EXPECT_JET(JET_errInvalidGrbit, JetRollback(sesid_, 0x10));

  // Rolled back: gone. Committed: kept.
  ASSERT_JET(JET_errSuccess, JetBeginTransaction2(sesid_, 0));
  ASSERT_NO_FATAL_FAILURE(Insert(tableid, 1, "gone", 1));
  ASSERT_JET(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_JET(JET_errNoCurrentRecord, JetMove(sesid_, tableid, JET_MoveFirst, 0));

  ASSERT_JET(JET_errSuccess, JetBeginTransaction3(sesid_, 17, JET_bitTransactionReadOnly));
  ASSERT_JET(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  JET_COMMIT_ID first;
  JET_COMMIT_ID second;
  ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_NO_FATAL_FAILURE(Insert(tableid, 2, "kept", 2));
  // A nested level commits into its parent only.
  ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_NO_FATAL_FAILURE(Insert(tableid, 3, "nested", 3));
  ASSERT_JET(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_JET(JET_errInvalidGrbit, JetCommitTransaction(sesid_, 0x4));
  ASSERT_JET(JET_errSuccess, JetCommitTransaction2(sesid_, JET_bitCommitLazyFlush, 100, &first));
  ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_NO_FATAL_FAILURE(Insert(tableid, 4, "later", 4));
  ASSERT_JET(JET_errSuccess, JetCommitTransaction2(sesid_, JET_bitWaitAllLevel0Commit, 0, &second));
  EXPECT_LT(first.commitId, second.commitId);
  EXPECT_EQ(3u, Count(tableid));
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveFirst, 0));
  EXPECT_EQ(2, CurrentId(tableid));
}

// --- navigation ----------------------------------------------------------------

TEST_F(ApiTableTest, SeekMoveAndIndexRanges) {
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_NO_FATAL_FAILURE(CreatePeople(&tableid));
  ASSERT_JET(JET_errSuccess, JetBeginTransaction(sesid_));
  for (int32_t id = 2; id <= 20; id += 2) {
    char name[8];
    std::snprintf(name, sizeof(name), "n%02d", id);
    ASSERT_NO_FATAL_FAILURE(Insert(tableid, id, name, id * 10));
  }
  ASSERT_JET(JET_errSuccess, JetCommitTransaction(sesid_, 0));

  // Primary index: seeks.
  int32_t key = 6;
  ASSERT_JET(JET_errSuccess, JetMakeKey(sesid_, tableid, &key, sizeof(key), JET_bitNewKey));
  ASSERT_JET(JET_errSuccess, JetSeek(sesid_, tableid, JET_bitSeekEQ));
  EXPECT_EQ(6, CurrentId(tableid));
  key = 5;
  ASSERT_JET(JET_errSuccess, JetMakeKey(sesid_, tableid, &key, sizeof(key), JET_bitNewKey));
  EXPECT_JET(JET_errRecordNotFound, JetSeek(sesid_, tableid, JET_bitSeekEQ));
  ASSERT_JET(JET_errSuccess, JetMakeKey(sesid_, tableid, &key, sizeof(key), JET_bitNewKey));
  EXPECT_JET(JET_wrnSeekNotEqual, JetSeek(sesid_, tableid, JET_bitSeekGE));
  EXPECT_EQ(6, CurrentId(tableid));
  EXPECT_JET(JET_errInvalidGrbit, JetSeek(sesid_, tableid, 0x1000));
  EXPECT_JET(JET_errInvalidGrbit, JetMakeKey(sesid_, tableid, &key, sizeof(key), 0x10000));
  EXPECT_JET(JET_errInvalidParameter, JetMakeKey(sesid_, tableid, nullptr, 4, JET_bitNewKey));

  // Moves, including JetMove's row counts.
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveFirst, 0));
  EXPECT_EQ(2, CurrentId(tableid));
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveNext, 0));
  EXPECT_EQ(4, CurrentId(tableid));
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, 3, 0));
  EXPECT_EQ(10, CurrentId(tableid));
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveLast, 0));
  EXPECT_EQ(20, CurrentId(tableid));
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MovePrevious, 0));
  EXPECT_EQ(18, CurrentId(tableid));
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, static_cast<long>(INT32_MIN), 0));
  EXPECT_EQ(2, CurrentId(tableid));
  EXPECT_JET(JET_errNoCurrentRecord, JetMove(sesid_, tableid, JET_MovePrevious, 0));
  EXPECT_JET(JET_errInvalidGrbit, JetMove(sesid_, tableid, JET_MoveNext, 0x8));

  // Position and counts.
  key = 10;
  ASSERT_JET(JET_errSuccess, JetMakeKey(sesid_, tableid, &key, sizeof(key), JET_bitNewKey));
  ASSERT_JET(JET_errSuccess, JetSeek(sesid_, tableid, JET_bitSeekEQ));
  JET_RECPOS position;
  ASSERT_JET(JET_errSuccess, JetGetRecordPosition(sesid_, tableid, &position, sizeof(position)));
  EXPECT_EQ(4u, position.centriesLT);
  EXPECT_EQ(10u, position.centriesTotal);
  EXPECT_JET(JET_errInvalidParameter, JetGetRecordPosition(sesid_, tableid, &position, 4));
  position.centriesLT = 9;
  position.centriesTotal = 10;
  ASSERT_JET(JET_errSuccess, JetGotoPosition(sesid_, tableid, &position));
  EXPECT_EQ(20, CurrentId(tableid));
  position.centriesLT = 11;
  EXPECT_JET(JET_errInvalidParameter, JetGotoPosition(sesid_, tableid, &position));
  unsigned long count = 0;
  EXPECT_EQ(10u, Count(tableid));
  ASSERT_JET(JET_errSuccess, JetIndexRecordCount(sesid_, tableid, &count, 4));
  EXPECT_EQ(4u, count);

  // An index range: 10 to 14 inclusive.
  key = 10;
  ASSERT_JET(JET_errSuccess, JetMakeKey(sesid_, tableid, &key, sizeof(key), JET_bitNewKey));
  ASSERT_JET(JET_errSuccess, JetSeek(sesid_, tableid, JET_bitSeekGE));
  key = 14;
  ASSERT_JET(JET_errSuccess, JetMakeKey(sesid_, tableid, &key, sizeof(key), JET_bitNewKey));
  ASSERT_JET(JET_errSuccess, JetSetIndexRange(sesid_, tableid, JET_bitRangeUpperLimit | JET_bitRangeInclusive));
  ASSERT_JET(JET_errSuccess, JetIndexRecordCount(sesid_, tableid, &count, 0));
  EXPECT_EQ(3u, count);
  EXPECT_EQ(10, CurrentId(tableid));
  EXPECT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveNext, 0));
  EXPECT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveNext, 0));
  EXPECT_EQ(14, CurrentId(tableid));
  EXPECT_JET(JET_errNoCurrentRecord, JetMove(sesid_, tableid, JET_MoveNext, 0));
  EXPECT_JET(JET_errInvalidGrbit, JetSetIndexRange(sesid_, tableid, 0x100));

  // Secondary indexes: a text index and a descending numeric one.
  ASSERT_JET(JET_errSuccess, JetSetCurrentIndex(sesid_, tableid, "by_name"));
  ASSERT_JET(JET_errSuccess, JetMakeKey(sesid_, tableid, "n12", 3, JET_bitNewKey));
  ASSERT_JET(JET_errSuccess, JetSeek(sesid_, tableid, JET_bitSeekEQ));
  EXPECT_EQ(12, CurrentId(tableid));
  unsigned char key_bytes[JET_cbKeyMost];
  unsigned long key_size = 0;
  EXPECT_JET(JET_errSuccess, JetRetrieveKey(sesid_, tableid, key_bytes, sizeof(key_bytes), &key_size, 0));
  EXPECT_LT(0u, key_size);
  EXPECT_JET(JET_wrnBufferTruncated, JetRetrieveKey(sesid_, tableid, key_bytes, 1, &key_size, 0));
  EXPECT_JET(JET_errInvalidGrbit, JetRetrieveKey(sesid_, tableid, key_bytes, sizeof(key_bytes), &key_size, 0x4));
  ASSERT_JET(JET_errSuccess, JetSetCurrentIndex2(sesid_, tableid, "by_score", JET_bitMoveFirst));
  EXPECT_EQ(20, CurrentId(tableid));
  ASSERT_JET(JET_errSuccess, JetMove(sesid_, tableid, JET_MoveLast, 0));
  EXPECT_EQ(2, CurrentId(tableid));
  // Keep the current record with JET_bitNoMove.
  ASSERT_JET(JET_errSuccess, JetSetCurrentIndex3(sesid_, tableid, "by_name", JET_bitNoMove, 1));
  EXPECT_EQ(2, CurrentId(tableid));
  EXPECT_JET(JET_errInvalidParameter, JetSetCurrentIndex3(sesid_, tableid, "by_name", 0, 0));
  EXPECT_JET(JET_errInvalidGrbit, JetSetCurrentIndex2(sesid_, tableid, "by_name", 0x1));
  // JetSetCurrentIndex4 by index id.
  JET_INDEXID index_id;
  ASSERT_JET(JET_errSuccess,
             JetGetTableIndexInfo(sesid_, tableid, "by_score", &index_id, sizeof(index_id), JET_IdxInfoIndexId));
  ASSERT_JET(JET_errSuccess, JetSetCurrentIndex4(sesid_, tableid, nullptr, &index_id, JET_bitMoveFirst, 1));
  char name[JET_cbNameMost + 1];
  EXPECT_JET(JET_errSuccess, JetGetCurrentIndex(sesid_, tableid, name, sizeof(name)));
  EXPECT_STREQ("by_score", name);
  ASSERT_JET(JET_errSuccess, JetSetCurrentIndex(sesid_, tableid, nullptr));
  EXPECT_JET(JET_errSuccess, JetGetCurrentIndex(sesid_, tableid, name, sizeof(name)));
  EXPECT_STREQ("primary", name);
}

TEST_F(ApiTableTest, UnsupportedCallsCheckTheirHandlesFirst) {
  JET_TABLEID tableid = JET_tableidNil;
  ASSERT_NO_FATAL_FAILURE(CreatePeople(&tableid));
  long delta = 1;
  EXPECT_JET(JET_errInvalidTableId, JetEscrowUpdate(sesid_, 0, score_column(), &delta, sizeof(delta),
                                                    nullptr, 0, nullptr, 0));
  EXPECT_JET(JET_errFeatureNotAvailable, JetEscrowUpdate(sesid_, tableid, score_column(), &delta,
                                                         sizeof(delta), nullptr, 0, nullptr, 0));
  EXPECT_JET(JET_errInvalidGrbit, JetGetLock(sesid_, tableid, 0));
  EXPECT_JET(JET_errFeatureNotAvailable, JetGetLock(sesid_, tableid, JET_bitWriteLock));
  unsigned long passes = 0;
  unsigned long seconds = 0;
  EXPECT_JET(JET_errInvalidDatabaseId, JetDefragment(sesid_, 42, nullptr, &passes, &seconds, 0));
  EXPECT_JET(JET_errInvalidGrbit, JetDefragment(sesid_, dbid_, nullptr, &passes, &seconds, 0x8));
  EXPECT_JET(JET_errSuccess,
             JetDefragment2(sesid_, dbid_, nullptr, &passes, &seconds, nullptr, JET_bitDefragmentBatchStart));
  const JET_ERR stopped =
      JetDefragment2(sesid_, dbid_, nullptr, &passes, &seconds, nullptr, JET_bitDefragmentBatchStop);
  EXPECT_TRUE(stopped == JET_errSuccess || stopped == JET_wrnDefragNotRunning) << stopped;
  ASSERT_JET(JET_errSuccess, JetSetSystemParameter(&instance_, 0, JET_paramEnableOnlineDefrag,
                                                   JET_OnlineDefragDisable, nullptr));
  EXPECT_JET(JET_errSuccess, JetDefragment(sesid_, dbid_, nullptr, &passes, &seconds, JET_bitDefragmentBatchStart));
}

}  // namespace

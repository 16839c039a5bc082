// The JET API edge, tables: DDL (tables, columns, indexes), opening and
// closing tables, and table, column and index information.
//
// JET_TABLECREATE* / JET_COLUMNCREATE / JET_INDEXCREATE* become the engine's
// TableSpec / ColumnSpec / IndexSpec here; nothing below sees the JET_
// structs. Levels that answer with a temporary table (the *List levels)
// give JET_errFeatureNotAvailable (NOT_SUPPORTED.md).

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "engine/api/api_state.h"
#include "engine/table/ddl.h"
#include "esent.h"

namespace jetsvc {
namespace api {
namespace {

constexpr JET_GRBIT kOpenTableGrbits =
    JET_bitTableDenyWrite | JET_bitTableDenyRead | JET_bitTableReadOnly | JET_bitTableUpdatable |
    JET_bitTablePermitDDL | JET_bitTableNoCache | JET_bitTablePreread |
    JET_bitTableOpportuneRead | JET_bitTableSequential | JET_bitTableClassMask;
constexpr JET_GRBIT kTableCreateGrbits =
    JET_bitTableCreateFixedDDL | JET_bitTableCreateTemplateTable |
    JET_bitTableCreateNoFixedVarColumnsInDerivedTables | JET_bitTableCreateImmutableStructure;
constexpr JET_GRBIT kIndexGrbits =
    JET_bitIndexUnique | JET_bitIndexPrimary | JET_bitIndexDisallowNull | JET_bitIndexIgnoreNull |
    JET_bitIndexIgnoreAnyNull | JET_bitIndexIgnoreFirstNull | JET_bitIndexLazyFlush |
    JET_bitIndexEmpty | JET_bitIndexUnversioned | JET_bitIndexSortNullsHigh |
    JET_bitIndexUnicode | JET_bitIndexTuples | JET_bitIndexTupleLimits |
    JET_bitIndexCrossProduct | JET_bitIndexKeyMost | JET_bitIndexDisallowTruncation |
    JET_bitIndexNestedTable | JET_bitIndexDotNetGuid | JET_bitIndexImmutableStructure;
constexpr unsigned long kColInfoLevelMask = 0x0FFFFFFF;  // the rest are JET_ColInfoGrbit*

// ESE: a density is 0 (the default) or a percentage from 20 to 100.
JET_ERR CheckDensity(unsigned long density) {
  if (density != 0 && (density < 20 || density > 100)) return JET_errDensityInvalid;
  return JET_errSuccess;
}

JET_ERR MakeColumnSpec(const char* name, JET_COLTYP coltyp, unsigned long cb_max,
                       JET_GRBIT grbit, unsigned long code_page, const void* default_value,
                       unsigned long default_size, ColumnSpec* spec) {
  JET_ERR err = CheckName(name, &spec->name);
  if (err < 0) return err;
  if (default_size > 0 && default_value == nullptr) return JET_errInvalidParameter;
  spec->coltyp = static_cast<uint32_t>(coltyp);
  spec->cb_max = static_cast<uint32_t>(cb_max);
  spec->grbit = static_cast<uint32_t>(grbit);
  spec->code_page = static_cast<uint32_t>(code_page);
  if (default_size > 0) {
    spec->default_value.emplace(static_cast<const char*>(default_value), default_size);
  }
  return JET_errSuccess;
}

// Everything an index description holds, whichever struct it came in.
struct IndexArgs {
  const char* name = nullptr;
  const char* key = nullptr;
  unsigned long key_size = 0;
  JET_GRBIT grbit = 0;
  unsigned long density = 0;
  unsigned long key_most = 0;       // JET_bitIndexKeyMost
  unsigned long var_seg_mac = 0;    // unless JET_bitIndexTupleLimits
  bool unicode_given = false;       // pidxunicode is not null
  unsigned long conditional_columns = 0;
};

template <typename IndexCreate>
IndexArgs ArgsOf(const IndexCreate& create) {
  IndexArgs args;
  args.name = create.szIndexName;
  args.key = create.szKey;
  args.key_size = create.cbKey;
  args.grbit = create.grbit;
  args.density = create.ulDensity;
  args.key_most = create.cbKeyMost;
  args.var_seg_mac = (create.grbit & JET_bitIndexTupleLimits) ? 0 : create.cbVarSegMac;
  args.unicode_given = create.pidxunicode != nullptr;
  args.conditional_columns = create.cConditionalColumn;
  return args;
}

// ESE's index checks (fcreate.cxx ErrFILEIGenerateIDB), then what jetsvc's
// keys cannot do (record/key.h: no tuple indexes, cbVarSegMac or
// conditional columns).
JET_ERR MakeIndexSpec(const IndexArgs& args, uint64_t key_most_for_page, IndexSpec* spec) {
  JET_ERR err = CheckName(args.name, &spec->name);
  if (err < 0) return err;
  const JET_GRBIT grbit = args.grbit;
  if ((grbit & ~kIndexGrbits) != 0) return JET_errInvalidGrbit;
  if ((grbit & JET_bitIndexPrimary) &&
      (grbit & (JET_bitIndexIgnoreNull | JET_bitIndexIgnoreAnyNull | JET_bitIndexIgnoreFirstNull))) {
    return JET_errInvalidGrbit;
  }
  if ((grbit & JET_bitIndexCrossProduct) && (grbit & JET_bitIndexNestedTable)) {
    return JET_errInvalidGrbit;
  }
  if ((grbit & JET_bitIndexEmpty) && !(grbit & JET_bitIndexIgnoreAnyNull)) {
    return JET_errInvalidGrbit;
  }
  if ((grbit & JET_bitIndexPrimary) && args.conditional_columns > 0) {
    return JET_errIndexInvalidDef;
  }
  if ((grbit & JET_bitIndexUnicode) && !args.unicode_given) return JET_errIndexInvalidDef;
  uint32_t key_most = JET_cbKeyMost;
  if (grbit & JET_bitIndexKeyMost) {
    if (args.key_most < JET_cbKeyMostMin || args.key_most > key_most_for_page) {
      return JET_errIndexInvalidDef;
    }
    key_most = static_cast<uint32_t>(args.key_most);
  }
  if (args.key == nullptr || args.key_size == 0) return JET_errInvalidParameter;
  if (args.key_size < 2 || (args.key[0] != '+' && args.key[0] != '-') ||
      args.key[args.key_size - 1] != '\0' || args.key[args.key_size - 2] != '\0') {
    return JET_errIndexInvalidDef;
  }
  err = CheckDensity(args.density);
  if (err < 0) return err;
  if (grbit & (JET_bitIndexTuples | JET_bitIndexTupleLimits)) return JET_errFeatureNotAvailable;
  if (args.conditional_columns > 0) return JET_errFeatureNotAvailable;
  if (args.var_seg_mac != 0 && args.var_seg_mac < key_most) return JET_errFeatureNotAvailable;
  spec->key.assign(args.key, args.key_size);
  spec->grbit = static_cast<uint32_t>(grbit);
  spec->density = static_cast<uint32_t>(args.density);
  spec->cb_key_most = (grbit & JET_bitIndexKeyMost) ? key_most : 0;
  return JET_errSuccess;
}

JET_ERR CreateIndexOn(SessionCall* call, const IndexArgs& args) {
  IndexSpec spec;
  JET_ERR err = MakeIndexSpec(args, call->instance()->Param(JET_paramKeyMost), &spec);
  if (err < 0) return err;
  IndexDef def;
  err = ToErr(MakeIndexDef(call->cursor()->def(), spec, &def));
  if (err < 0) return err;
  return ToErr(call->cursor()->CreateIndex(def));
}

template <typename IndexCreate>
JET_ERR CreateIndexes(JET_SESID sesid, JET_TABLEID tableid, IndexCreate* creates,
                      unsigned long count) {
  SessionCall call;
  const JET_ERR err = call.EnterTable(sesid, tableid);
  if (err < 0) return err;
  if (creates == nullptr && count > 0) return JET_errInvalidParameter;
  for (unsigned long i = 0; i < count; ++i) {
    if (creates[i].cbStruct != sizeof(IndexCreate)) return JET_errInvalidParameter;
  }
  for (unsigned long i = 0; i < count; ++i) {
    creates[i].err = CreateIndexOn(&call, ArgsOf(creates[i]));
    if (creates[i].err < 0) return creates[i].err;
  }
  return JET_errSuccess;
}

// The parts of JET_TABLECREATE, 2 and 3 that are not arrays.
struct TableArgs {
  const char* name = nullptr;
  const char* template_name = nullptr;
  const char* callback = nullptr;
  unsigned long pages = 0;
  unsigned long density = 0;
  JET_GRBIT grbit = 0;
};

template <typename TableCreate>
TableArgs TableArgsOf(const TableCreate& create) {
  TableArgs args;
  args.name = create.szTableName;
  args.template_name = create.szTemplateTableName;
  args.pages = create.ulPages;
  args.density = create.ulDensity;
  args.grbit = create.grbit;
  return args;
}

// JetCreateTable*: converts, creates, reports per item. REQUIRES: `call`
// entered with the database checked.
template <typename IndexCreate>
JET_ERR CreateTableFrom(SessionCall* call, uint32_t db_id, const TableArgs& args,
                        JET_COLUMNCREATE_A* columns, unsigned long column_count,
                        IndexCreate* indexes, unsigned long index_count,
                        JET_TABLEID* ptableid, unsigned long* pcreated) {
  *ptableid = JET_tableidNil;
  if (pcreated != nullptr) *pcreated = 0;
  if (args.template_name != nullptr || args.callback != nullptr) return JET_errFeatureNotAvailable;
  if ((args.grbit & ~kTableCreateGrbits) != 0) return JET_errInvalidGrbit;
  // Fixed and immutable DDL are accepted, not enforced (NOT_SUPPORTED.md).
  if (args.grbit & (JET_bitTableCreateTemplateTable |
                    JET_bitTableCreateNoFixedVarColumnsInDerivedTables)) {
    return JET_errFeatureNotAvailable;
  }
  if ((columns == nullptr && column_count > 0) || (indexes == nullptr && index_count > 0)) {
    return JET_errInvalidParameter;
  }
  TableSpec spec;
  JET_ERR err = CheckName(args.name, &spec.name);
  if (err < 0) return err;
  err = CheckDensity(args.density);
  if (err < 0) return err;
  spec.pages = static_cast<uint32_t>(args.pages);
  spec.density = static_cast<uint32_t>(args.density);
  for (unsigned long i = 0; i < column_count; ++i) {
    JET_COLUMNCREATE_A& c = columns[i];
    if (c.cbStruct != sizeof(JET_COLUMNCREATE_A)) return JET_errInvalidParameter;
    ColumnSpec column;
    c.err = MakeColumnSpec(c.szColumnName, c.coltyp, c.cbMax, c.grbit, c.cp, c.pvDefault,
                           c.cbDefault, &column);
    if (c.err < 0) return c.err;
    spec.columns.push_back(std::move(column));
  }
  const uint64_t key_most = call->instance()->Param(JET_paramKeyMost);
  for (unsigned long i = 0; i < index_count; ++i) {
    IndexCreate& c = indexes[i];
    if (c.cbStruct != sizeof(IndexCreate)) return JET_errInvalidParameter;
    IndexSpec index;
    c.err = MakeIndexSpec(ArgsOf(c), key_most, &index);
    if (c.err < 0) return c.err;
    spec.indexes.push_back(std::move(index));
  }
  err = CheckCursorQuota(call);
  if (err < 0) return err;

  TableCreateResult result;
  std::unique_ptr<TableCursor> cursor;
  const Status status = CreateTable(call->session(), db_id, spec, &result, &cursor);
  for (unsigned long i = 0; i < column_count; ++i) {
    columns[i].err = i < result.column_status.size() ? ToErr(result.column_status[i]) : 0;
    columns[i].columnid = i < result.columnids.size() ? result.columnids[i] : 0;
  }
  for (unsigned long i = 0; i < index_count; ++i) {
    indexes[i].err = i < result.index_status.size() ? ToErr(result.index_status[i]) : 0;
  }
  if (pcreated != nullptr) *pcreated = result.created;
  if (status.IsError()) return ToErr(status);
  if (cursor != nullptr) {
    err = RegisterCursor(call, db_id, std::move(cursor), ptableid);
    if (err < 0) return err;
  }
  return ToErr(status);
}

template <typename TableCreate, typename IndexCreate>
JET_ERR CreateTableColumnIndex(JET_SESID sesid, JET_DBID dbid, TableCreate* create,
                               IndexCreate* indexes, const char* callback) {
  SessionCall call;
  uint32_t db_id = 0;
  const JET_ERR err = call.EnterDatabase(sesid, dbid, &db_id);
  if (err < 0) return err;
  if (create == nullptr || create->cbStruct != sizeof(TableCreate)) return JET_errInvalidParameter;
  TableArgs args = TableArgsOf(*create);
  args.callback = callback;
  return CreateTableFrom(&call, db_id, args, create->rgcolumncreate, create->cColumns, indexes,
                         create->cIndexes, &create->tableid, &create->cCreated);
}

// --- information -----------------------------------------------------------

// The cbMax a JET_COLUMNDEF reports: the fixed size, the variable limit, or
// 0 (unlimited) for long values.
unsigned long ReportedCbMax(const ColumnDef& column) {
  const uint32_t fixed = FixedSizeOfColtyp(column.coltyp);
  if (fixed != 0) return fixed;
  if (column.cb_max != 0) return column.cb_max;
  return IsLongColtyp(column.coltyp) ? 0 : JET_cbColumnMost;
}

template <typename ColumnInfo>
void FillColumnInfo(const ColumnDef& column, ColumnInfo* info) {
  std::memset(info, 0, sizeof(*info));
  info->cbStruct = sizeof(*info);
  info->columnid = column.columnid;
  info->coltyp = column.coltyp;
  info->wCountry = 1;      // countryDefault
  info->langid = 0x409;    // en-US, what ESE reports by default
  info->cp = IsTextColtyp(column.coltyp) ? (column.code_page != 0 ? column.code_page : 1252) : 0;
  info->cbMax = ReportedCbMax(column);
  info->grbit = column.grbit | (column.fixed() ? JET_bitColumnFixed : 0) |
                (column.tagged() ? JET_bitColumnTagged : 0);
}

JET_ERR ColumnInfoOf(TableCursor* cursor, const char* name_or_id, void* result,
                     unsigned long cb_max, unsigned long level) {
  const unsigned long base = level & kColInfoLevelMask;
  switch (base) {
    case JET_ColInfo:
    case JET_ColInfoByColid:
    case JET_ColInfoBase:
    case JET_ColInfoBaseByColid:
      break;
    case JET_ColInfoList:
    case JET_ColInfoListCompact:
    case JET_ColInfoListSortColumnid:
    case JET_ColInfoSysTabCursor:
      return JET_errFeatureNotAvailable;
    default:
      return JET_errInvalidParameter;
  }
  const bool by_id = base == JET_ColInfoByColid || base == JET_ColInfoBaseByColid;
  const bool base_info = base == JET_ColInfoBase || base == JET_ColInfoBaseByColid;
  if (result == nullptr) return JET_errInvalidParameter;
  if (cb_max < (base_info ? sizeof(JET_COLUMNBASE_A) : sizeof(JET_COLUMNDEF))) {
    return JET_errBufferTooSmall;
  }
  JET_ERR err = ToErr(cursor->RefreshSchema());
  if (err < 0) return err;
  const TableDef& table = cursor->def();
  const ColumnDef* column = nullptr;
  if (by_id) {
    if (name_or_id == nullptr) return JET_errInvalidParameter;
    JET_COLUMNID columnid;
    std::memcpy(&columnid, name_or_id, sizeof(columnid));
    column = table.FindColumn(static_cast<uint32_t>(columnid));
  } else {
    // ESE looks a NULL or empty name up (and finds nothing); other bad
    // names fail its name check.
    if (name_or_id == nullptr || name_or_id[0] == '\0') return JET_errColumnNotFound;
    std::string name;
    err = CheckName(name_or_id, &name);
    if (err < 0) return err;
    column = table.FindColumnByName(name);
  }
  if (column == nullptr) return JET_errColumnNotFound;
  if (base_info) {
    JET_COLUMNBASE_A info;
    FillColumnInfo(*column, &info);
    std::strncpy(info.szBaseTableName, table.name.c_str(), sizeof(info.szBaseTableName) - 1);
    std::strncpy(info.szBaseColumnName, column->name.c_str(), sizeof(info.szBaseColumnName) - 1);
    std::memcpy(result, &info, sizeof(info));
  } else {
    JET_COLUMNDEF info;
    FillColumnInfo(*column, &info);
    std::memcpy(result, &info, sizeof(info));
  }
  return JET_errSuccess;
}

// Writes a ULONG-sized result into at least 4 bytes (ESE checks cbMin).
JET_ERR PutAtLeastULong(void* result, unsigned long cb_max, uint64_t value) {
  if (cb_max >= sizeof(unsigned long)) {
    const unsigned long v = static_cast<unsigned long>(value);
    std::memcpy(result, &v, sizeof(v));
  } else if (cb_max >= sizeof(uint32_t)) {
    const uint32_t v = static_cast<uint32_t>(value);
    std::memcpy(result, &v, sizeof(v));
  } else {
    return JET_errBufferTooSmall;
  }
  return JET_errSuccess;
}

JET_ERR IndexInfoOf(TableCursor* cursor, const char* index_name, void* result,
                    unsigned long cb_max, unsigned long level) {
  switch (level) {
    case JET_IdxInfoCount:
    case JET_IdxInfoSpaceAlloc:
    case JET_IdxInfoVarSegMac:
    case JET_IdxInfoKeyMost:
    case JET_IdxInfoIndexId:
      break;
    case JET_IdxInfo:
    case JET_IdxInfoList:
    case JET_IdxInfoSysTabCursor:
    case JET_IdxInfoOLC:
    case JET_IdxInfoResetOLC:
    case JET_IdxInfoLCID:
    case JET_IdxInfoCreateIndex:
    case JET_IdxInfoCreateIndex2:
    case JET_IdxInfoCreateIndex3:
    case JET_IdxInfoLocaleName:
    case JET_IdxInfoSpaceOwned:
    case JET_IdxInfoSpaceAvailable:
      return JET_errFeatureNotAvailable;
    default:
      return JET_errInvalidParameter;
  }
  if (result == nullptr) return JET_errInvalidParameter;
  JET_ERR err = ToErr(cursor->RefreshSchema());
  if (err < 0) return err;
  const TableDef& table = cursor->def();
  if (level == JET_IdxInfoCount) {
    if (cb_max < sizeof(int)) return JET_errBufferTooSmall;
    // ESE counts the primary (or sequential) index as one, always.
    int count = 1;
    for (const IndexDef& index : table.indexes) {
      if (!index.primary()) ++count;
    }
    std::memcpy(result, &count, sizeof(count));
    return JET_errSuccess;
  }
  // NULL or "" names the clustered index (the primary index, or none for a
  // table in sequential order).
  const IndexDef* index = nullptr;
  if (index_name == nullptr || index_name[0] == '\0') {
    index = table.PrimaryIndex();
  } else {
    std::string name;
    err = CheckName(index_name, &name);
    if (err < 0) return err;
    index = table.FindIndexByName(name);
    if (index == nullptr) return JET_errIndexNotFound;
  }
  switch (level) {
    case JET_IdxInfoSpaceAlloc:
      return PutAtLeastULong(result, cb_max, index != nullptr ? index->density : table.density);
    case JET_IdxInfoVarSegMac:
    case JET_IdxInfoKeyMost: {
      if (cb_max < sizeof(unsigned short)) return JET_errBufferTooSmall;
      const unsigned short key_most =
          static_cast<unsigned short>(index != nullptr ? index->cb_key_most : JET_cbKeyMost);
      std::memcpy(result, &key_most, sizeof(key_most));
      return JET_errSuccess;
    }
    default: {  // JET_IdxInfoIndexId: a hint; JetSetCurrentIndex4 still uses the name
      if (cb_max < sizeof(JET_INDEXID)) return JET_errBufferTooSmall;
      JET_INDEXID id;
      std::memset(&id, 0, sizeof(id));
      id.cbStruct = sizeof(id);
      const uint32_t objid = index != nullptr ? index->objid : table.objid;
      std::memcpy(id.rgbIndexId, &objid, sizeof(objid));
      std::memcpy(result, &id, sizeof(id));
      return JET_errSuccess;
    }
  }
}

JET_ERR TableInfoOf(TableCursor* cursor, uint32_t db_id, void* result, unsigned long cb_max,
                    unsigned long level) {
  if (result == nullptr) return JET_errInvalidParameter;
  const TableDef& table = cursor->def();
  switch (level) {
    case JET_TblInfo: {
      if (cb_max < sizeof(JET_OBJECTINFO)) return JET_errBufferTooSmall;
      JET_OBJECTINFO info;
      std::memset(&info, 0, sizeof(info));
      info.cbStruct = sizeof(info);
      info.objtyp = JET_objtypTable;
      info.grbit = JET_bitTableInfoBookmark | JET_bitTableInfoRollback |
                   (cursor->read_only() ? 0 : JET_bitTableInfoUpdatable);
      // cRecord and cPage are ESE's cached statistics, which jetsvc does
      // not keep: 0, as ESE reports before statistics are computed.
      std::memcpy(result, &info, sizeof(info));
      return JET_errSuccess;
    }
    case JET_TblInfoName:
      return CopyString(table.name, result, cb_max);
    case JET_TblInfoDbid: {
      if (cb_max < sizeof(JET_DBID)) return JET_errBufferTooSmall;
      const JET_DBID dbid = db_id;
      std::memcpy(result, &dbid, sizeof(dbid));
      return JET_errSuccess;
    }
    case JET_TblInfoTemplateTableName:
      if (cb_max <= JET_cbNameMost) return JET_errBufferTooSmall;
      static_cast<char*>(result)[0] = '\0';  // no templates
      return JET_errSuccess;
    case JET_TblInfoSpaceAlloc: {
      // Two ULONGs: the initial pages and the density.
      if (cb_max >= 2 * sizeof(unsigned long)) {
        const unsigned long values[2] = {table.pages, table.density};
        std::memcpy(result, values, sizeof(values));
      } else if (cb_max >= 2 * sizeof(uint32_t)) {
        const uint32_t values[2] = {table.pages, table.density};
        std::memcpy(result, values, sizeof(values));
      } else {
        return JET_errBufferTooSmall;
      }
      return JET_errSuccess;
    }
    case JET_TblInfoMostMany:
    case JET_TblInfoRvt:
    case JET_TblInfoOLC:
    case JET_TblInfoResetOLC:
    case JET_TblInfoSpaceUsage:
    case JET_TblInfoDumpTable:
    case JET_TblInfoSpaceOwned:
    case JET_TblInfoSpaceAvailable:
    case JET_TblInfoSpaceOwnedLV:
    case JET_TblInfoSpaceAvailableLV:
      return JET_errFeatureNotAvailable;
    default:
      return JET_errInvalidParameter;
  }
}

// Opens `table_name` for the duration of one information call.
JET_ERR OpenForInfo(SessionCall* call, uint32_t db_id, const char* table_name,
                    std::unique_ptr<TableCursor>* cursor) {
  if (table_name == nullptr) return JET_errInvalidParameter;
  std::string name;
  const JET_ERR err = CheckName(table_name, &name);
  if (err < 0) return err;
  return ToErr(TableCursor::Open(call->session(), db_id, name, JET_bitTableReadOnly, cursor));
}

}  // namespace
}  // namespace api
}  // namespace jetsvc

using jetsvc::ColumnDef;
using jetsvc::ColumnSpec;
using jetsvc::Status;
using jetsvc::TableCursor;
using namespace jetsvc::api;  // NOLINT: the edge uses its helpers throughout

extern "C" {

// --- tables ----------------------------------------------------------------

JET_ERR JET_API JetCreateTableA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName,
                                unsigned long lPages, unsigned long lDensity,
                                JET_TABLEID* ptableid) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    uint32_t db_id = 0;
    const JET_ERR err = call.EnterDatabase(sesid, dbid, &db_id);
    if (err < 0) return err;
    if (ptableid == nullptr) return JET_errInvalidParameter;
    TableArgs args;
    args.name = szTableName;
    args.pages = lPages;
    args.density = lDensity;
    return CreateTableFrom<JET_INDEXCREATE_A>(&call, db_id, args, nullptr, 0, nullptr, 0,
                                              ptableid, nullptr);
  });
}

JET_ERR JET_API JetCreateTableColumnIndexA(JET_SESID sesid, JET_DBID dbid,
                                           JET_TABLECREATE_A* ptablecreate) {
  return Guard([&] {
    return CreateTableColumnIndex(sesid, dbid, ptablecreate,
                                  ptablecreate != nullptr ? ptablecreate->rgindexcreate : nullptr,
                                  nullptr);
  });
}

JET_ERR JET_API JetCreateTableColumnIndex2A(JET_SESID sesid, JET_DBID dbid,
                                            JET_TABLECREATE2_A* ptablecreate) {
  return Guard([&] {
    return CreateTableColumnIndex(sesid, dbid, ptablecreate,
                                  ptablecreate != nullptr ? ptablecreate->rgindexcreate : nullptr,
                                  ptablecreate != nullptr ? ptablecreate->szCallback : nullptr);
  });
}

JET_ERR JET_API JetCreateTableColumnIndex3A(JET_SESID sesid, JET_DBID dbid,
                                            JET_TABLECREATE3_A* ptablecreate) {
  // The space hints and cbSeparateLV are hints; they are not used.
  return Guard([&] {
    return CreateTableColumnIndex(sesid, dbid, ptablecreate,
                                  ptablecreate != nullptr ? ptablecreate->rgindexcreate : nullptr,
                                  ptablecreate != nullptr ? ptablecreate->szCallback : nullptr);
  });
}

JET_ERR JET_API JetDeleteTableA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    uint32_t db_id = 0;
    JET_ERR err = call.EnterDatabase(sesid, dbid, &db_id);
    if (err < 0) return err;
    std::string name;
    err = CheckName(szTableName, &name);
    if (err < 0) return err;
    return ToErr(jetsvc::DeleteTable(call.session(), db_id, name));
  });
}

JET_ERR JET_API JetOpenTableA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName,
                              const void* /*pvParameters*/, unsigned long /*cbParameters*/,
                              JET_GRBIT grbit, JET_TABLEID* ptableid) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    uint32_t db_id = 0;
    JET_ERR err = call.EnterDatabase(sesid, dbid, &db_id);
    if (err < 0) return err;
    if (ptableid == nullptr) return JET_errInvalidParameter;
    *ptableid = JET_tableidNil;
    std::string name;
    err = CheckName(szTableName, &name);
    if (err < 0) return err;
    if ((grbit & ~kOpenTableGrbits) != 0) return JET_errInvalidGrbit;
    err = CheckCursorQuota(&call);
    if (err < 0) return err;
    std::unique_ptr<TableCursor> cursor;
    const Status status =
        TableCursor::Open(call.session(), db_id, name, static_cast<uint32_t>(grbit), &cursor);
    if (status.IsError()) return ToErr(status);
    err = RegisterCursor(&call, db_id, std::move(cursor), ptableid);
    return err < 0 ? err : ToErr(status);
  });
}

JET_ERR JET_API JetCloseTable(JET_SESID sesid, JET_TABLEID tableid) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid, StopRule::kAllow);
    if (err < 0) return err;
    CloseTable(call.api_session(), call.table()->handle);
    return JET_errSuccess;
  });
}

// --- columns ---------------------------------------------------------------

JET_ERR JET_API JetAddColumnA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName,
                              const JET_COLUMNDEF* pcolumndef, const void* pvDefault,
                              unsigned long cbDefault, JET_COLUMNID* pcolumnid) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if (pcolumndef == nullptr || pcolumndef->cbStruct < sizeof(JET_COLUMNDEF)) {
      return JET_errInvalidParameter;
    }
    ColumnSpec spec;
    err = MakeColumnSpec(szColumnName, pcolumndef->coltyp, pcolumndef->cbMax, pcolumndef->grbit,
                         pcolumndef->cp, pvDefault, cbDefault, &spec);
    if (err < 0) return err;
    ColumnDef column;
    err = ToErr(jetsvc::MakeColumnDef(spec, &column));
    if (err < 0) return err;
    uint32_t columnid = 0;
    err = ToErr(call.cursor()->AddColumn(spec.name, column, &columnid));
    if (err >= 0 && pcolumnid != nullptr) *pcolumnid = columnid;
    return err;
  });
}

JET_ERR JET_API JetDeleteColumn2A(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName,
                                  const JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if ((grbit & ~JET_GRBIT{JET_bitDeleteColumnIgnoreTemplateColumns}) != 0) {
      return JET_errInvalidGrbit;
    }
    std::string name;
    err = CheckName(szColumnName, &name);
    if (err < 0) return err;
    return ToErr(call.cursor()->DeleteColumn(name));
  });
}

JET_ERR JET_API JetDeleteColumnA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName) {
  return JetDeleteColumn2A(sesid, tableid, szColumnName, 0);
}

// --- indexes ---------------------------------------------------------------

JET_ERR JET_API JetCreateIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                JET_GRBIT grbit, const char* szKey, unsigned long cbKey,
                                unsigned long lDensity) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    IndexArgs args;
    args.name = szIndexName;
    args.key = szKey;
    args.key_size = cbKey;
    args.grbit = grbit;
    args.density = lDensity;
    return CreateIndexOn(&call, args);
  });
}

JET_ERR JET_API JetCreateIndex2A(JET_SESID sesid, JET_TABLEID tableid,
                                 JET_INDEXCREATE_A* pindexcreate, unsigned long cIndexCreate) {
  return Guard([&] { return CreateIndexes(sesid, tableid, pindexcreate, cIndexCreate); });
}

JET_ERR JET_API JetCreateIndex3A(JET_SESID sesid, JET_TABLEID tableid,
                                 JET_INDEXCREATE2_A* pindexcreate, unsigned long cIndexCreate) {
  return Guard([&] { return CreateIndexes(sesid, tableid, pindexcreate, cIndexCreate); });
}

JET_ERR JET_API JetDeleteIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    std::string name;
    err = CheckName(szIndexName, &name);
    if (err < 0) return err;
    return ToErr(call.cursor()->DeleteIndex(name));
  });
}

// --- information -----------------------------------------------------------

JET_ERR JET_API JetGetTableColumnInfoA(JET_SESID sesid, JET_TABLEID tableid,
                                       JET_PCSTR szColumnName, void* pvResult,
                                       unsigned long cbMax, unsigned long InfoLevel) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    return ColumnInfoOf(call.cursor(), szColumnName, pvResult, cbMax, InfoLevel);
  });
}

JET_ERR JET_API JetGetColumnInfoA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName,
                                  JET_PCSTR pColumnNameOrId, void* pvResult,
                                  unsigned long cbMax, unsigned long InfoLevel) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    uint32_t db_id = 0;
    JET_ERR err = call.EnterDatabase(sesid, dbid, &db_id);
    if (err < 0) return err;
    std::unique_ptr<TableCursor> cursor;
    err = OpenForInfo(&call, db_id, szTableName, &cursor);
    if (err < 0) return err;
    return ColumnInfoOf(cursor.get(), pColumnNameOrId, pvResult, cbMax, InfoLevel);
  });
}

JET_ERR JET_API JetGetTableIndexInfoA(JET_SESID sesid, JET_TABLEID tableid,
                                      JET_PCSTR szIndexName, void* pvResult,
                                      unsigned long cbResult, unsigned long InfoLevel) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    return IndexInfoOf(call.cursor(), szIndexName, pvResult, cbResult, InfoLevel);
  });
}

JET_ERR JET_API JetGetIndexInfoA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName,
                                 JET_PCSTR szIndexName, void* pvResult, unsigned long cbResult,
                                 unsigned long InfoLevel) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    uint32_t db_id = 0;
    JET_ERR err = call.EnterDatabase(sesid, dbid, &db_id);
    if (err < 0) return err;
    std::unique_ptr<TableCursor> cursor;
    err = OpenForInfo(&call, db_id, szTableName, &cursor);
    if (err < 0) return err;
    return IndexInfoOf(cursor.get(), szIndexName, pvResult, cbResult, InfoLevel);
  });
}

JET_ERR JET_API JetGetTableInfoA(JET_SESID sesid, JET_TABLEID tableid, void* pvResult,
                                 unsigned long cbMax, unsigned long InfoLevel) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    err = ToErr(call.cursor()->RefreshSchema());
    if (err < 0) return err;
    return TableInfoOf(call.cursor(), call.table()->db_id, pvResult, cbMax, InfoLevel);
  });
}

}  // extern "C"

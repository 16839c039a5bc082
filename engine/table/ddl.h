// DDL entry points that do not start from an open table: creating and
// deleting tables, parsing index key descriptions. DDL that works on an open
// table (AddColumn, CreateIndex, ...) is on TableCursor; all of it lives in
// engine/table/ddl.cc.
//
// DDL is transactional (DESIGN.md D1): catalog rows and tree creations go
// into the session's write set (an implicit transaction outside one).
//
// Thread contract: called on the session's thread.

#ifndef JETSVC_ENGINE_TABLE_DDL_H_
#define JETSVC_ENGINE_TABLE_DDL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/catalog/schema.h"
#include "engine/instance/session.h"
#include "engine/table/table_cursor.h"
#include "engine/util/status.h"

namespace jetsvc {

// A column or index as JET_TABLECREATE / JetAddColumn / JetCreateIndex
// describe it (ids and objids are assigned by the DDL code).
struct ColumnSpec {
  std::string name;
  uint32_t coltyp = 0;
  uint32_t cb_max = 0;
  uint32_t grbit = 0;
  uint32_t code_page = 0;
  std::optional<std::string> default_value;
};

struct IndexSpec {
  std::string name;
  std::string key;  // ESE's szKey: "+col\0-col\0\0"
  uint32_t grbit = 0;
  uint32_t density = 0;      // 0 = default (100)
  uint32_t cb_key_most = 0;  // 0 = JET_cbKeyMost (255)
};

struct TableSpec {
  std::string name;
  uint32_t pages = 0;
  uint32_t density = 0;
  std::vector<ColumnSpec> columns;
  std::vector<IndexSpec> indexes;
};

// Per-item results for JET_TABLECREATE's err fields and outputs.
struct TableCreateResult {
  std::vector<Status> column_status;
  std::vector<uint32_t> columnids;
  std::vector<Status> index_status;
  uint32_t created = 0;  // cCreated: table + columns + indexes made
};

// Creates a table and opens it (JetCreateTableColumnIndex leaves it open).
// Errors: JET_errTableDuplicate, JET_errInvalidName, JET_errColumnDuplicate,
// JET_errInvalidColumnType, JET_errIndexDuplicate, JET_errIndexHasPrimary,
// JET_errInvalidParameter, ... (the first failing column/index is also
// reported in `result`).
Status CreateTable(Session* session, uint32_t db_id, const TableSpec& spec,
                   TableCreateResult* result, std::unique_ptr<TableCursor>* opened);
// JetDeleteTable. Errors: JET_errObjectNotFound, JET_errTableInUse (open
// cursors).
Status DeleteTable(Session* session, uint32_t db_id, const std::string& name);

// Validates a column description and fills `column` (without its id).
Status MakeColumnDef(const ColumnSpec& spec, ColumnDef* column);
// Validates an index description against the table and fills `index`
// (without its objid): name, grbits, density, cbKeyMost, key segments.
Status MakeIndexDef(const TableDef& table, const IndexSpec& spec, IndexDef* index);
// Parses szKey ("+name\0-name\0\0") against the table's columns.
// Errors: JET_errInvalidParameter (malformed), JET_errColumnNotFound.
Status ParseIndexKey(const TableDef& table, const std::string& key,
                     std::vector<IndexSegment>* segments);

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_TABLE_DDL_H_

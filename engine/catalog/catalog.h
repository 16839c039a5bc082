// Catalog: table, column and index definitions, stored as rows of the
// catalog tree (objid 1) of each database.
//
// Catalog rows are written through a transaction's write set like any
// data, so DDL is transactional and versioned: a transaction sees the
// schema as of its snapshot plus its own DDL, and a rollback undoes DDL.
//
// Row keys (byte order = catalog order):
//   table:  0x01 | folded table name                 -> TableRow
//   column: 0x02 | table objid (BE32) | columnid (BE32) -> ColumnDef
//   index:  0x03 | table objid (BE32) | folded index name -> IndexDef
// Values are encoded with util/coding.h (see catalog.cc); decoding checks
// every length and gives JET_errDatabaseCorrupted on a bad row.
//
// Thread contract: stateless functions; callers pass the session's view.

#ifndef JETSVC_ENGINE_CATALOG_CATALOG_H_
#define JETSVC_ENGINE_CATALOG_CATALOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/btree/btree.h"
#include "engine/catalog/schema.h"
#include "engine/util/status.h"
#include "engine/version/version_store.h"
#include "engine/version/versioned_cursor.h"

namespace jetsvc {

// How catalog reads and writes reach one database.
struct CatalogAccess {
  BTree* tree = nullptr;         // the database's catalog tree
  uint32_t db = 0;
  VersionStore* versions = nullptr;
  ReadView view;                 // the reader's snapshot and write set
  Transaction* trx = nullptr;    // for writes (null for read-only use)
};

class Catalog {
 public:
  // Loads a table's full definition by name. *found false if absent.
  static Status LoadTable(const CatalogAccess& access, const std::string& name, TableDef* def,
                          bool* found);
  // Names of all tables, in catalog order.
  static Status ListTables(const CatalogAccess& access, std::vector<std::string>* names);

  // Writes the table row and every column and index row of `def`.
  static Status CreateTable(const CatalogAccess& access, const TableDef& def);
  // Rewrites just the table row (counters, LV objid).
  static Status UpdateTableRow(const CatalogAccess& access, const TableDef& def);
  // Deletes the table row and all its column and index rows.
  static Status DeleteTable(const CatalogAccess& access, const TableDef& def);
  static Status PutColumn(const CatalogAccess& access, uint32_t table_objid,
                          const ColumnDef& column);
  static Status DeleteColumn(const CatalogAccess& access, uint32_t table_objid,
                             uint32_t columnid);
  static Status PutIndex(const CatalogAccess& access, uint32_t table_objid,
                         const IndexDef& index);
  static Status DeleteIndex(const CatalogAccess& access, uint32_t table_objid,
                            const std::string& index_name);

  // Row encodings (exposed for tests).
  static std::string TableKey(const std::string& name);
  static std::string ColumnKey(uint32_t table_objid, uint32_t columnid);
  static std::string IndexKey(uint32_t table_objid, const std::string& index_name);
  static std::string EncodeTableRow(const TableDef& def);
  static Status DecodeTableRow(std::string_view value, TableDef* def);
  static std::string EncodeColumn(const ColumnDef& column);
  static Status DecodeColumn(std::string_view value, ColumnDef* column);
  static std::string EncodeIndex(const IndexDef& index);
  static Status DecodeIndex(std::string_view value, IndexDef* index);
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_CATALOG_CATALOG_H_

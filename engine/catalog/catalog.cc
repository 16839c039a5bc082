#include "engine/catalog/catalog.h"

#include <algorithm>

#include "engine/util/coding.h"
#include "esent.h"

namespace jetsvc {

namespace {

constexpr char kTableTag = 0x01;
constexpr char kColumnTag = 0x02;
constexpr char kIndexTag = 0x03;
constexpr uint32_t kRowVersion = 1;

Status BadRow(const char* what) {
  return Status::Corruption(std::string("malformed catalog row: ") + what);
}

TreeId CatalogTree(const CatalogAccess& access) { return TreeId{access.db, kCatalogObjid}; }

Status WriteRow(const CatalogAccess& access, const std::string& key, const std::string* value) {
  if (access.trx == nullptr) return Status::InvalidParameter("catalog write outside a transaction");
  if (value == nullptr) return access.versions->Write(access.trx, CatalogTree(access), key, nullptr);
  const std::string_view view(*value);
  return access.versions->Write(access.trx, CatalogTree(access), key, &view);
}

// Calls fn(key, value) for each visible row whose key starts with prefix.
template <typename Fn>
Status ScanPrefix(const CatalogAccess& access, const std::string& prefix, Fn fn) {
  VersionedCursor cursor(access.tree, CatalogTree(access), access.versions);
  JET_RETURN_IF_ERROR(cursor.Seek(access.view, prefix, SeekMode::kGE));
  while (cursor.Valid() && cursor.key().compare(0, prefix.size(), prefix) == 0) {
    JET_RETURN_IF_ERROR(fn(cursor.key(), cursor.value()));
    JET_RETURN_IF_ERROR(cursor.Next(access.view));
  }
  return Status::OK();
}

std::string TablePrefix(char tag, uint32_t table_objid) {
  std::string prefix(1, tag);
  PutBigEndian32(&prefix, table_objid);
  return prefix;
}

}  // namespace

std::string Catalog::TableKey(const std::string& name) {
  return std::string(1, kTableTag) + FoldName(name);
}

std::string Catalog::ColumnKey(uint32_t table_objid, uint32_t columnid) {
  std::string key = TablePrefix(kColumnTag, table_objid);
  PutBigEndian32(&key, columnid);
  return key;
}

std::string Catalog::IndexKey(uint32_t table_objid, const std::string& index_name) {
  return TablePrefix(kIndexTag, table_objid) + FoldName(index_name);
}

std::string Catalog::EncodeTableRow(const TableDef& def) {
  std::string value;
  PutVarint32(&value, kRowVersion);
  PutLengthPrefixed(&value, def.name);
  PutVarint32(&value, def.objid);
  PutVarint32(&value, def.lv_objid);
  PutVarint32(&value, def.pages);
  PutVarint32(&value, def.density);
  return value;
}

Status Catalog::DecodeTableRow(std::string_view value, TableDef* def) {
  uint32_t version = 0;
  std::string_view name;
  if (!GetVarint32(&value, &version) || version != kRowVersion ||
      !GetLengthPrefixed(&value, &name) || !GetVarint32(&value, &def->objid) ||
      !GetVarint32(&value, &def->lv_objid) || !GetVarint32(&value, &def->pages) ||
      !GetVarint32(&value, &def->density) || !value.empty()) {
    return BadRow("table");
  }
  def->name.assign(name);
  return Status::OK();
}

std::string Catalog::EncodeColumn(const ColumnDef& column) {
  std::string value;
  PutVarint32(&value, kRowVersion);
  PutVarint32(&value, column.columnid);
  PutLengthPrefixed(&value, column.name);
  PutVarint32(&value, column.coltyp);
  PutVarint32(&value, column.cb_max);
  PutVarint32(&value, column.grbit);
  PutVarint32(&value, column.code_page);
  value.push_back(column.default_value.has_value() ? 1 : 0);
  if (column.default_value) PutLengthPrefixed(&value, *column.default_value);
  return value;
}

Status Catalog::DecodeColumn(std::string_view value, ColumnDef* column) {
  uint32_t version = 0;
  uint32_t code_page = 0;
  std::string_view name;
  if (!GetVarint32(&value, &version) || version != kRowVersion ||
      !GetVarint32(&value, &column->columnid) || !GetLengthPrefixed(&value, &name) ||
      !GetVarint32(&value, &column->coltyp) || !GetVarint32(&value, &column->cb_max) ||
      !GetVarint32(&value, &column->grbit) || !GetVarint32(&value, &code_page) ||
      value.empty()) {
    return BadRow("column");
  }
  column->name.assign(name);
  column->code_page = static_cast<uint16_t>(code_page);
  const bool has_default = value[0] != 0;
  value.remove_prefix(1);
  column->default_value.reset();
  if (has_default) {
    std::string_view default_value;
    if (!GetLengthPrefixed(&value, &default_value)) return BadRow("column default");
    column->default_value.emplace(default_value);
  }
  if (!value.empty() || (!IsValidColtyp(column->coltyp) && column->coltyp != 0) ||
      column->columnid == 0) {
    return BadRow("column");
  }
  return Status::OK();
}

std::string Catalog::EncodeIndex(const IndexDef& index) {
  std::string value;
  PutVarint32(&value, kRowVersion);
  PutLengthPrefixed(&value, index.name);
  PutVarint32(&value, index.objid);
  PutVarint32(&value, index.grbit);
  PutVarint32(&value, index.cb_key_most);
  PutVarint32(&value, index.density);
  PutVarint32(&value, static_cast<uint32_t>(index.segments.size()));
  for (const IndexSegment& segment : index.segments) {
    PutVarint32(&value, segment.columnid);
    value.push_back(segment.descending ? 1 : 0);
  }
  return value;
}

Status Catalog::DecodeIndex(std::string_view value, IndexDef* index) {
  uint32_t version = 0;
  uint32_t count = 0;
  std::string_view name;
  if (!GetVarint32(&value, &version) || version != kRowVersion ||
      !GetLengthPrefixed(&value, &name) || !GetVarint32(&value, &index->objid) ||
      !GetVarint32(&value, &index->grbit) || !GetVarint32(&value, &index->cb_key_most) ||
      !GetVarint32(&value, &index->density) || !GetVarint32(&value, &count) ||
      count > value.size() || count == 0) {
    return BadRow("index");
  }
  index->name.assign(name);
  index->segments.resize(count);
  for (IndexSegment& segment : index->segments) {
    if (!GetVarint32(&value, &segment.columnid) || value.empty()) return BadRow("index segment");
    segment.descending = value[0] != 0;
    value.remove_prefix(1);
  }
  if (!value.empty()) return BadRow("index");
  return Status::OK();
}

Status Catalog::LoadTable(const CatalogAccess& access, const std::string& name, TableDef* def,
                          bool* found) {
  *found = false;
  std::string row;
  JET_RETURN_IF_ERROR(VersionedCursor::Get(access.tree, CatalogTree(access), access.versions,
                                           access.view, TableKey(name), &row, found));
  if (!*found) return Status::OK();
  *def = TableDef();
  JET_RETURN_IF_ERROR(DecodeTableRow(row, def));
  JET_RETURN_IF_ERROR(ScanPrefix(access, TablePrefix(kColumnTag, def->objid),
                                 [def](const std::string&, const std::string& value) {
                                   ColumnDef column;
                                   JET_RETURN_IF_ERROR(DecodeColumn(value, &column));
                                   def->columns.push_back(std::move(column));
                                   return Status::OK();
                                 }));
  JET_RETURN_IF_ERROR(ScanPrefix(access, TablePrefix(kIndexTag, def->objid),
                                 [def](const std::string&, const std::string& value) {
                                   IndexDef index;
                                   JET_RETURN_IF_ERROR(DecodeIndex(value, &index));
                                   def->indexes.push_back(std::move(index));
                                   return Status::OK();
                                 }));
  std::sort(def->columns.begin(), def->columns.end(),
            [](const ColumnDef& a, const ColumnDef& b) { return a.columnid < b.columnid; });
  // The primary index first, then the others by name.
  std::stable_sort(def->indexes.begin(), def->indexes.end(),
                   [](const IndexDef& a, const IndexDef& b) { return a.primary() && !b.primary(); });
  return Status::OK();
}

Status Catalog::ListTables(const CatalogAccess& access, std::vector<std::string>* names) {
  names->clear();
  return ScanPrefix(access, std::string(1, kTableTag),
                    [names](const std::string&, const std::string& value) {
                      TableDef def;
                      JET_RETURN_IF_ERROR(DecodeTableRow(value, &def));
                      names->push_back(def.name);
                      return Status::OK();
                    });
}

Status Catalog::CreateTable(const CatalogAccess& access, const TableDef& def) {
  const std::string row = EncodeTableRow(def);
  JET_RETURN_IF_ERROR(WriteRow(access, TableKey(def.name), &row));
  for (const ColumnDef& column : def.columns) {
    JET_RETURN_IF_ERROR(PutColumn(access, def.objid, column));
  }
  for (const IndexDef& index : def.indexes) {
    JET_RETURN_IF_ERROR(PutIndex(access, def.objid, index));
  }
  return Status::OK();
}

Status Catalog::UpdateTableRow(const CatalogAccess& access, const TableDef& def) {
  const std::string row = EncodeTableRow(def);
  return WriteRow(access, TableKey(def.name), &row);
}

Status Catalog::DeleteTable(const CatalogAccess& access, const TableDef& def) {
  JET_RETURN_IF_ERROR(WriteRow(access, TableKey(def.name), nullptr));
  for (const ColumnDef& column : def.columns) {
    JET_RETURN_IF_ERROR(DeleteColumn(access, def.objid, column.columnid));
  }
  for (const IndexDef& index : def.indexes) {
    JET_RETURN_IF_ERROR(DeleteIndex(access, def.objid, index.name));
  }
  return Status::OK();
}

Status Catalog::PutColumn(const CatalogAccess& access, uint32_t table_objid,
                          const ColumnDef& column) {
  const std::string row = EncodeColumn(column);
  return WriteRow(access, ColumnKey(table_objid, column.columnid), &row);
}

Status Catalog::DeleteColumn(const CatalogAccess& access, uint32_t table_objid,
                             uint32_t columnid) {
  return WriteRow(access, ColumnKey(table_objid, columnid), nullptr);
}

Status Catalog::PutIndex(const CatalogAccess& access, uint32_t table_objid,
                         const IndexDef& index) {
  const std::string row = EncodeIndex(index);
  return WriteRow(access, IndexKey(table_objid, index.name), &row);
}

Status Catalog::DeleteIndex(const CatalogAccess& access, uint32_t table_objid,
                            const std::string& index_name) {
  return WriteRow(access, IndexKey(table_objid, index_name), nullptr);
}

}  // namespace jetsvc

// DDL: tables, columns and indexes (DESIGN.md D1: transactional, through
// the catalog rows and tree operations of the session's write set).

#include "engine/table/ddl.h"

#include <algorithm>
#include <set>

#include "engine/catalog/catalog.h"
#include "engine/instance/database.h"
#include "engine/instance/instance.h"
#include "engine/table/cursor_internal.h"
#include "esent.h"

namespace jetsvc {

namespace {

constexpr uint32_t kKnownColumnBits = JET_bitColumnFixed | JET_bitColumnTagged |
                                      JET_bitColumnNotNULL | JET_bitColumnVersion |
                                      JET_bitColumnAutoincrement | JET_bitColumnMultiValued |
                                      JET_bitColumnEscrowUpdate;
constexpr uint32_t kKnownIndexBits =
    JET_bitIndexUnique | JET_bitIndexPrimary | JET_bitIndexDisallowNull |
    JET_bitIndexIgnoreNull | JET_bitIndexIgnoreAnyNull | JET_bitIndexIgnoreFirstNull |
    JET_bitIndexLazyFlush | JET_bitIndexEmpty | JET_bitIndexUnversioned |
    JET_bitIndexSortNullsHigh | JET_bitIndexUnicode | JET_bitIndexCrossProduct |
    JET_bitIndexKeyMost | JET_bitIndexDisallowTruncation | JET_bitIndexNestedTable |
    JET_bitIndexDotNetGuid;
constexpr size_t kMaxKeySegments = 16;  // JET_ccolKeyMost

// Adds a tree operation at the transaction's current level.
void AddTreeOp(Transaction* trx, TreeOpKind kind, uint32_t db_id, uint32_t objid,
               TreeKind tree_kind) {
  TreeOp op;
  op.level = trx->level();
  op.kind = kind;
  op.tree = TreeId{db_id, objid};
  op.tree_kind = static_cast<uint8_t>(tree_kind);
  trx->writes().AddTreeOp(op);
}

// Runs `work` in a savepoint of `session` (see TableCursor::InSavepoint).
Status RunInSavepoint(Session* session, const std::function<Status(Transaction*)>& work) {
  const bool implicit = session->level() == 0;
  JET_RETURN_IF_ERROR(session->BeginSavepoint());
  Status status = work(session->trx());
  if (status.IsError()) {
    session->RollbackSavepoint();
    return status;
  }
  Status commit = session->Commit(implicit ? JET_bitCommitLazyFlush : 0);
  if (commit.IsError()) {
    if (implicit && session->trx() != nullptr) session->RollbackSavepoint();
    return commit;
  }
  return status;
}

uint32_t NextColumnId(const TableDef& def, ColumnClass column_class) {
  uint32_t first = kFirstFixedColumn;
  if (column_class == ColumnClass::kVariable) first = kFirstVariableColumn;
  if (column_class == ColumnClass::kTagged) first = kFirstTaggedColumn;
  uint32_t next = first;
  for (const ColumnDef& column : def.columns) {  // tombstones included: ids are never reused
    if (ClassOfColumn(column.columnid) == column_class) next = std::max(next, column.columnid + 1);
  }
  return next;
}

ColumnClass ClassFor(const ColumnDef& column) {
  if (IsLongColtyp(column.coltyp) || (column.grbit & JET_bitColumnTagged) ||
      (column.grbit & JET_bitColumnMultiValued)) {
    return ColumnClass::kTagged;
  }
  if (FixedSizeOfColtyp(column.coltyp) > 0 || (column.grbit & JET_bitColumnFixed)) {
    return ColumnClass::kFixed;
  }
  return ColumnClass::kVariable;
}

Status AssignColumnId(const TableDef& def, ColumnDef* column) {
  const ColumnClass column_class = ClassFor(*column);
  const uint32_t id = NextColumnId(def, column_class);
  const uint32_t last = column_class == ColumnClass::kFixed      ? kLastFixedColumn
                        : column_class == ColumnClass::kVariable ? kLastVariableColumn
                                                                 : kLastTaggedColumn;
  if (id > last) {
    return Status::FromCode(JET_errTooManyColumns, "the table has no room for another column "
                                                   "of this kind");
  }
  column->columnid = id;
  return Status::OK();
}

Status CheckIndexDef(const TableDef& table, IndexDef* index) {
  if (!IsValidObjectName(index->name)) {
    return Status::FromCode(JET_errInvalidName, "invalid index name '" + index->name + "'");
  }
  if (index->grbit & ~kKnownIndexBits) {
    return Status::FromCode(JET_errInvalidGrbit, "unknown index option");
  }
  if ((index->grbit & JET_bitIndexCrossProduct) && (index->grbit & JET_bitIndexNestedTable)) {
    return Status::FromCode(JET_errInvalidGrbit, "CrossProduct and NestedTable exclude each other");
  }
  if (index->density == 0) index->density = 100;
  if (index->density < 20 || index->density > 100) {
    return Status::FromCode(JET_errDensityInvalid, "index density must be 20 to 100");
  }
  if (index->cb_key_most == 0) index->cb_key_most = JET_cbKeyMost;
  if (index->cb_key_most < JET_cbKeyMostMin || index->cb_key_most > 1000) {
    return Status::FromCode(JET_errInvalidParameter, "cbKeyMost out of range");
  }
  (void)table;
  return Status::OK();
}

}  // namespace

Status MakeColumnDef(const ColumnSpec& spec, ColumnDef* column) {
  *column = ColumnDef();
  if (!IsValidObjectName(spec.name)) {
    return Status::FromCode(JET_errInvalidName, "invalid column name '" + spec.name + "'");
  }
  if (!IsValidColtyp(spec.coltyp)) {
    return Status::FromCode(JET_errInvalidColumnType,
                            "column '" + spec.name + "' has an unknown coltyp " +
                                std::to_string(spec.coltyp));
  }
  if (spec.grbit & ~kKnownColumnBits) {
    return Status::FromCode(JET_errInvalidGrbit, "unknown column option on '" + spec.name + "'");
  }
  column->name = spec.name;
  column->coltyp = spec.coltyp;
  column->grbit = spec.grbit;
  column->cb_max = spec.cb_max;
  const bool tagged = (spec.grbit & JET_bitColumnTagged) != 0;
  const bool fixed = (spec.grbit & JET_bitColumnFixed) != 0;
  if (tagged && fixed) {
    return Status::FromCode(JET_errInvalidParameter,
                            "column '" + spec.name + "' cannot be both fixed and tagged");
  }
  if ((spec.grbit & JET_bitColumnMultiValued) && !tagged && !IsLongColtyp(spec.coltyp)) {
    return Status::FromCode(JET_errMultiValuedColumnMustBeTagged,
                            "multi-valued column '" + spec.name + "' must be tagged");
  }
  if (spec.grbit & (JET_bitColumnVersion | JET_bitColumnEscrowUpdate)) {
    return Status::FromCode(JET_errFeatureNotAvailable,
                            "version and escrow-update columns are not supported");
  }
  if (spec.grbit & JET_bitColumnAutoincrement) {
    const uint32_t t = spec.coltyp;
    if (t != JET_coltypLong && t != JET_coltypCurrency && t != JET_coltypLongLong &&
        t != JET_coltypUnsignedLong) {
      return Status::FromCode(JET_errInvalidColumnType,
                              "autoincrement column '" + spec.name + "' must be an integer type");
    }
    if (tagged || (spec.grbit & JET_bitColumnMultiValued)) {
      return Status::FromCode(JET_errInvalidParameter, "an autoincrement column cannot be tagged");
    }
  }
  const bool text_or_binary = spec.coltyp == JET_coltypBinary || spec.coltyp == JET_coltypText;
  if (text_or_binary && !tagged && spec.cb_max > JET_cbColumnMost) {
    return Status::FromCode(JET_errInvalidParameter,
                            "column '" + spec.name + "': Binary/Text columns hold at most 255 "
                                                     "bytes (use LongBinary/LongText)");
  }
  if (fixed && text_or_binary && spec.cb_max == 0) {
    return Status::FromCode(JET_errInvalidParameter,
                            "fixed column '" + spec.name + "' needs a cbMax");
  }
  if (IsTextColtyp(spec.coltyp)) {
    const uint32_t cp = spec.code_page == 0 ? 1252 : spec.code_page;
    if (cp != 1252 && cp != 1200 && cp != 20127) {
      return Status::FromCode(JET_errInvalidCodePage,
                              "column '" + spec.name + "': code page must be 1252 or 1200");
    }
    column->code_page = static_cast<uint16_t>(cp == 20127 ? 1252 : cp);
  }
  if (spec.default_value) {
    std::string stored;
    Status status = NormalizeValue(*column, *spec.default_value, &stored);
    if (status.IsError()) {
      return Status::FromCode(status.code() == JET_errColumnTooBig ? JET_errDefaultValueTooBig
                                                                   : status.code(),
                              "default of column '" + spec.name + "': " +
                                  std::string(status.message()));
    }
    if (stored.size() > 255 && !IsLongColtyp(spec.coltyp)) {
      return Status::FromCode(JET_errDefaultValueTooBig, "default of '" + spec.name + "' is too big");
    }
    column->default_value = std::move(stored);
  }
  return Status::OK();
}

Status ParseIndexKey(const TableDef& table, const std::string& key,
                     std::vector<IndexSegment>* segments) {
  segments->clear();
  size_t pos = 0;
  while (pos < key.size() && key[pos] != '\0') {
    const size_t end = key.find('\0', pos);
    if (end == std::string::npos) {
      return Status::FromCode(JET_errIndexInvalidDef, "index key is not NUL-terminated");
    }
    std::string name = key.substr(pos, end - pos);
    IndexSegment segment;
    if (name[0] == '+' || name[0] == '-') {
      segment.descending = name[0] == '-';
      name.erase(0, 1);
    }
    const ColumnDef* column = table.FindColumnByName(name);
    if (column == nullptr) {
      return Status::FromCode(JET_errColumnNotFound, "index key names unknown column '" + name + "'");
    }
    segment.columnid = column->columnid;
    for (const IndexSegment& other : *segments) {
      if (other.columnid == segment.columnid) {
        return Status::FromCode(JET_errIndexInvalidDef, "column '" + name + "' is in the key twice");
      }
    }
    segments->push_back(segment);
    if (segments->size() > kMaxKeySegments) {
      return Status::FromCode(JET_errTooManyKeys, "an index key has at most 16 columns");
    }
    pos = end + 1;
  }
  if (segments->empty()) return Status::FromCode(JET_errIndexInvalidDef, "empty index key");
  return Status::OK();
}

Status MakeIndexDef(const TableDef& table, const IndexSpec& spec, IndexDef* index) {
  *index = IndexDef();
  index->name = spec.name;
  index->grbit = spec.grbit;
  index->density = spec.density;
  index->cb_key_most = spec.cb_key_most;
  JET_RETURN_IF_ERROR(CheckIndexDef(table, index));
  return ParseIndexKey(table, spec.key, &index->segments);
}

Status CreateTable(Session* session, uint32_t db_id, const TableSpec& spec,
                   TableCreateResult* result, std::unique_ptr<TableCursor>* opened) {
  *result = TableCreateResult();
  result->column_status.resize(spec.columns.size());
  result->columnids.resize(spec.columns.size());
  result->index_status.resize(spec.indexes.size());
  Instance* instance = session->instance();
  Database* db = instance->FindDatabase(db_id);
  if (db == nullptr || !session->HasDatabaseOpen(db_id)) {
    return Status::FromCode(JET_errInvalidDatabaseId, "the database is not open in this session");
  }
  if (!IsValidObjectName(spec.name)) {
    return Status::FromCode(JET_errInvalidName, "invalid table name '" + spec.name + "'");
  }
  if (db->read_only()) return Status::FromCode(JET_errPermissionDenied, "the database is read-only");
  JET_RETURN_IF_ERROR(instance->CheckWritable());

  TableDef def;
  def.name = spec.name;
  def.pages = spec.pages;
  def.density = spec.density == 0 ? 100 : spec.density;
  if (def.density < 20 || def.density > 100) {
    return Status::FromCode(JET_errDensityInvalid, "table density must be 20 to 100");
  }
  std::set<std::string> column_names;
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    ColumnDef column;
    Status status = MakeColumnDef(spec.columns[i], &column);
    if (status.ok() && !column_names.insert(FoldName(column.name)).second) {
      status = Status::FromCode(JET_errColumnDuplicate,
                                "column '" + column.name + "' is defined twice");
    }
    if (status.ok()) status = AssignColumnId(def, &column);
    result->column_status[i] = status;
    JET_RETURN_IF_ERROR(status);
    result->columnids[i] = column.columnid;
    def.columns.push_back(std::move(column));
    std::sort(def.columns.begin(), def.columns.end(),
              [](const ColumnDef& a, const ColumnDef& b) { return a.columnid < b.columnid; });
  }
  def.objid = instance->NewObjid(db_id);
  def.lv_objid = instance->NewObjid(db_id);
  std::set<std::string> index_names;
  for (size_t i = 0; i < spec.indexes.size(); ++i) {
    const IndexSpec& index_spec = spec.indexes[i];
    IndexDef index;
    Status status = MakeIndexDef(def, index_spec, &index);
    if (status.ok() && !index_names.insert(FoldName(index.name)).second) {
      status = Status::FromCode(JET_errIndexDuplicate, "index '" + index.name + "' is defined twice");
    }
    if (status.ok() && index.primary() && def.PrimaryIndex() != nullptr) {
      status = Status::FromCode(JET_errIndexHasPrimary, "a table has at most one primary index");
    }
    result->index_status[i] = status;
    JET_RETURN_IF_ERROR(status);
    index.objid = index.primary() ? def.objid : instance->NewObjid(db_id);
    def.indexes.push_back(std::move(index));
  }
  std::stable_sort(def.indexes.begin(), def.indexes.end(),
                   [](const IndexDef& a, const IndexDef& b) { return a.primary() && !b.primary(); });

  JET_RETURN_IF_ERROR(RunInSavepoint(session, [&](Transaction* trx) {
    ReadView view = session->View(0);
    CatalogAccess access{db->catalog(), db_id, instance->versions(), view, trx};
    TableDef existing;
    bool found = false;
    JET_RETURN_IF_ERROR(Catalog::LoadTable(access, def.name, &existing, &found));
    if (found) return Status::FromCode(JET_errTableDuplicate, "table '" + def.name + "' exists");
    AddTreeOp(trx, TreeOpKind::kCreate, db_id, def.objid, TreeKind::kTable);
    AddTreeOp(trx, TreeOpKind::kCreate, db_id, def.lv_objid, TreeKind::kLongValue);
    for (const IndexDef& index : def.indexes) {
      if (!index.primary()) AddTreeOp(trx, TreeOpKind::kCreate, db_id, index.objid, TreeKind::kIndex);
    }
    return Catalog::CreateTable(access, def);
  }));
  result->created = static_cast<uint32_t>(1 + def.columns.size() + def.indexes.size());
  if (opened != nullptr) return TableCursor::Open(session, db_id, def.name, 0, opened);
  return Status::OK();
}

Status DeleteTable(Session* session, uint32_t db_id, const std::string& name) {
  Instance* instance = session->instance();
  Database* db = instance->FindDatabase(db_id);
  if (db == nullptr || !session->HasDatabaseOpen(db_id)) {
    return Status::FromCode(JET_errInvalidDatabaseId, "the database is not open in this session");
  }
  if (db->read_only()) return Status::FromCode(JET_errPermissionDenied, "the database is read-only");
  JET_RETURN_IF_ERROR(instance->CheckWritable());
  return RunInSavepoint(session, [&](Transaction* trx) {
    ReadView view = session->View(0);
    CatalogAccess access{db->catalog(), db_id, instance->versions(), view, trx};
    TableDef def;
    bool found = false;
    JET_RETURN_IF_ERROR(Catalog::LoadTable(access, name, &def, &found));
    if (!found) return Status::FromCode(JET_errObjectNotFound, "no table named '" + name + "'");
    if (db->TableUsers(def.objid) > 0) {
      return Status::FromCode(JET_errTableInUse, "table '" + name + "' is open: close it first");
    }
    JET_RETURN_IF_ERROR(Catalog::DeleteTable(access, def));
    AddTreeOp(trx, TreeOpKind::kDrop, db_id, def.objid, TreeKind::kTable);
    if (def.lv_objid != 0) AddTreeOp(trx, TreeOpKind::kDrop, db_id, def.lv_objid, TreeKind::kLongValue);
    for (const IndexDef& index : def.indexes) {
      if (!index.primary()) AddTreeOp(trx, TreeOpKind::kDrop, db_id, index.objid, TreeKind::kIndex);
    }
    return Status::OK();
  });
}

// --- DDL on an open table ---

Status TableCursor::AddColumn(const std::string& name, const ColumnDef& spec,
                              uint32_t* columnid) {
  if (read_only_) return Status::FromCode(JET_errPermissionDenied, "the table is read-only");
  if (update_ != nullptr) return Status::FromCode(JET_errAlreadyPrepared, "an update is prepared");
  JET_RETURN_IF_ERROR(instance()->CheckWritable());
  ColumnSpec column_spec;
  column_spec.name = name;
  column_spec.coltyp = spec.coltyp;
  column_spec.cb_max = spec.cb_max;
  column_spec.grbit = spec.grbit;
  column_spec.code_page = spec.code_page;
  column_spec.default_value = spec.default_value;
  ColumnDef column;
  JET_RETURN_IF_ERROR(MakeColumnDef(column_spec, &column));
  JET_RETURN_IF_ERROR(RefreshSchema());
  if (def_->FindColumnByName(name) != nullptr) {
    return Status::FromCode(JET_errColumnDuplicate, "column '" + name + "' exists");
  }
  JET_RETURN_IF_ERROR(AssignColumnId(*def_, &column));
  JET_RETURN_IF_ERROR(InSavepoint([&](Transaction* trx) {
    CatalogAccess access{db_->catalog(), db_id_, instance()->versions(), session_->View(0), trx};
    return Catalog::PutColumn(access, def_->objid, column);
  }));
  if (columnid != nullptr) *columnid = column.columnid;
  return RefreshSchema();
}

Status TableCursor::DeleteColumn(const std::string& name) {
  if (read_only_) return Status::FromCode(JET_errPermissionDenied, "the table is read-only");
  if (update_ != nullptr) return Status::FromCode(JET_errAlreadyPrepared, "an update is prepared");
  JET_RETURN_IF_ERROR(instance()->CheckWritable());
  JET_RETURN_IF_ERROR(RefreshSchema());
  const ColumnDef* column = def_->FindColumnByName(name);
  if (column == nullptr) return Status::FromCode(JET_errColumnNotFound, "no column '" + name + "'");
  for (const IndexDef& index : def_->indexes) {
    for (const IndexSegment& segment : index.segments) {
      if (segment.columnid == column->columnid) {
        return Status::FromCode(JET_errColumnInUse,
                                "column '" + name + "' is in index '" + index.name + "'");
      }
    }
  }
  const ColumnDef victim = *column;
  JET_RETURN_IF_ERROR(InSavepoint([&](Transaction* trx) {
    CatalogAccess access{db_->catalog(), db_id_, instance()->versions(), session_->View(0), trx};
    if (victim.fixed()) {
      // Fixed columns keep their slot as a tombstone (record/record.h).
      ColumnDef tombstone;
      tombstone.columnid = victim.columnid;
      tombstone.name = "";
      tombstone.coltyp = 0;
      tombstone.cb_max = FixedColumnSlotSize(victim);
      return Catalog::PutColumn(access, def_->objid, tombstone);
    }
    return Catalog::DeleteColumn(access, def_->objid, victim.columnid);
  }));
  return RefreshSchema();
}

Status TableCursor::CreateIndex(const IndexDef& spec) {
  if (read_only_) return Status::FromCode(JET_errPermissionDenied, "the table is read-only");
  if (update_ != nullptr) return Status::FromCode(JET_errAlreadyPrepared, "an update is prepared");
  JET_RETURN_IF_ERROR(instance()->CheckWritable());
  JET_RETURN_IF_ERROR(RefreshSchema());
  IndexDef index = spec;
  JET_RETURN_IF_ERROR(CheckIndexDef(*def_, &index));
  if (def_->FindIndexByName(index.name) != nullptr) {
    return Status::FromCode(JET_errIndexDuplicate, "index '" + index.name + "' exists");
  }
  if (index.primary() && def_->PrimaryIndex() != nullptr) {
    return Status::FromCode(JET_errIndexHasPrimary, "the table has a primary index");
  }
  index.objid = index.primary() ? def_->objid : instance()->NewObjid(db_id_);
  EnsureTrees();
  Status status = InSavepoint([&](Transaction* trx) {
    const ReadView view = session_->View(0);
    // The records, as this transaction sees them.
    VersionedCursor scan(clustered_.get(), ClusteredId(), instance()->versions());
    JET_RETURN_IF_ERROR(scan.First(view));
    if (index.primary() && scan.Valid()) {
      return Status::FromCode(JET_errTableNotEmpty,
                              "a primary index can only be added to an empty table");
    }
    CatalogAccess access{db_->catalog(), db_id_, instance()->versions(), view, trx};
    JET_RETURN_IF_ERROR(Catalog::PutIndex(access, def_->objid, index));
    if (index.primary()) return Status::OK();
    AddTreeOp(trx, TreeOpKind::kCreate, db_id_, index.objid, TreeKind::kIndex);
    // Build the entries of every existing record.
    TableDef extended = *def_;
    extended.indexes.push_back(index);
    const IndexDef& built = extended.indexes.back();
    for (uint64_t built_count = 0; scan.Valid(); ++built_count) {
      // A long operation: a stop request ends it (reference §3).
      if ((built_count & 255) == 0 && instance()->stop_requested()) {
        return Status::FromCode(JET_errClientRequestToStopJetService,
                                "the index build was stopped by JetStopService");
      }
      RecordReader reader;
      JET_RETURN_IF_ERROR(RecordReader::Open(extended, scan.value(), &reader));
      std::vector<std::string> keys;
      JET_RETURN_IF_ERROR(ComputeIndexEntries(view, built, reader, NullViolation::kError, &keys));
      JET_RETURN_IF_ERROR(WriteIndexEntries(trx, built, scan.key(), {}, keys));
      JET_RETURN_IF_ERROR(scan.Next(view));
    }
    return Status::OK();
  });
  JET_RETURN_IF_ERROR(status);
  return RefreshSchema();
}

Status TableCursor::DeleteIndex(const std::string& name) {
  if (read_only_) return Status::FromCode(JET_errPermissionDenied, "the table is read-only");
  if (update_ != nullptr) return Status::FromCode(JET_errAlreadyPrepared, "an update is prepared");
  JET_RETURN_IF_ERROR(instance()->CheckWritable());
  JET_RETURN_IF_ERROR(RefreshSchema());
  const IndexDef* index = def_->FindIndexByName(name);
  if (index == nullptr) return Status::FromCode(JET_errIndexNotFound, "no index '" + name + "'");
  if (index->primary()) {
    return Status::FromCode(JET_errIndexMustStay, "the primary index cannot be deleted");
  }
  const IndexDef victim = *index;
  if (index_ == index) {
    const IndexDef* primary = def_->PrimaryIndex();
    JET_RETURN_IF_ERROR(SetCurrentIndex(primary != nullptr ? primary->name : "", 0));
  }
  JET_RETURN_IF_ERROR(InSavepoint([&](Transaction* trx) {
    CatalogAccess access{db_->catalog(), db_id_, instance()->versions(), session_->View(0), trx};
    JET_RETURN_IF_ERROR(Catalog::DeleteIndex(access, def_->objid, victim.name));
    AddTreeOp(trx, TreeOpKind::kDrop, db_id_, victim.objid, TreeKind::kIndex);
    return Status::OK();
  }));
  return RefreshSchema();
}

}  // namespace jetsvc

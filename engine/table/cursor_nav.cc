// TableCursor: opening, index selection, keys, seeks, moves, index ranges,
// bookmarks and positions.

#include <optional>

#include "engine/catalog/catalog.h"
#include "engine/instance/database.h"
#include "engine/instance/instance.h"
#include "engine/table/cursor_internal.h"
#include "engine/table/table_cursor.h"
#include "esent.h"

namespace jetsvc {

namespace {
// Long scans check for a stop every this many entries (reference §3: long
// operations already running end with JET_errClientRequestToStopJetService).
constexpr uint64_t kStopCheckInterval = 256;

Status CheckStop(Instance* instance, uint64_t step) {
  if ((step % kStopCheckInterval) == 0 && instance->stop_requested()) {
    return Status::FromCode(JET_errClientRequestToStopJetService,
                            "stopped by JetStopService");
  }
  return Status::OK();
}

// Sorts after every key that starts with a given key (keys are far
// shorter than this; see VersionedCursor::Last).
const std::string& AfterPad() {
  static const std::string pad(16384, '\xff');
  return pad;
}
}  // namespace

ReadScope::ReadScope(Session* session) {
  if (session->trx() == nullptr) guard_.emplace(session->instance()->versions());
  view_ = session->View(guard_ ? guard_->snapshot() : 0);
}

TableCursor::TableCursor(Session* session, Database* db, uint32_t db_id,
                         std::shared_ptr<const TableDef> def, uint32_t grbit)
    : session_(session),
      db_(db),
      db_id_(db_id),
      def_(std::move(def)),
      read_only_((grbit & JET_bitTableReadOnly) != 0 || db->read_only()) {}

TableCursor::~TableCursor() {
  session_->RemoveListener(this);
  db_->AddTableUser(def_->objid, -1);
}

Instance* TableCursor::instance() const { return session_->instance(); }

Status TableCursor::Open(Session* session, uint32_t db_id, const std::string& name,
                         uint32_t grbit, std::unique_ptr<TableCursor>* result) {
  Instance* instance = session->instance();
  Database* db = instance->FindDatabase(db_id);
  if (db == nullptr || !session->HasDatabaseOpen(db_id)) {
    return Status::FromCode(JET_errInvalidDatabaseId, "the database is not open in this session");
  }
  ReadScope scope(session);
  CatalogAccess access{db->catalog(), db_id, instance->versions(), scope.view(), session->trx()};
  auto def = std::make_shared<TableDef>();
  bool found = false;
  JET_RETURN_IF_ERROR(Catalog::LoadTable(access, name, def.get(), &found));
  if (!found) return Status::FromCode(JET_errObjectNotFound, "no table named '" + name + "'");
  std::unique_ptr<TableCursor> cursor(new TableCursor(session, db, db_id, def, grbit));
  db->AddTableUser(def->objid, 1);
  session->AddListener(cursor.get());
  cursor->schema_epoch_ = db->schema_epoch();
  JET_RETURN_IF_ERROR(cursor->BindTrees());
  const IndexDef* primary = def->PrimaryIndex();
  JET_RETURN_IF_ERROR(cursor->SetCurrentIndex(primary ? primary->name : "", JET_bitNoMove));
  cursor->position_ = Position::kBeforeFirst;
  *result = std::move(cursor);
  return Status::OK();
}

Status TableCursor::BindTrees() {
  clustered_ = db_->FindTree(def_->objid);
  lv_tree_ = def_->lv_objid != 0 ? db_->FindTree(def_->lv_objid) : nullptr;
  if (index_ != nullptr && !index_->primary()) {
    index_tree_ = db_->FindTree(index_->objid);
  } else {
    index_tree_.reset();
  }
  if (cursor_ != nullptr) cursor_->set_tree(OnSecondaryIndex() ? index_tree_.get() : clustered_.get());
  return Status::OK();
}

void TableCursor::EnsureTrees() {
  if (clustered_ == nullptr || (def_->lv_objid != 0 && lv_tree_ == nullptr) ||
      (OnSecondaryIndex() && index_tree_ == nullptr)) {
    BindTrees().PermitUnchecked();
  }
}

Status TableCursor::RefreshSchema() {
  ReadScope scope(session_);
  CatalogAccess access{db_->catalog(), db_id_, instance()->versions(), scope.view(),
                       session_->trx()};
  auto def = std::make_shared<TableDef>();
  bool found = false;
  schema_epoch_ = db_->schema_epoch();
  JET_RETURN_IF_ERROR(Catalog::LoadTable(access, def_->name, def.get(), &found));
  if (!found) return Status::FromCode(JET_errObjectNotFound, "table '" + def_->name + "' is gone");
  // Keep the current index by name; the KeyBuilder refers to the old def.
  const std::string index_name = index_name_;
  def_ = std::move(def);
  index_ = nullptr;
  for (const IndexDef& index : def_->indexes) {
    if (FoldName(index.name) == FoldName(index_name)) index_ = &index;
  }
  if (index_ == nullptr) index_ = def_->PrimaryIndex();
  index_name_ = index_ != nullptr ? index_->name : "";
  key_.reset();
  return BindTrees();
}

TreeId TableCursor::IndexTreeId() const {
  return OnSecondaryIndex() ? TreeId{db_id_, index_->objid} : ClusteredId();
}

std::string TableCursor::CurrentIndexName() const { return index_name_; }

std::string TableCursor::CurrentIndexKey() const {
  if (!OnSecondaryIndex() || index_->unique()) return entry_key_;
  // Non-unique entries are index key + bookmark.
  return entry_key_.substr(0, entry_key_.size() - bookmark_.size());
}

int TableCursor::Classify(std::string_view entry, std::string_view key, KeyLimit limit) const {
  if (limit == KeyLimit::kNone && entry.substr(0, key.size()) == key) return 0;
  return CompareToSearchKey(entry, key, limit) < 0 ? -1 : 1;
}

Status TableCursor::SetCurrentIndex(const std::string& name, uint32_t grbit) {
  if (grbit & ~static_cast<uint32_t>(JET_bitMoveFirst | JET_bitNoMove)) {
    return Status::FromCode(JET_errInvalidGrbit, "unknown JetSetCurrentIndex option");
  }
  if (db_->schema_epoch() != schema_epoch_) JET_RETURN_IF_ERROR(RefreshSchema());
  const IndexDef* target = nullptr;
  if (name.empty()) {
    target = def_->PrimaryIndex();
  } else {
    target = def_->FindIndexByName(name);
    if (target == nullptr) return Status::FromCode(JET_errIndexNotFound, "no index named '" + name + "'");
  }
  const bool same = cursor_ != nullptr && target == index_;
  if (same) return Status::OK();  // MoveFirst is ignored for the current index
  const std::string bookmark = bookmark_;
  const bool had_record = position_ == Position::kOn;
  index_ = target;
  index_name_ = target != nullptr ? target->name : "";
  key_.reset();
  range_active_ = false;
  cursor_.reset();
  JET_RETURN_IF_ERROR(BindTrees());
  cursor_ = std::make_unique<VersionedCursor>(
      OnSecondaryIndex() ? index_tree_.get() : clustered_.get(), IndexTreeId(),
      instance()->versions());
  position_ = Position::kBeforeFirst;
  ReadScope scope(session_);
  if (grbit & JET_bitNoMove) {
    if (!had_record) return Status::OK();
    bool found = false;
    JET_RETURN_IF_ERROR(PositionOnRecord(scope.view(), bookmark, &found));
    if (!found) return Status::FromCode(JET_errNoCurrentRecord, "the record has no entry in this index");
    return Status::OK();
  }
  JET_RETURN_IF_ERROR(cursor_->First(scope.view()));
  if (cursor_->Valid()) JET_RETURN_IF_ERROR(LoadEntry(scope.view()));
  return Status::OK();
}

Status TableCursor::LoadEntry(const ReadView& view) {
  entry_key_ = cursor_->key();
  if (OnSecondaryIndex()) {
    bookmark_ = cursor_->value();
    record_.reset();
  } else {
    bookmark_ = entry_key_;
    record_ = cursor_->value();
    record_snapshot_ = view.snapshot;
    record_writes_ = session_->write_count();
  }
  position_ = Position::kOn;
  return Status::OK();
}

Status TableCursor::CurrentRecord(const ReadView& view, const std::string** record) {
  if (position_ != Position::kOn) {
    return Status::FromCode(JET_errNoCurrentRecord, "the cursor is not on a record");
  }
  if (!record_ || record_snapshot_ != view.snapshot ||
      record_writes_ != session_->write_count()) {
    std::string value;
    bool found = false;
    JET_RETURN_IF_ERROR(VersionedCursor::Get(clustered_.get(), ClusteredId(),
                                             instance()->versions(), view, bookmark_, &value,
                                             &found));
    if (!found) {
      record_.reset();
      return Status::FromCode(JET_errRecordDeleted, "the current record was deleted");
    }
    record_ = std::move(value);
    record_snapshot_ = view.snapshot;
    record_writes_ = session_->write_count();
  }
  *record = &*record_;
  return Status::OK();
}

Status TableCursor::MakeKey(std::string_view data, uint32_t grbit) {
  if (index_ == nullptr) {
    return Status::FromCode(JET_errNoCurrentIndex,
                            "the table has no primary index: keys cannot be made on the "
                            "sequential index");
  }
  if (key_ == nullptr) key_ = std::make_unique<KeyBuilder>(*def_, *index_);
  return key_->AddColumn(data, grbit);
}

Status TableCursor::SeekEntry(const ReadView& view, std::string_view key, KeyLimit limit,
                              uint32_t grbit, bool* exact) {
  *exact = false;
  const auto less = [&](std::string_view e) { return Classify(e, key, limit) < 0; };
  const auto greater = [&](std::string_view e) { return Classify(e, key, limit) > 0; };
  const std::string after = limit == KeyLimit::kNone ? std::string(key) + AfterPad()
                                                     : std::string(key);
  // Position on the first entry that is not before the key (GE) or not at
  // or before it (GT), then step back for LE / LT.
  const bool want_ge = (grbit & (JET_bitSeekEQ | JET_bitSeekGE | JET_bitSeekLT)) != 0;
  if (want_ge) {
    JET_RETURN_IF_ERROR(cursor_->Seek(view, key, SeekMode::kGE));
    while (cursor_->Valid() && less(cursor_->key())) JET_RETURN_IF_ERROR(cursor_->Next(view));
  } else {
    JET_RETURN_IF_ERROR(cursor_->Seek(view, after, SeekMode::kGE));
    while (cursor_->Valid() && !greater(cursor_->key())) JET_RETURN_IF_ERROR(cursor_->Next(view));
  }
  if (grbit & (JET_bitSeekLE | JET_bitSeekLT)) {
    if (cursor_->Valid()) {
      JET_RETURN_IF_ERROR(cursor_->Prev(view));
    } else {
      JET_RETURN_IF_ERROR(cursor_->Last(view));
    }
    const bool lt = (grbit & JET_bitSeekLT) != 0;
    while (cursor_->Valid() && (lt ? !less(cursor_->key()) : greater(cursor_->key()))) {
      JET_RETURN_IF_ERROR(cursor_->Prev(view));
    }
  }
  if (cursor_->Valid()) *exact = Classify(cursor_->key(), key, limit) == 0;
  return Status::OK();
}

Status TableCursor::Seek(uint32_t grbit) {
  EnsureTrees();
  const uint32_t modes = JET_bitSeekEQ | JET_bitSeekLT | JET_bitSeekLE | JET_bitSeekGE |
                         JET_bitSeekGT;
  const uint32_t mode = grbit & modes;
  if (mode == 0 || (mode & (mode - 1)) != 0 ||
      (grbit & ~(modes | JET_bitSetIndexRange | JET_bitCheckUniqueness)) != 0) {
    return Status::FromCode(JET_errInvalidGrbit, "JetSeek takes exactly one seek mode");
  }
  if ((grbit & JET_bitSetIndexRange) && mode != JET_bitSeekEQ) {
    return Status::FromCode(JET_errInvalidGrbit, "JET_bitSetIndexRange needs JET_bitSeekEQ");
  }
  if (key_ == nullptr || !key_->made()) {
    return Status::FromCode(JET_errKeyNotMade, "JetMakeKey first");
  }
  range_active_ = false;
  ReadScope scope(session_);
  const std::string key = key_->key();
  const KeyLimit limit = key_->limit();
  bool exact = false;
  JET_RETURN_IF_ERROR(SeekEntry(scope.view(), key, limit, mode, &exact));
  if (!cursor_->Valid() || (mode == JET_bitSeekEQ && !exact)) {
    position_ = Position::kBeforeFirst;
    return Status::FromCode(JET_errRecordNotFound, "no index entry matches the key");
  }
  JET_RETURN_IF_ERROR(LoadEntry(scope.view()));
  if (grbit & JET_bitSetIndexRange) {
    range_active_ = true;
    range_key_ = key;
    range_limit_ = limit;
    range_upper_ = true;
    range_inclusive_ = true;
  }
  if ((mode == JET_bitSeekGE || mode == JET_bitSeekLE) && !exact) {
    return Status::Warning(JET_wrnSeekNotEqual);
  }
  return Status::OK();
}

bool TableCursor::InRange() const {
  if (!range_active_ || position_ != Position::kOn) return true;
  const int c = Classify(entry_key_, range_key_, range_limit_);
  if (range_upper_) return range_inclusive_ ? c <= 0 : c < 0;
  return range_inclusive_ ? c >= 0 : c > 0;
}

Status TableCursor::Step(const ReadView& view, bool forward) {
  if (position_ == Position::kBeforeFirst) {
    if (!forward) return Status::FromCode(JET_errNoCurrentRecord, "before the first entry");
    JET_RETURN_IF_ERROR(cursor_->First(view));
  } else if (position_ == Position::kAfterLast) {
    if (forward) return Status::FromCode(JET_errNoCurrentRecord, "after the last entry");
    JET_RETURN_IF_ERROR(cursor_->Last(view));
  } else {
    // The VersionedCursor still holds the current key even if the entry
    // was deleted meanwhile, so stepping continues from there.
    JET_RETURN_IF_ERROR(forward ? cursor_->Next(view) : cursor_->Prev(view));
  }
  if (!cursor_->Valid()) {
    position_ = forward ? Position::kAfterLast : Position::kBeforeFirst;
    return Status::FromCode(JET_errNoCurrentRecord, "no more entries");
  }
  JET_RETURN_IF_ERROR(LoadEntry(view));
  if (!InRange()) {
    position_ = range_upper_ ? Position::kAfterLast : Position::kBeforeFirst;
    return Status::FromCode(JET_errNoCurrentRecord, "the index range ends here");
  }
  return Status::OK();
}

Status TableCursor::Move(int64_t rows, uint32_t grbit) {
  EnsureTrees();
  if (grbit & ~static_cast<uint32_t>(JET_bitMoveKeyNE)) {
    return Status::FromCode(JET_errInvalidGrbit, "unknown JetMove option");
  }
  if (db_->schema_epoch() != schema_epoch_ && update_ == nullptr) {
    JET_RETURN_IF_ERROR(RefreshSchema());
  }
  ReadScope scope(session_);
  const ReadView& view = scope.view();
  // JET_MoveFirst is 0x80000000 as a `long`: -2^31 on Windows, +2^31 on LP64.
  const bool first = rows == kMoveFirst || rows == INT32_MIN || rows == 0x80000000LL;
  const bool last = rows == kMoveLast || rows == 0x7fffffffLL;
  if (first || last) {
    range_active_ = false;
    JET_RETURN_IF_ERROR(first ? cursor_->First(view) : cursor_->Last(view));
    if (!cursor_->Valid()) {
      position_ = Position::kBeforeFirst;
      return Status::FromCode(JET_errNoCurrentRecord, "the index is empty");
    }
    return LoadEntry(view);
  }
  if (rows == 0) {
    const std::string* record = nullptr;
    return CurrentRecord(view, &record);
  }
  const bool forward = rows > 0;
  for (int64_t n = forward ? rows : -rows; n > 0; --n) {
    const std::string previous_key = position_ == Position::kOn ? CurrentIndexKey() : "";
    const bool had_position = position_ == Position::kOn;
    JET_RETURN_IF_ERROR(Step(view, forward));
    if (grbit & JET_bitMoveKeyNE) {
      while (had_position && CurrentIndexKey() == previous_key) {
        JET_RETURN_IF_ERROR(Step(view, forward));
      }
    }
  }
  return Status::OK();
}

Status TableCursor::SetIndexRange(uint32_t grbit) {
  const uint32_t known = JET_bitRangeInclusive | JET_bitRangeUpperLimit |
                         JET_bitRangeInstantDuration | JET_bitRangeRemove;
  if (grbit & ~known) return Status::FromCode(JET_errInvalidGrbit, "unknown index range option");
  if (grbit & JET_bitRangeRemove) {
    if (!range_active_) {
      return Status::FromCode(JET_errInvalidOperation, "no index range is set");
    }
    range_active_ = false;
    return Status::OK();
  }
  if (key_ == nullptr || !key_->made()) return Status::FromCode(JET_errKeyNotMade, "JetMakeKey first");
  if (position_ != Position::kOn) {
    return Status::FromCode(JET_errNoCurrentRecord, "the cursor is not on a record");
  }
  range_key_ = key_->key();
  range_limit_ = key_->limit();
  range_upper_ = (grbit & JET_bitRangeUpperLimit) != 0;
  range_inclusive_ = (grbit & JET_bitRangeInclusive) != 0;
  range_active_ = true;
  const bool in_range = InRange();
  if (!in_range || (grbit & JET_bitRangeInstantDuration)) range_active_ = false;
  if (!in_range) return Status::FromCode(JET_errNoCurrentRecord, "the record is outside the range");
  return Status::OK();
}

Status TableCursor::PositionOnRecord(const ReadView& view, std::string_view bookmark,
                                     bool* found) {
  *found = false;
  if (!OnSecondaryIndex()) {
    JET_RETURN_IF_ERROR(cursor_->Seek(view, bookmark, SeekMode::kGE));
    if (!cursor_->Valid() || cursor_->key() != bookmark) return Status::OK();
    *found = true;
    return LoadEntry(view);
  }
  std::string record;
  bool exists = false;
  JET_RETURN_IF_ERROR(VersionedCursor::Get(clustered_.get(), ClusteredId(),
                                           instance()->versions(), view, bookmark, &record,
                                           &exists));
  if (!exists) return Status::OK();
  RecordReader reader;
  JET_RETURN_IF_ERROR(RecordReader::Open(*def_, record, &reader));
  std::vector<std::string> keys;
  JET_RETURN_IF_ERROR(ComputeIndexEntries(view, *index_, reader, NullViolation::kSkip, &keys));
  if (keys.empty()) return Status::OK();
  std::string entry = keys.front();
  if (!index_->unique()) entry.append(bookmark.data(), bookmark.size());
  JET_RETURN_IF_ERROR(cursor_->Seek(view, entry, SeekMode::kGE));
  if (!cursor_->Valid() || cursor_->key() != entry) return Status::OK();
  *found = true;
  return LoadEntry(view);
}

Status TableCursor::GetBookmark(std::string* bookmark) {
  if (position_ != Position::kOn) {
    return Status::FromCode(JET_errNoCurrentRecord, "the cursor is not on a record");
  }
  *bookmark = bookmark_;
  return Status::OK();
}

Status TableCursor::GotoBookmark(std::string_view bookmark) {
  EnsureTrees();
  if (bookmark.empty()) return Status::InvalidParameter("empty bookmark");
  ReadScope scope(session_);
  bool found = false;
  JET_RETURN_IF_ERROR(PositionOnRecord(scope.view(), bookmark, &found));
  if (!found) {
    position_ = Position::kBeforeFirst;
    return Status::FromCode(JET_errRecordDeleted, "no record has that bookmark");
  }
  return Status::OK();
}

Status TableCursor::RetrieveKey(std::string* key, uint32_t grbit) {
  if (grbit & JET_bitRetrieveCopy) {
    if (key_ == nullptr || !key_->made()) return Status::FromCode(JET_errKeyNotMade, "no key made");
    *key = key_->key();
    return Status::OK();
  }
  if (position_ != Position::kOn) {
    return Status::FromCode(JET_errNoCurrentRecord, "the cursor is not on a record");
  }
  *key = CurrentIndexKey();
  return Status::OK();
}

Status TableCursor::GetRecordPosition(uint64_t* entries_before, uint64_t* entries_total) {
  EnsureTrees();
  if (position_ != Position::kOn) {
    return Status::FromCode(JET_errNoCurrentRecord, "the cursor is not on a record");
  }
  ReadScope scope(session_);
  VersionedCursor scan(OnSecondaryIndex() ? index_tree_.get() : clustered_.get(), IndexTreeId(),
                       instance()->versions());
  *entries_before = 0;
  *entries_total = 0;
  JET_RETURN_IF_ERROR(scan.First(scope.view()));
  while (scan.Valid()) {
    JET_RETURN_IF_ERROR(CheckStop(instance(), *entries_total));
    if (scan.key() < entry_key_) ++*entries_before;
    ++*entries_total;
    JET_RETURN_IF_ERROR(scan.Next(scope.view()));
  }
  return Status::OK();
}

Status TableCursor::IndexRecordCount(uint64_t max, uint64_t* count) {
  EnsureTrees();
  *count = 0;
  ReadScope scope(session_);
  VersionedCursor scan(OnSecondaryIndex() ? index_tree_.get() : clustered_.get(), IndexTreeId(),
                       instance()->versions());
  if (position_ == Position::kOn) {
    JET_RETURN_IF_ERROR(scan.Seek(scope.view(), entry_key_, SeekMode::kGE));
  } else {
    JET_RETURN_IF_ERROR(scan.First(scope.view()));
  }
  while (scan.Valid() && (max == 0 || *count < max)) {
    JET_RETURN_IF_ERROR(CheckStop(instance(), *count));
    if (range_active_) {
      const int c = Classify(scan.key(), range_key_, range_limit_);
      const bool inside = range_upper_ ? (range_inclusive_ ? c <= 0 : c < 0) : true;
      if (!inside) break;
    }
    ++*count;
    JET_RETURN_IF_ERROR(scan.Next(scope.view()));
  }
  return Status::OK();
}

Status TableCursor::GotoPosition(uint64_t numerator, uint64_t denominator) {
  EnsureTrees();
  if (denominator == 0 || numerator > denominator) {
    return Status::InvalidParameter("JET_RECPOS fraction out of range");
  }
  ReadScope scope(session_);
  uint64_t total = 0;
  {
    VersionedCursor scan(OnSecondaryIndex() ? index_tree_.get() : clustered_.get(),
                         IndexTreeId(), instance()->versions());
    JET_RETURN_IF_ERROR(scan.First(scope.view()));
    while (scan.Valid()) {
      JET_RETURN_IF_ERROR(CheckStop(instance(), total));
      ++total;
      JET_RETURN_IF_ERROR(scan.Next(scope.view()));
    }
  }
  if (total == 0) return Status::FromCode(JET_errNoCurrentRecord, "the index is empty");
  uint64_t target = total * numerator / denominator;
  if (target >= total) target = total - 1;
  range_active_ = false;
  JET_RETURN_IF_ERROR(cursor_->First(scope.view()));
  for (uint64_t i = 0; i < target && cursor_->Valid(); ++i) {
    JET_RETURN_IF_ERROR(cursor_->Next(scope.view()));
  }
  if (!cursor_->Valid()) return Status::FromCode(JET_errNoCurrentRecord, "the index changed");
  return LoadEntry(scope.view());
}

}  // namespace jetsvc

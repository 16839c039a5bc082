// TableCursor: prepared updates, column values, long values, index
// maintenance, JetUpdate and JetDelete.

#include <algorithm>
#include <deque>

#include "engine/instance/database.h"
#include "engine/instance/instance.h"
#include "engine/table/cursor_internal.h"
#include "engine/table/table_cursor.h"
#include "engine/util/coding.h"
#include "esent.h"

namespace jetsvc {

uint32_t LongValueChunkSize(uint32_t page_size) {
  // A chunk node: 12-byte key + chunk; keep well under the node limit.
  return BTree::MaxNodePayload(page_size) - 64;
}

namespace {

std::string LongValueKey(uint64_t lid, uint32_t offset) {
  std::string key;
  PutBigEndian64(&key, lid);
  PutBigEndian32(&key, offset);
  return key;
}

std::string SequentialKey(uint64_t value) {
  std::string key;
  PutBigEndian64(&key, value);
  return key;
}

// Integer columns an autoincrement column may use, and their encodings.
void EncodeAutoincrement(const ColumnDef& column, int64_t value, std::string* bytes) {
  bytes->clear();
  if (FixedSizeOfColtyp(column.coltyp) == 4) {
    PutFixed32(bytes, static_cast<uint32_t>(value));
  } else {
    PutFixed64(bytes, static_cast<uint64_t>(value));
  }
}

int64_t DecodeAutoincrement(const ColumnDef& column, std::string_view bytes) {
  if (bytes.size() == 4) return static_cast<int32_t>(DecodeFixed32(bytes.data()));
  if (bytes.size() == 8) return static_cast<int64_t>(DecodeFixed64(bytes.data()));
  (void)column;
  return 0;
}

const ColumnDef* AutoincrementColumn(const TableDef& def) {
  for (const ColumnDef& column : def.columns) {
    if (!IsDeletedColumn(column) && column.autoincrement()) return &column;
  }
  return nullptr;
}

}  // namespace

// --- counters: sequential keys, long-value ids, autoincrement ---

Status TableCursor::InitCounters() {
  Database::TableCounters* counters = db_->Counters(def_->objid);
  MutexLock lock(&counters->mu);
  if (counters->initialized) return Status::OK();
  // Physical scans (deleted and uncommitted-by-others nodes included) give
  // upper bounds, which is all a counter needs.
  if (clustered_ != nullptr) {
    ReaderLock latch(clustered_->latch());
    BTreeCursor scan(clustered_.get());
    JET_RETURN_IF_ERROR(scan.Last());
    if (def_->PrimaryIndex() == nullptr && scan.Valid() && scan.node().key.size() == 8) {
      counters->next_sequential = DecodeBigEndian64(scan.node().key.data()) + 1;
    }
    if (const ColumnDef* autoinc = AutoincrementColumn(*def_)) {
      int64_t max_value = 0;
      JET_RETURN_IF_ERROR(scan.First());
      while (scan.Valid()) {
        RecordReader reader;
        JET_RETURN_IF_ERROR(RecordReader::Open(*def_, scan.node().value, &reader));
        ColumnValue value;
        JET_RETURN_IF_ERROR(reader.Get(autoinc->columnid, 1, &value));
        if (value.kind == ColumnValue::Kind::kInline) {
          max_value = std::max(max_value, DecodeAutoincrement(*autoinc, value.bytes));
        }
        JET_RETURN_IF_ERROR(scan.Next());
      }
      counters->next_autoincrement = max_value + 1;
    }
  }
  if (lv_tree_ != nullptr) {
    ReaderLock latch(lv_tree_->latch());
    BTreeCursor scan(lv_tree_.get());
    JET_RETURN_IF_ERROR(scan.Last());
    if (scan.Valid() && scan.node().key.size() == 12) {
      counters->next_lid = DecodeBigEndian64(scan.node().key.data()) + 1;
    }
  }
  counters->initialized = true;
  return Status::OK();
}

Status TableCursor::NextSequentialKey(std::string* bookmark) {
  JET_RETURN_IF_ERROR(InitCounters());
  Database::TableCounters* counters = db_->Counters(def_->objid);
  MutexLock lock(&counters->mu);
  *bookmark = SequentialKey(counters->next_sequential++);
  return Status::OK();
}

// --- long values ---

Status TableCursor::ReadLongValue(const ReadView& view, uint64_t lid, uint64_t size,
                                  std::string* value) {
  value->clear();
  if (size > (uint64_t{1} << 31)) return Status::Corruption("long value size out of range");
  value->reserve(static_cast<size_t>(size));
  VersionedCursor scan(lv_tree_.get(), TreeId{db_id_, def_->lv_objid}, instance()->versions());
  JET_RETURN_IF_ERROR(scan.Seek(view, LongValueKey(lid, 0), SeekMode::kGE));
  while (value->size() < size) {
    if (!scan.Valid() || scan.key() != LongValueKey(lid, static_cast<uint32_t>(value->size()))) {
      std::string found = "nothing";
      if (scan.Valid() && scan.key().size() == 12) {
        found = "lid " + std::to_string(DecodeBigEndian64(scan.key().data())) + " offset " +
                std::to_string(DecodeBigEndian32(scan.key().data() + 8));
      }
      return Status::Corruption("long value " + std::to_string(lid) + " of " +
                                std::to_string(size) + " bytes is missing the chunk at " +
                                std::to_string(value->size()) + " (found " + found + ")");
    }
    value->append(scan.value());
    JET_RETURN_IF_ERROR(scan.Next(view));
  }
  if (value->size() != size) return Status::Corruption("long value longer than recorded");
  return Status::OK();
}

Status TableCursor::WriteLongValue(Transaction* trx, uint64_t lid, std::string_view value) {
  const uint32_t chunk = LongValueChunkSize(instance()->page_size());
  const TreeId tree{db_id_, def_->lv_objid};
  for (size_t offset = 0; offset < value.size(); offset += chunk) {
    const std::string_view piece = value.substr(offset, chunk);
    JET_RETURN_IF_ERROR(instance()->versions()->Write(
        trx, tree, LongValueKey(lid, static_cast<uint32_t>(offset)), &piece));
  }
  return Status::OK();
}

Status TableCursor::DeleteLongValue(Transaction* trx, uint64_t lid, uint64_t size) {
  const uint32_t chunk = LongValueChunkSize(instance()->page_size());
  const TreeId tree{db_id_, def_->lv_objid};
  for (uint64_t offset = 0; offset < size; offset += chunk) {
    JET_RETURN_IF_ERROR(instance()->versions()->Write(
        trx, tree, LongValueKey(lid, static_cast<uint32_t>(offset)), nullptr));
  }
  return Status::OK();
}

Status TableCursor::SeparateLongValues(Transaction* trx, RecordBuilder* builder,
                                       size_t key_size) {
  const size_t limit = BTree::MaxNodePayload(instance()->page_size());
  if (key_size >= limit) return Status::FromCode(JET_errKeyTooBig, "the key is too large");
  std::vector<ValueToSeparate> picks;
  // Long values above the inline limit always go out of line; more go if
  // the record is still too large.
  for (const ColumnDef& column : def_->columns) {
    if (IsDeletedColumn(column) || !column.tagged() || !IsLongColtyp(column.coltyp)) continue;
    uint32_t count = 0;
    JET_RETURN_IF_ERROR(builder->CountValues(column.columnid, &count));
    for (uint32_t itag = 1; itag <= count; ++itag) {
      ColumnValue value;
      JET_RETURN_IF_ERROR(builder->Get(column.columnid, itag, &value));
      if (value.kind == ColumnValue::Kind::kInline && value.bytes.size() > kLongValueInlineMax) {
        picks.push_back(ValueToSeparate{column.columnid, itag, value.bytes.size()});
      }
    }
  }
  // Long-value ids continue after the largest one in the tree.
  JET_RETURN_IF_ERROR(InitCounters());
  for (int round = 0; round < 2; ++round) {
    Database::TableCounters* counters = db_->Counters(def_->objid);
    for (const ValueToSeparate& pick : picks) {
      ColumnValue value;
      JET_RETURN_IF_ERROR(builder->Get(pick.columnid, pick.itag, &value));
      if (value.kind != ColumnValue::Kind::kInline) continue;
      const std::string bytes(value.bytes);
      uint64_t lid = 0;
      {
        MutexLock lock(&counters->mu);
        lid = counters->next_lid++;
      }
      JET_RETURN_IF_ERROR(WriteLongValue(trx, lid, bytes));
      JET_RETURN_IF_ERROR(builder->SetSeparated(pick.columnid, pick.itag, lid, bytes.size()));
    }
    picks.clear();
    if (builder->EncodedSize() + key_size <= limit) return Status::OK();
    if (round == 0) {
      JET_RETURN_IF_ERROR(builder->ChooseValuesToSeparate(limit - key_size, &picks));
    }
  }
  return Status::FromCode(JET_errRecordTooBig,
                          "the record does not fit in a page even with every long value "
                          "stored separately");
}

// --- index entries ---

Status TableCursor::ComputeIndexEntries(const ReadView& view, const IndexDef& index,
                                        const RecordReader& record, NullViolation violation,
                                        std::vector<std::string>* keys) {
  std::deque<std::string> long_values;  // keeps separated values alive
  Status inner;
  const ColumnValuesFn values = [&](const ColumnDef& column,
                                    std::vector<std::string_view>* out) -> Status {
    uint32_t count = 0;
    JET_RETURN_IF_ERROR(record.CountValues(column.columnid, &count));
    for (uint32_t itag = 1; itag <= std::max<uint32_t>(count, 1); ++itag) {
      ColumnValue value;
      JET_RETURN_IF_ERROR(record.GetWithDefault(column.columnid, itag, &value));
      if (value.kind == ColumnValue::Kind::kInline) {
        out->push_back(value.bytes);
      } else if (value.kind == ColumnValue::Kind::kSeparated) {
        long_values.emplace_back();
        JET_RETURN_IF_ERROR(ReadLongValue(view, value.lid, value.lv_size, &long_values.back()));
        out->push_back(long_values.back());
      }
    }
    return Status::OK();
  };
  keys->clear();
  return BuildIndexKeys(*def_, index, values, keys, nullptr, violation);
}

Status TableCursor::PrimaryKeyOf(const ReadView& view, const RecordReader& record,
                                 std::string* bookmark) {
  const IndexDef* primary = def_->PrimaryIndex();
  std::vector<std::string> keys;
  JET_RETURN_IF_ERROR(ComputeIndexEntries(view, *primary, record, NullViolation::kError, &keys));
  if (keys.size() != 1) {
    return Status::FromCode(keys.empty() ? JET_errNullKeyDisallowed : JET_errMultiValuedIndexViolation,
                            "a record needs exactly one primary key");
  }
  *bookmark = std::move(keys.front());
  return Status::OK();
}

Status TableCursor::WriteIndexEntries(Transaction* trx, const IndexDef& index,
                                      std::string_view bookmark,
                                      const std::vector<std::string>& old_keys,
                                      const std::vector<std::string>& new_keys) {
  VersionStore* versions = instance()->versions();
  const TreeId tree{db_id_, index.objid};
  const auto entry_of = [&](const std::string& key) {
    return index.unique() ? key : key + std::string(bookmark);
  };
  for (const std::string& key : old_keys) {
    if (std::binary_search(new_keys.begin(), new_keys.end(), key)) continue;
    JET_RETURN_IF_ERROR(versions->Write(trx, tree, entry_of(key), nullptr));
  }
  std::shared_ptr<BTree> index_tree = db_->FindTree(index.objid);
  const ReadView view = session_->View(0);
  for (const std::string& key : new_keys) {
    if (std::binary_search(old_keys.begin(), old_keys.end(), key)) continue;
    if (index.unique()) {
      std::string owner;
      bool found = false;
      JET_RETURN_IF_ERROR(VersionedCursor::Get(index_tree.get(), tree, versions, view, key,
                                               &owner, &found));
      if (found && owner != bookmark) {
        return Status::FromCode(JET_errKeyDuplicate,
                                "index '" + index.name + "' already has this key");
      }
    }
    const std::string_view value(bookmark);
    JET_RETURN_IF_ERROR(versions->Write(trx, tree, entry_of(key), &value));
  }
  return Status::OK();
}

// --- prepare, set, retrieve ---

Status TableCursor::PrepareUpdate(uint32_t prep) {
  EnsureTrees();
  if (prep == JET_prepCancel) {
    if (update_ == nullptr) return Status::FromCode(JET_errUpdateNotPrepared, "nothing to cancel");
    update_.reset();
    return Status::OK();
  }
  if (prep != JET_prepInsert && prep != JET_prepReplace && prep != JET_prepReplaceNoLock &&
      prep != JET_prepInsertCopy && prep != JET_prepInsertCopyDeleteOriginal &&
      prep != JET_prepInsertCopyReplaceOriginal) {
    return Status::FromCode(JET_errInvalidParameter, "unknown JetPrepareUpdate option");
  }
  if (update_ != nullptr) return Status::FromCode(JET_errAlreadyPrepared, "an update is prepared");
  if (read_only_) {
    return Status::FromCode(JET_errPermissionDenied, "the table or database is read-only");
  }
  JET_RETURN_IF_ERROR(instance()->CheckWritable());
  if (db_->schema_epoch() != schema_epoch_) JET_RETURN_IF_ERROR(RefreshSchema());
  auto update = std::make_unique<PreparedUpdate>(*def_, prep, session_->level());
  update->def = def_;
  if (prep == JET_prepInsert) {
    JET_RETURN_IF_ERROR(update->builder.MaterializeDefaults());
  } else {
    ReadScope scope(session_);
    const std::string* record = nullptr;
    JET_RETURN_IF_ERROR(CurrentRecord(scope.view(), &record));
    JET_RETURN_IF_ERROR(update->builder.Load(*record));
    update->bookmark = bookmark_;
    update->original = *record;
    if (prep == JET_prepReplace && session_->trx() != nullptr) {
      // ESE locks the record at prepare time: a conflict shows up now.
      JET_RETURN_IF_ERROR(instance()->versions()->CheckConflict(session_->trx(), ClusteredId(),
                                                                bookmark_));
    }
  }
  const bool inserting = prep == JET_prepInsert || prep == JET_prepInsertCopy ||
                         prep == JET_prepInsertCopyDeleteOriginal ||
                         prep == JET_prepInsertCopyReplaceOriginal;
  if (inserting) {
    if (const ColumnDef* autoinc = AutoincrementColumn(*def_)) {
      JET_RETURN_IF_ERROR(InitCounters());
      Database::TableCounters* counters = db_->Counters(def_->objid);
      int64_t value = 0;
      {
        MutexLock lock(&counters->mu);
        value = counters->next_autoincrement++;
      }
      std::string bytes;
      EncodeAutoincrement(*autoinc, value, &bytes);
      JET_RETURN_IF_ERROR(update->builder.SetValue(autoinc->columnid, 1, bytes));
    }
  }
  update_ = std::move(update);
  return Status::OK();
}

Status TableCursor::SetColumn(uint32_t columnid, const void* data, size_t size, uint32_t grbit,
                              uint32_t itag, uint64_t offset) {
  const uint32_t known = JET_bitSetAppendLV | JET_bitSetOverwriteLV | JET_bitSetSizeLV |
                         JET_bitSetZeroLength | JET_bitSetSeparateLV |
                         JET_bitSetUniqueMultiValues | JET_bitSetUniqueNormalizedMultiValues |
                         JET_bitSetRevertToDefaultValue | JET_bitSetIntrinsicLV |
                         JET_bitSetUncompressed | JET_bitSetCompressed | JET_bitSetContiguousLV;
  if (grbit & ~known) return Status::FromCode(JET_errInvalidGrbit, "unknown JetSetColumn option");
  if (update_ == nullptr) return Status::FromCode(JET_errUpdateNotPrepared, "JetPrepareUpdate first");
  const TableDef& def = *update_->def;
  const ColumnDef* column = def.FindColumn(columnid);
  if (column == nullptr || IsDeletedColumn(*column)) {
    return Status::FromCode(JET_errColumnNotFound, "no column " + std::to_string(columnid));
  }
  if (data == nullptr && size > 0) return Status::InvalidParameter("NULL data with a size");
  RecordBuilder& builder = update_->builder;
  if (column->autoincrement() && update_->prep != JET_prepInsert) {
    return Status::FromCode(JET_errColumnNotUpdatable,
                            "an autoincrement column cannot be changed after insert");
  }
  if (grbit & JET_bitSetRevertToDefaultValue) return builder.RevertToDefault(columnid, itag);
  const std::string_view bytes(static_cast<const char*>(data), data != nullptr ? size : 0);
  const bool lv_edit = (grbit & (JET_bitSetAppendLV | JET_bitSetOverwriteLV | JET_bitSetSizeLV)) != 0;
  if (!lv_edit) {
    if (size == 0 && !(grbit & JET_bitSetZeroLength)) return builder.SetNull(columnid, itag);
    JET_RETURN_IF_ERROR(builder.SetValue(columnid, itag, bytes));
    if ((grbit & JET_bitSetUniqueMultiValues) && column->tagged()) {
      uint32_t count = 0;
      JET_RETURN_IF_ERROR(builder.CountValues(columnid, &count));
      const uint32_t mine = (itag == 0 || itag > count) ? count : itag;
      for (uint32_t other = 1; other <= count; ++other) {
        ColumnValue value;
        JET_RETURN_IF_ERROR(builder.Get(columnid, other, &value));
        if (other != mine && value.kind == ColumnValue::Kind::kInline && value.bytes == bytes) {
          JET_RETURN_IF_ERROR(builder.SetNull(columnid, mine));
          return Status::FromCode(JET_errMultiValuedDuplicate,
                                  "the column already holds that value");
        }
      }
    }
    return Status::OK();
  }
  // Partial long-value edits work on the whole current value.
  const uint32_t target = itag == 0 ? 1 : itag;
  ColumnValue current;
  JET_RETURN_IF_ERROR(builder.Get(columnid, target, &current));
  std::string content;
  if (current.kind == ColumnValue::Kind::kInline) {
    content.assign(current.bytes);
  } else if (current.kind == ColumnValue::Kind::kSeparated) {
    ReadScope scope(session_);
    JET_RETURN_IF_ERROR(ReadLongValue(scope.view(), current.lid, current.lv_size, &content));
  }
  if (grbit & JET_bitSetSizeLV) {
    content.resize(size, '\0');
  } else if (grbit & JET_bitSetOverwriteLV) {
    if (offset > content.size()) {
      return Status::FromCode(JET_errColumnNoChunk, "the offset is past the end of the value");
    }
    if (offset + size > content.size()) content.resize(offset + size);
    std::copy(bytes.begin(), bytes.end(), content.begin() + static_cast<ptrdiff_t>(offset));
  } else {
    content.append(bytes);
  }
  return builder.SetValue(columnid, target, content);
}

Status TableCursor::RetrieveColumn(uint32_t columnid, void* buffer, size_t size, uint32_t grbit,
                                   uint32_t itag, uint64_t offset, RetrieveResult* result) {
  EnsureTrees();
  const uint32_t known = JET_bitRetrieveCopy | JET_bitRetrieveFromIndex |
                         JET_bitRetrieveFromPrimaryBookmark | JET_bitRetrieveTag |
                         JET_bitRetrieveNull | JET_bitRetrieveIgnoreDefault |
                         JET_bitRetrieveHintTableScanForward | JET_bitRetrieveHintTableScanBackward;
  if (grbit & ~known) return Status::FromCode(JET_errInvalidGrbit, "unknown JetRetrieveColumn option");
  *result = RetrieveResult();
  if (buffer == nullptr && size > 0) return Status::InvalidParameter("NULL buffer with a size");
  if (itag == 0) itag = 1;
  ReadScope scope(session_);
  const bool from_copy = (grbit & JET_bitRetrieveCopy) != 0;
  if (!from_copy && update_ == nullptr && db_->schema_epoch() != schema_epoch_) {
    JET_RETURN_IF_ERROR(RefreshSchema());
  }
  const TableDef& def = from_copy && update_ != nullptr ? *update_->def : *def_;
  const ColumnDef* column = def.FindColumn(columnid);
  if (column == nullptr || IsDeletedColumn(*column)) {
    return Status::FromCode(JET_errColumnNotFound, "no column " + std::to_string(columnid));
  }
  ColumnValue value;
  RecordReader reader;
  if (from_copy) {
    if (update_ == nullptr) return Status::FromCode(JET_errUpdateNotPrepared, "no prepared update");
    ColumnValue stored;
    JET_RETURN_IF_ERROR(update_->builder.Get(columnid, itag, &stored));
    value = (grbit & JET_bitRetrieveIgnoreDefault) ? stored : ApplyDefault(*column, itag, stored);
  } else {
    const std::string* record = nullptr;
    JET_RETURN_IF_ERROR(CurrentRecord(scope.view(), &record));
    JET_RETURN_IF_ERROR(RecordReader::Open(def, *record, &reader));
    if (grbit & JET_bitRetrieveIgnoreDefault) {
      JET_RETURN_IF_ERROR(reader.Get(columnid, itag, &value));
    } else {
      JET_RETURN_IF_ERROR(reader.GetWithDefault(columnid, itag, &value));
    }
  }
  std::string long_value;
  std::string_view bytes;
  switch (value.kind) {
    case ColumnValue::Kind::kAbsent:
    case ColumnValue::Kind::kNull:
      result->warning = JET_wrnColumnNull;
      return Status::Warning(JET_wrnColumnNull);
    case ColumnValue::Kind::kInline:
      bytes = value.bytes;
      break;
    case ColumnValue::Kind::kSeparated:
      JET_RETURN_IF_ERROR(ReadLongValue(scope.view(), value.lid, value.lv_size, &long_value));
      bytes = long_value;
      break;
  }
  bytes = offset >= bytes.size() ? std::string_view() : bytes.substr(offset);
  result->actual = bytes.size();
  result->copied = std::min(size, bytes.size());
  if (result->copied > 0) std::copy(bytes.begin(), bytes.begin() + result->copied,
                                    static_cast<char*>(buffer));
  if (bytes.size() > size) {
    result->warning = JET_wrnBufferTruncated;
    return Status::Warning(JET_wrnBufferTruncated);
  }
  return Status::OK();
}

Status TableCursor::CountColumnValues(uint32_t columnid, uint32_t grbit, uint32_t* count) {
  EnsureTrees();
  *count = 0;
  if (grbit & JET_bitRetrieveCopy) {
    if (update_ == nullptr) return Status::FromCode(JET_errUpdateNotPrepared, "no prepared update");
    return update_->builder.CountValues(columnid, count);
  }
  ReadScope scope(session_);
  const std::string* record = nullptr;
  JET_RETURN_IF_ERROR(CurrentRecord(scope.view(), &record));
  RecordReader reader;
  JET_RETURN_IF_ERROR(RecordReader::Open(*def_, *record, &reader));
  return reader.CountValues(columnid, count);
}

// --- update and delete ---

Status TableCursor::InSavepoint(const std::function<Status(Transaction*)>& work) {
  const bool implicit = session_->level() == 0;
  JET_RETURN_IF_ERROR(session_->BeginSavepoint());
  Status status = work(session_->trx());
  if (status.IsError()) {
    session_->RollbackSavepoint();
    return status;
  }
  Status commit = session_->Commit(implicit ? JET_bitCommitLazyFlush : 0);
  if (commit.IsError()) {
    if (implicit && session_->trx() != nullptr) session_->RollbackSavepoint();
    return commit;
  }
  return status;
}

Status TableCursor::DoUpdate(Transaction* trx, std::string* bookmark) {
  PreparedUpdate& update = *update_;
  const TableDef& def = *update.def;
  VersionStore* versions = instance()->versions();
  const ReadView view = session_->View(0);
  const bool replace = update.prep == JET_prepReplace || update.prep == JET_prepReplaceNoLock;
  RecordBuilder builder = update.builder;  // separation changes a copy
  JET_RETURN_IF_ERROR(builder.CheckNotNull());

  // The bookmark: the primary key, or a new sequence number.
  std::string record;
  if (def.PrimaryIndex() != nullptr) {
    JET_RETURN_IF_ERROR(SeparateLongValues(trx, &builder, KeyMostOf(*def.PrimaryIndex()) + 1));
    JET_RETURN_IF_ERROR(builder.Encode(&record));
    RecordReader reader;
    JET_RETURN_IF_ERROR(RecordReader::Open(def, record, &reader));
    JET_RETURN_IF_ERROR(PrimaryKeyOf(view, reader, bookmark));
  } else if (replace) {
    *bookmark = update.bookmark;
  } else {
    JET_RETURN_IF_ERROR(NextSequentialKey(bookmark));
  }
  JET_RETURN_IF_ERROR(SeparateLongValues(trx, &builder, bookmark->size()));
  JET_RETURN_IF_ERROR(builder.Encode(&record));
  RecordReader reader;
  JET_RETURN_IF_ERROR(RecordReader::Open(def, record, &reader));

  std::string old_record;
  RecordReader old_reader;
  const bool delete_original = update.prep == JET_prepInsertCopyDeleteOriginal ||
                               update.prep == JET_prepInsertCopyReplaceOriginal;
  if (replace) {
    if (*bookmark != update.bookmark) {
      return Status::FromCode(JET_errRecordPrimaryChanged,
                              "a replace cannot change the primary key: use "
                              "JET_prepInsertCopyDeleteOriginal");
    }
    bool found = false;
    JET_RETURN_IF_ERROR(VersionedCursor::Get(clustered_.get(), ClusteredId(), versions, view,
                                             *bookmark, &old_record, &found));
    if (!found) return Status::FromCode(JET_errRecordDeleted, "the record was deleted");
    JET_RETURN_IF_ERROR(RecordReader::Open(def, old_record, &old_reader));
  } else {
    std::string existing;
    bool found = false;
    JET_RETURN_IF_ERROR(VersionedCursor::Get(clustered_.get(), ClusteredId(), versions, view,
                                             *bookmark, &existing, &found));
    if (found && !(delete_original && *bookmark == update.bookmark)) {
      return Status::FromCode(JET_errKeyDuplicate, "a record with this primary key exists");
    }
  }
  if (delete_original && *bookmark != update.bookmark) {
    // Remove the original first (its index entries, long values, record).
    bool found = false;
    JET_RETURN_IF_ERROR(VersionedCursor::Get(clustered_.get(), ClusteredId(), versions, view,
                                             update.bookmark, &old_record, &found));
    if (!found) return Status::FromCode(JET_errRecordDeleted, "the original record was deleted");
    RecordReader original;
    JET_RETURN_IF_ERROR(RecordReader::Open(def, old_record, &original));
    JET_RETURN_IF_ERROR(RemoveRecord(trx, view, update.bookmark, original, nullptr));
    old_record.clear();
  } else if (delete_original) {
    // Same key: this is a replace of the original.
    bool found = false;
    JET_RETURN_IF_ERROR(VersionedCursor::Get(clustered_.get(), ClusteredId(), versions, view,
                                             *bookmark, &old_record, &found));
    if (found) JET_RETURN_IF_ERROR(RecordReader::Open(def, old_record, &old_reader));
  }
  const bool has_old = !old_record.empty();

  // The record first: a concurrent writer of the same record conflicts
  // here, before any index is touched.
  const std::string_view record_view(record);
  JET_RETURN_IF_ERROR(versions->Write(trx, ClusteredId(), *bookmark, &record_view));
  for (const IndexDef& index : def.indexes) {
    if (index.primary()) continue;
    std::vector<std::string> new_keys;
    std::vector<std::string> old_keys;
    JET_RETURN_IF_ERROR(ComputeIndexEntries(view, index, reader, NullViolation::kError, &new_keys));
    if (has_old) {
      JET_RETURN_IF_ERROR(
          ComputeIndexEntries(view, index, old_reader, NullViolation::kSkip, &old_keys));
    }
    JET_RETURN_IF_ERROR(WriteIndexEntries(trx, index, *bookmark, old_keys, new_keys));
  }
  if (has_old) {
    // Long values the new record no longer points at.
    std::vector<std::pair<uint64_t, uint64_t>> dropped;
    JET_RETURN_IF_ERROR(old_reader.ForEachValue(
        [&](uint32_t, uint32_t, const ColumnValue& value) {
          if (value.kind == ColumnValue::Kind::kSeparated) dropped.emplace_back(value.lid, value.lv_size);
        }));
    JET_RETURN_IF_ERROR(reader.ForEachValue([&](uint32_t, uint32_t, const ColumnValue& value) {
      if (value.kind != ColumnValue::Kind::kSeparated) return;
      dropped.erase(std::remove_if(dropped.begin(), dropped.end(),
                                   [&](const auto& lv) { return lv.first == value.lid; }),
                    dropped.end());
    }));
    for (const auto& [lid, size] : dropped) JET_RETURN_IF_ERROR(DeleteLongValue(trx, lid, size));
  }
  session_->NoteWrite();
  return Status::OK();
}

Status TableCursor::RemoveRecord(Transaction* trx, const ReadView& view,
                                 std::string_view bookmark, const RecordReader& record,
                                 const IndexDef* skip) {
  VersionStore* versions = instance()->versions();
  JET_RETURN_IF_ERROR(versions->Write(trx, ClusteredId(), bookmark, nullptr));
  for (const IndexDef& index : update_ != nullptr ? update_->def->indexes : def_->indexes) {
    if (index.primary() || &index == skip) continue;
    std::vector<std::string> keys;
    JET_RETURN_IF_ERROR(ComputeIndexEntries(view, index, record, NullViolation::kSkip, &keys));
    JET_RETURN_IF_ERROR(WriteIndexEntries(trx, index, bookmark, keys, {}));
  }
  std::vector<std::pair<uint64_t, uint64_t>> long_values;
  JET_RETURN_IF_ERROR(record.ForEachValue([&](uint32_t, uint32_t, const ColumnValue& value) {
    if (value.kind == ColumnValue::Kind::kSeparated) long_values.emplace_back(value.lid, value.lv_size);
  }));
  for (const auto& [lid, size] : long_values) JET_RETURN_IF_ERROR(DeleteLongValue(trx, lid, size));
  session_->NoteWrite();
  return Status::OK();
}

Status TableCursor::Update(std::string* bookmark) {
  EnsureTrees();
  if (update_ == nullptr) return Status::FromCode(JET_errUpdateNotPrepared, "JetPrepareUpdate first");
  JET_RETURN_IF_ERROR(instance()->CheckWritable());
  std::string written;
  JET_RETURN_IF_ERROR(InSavepoint([&](Transaction* trx) { return DoUpdate(trx, &written); }));
  update_.reset();
  record_.reset();
  if (bookmark != nullptr) *bookmark = std::move(written);
  return Status::OK();
}

Status TableCursor::DoDelete(Transaction* trx) {
  const ReadView view = session_->View(0);
  const std::string* current = nullptr;
  JET_RETURN_IF_ERROR(CurrentRecord(view, &current));
  const std::string record = *current;
  RecordReader reader;
  JET_RETURN_IF_ERROR(RecordReader::Open(*def_, record, &reader));
  return RemoveRecord(trx, view, bookmark_, reader, nullptr);
}

Status TableCursor::Delete() {
  EnsureTrees();
  if (read_only_) return Status::FromCode(JET_errPermissionDenied, "the table is read-only");
  if (update_ != nullptr) {
    return Status::FromCode(JET_errAlreadyPrepared, "an update is prepared: cancel it first");
  }
  JET_RETURN_IF_ERROR(instance()->CheckWritable());
  JET_RETURN_IF_ERROR(InSavepoint([&](Transaction* trx) { return DoDelete(trx); }));
  record_.reset();
  return Status::OK();
}

void TableCursor::OnRollback(int level) {
  if (update_ != nullptr && update_->level >= level) update_.reset();
  record_.reset();
}

}  // namespace jetsvc

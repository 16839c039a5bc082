// TableCursor: an open table (ESE's FUCB) — the current index, a position
// on it, a search key, an index range and a prepared update.
//
// Trees and their keys (DESIGN.md; B+tree node key -> value):
//   clustered:  bookmark -> record (record/FORMAT.md). The bookmark is the
//               normalized primary-index key, or an 8-byte big-endian
//               sequence number for a table without a primary index.
//   secondary:  unique index:     index key            -> bookmark
//               non-unique index: index key + bookmark -> bookmark
//   long values: lid (BE64) + offset (BE32) -> chunk bytes
// Every read goes through a VersionedCursor with the session's view, every
// write through the session's transaction (an implicit one, committed
// lazily, outside a transaction — as ESE does).
//
// Position: before the first entry, on an entry, or after the last. Being
// "on" an entry keeps its key and bookmark; the record itself is read
// again when needed (and cached while nothing could have changed it).
//
// Thread contract: used by its session's thread only.

#ifndef JETSVC_ENGINE_TABLE_TABLE_CURSOR_H_
#define JETSVC_ENGINE_TABLE_TABLE_CURSOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/btree/btree.h"
#include "engine/catalog/schema.h"
#include "engine/instance/session.h"
#include "engine/record/key.h"
#include "engine/record/record.h"
#include "engine/util/status.h"
#include "engine/version/versioned_cursor.h"

namespace jetsvc {

class Database;
class Instance;

// How a retrieved value came back (JetRetrieveColumn's outputs).
struct RetrieveResult {
  size_t actual = 0;   // the value's full size (pcbActual)
  size_t copied = 0;   // bytes written to the buffer
  int32_t warning = 0;  // JET_wrnColumnNull, JET_wrnBufferTruncated or 0
};

class TableCursor final : public TransactionListener {
 public:
  // Opens table `name` of database `db_id` (opened by the session).
  // Errors: JET_errObjectNotFound, JET_errInvalidDatabaseId.
  static Status Open(Session* session, uint32_t db_id, const std::string& name,
                     uint32_t grbit, std::unique_ptr<TableCursor>* result);
  ~TableCursor() override;
  TableCursor(const TableCursor&) = delete;
  TableCursor& operator=(const TableCursor&) = delete;

  Session* session() const { return session_; }
  Instance* instance() const;
  Database* database() const { return db_; }
  uint32_t db_id() const { return db_id_; }
  const TableDef& def() const { return *def_; }
  std::shared_ptr<const TableDef> shared_def() const { return def_; }
  bool read_only() const { return read_only_; }
  // Re-reads the table's definition (after DDL on this or another cursor).
  Status RefreshSchema();

  // --- index and position ---
  // JetSetCurrentIndex4: "" or null selects the primary (clustered) index.
  // grbit JET_bitMoveFirst (0) moves to the first entry, JET_bitNoMove (2)
  // keeps the current record when it has an entry in the new index.
  Status SetCurrentIndex(const std::string& name, uint32_t grbit);
  // The current index's name ("" for a table without a primary index).
  std::string CurrentIndexName() const;
  Status MakeKey(std::string_view data, uint32_t grbit);
  // JetSeek: JET_bitSeekEQ/LT/LE/GE/GT, JET_bitSetIndexRange (with EQ).
  // Returns JET_wrnSeekNotEqual or JET_errRecordNotFound as ESE does.
  Status Seek(uint32_t grbit);
  // JetMove: `rows` is kMoveFirst, kMoveLast, or a signed count.
  static constexpr int64_t kMoveFirst = INT64_MIN;
  static constexpr int64_t kMoveLast = INT64_MAX;
  Status Move(int64_t rows, uint32_t grbit);
  // JetSetIndexRange (JET_bitRangeInclusive, UpperLimit, InstantDuration,
  // Remove).
  Status SetIndexRange(uint32_t grbit);
  Status GetBookmark(std::string* bookmark);
  Status GotoBookmark(std::string_view bookmark);
  // JetRetrieveKey: the current entry's index key, or (JET_bitRetrieveCopy)
  // the key being made.
  Status RetrieveKey(std::string* key, uint32_t grbit);
  // JetGetRecordPosition: entries before the current one, and in all.
  Status GetRecordPosition(uint64_t* entries_before, uint64_t* entries_total);
  // JetIndexRecordCount: entries from the current position (or the first)
  // to the end of the index range, at most `max` (0 = no limit).
  Status IndexRecordCount(uint64_t max, uint64_t* count);
  // JetGotoPosition: the entry `numerator`/`denominator` of the way in.
  Status GotoPosition(uint64_t numerator, uint64_t denominator);

  // --- records ---
  Status PrepareUpdate(uint32_t prep);
  bool update_prepared() const { return update_ != nullptr; }
  // JetSetColumn. `data` null with size 0 sets NULL (unless
  // JET_bitSetZeroLength). `itag` 0 appends (tagged), `offset` is
  // JET_SETINFO.ibLongValue for JET_bitSetOverwriteLV.
  Status SetColumn(uint32_t columnid, const void* data, size_t size, uint32_t grbit,
                   uint32_t itag, uint64_t offset);
  // JetRetrieveColumn (JET_bitRetrieveCopy reads the prepared update).
  // `itag` 1-based (0 is treated as 1); `offset` is JET_RETINFO.ibLongValue.
  Status RetrieveColumn(uint32_t columnid, void* buffer, size_t size, uint32_t grbit,
                        uint32_t itag, uint64_t offset, RetrieveResult* result);
  // Number of values of a (tagged) column of the current record or copy.
  Status CountColumnValues(uint32_t columnid, uint32_t grbit, uint32_t* count);
  // JetUpdate: writes the prepared record; *bookmark gets its bookmark.
  Status Update(std::string* bookmark);
  // JetDelete: deletes the current record.
  Status Delete();

  // --- DDL on this table (engine/table/ddl.cc) ---
  Status AddColumn(const std::string& name, const ColumnDef& spec, uint32_t* columnid);
  Status DeleteColumn(const std::string& name);
  // Builds the index over the existing records.
  Status CreateIndex(const IndexDef& spec);
  Status DeleteIndex(const std::string& name);

  // TransactionListener: an update prepared in a rolled-back level is
  // cancelled, as in ESE.
  void OnRollback(int level) override;

 private:
  enum class Position { kBeforeFirst, kOn, kAfterLast };
  struct PreparedUpdate;

  TableCursor(Session* session, Database* db, uint32_t db_id,
              std::shared_ptr<const TableDef> def, uint32_t grbit);

  // Trees and views.
  Status BindTrees();
  // Trees created by a transaction appear in the directory at its commit:
  // binds any tree this cursor still lacks.
  void EnsureTrees();
  TreeId ClusteredId() const { return TreeId{db_id_, def_->objid}; }
  TreeId IndexTreeId() const;
  bool OnSecondaryIndex() const { return index_ != nullptr && !index_->primary(); }
  ReadView View(uint64_t snapshot) const { return session_->View(snapshot); }

  // Navigation helpers (cursor_nav.cc).
  Status SeekEntry(const ReadView& view, std::string_view key, KeyLimit limit, uint32_t grbit,
                   bool* exact);
  Status LoadEntry(const ReadView& view);
  Status Step(const ReadView& view, bool forward);
  bool InRange() const;
  Status CheckRangeAfterMove(const ReadView& view);
  Status PositionOnRecord(const ReadView& view, std::string_view bookmark, bool* found);
  // The current record's bytes (cached while valid). Errors:
  // JET_errNoCurrentRecord, JET_errRecordDeleted.
  Status CurrentRecord(const ReadView& view, const std::string** record);
  // The current entry's index key (the bookmark on the clustered index).
  std::string CurrentIndexKey() const;
  // -1 / 0 / +1: entry before, matching, or after search key `key`.
  int Classify(std::string_view entry, std::string_view key, KeyLimit limit) const;

  // Update helpers (cursor_update.cc).
  Status ComputeIndexEntries(const ReadView& view, const IndexDef& index,
                             const RecordReader& record, NullViolation violation,
                             std::vector<std::string>* keys);
  Status PrimaryKeyOf(const ReadView& view, const RecordReader& record, std::string* bookmark);
  Status WriteIndexEntries(Transaction* trx, const IndexDef& index, std::string_view bookmark,
                           const std::vector<std::string>& old_keys,
                           const std::vector<std::string>& new_keys);
  Status ReadLongValue(const ReadView& view, uint64_t lid, uint64_t size, std::string* value);
  Status WriteLongValue(Transaction* trx, uint64_t lid, std::string_view value);
  Status DeleteLongValue(Transaction* trx, uint64_t lid, uint64_t size);
  Status SeparateLongValues(Transaction* trx, RecordBuilder* builder, size_t key_size);
  Status DoUpdate(Transaction* trx, std::string* bookmark);
  Status DoDelete(Transaction* trx);
  // Deletes a record's index entries, long values and the record itself.
  Status RemoveRecord(Transaction* trx, const ReadView& view, std::string_view bookmark,
                      const RecordReader& record, const IndexDef* skip);
  // Runs `work` one transaction level down (an implicit transaction,
  // committed lazily, outside one): all of it or nothing.
  Status InSavepoint(const std::function<Status(Transaction*)>& work);
  Status NextSequentialKey(std::string* bookmark);
  Status InitCounters();

  Session* const session_;
  Database* const db_;
  const uint32_t db_id_;
  std::shared_ptr<const TableDef> def_;
  const bool read_only_;

  std::shared_ptr<BTree> clustered_;
  std::shared_ptr<BTree> lv_tree_;
  std::shared_ptr<BTree> index_tree_;  // current secondary index, or null
  const IndexDef* index_ = nullptr;    // current index (null: sequential)
  std::string index_name_;
  std::unique_ptr<VersionedCursor> cursor_;  // on the current index's tree

  Position position_ = Position::kBeforeFirst;
  std::string entry_key_;   // the current entry's node key
  std::string bookmark_;    // the current record's bookmark
  // Record cache: valid while record_snapshot_ is the view it was read at
  // and no write of this session happened since.
  std::optional<std::string> record_;
  uint64_t record_snapshot_ = 0;
  uint64_t record_writes_ = 0;  // session write_count() when cached
  uint64_t schema_epoch_ = 0;

  std::unique_ptr<KeyBuilder> key_;

  // Index range: an upper (or lower) limit key on the current index.
  bool range_active_ = false;
  std::string range_key_;
  KeyLimit range_limit_ = KeyLimit::kNone;
  bool range_upper_ = true;
  bool range_inclusive_ = false;

  std::unique_ptr<PreparedUpdate> update_;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_TABLE_TABLE_CURSOR_H_

// Record: the byte format of a table row, the value of a node in the
// table's clustered B+tree (the primary key is the node key and is not
// repeated). Layout: record/FORMAT.md.
//
// RecordReader answers single-column reads straight from the bytes (fixed:
// direct offset; variable: two offset-table entries; tagged: binary search
// of the tagged directory). RecordBuilder holds a row being inserted or
// updated (ESE's copy buffer), applies JetSetColumn's rules and encodes it.
//
// Column states, as RetrieveColumn sees them (ColumnValue::Kind):
//   kAbsent    the record does not cover the column: a fixed/variable
//              column with an id above the record's last one (added by
//              JetAddColumn later), or a tagged column with no entry. The
//              column's default applies (ApplyDefault).
//   kNull      explicitly NULL: a fixed/variable column whose null bit is
//              set, a tagged column's null marker (ESE keeps one when a
//              column with a default is set to NULL), or an itag past the
//              last value of a present tagged column. No default applies.
//   kInline    bytes in the record; may be empty (a zero-length value,
//              JET_bitSetZeroLength), which is not NULL.
//   kSeparated a long value kept in the table's long-value tree:
//              {lid, lv_size}. Only tagged Long* columns hold these.
//
// ESE rules followed (fldmod.cxx, tagfld.cxx; JET_SETINFO, "Sequencing in
// Multi-Valued Columns"):
//  - Any tagged column may hold several values; JET_bitColumnMultiValued
//    only changes indexing. itag 0 or itag > count appends; 1..count
//    replaces; NULL at 1..count removes that value and shifts the later
//    ones down; NULL at any other itag does nothing.
//  - Fixed and variable columns ignore itag.
//  - Fixed columns: zero-length means NULL; a fixed-size coltyp needs
//    exactly its size (else JET_errInvalidBufferSize); a fixed Binary/Text
//    value is padded to cb_max (zeros; Text: spaces, UTF-16 spaces for code
//    page 1200), longer is JET_errInvalidBufferSize; Bit is stored 0x00/0xFF.
//  - Variable columns: longer than cb_max (or 255) is truncated and returns
//    the warning JET_wrnColumnMaxTruncated.
//  - Tagged columns: longer than the column's maximum gives
//    JET_errColumnTooBig (checked first), a fixed-size coltyp of the wrong
//    non-zero length gives JET_errInvalidBufferSize.
//  - NULL (SetNull) on a NotNULL column gives JET_errNullInvalid at once.
//
// Schema evolution: a record names its last fixed and last variable column,
// so records written before JetAddColumn read the new columns as kAbsent.
// Column ids are never reused. A deleted fixed column must stay in the
// TableDef as a tombstone (IsDeletedColumn) keeping its slot size, since
// fixed offsets are derived from the fixed column sizes in id order; deleted
// variable and tagged columns may simply vanish from the TableDef (their
// bytes are ignored by readers and dropped when a builder rewrites the row).
//
// Thread contract: a RecordReader is immutable after Open; its const
// methods may run concurrently. A RecordBuilder is not thread-safe. Both
// keep pointers to the TableDef (and the reader to the record bytes), which
// must outlive them.

#ifndef JETSVC_ENGINE_RECORD_RECORD_H_
#define JETSVC_ENGINE_RECORD_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog/schema.h"
#include "engine/util/status.h"

namespace jetsvc {

constexpr size_t kRecordHeaderSize = 4;
// The largest record the format can encode (16-bit offsets). The page
// limit the caller enforces (JET_errRecordTooBig) is smaller.
constexpr size_t kMaxRecordSize = 65535;
// A separated long value reference: uint64 lid, uint64 total size.
constexpr size_t kSeparatedValueSize = 16;

// A deleted column's catalog entry: coltyp == JET_coltypNil (0). For a
// fixed column cb_max must keep the slot size in bytes (what
// FixedColumnSlotSize returned while it was live).
inline bool IsDeletedColumn(const ColumnDef& column) { return column.coltyp == 0; }

// Bytes a fixed column (live or tombstone) occupies in each record that
// covers it, or 0 if the definition cannot be laid out.
uint32_t FixedColumnSlotSize(const ColumnDef& column);

// Most bytes one value of `column` may hold: the coltyp's size, cb_max (or
// 255) for Binary/Text, cb_max for Long* (0 = unlimited).
uint32_t MaxValueSize(const ColumnDef& column);

// What SetValue would store for a non-empty `bytes` (padding, Bit
// normalization, truncation with JET_wrnColumnMaxTruncated, size errors).
// The catalog can use it to validate and normalize default values.
Status NormalizeValue(const ColumnDef& column, std::string_view bytes, std::string* stored);

struct ColumnValue {
  enum class Kind : uint8_t { kAbsent, kNull, kInline, kSeparated };

  Kind kind = Kind::kAbsent;
  std::string_view bytes;  // kInline only
  uint64_t lid = 0;        // kSeparated only
  uint64_t lv_size = 0;    // kSeparated only

  bool is_null() const { return kind == Kind::kAbsent || kind == Kind::kNull; }
  // Logical length of the value: bytes.size() or lv_size (0 if null).
  uint64_t size() const { return kind == Kind::kSeparated ? lv_size : bytes.size(); }
};

// What RetrieveColumn shows when defaults apply: the column's default value
// if `stored` is kAbsent and the default exists (tagged columns: itag 1
// only), else `stored`. The result may point into `column`.
ColumnValue ApplyDefault(const ColumnDef& column, uint32_t itag, const ColumnValue& stored);

// Read access to one encoded record. Nothing is copied or allocated.
//
// Open checks the header and the section bounds (and that the TableDef
// describes the record's fixed columns); Get checks what it touches;
// Validate checks everything. Any inconsistency is JET_errDatabaseCorrupted.
class RecordReader {
 public:
  RecordReader() = default;

  // REQUIRES: `table` and `record` outlive the reader.
  static Status Open(const TableDef& table, std::string_view record, RecordReader* reader);

  // The value at `itag` (1-based; ignored for fixed and variable columns).
  // Errors: JET_errColumnNotFound (unknown or deleted column),
  // JET_errBadColumnId, JET_errBadItagSequence (itag 0 on a tagged column),
  // JET_errDatabaseCorrupted.
  Status Get(uint32_t columnid, uint32_t itag, ColumnValue* value) const;
  // Get, then ApplyDefault.
  Status GetWithDefault(uint32_t columnid, uint32_t itag, ColumnValue* value) const;
  // Number of stored non-NULL values (0 or 1 for fixed and variable).
  Status CountValues(uint32_t columnid, uint32_t* count) const;
  // Validates the whole record, then calls `visit` for every stored
  // non-NULL value of a live column: fixed, variable, then tagged columns,
  // each in id order, tagged values in itag order.
  Status ForEachValue(
      const std::function<void(uint32_t columnid, uint32_t itag, const ColumnValue& value)>& visit)
      const;
  // Checks every offset, count, flag and padding bit of the record.
  Status Validate() const;

  uint32_t last_fixed_columnid() const { return last_fixed_; }
  // kFirstVariableColumn - 1 if the record has no variable columns.
  uint32_t last_variable_columnid() const { return kFirstVariableColumn - 1 + variable_count_; }
  size_t tagged_column_count() const { return tagged_count_; }
  size_t size() const { return record_.size(); }

 private:
  friend class RecordBuilder;

  Status GetFixed(uint32_t columnid, ColumnValue* value) const;
  Status GetVariable(uint32_t index, ColumnValue* value) const;
  // Finds the tagged directory entry of `columnid`; *found false if none.
  bool FindTagged(uint32_t columnid, size_t* entry) const;
  uint32_t TaggedColumnId(size_t entry) const;
  Status TaggedRegion(size_t entry, std::string_view* region) const;

  const TableDef* table_ = nullptr;
  std::string_view record_;
  uint32_t last_fixed_ = 0;
  uint32_t variable_count_ = 0;
  // fixed_offset_[id] = offset of fixed column id's slot in the fixed data;
  // fixed_offset_[last_fixed_ + 1] = size of the fixed data.
  uint16_t fixed_offset_[kLastFixedColumn + 2] = {};
  size_t bitmap_pos_ = 0;
  size_t variable_offsets_pos_ = 0;
  size_t variable_data_pos_ = 0;
  size_t variable_data_size_ = 0;
  size_t tagged_count_ = 0;
  size_t tagged_directory_pos_ = 0;
  size_t regions_pos_ = 0;
  size_t regions_size_ = 0;
};

// A tagged Long* value ChooseValuesToSeparate picked.
struct ValueToSeparate {
  uint32_t columnid = 0;
  uint32_t itag = 0;
  uint64_t size = 0;  // its inline length
};

// A row being built: starts empty (every column kAbsent) or from Load.
//
// Invariants (AssertValid):
//  1. A fixed or variable column is kAbsent iff its id is above the
//     builder's last covered id of that class.
//  2. A stored fixed value is exactly FixedColumnSlotSize bytes.
//  3. A tagged column present in the builder has either a null marker and
//     no values, or at least one value; separated values carry no bytes.
//  4. Covering a new fixed/variable id materializes the defaults of the
//     columns it newly covers (as ESE bursts the default record), so no
//     operation changes the value RetrieveColumn shows for another column.
class RecordBuilder {
 public:
  explicit RecordBuilder(const TableDef& table);

  // Replaces the contents with a validated copy of `record`. On failure
  // the builder is unchanged.
  Status Load(std::string_view record);
  // Back to the empty row.
  void Clear();
  // ESE's PrepareUpdate(insert): gives every fixed and variable column
  // with a default its default value now. Tagged defaults stay read-time.
  Status MaterializeDefaults();

  // Sets the value at `itag` (see the rules above). Returns
  // JET_wrnColumnMaxTruncated (ok) if a variable value was truncated.
  Status SetValue(uint32_t columnid, uint32_t itag, std::string_view bytes);
  // Sets a separated long value reference. REQUIRES a tagged Long* column.
  Status SetSeparated(uint32_t columnid, uint32_t itag, uint64_t lid, uint64_t lv_size);
  Status SetNull(uint32_t columnid, uint32_t itag);
  // JET_bitSetRevertToDefaultValue: as SetNull, but a tagged column left
  // with no value loses its null marker, so its default shows again.
  Status RevertToDefault(uint32_t columnid, uint32_t itag);

  // As RecordReader (JET_bitRetrieveCopy). Views stay valid until the next
  // change to the builder.
  Status Get(uint32_t columnid, uint32_t itag, ColumnValue* value) const;
  Status CountValues(uint32_t columnid, uint32_t* count) const;

  // JET_errNullInvalid if a NotNULL column reads NULL (after defaults).
  Status CheckNotNull() const;

  // Exact size Encode would produce.
  size_t EncodedSize() const;
  // JET_errRecordTooBig if EncodedSize() > kMaxRecordSize.
  Status Encode(std::string* record) const;
  // Picks inline values of tagged Long* columns to separate, largest first
  // (ties: lower columnid, then itag), until EncodedSize() would be at most
  // `budget`. Each pick saves size - kSeparatedValueSize bytes. Returns
  // JET_errRecordTooBig (and no picks) if the budget cannot be reached.
  Status ChooseValuesToSeparate(size_t budget, std::vector<ValueToSeparate>* picks) const;

  void AssertValid() const;

 private:
  enum class CellState : uint8_t { kAbsent, kNull, kValue };
  struct Cell {
    CellState state = CellState::kAbsent;
    std::string bytes;
  };
  struct StoredValue {
    bool separated = false;
    std::string bytes;
    uint64_t lid = 0;
    uint64_t lv_size = 0;
  };
  struct TaggedCell {
    bool null_marker = false;
    std::vector<StoredValue> values;
  };

  Status FindLiveColumn(uint32_t columnid, const ColumnDef** column) const;
  // Covers fixed ids up to `columnid`, materializing defaults (invariant 4).
  Status CoverFixed(uint32_t columnid);
  Status CoverVariable(uint32_t columnid);
  void PutTagged(uint32_t columnid, uint32_t itag, StoredValue value);
  Status RemoveTagged(const ColumnDef& column, uint32_t itag, bool revert_to_default);
  size_t FixedDataSize() const;
  static size_t RegionSize(const TaggedCell& cell);
  static void EncodeRegion(const TaggedCell& cell, std::string* out);

  const TableDef* table_;
  // Slot sizes of fixed ids 1..fixed_slot_size_.size(): the dense prefix of
  // the TableDef's fixed ids (a gap in the ids ends it).
  std::vector<uint16_t> fixed_slot_size_;
  std::vector<Cell> fixed_;     // [id - 1]
  std::vector<Cell> variable_;  // [id - kFirstVariableColumn]
  uint32_t fixed_covered_ = 0;     // last covered fixed id, 0 = none
  uint32_t variable_covered_ = 0;  // number of covered variable ids
  std::map<uint32_t, TaggedCell> tagged_;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_RECORD_RECORD_H_

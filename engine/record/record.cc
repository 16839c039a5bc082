#include "engine/record/record.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "engine/util/coding.h"
#include "esent.h"

namespace jetsvc {

namespace {

// Tagged region flags (first byte of each region; FORMAT.md).
constexpr uint8_t kTagNullMarker = 0x01;
constexpr uint8_t kTagSeparated = 0x02;
constexpr uint8_t kTagMultiValued = 0x04;

constexpr uint16_t kVariableNullBit = 0x8000;
constexpr uint16_t kVariableOffsetMask = 0x7FFF;
constexpr uint32_t kMaxVariableColumns = kLastVariableColumn - kFirstVariableColumn + 1;
constexpr uint16_t kCodePageUnicode = 1200;

Status Corrupt(std::string_view what) { return Status::Corruption(what); }

uint16_t Read16(std::string_view bytes, size_t pos) { return DecodeFixed16(bytes.data() + pos); }

ColumnValue NullValue() {
  ColumnValue value;
  value.kind = ColumnValue::Kind::kNull;
  return value;
}

ColumnValue InlineValue(std::string_view bytes) {
  ColumnValue value;
  value.kind = ColumnValue::Kind::kInline;
  value.bytes = bytes;
  return value;
}

ColumnValue SeparatedValue(std::string_view reference) {
  ColumnValue value;
  value.kind = ColumnValue::Kind::kSeparated;
  value.lid = DecodeFixed64(reference.data());
  value.lv_size = DecodeFixed64(reference.data() + 8);
  return value;
}

bool IsBinaryOrText(uint32_t coltyp) {
  return coltyp == JET_coltypBinary || coltyp == JET_coltypText;
}

Status CheckColumnId(uint32_t columnid) {
  if (columnid == 0 || columnid > kLastTaggedColumn) {
    return Status::FromCode(JET_errBadColumnId, "column id out of range");
  }
  return Status::OK();
}

// A tagged column's region, parsed (header checks only).
struct Region {
  uint8_t flags = 0;
  std::string_view payload;  // after the flags byte
  uint32_t count = 0;        // stored values (0 for a null marker)
  // Multi-valued form only:
  std::string_view ends;       // count x uint16
  std::string_view separated;  // ceil(count / 8) bytes
  std::string_view data;       // the values
};

Status ParseRegion(std::string_view bytes, bool long_column, Region* region) {
  if (bytes.empty()) return Corrupt("empty tagged region");
  region->flags = static_cast<uint8_t>(bytes[0]);
  region->payload = bytes.substr(1);
  switch (region->flags) {
    case 0:
      region->count = 1;
      return Status::OK();
    case kTagNullMarker:
      if (!region->payload.empty()) return Corrupt("tagged null marker with data");
      region->count = 0;
      return Status::OK();
    case kTagSeparated:
      if (!long_column) return Corrupt("separated value in a non-long column");
      if (region->payload.size() != kSeparatedValueSize) return Corrupt("bad separated reference");
      region->count = 1;
      return Status::OK();
    case kTagMultiValued: {
      if (region->payload.size() < 2) return Corrupt("truncated multi-value header");
      const uint32_t count = Read16(region->payload, 0);
      if (count < 2) return Corrupt("multi-value list with fewer than 2 values");
      const size_t header = 2 + 2 * static_cast<size_t>(count) + (count + 7) / 8;
      if (header > region->payload.size()) return Corrupt("truncated multi-value header");
      region->count = count;
      region->ends = region->payload.substr(2, 2 * count);
      region->separated = region->payload.substr(2 + 2 * count, (count + 7) / 8);
      region->data = region->payload.substr(header);
      return Status::OK();
    }
    default:
      return Corrupt("unknown tagged region flags");
  }
}

// Value `index` (0-based) of a parsed region; checks its own bounds.
Status RegionValue(const Region& region, bool long_column, uint32_t index, ColumnValue* value) {
  if (region.flags == 0) {
    *value = InlineValue(region.payload);
    return Status::OK();
  }
  if (region.flags == kTagSeparated) {
    *value = SeparatedValue(region.payload);
    return Status::OK();
  }
  assert(region.flags == kTagMultiValued && index < region.count);
  const size_t start = index == 0 ? 0 : Read16(region.ends, 2 * (index - 1));
  const size_t end = Read16(region.ends, 2 * index);
  if (start > end || end > region.data.size()) return Corrupt("bad multi-value offsets");
  const std::string_view bytes = region.data.substr(start, end - start);
  const bool separated = (static_cast<uint8_t>(region.separated[index / 8]) >> (index % 8)) & 1;
  if (!separated) {
    *value = InlineValue(bytes);
    return Status::OK();
  }
  if (!long_column) return Corrupt("separated value in a non-long column");
  if (bytes.size() != kSeparatedValueSize) return Corrupt("bad separated reference");
  *value = SeparatedValue(bytes);
  return Status::OK();
}

// Full check of a region: every value, the exact data size, padding bits.
Status ValidateRegion(std::string_view bytes, bool long_column) {
  Region region;
  JET_RETURN_IF_ERROR(ParseRegion(bytes, long_column, &region));
  if (region.flags != kTagMultiValued) return Status::OK();
  ColumnValue value;
  for (uint32_t i = 0; i < region.count; ++i) {
    JET_RETURN_IF_ERROR(RegionValue(region, long_column, i, &value));
  }
  if (Read16(region.ends, 2 * (region.count - 1)) != region.data.size()) {
    return Corrupt("multi-value data size mismatch");
  }
  if (region.count % 8 != 0) {
    const auto last = static_cast<uint8_t>(region.separated.back());
    if ((last >> (region.count % 8)) != 0) return Corrupt("multi-value padding bits set");
  }
  return Status::OK();
}

void PadFixedText(const ColumnDef& column, size_t from, std::string* slot) {
  for (size_t i = from; i < slot->size(); ++i) {
    const bool unicode = column.code_page == kCodePageUnicode;
    (*slot)[i] = (unicode && i % 2 == 1) ? '\0' : ' ';
  }
}

}  // namespace

uint32_t FixedColumnSlotSize(const ColumnDef& column) {
  if (IsDeletedColumn(column)) {
    return column.cb_max <= JET_cbColumnMost ? column.cb_max : 0;
  }
  if (IsLongColtyp(column.coltyp)) return 0;
  return MaxValueSize(column);
}

uint32_t MaxValueSize(const ColumnDef& column) {
  const uint32_t fixed_size = FixedSizeOfColtyp(column.coltyp);
  if (fixed_size > 0) return fixed_size;
  if (IsBinaryOrText(column.coltyp)) {
    return (column.cb_max == 0 || column.cb_max > JET_cbColumnMost) ? JET_cbColumnMost
                                                                   : column.cb_max;
  }
  return column.cb_max;  // Long*: 0 = unlimited
}

Status NormalizeValue(const ColumnDef& column, std::string_view bytes, std::string* stored) {
  const uint32_t max_size = MaxValueSize(column);
  const uint32_t fixed_size = FixedSizeOfColtyp(column.coltyp);
  switch (ClassOfColumn(column.columnid)) {
    case ColumnClass::kFixed: {
      const uint32_t slot_size = FixedColumnSlotSize(column);
      if (slot_size == 0) return Status::InvalidParameter("column cannot be fixed");
      if (bytes.empty() || bytes.size() > slot_size ||
          (fixed_size > 0 && bytes.size() != fixed_size)) {
        return Status::FromCode(JET_errInvalidBufferSize, "wrong size for fixed column");
      }
      stored->assign(bytes.data(), bytes.size());
      if (column.coltyp == JET_coltypBit) {
        (*stored)[0] = static_cast<char>((*stored)[0] != 0 ? 0xFF : 0x00);
      } else if (stored->size() < slot_size) {
        stored->resize(slot_size, '\0');
        if (IsTextColtyp(column.coltyp)) PadFixedText(column, bytes.size(), stored);
      }
      return Status::OK();
    }
    case ColumnClass::kVariable: {
      // Never above 255, whatever the schema says: the offset table has
      // 15 bits for 128 columns.
      const uint32_t limit =
          (max_size == 0 || max_size > JET_cbColumnMost) ? JET_cbColumnMost : max_size;
      if (bytes.size() > limit) {
        stored->assign(bytes.data(), limit);
        return Status::Warning(JET_wrnColumnMaxTruncated);
      }
      stored->assign(bytes.data(), bytes.size());
      return Status::OK();
    }
    case ColumnClass::kTagged:
      if (max_size > 0 && bytes.size() > max_size) {
        return Status::FromCode(JET_errColumnTooBig, "value longer than the column maximum");
      }
      if (fixed_size > 0 && !bytes.empty() && bytes.size() != fixed_size) {
        return Status::FromCode(JET_errInvalidBufferSize, "wrong size for the column type");
      }
      stored->assign(bytes.data(), bytes.size());
      return Status::OK();
  }
  return Status::InvalidParameter("bad column class");
}

ColumnValue ApplyDefault(const ColumnDef& column, uint32_t itag, const ColumnValue& stored) {
  if (stored.kind != ColumnValue::Kind::kAbsent || !column.default_value.has_value() ||
      (column.tagged() && itag != 1)) {
    return stored;
  }
  return InlineValue(*column.default_value);
}

// ---------------------------------------------------------------- reader

Status RecordReader::Open(const TableDef& table, std::string_view record, RecordReader* reader) {
  RecordReader r;
  r.table_ = &table;
  r.record_ = record;
  if (record.size() < kRecordHeaderSize) return Corrupt("record shorter than its header");
  r.last_fixed_ = static_cast<uint8_t>(record[0]);
  r.variable_count_ = static_cast<uint8_t>(record[1]);
  const size_t fixed_size = Read16(record, 2);
  if (r.last_fixed_ > kLastFixedColumn) return Corrupt("bad last fixed column");
  if (r.variable_count_ > kMaxVariableColumns) return Corrupt("bad variable column count");

  // Fixed offsets come from the TableDef: ids 1..last_fixed_ must all be
  // there (live or tombstone), and their slots must fill the fixed data.
  uint32_t next_id = 1;
  size_t offset = 0;
  for (const ColumnDef& column : table.columns) {
    if (column.columnid > r.last_fixed_) break;
    const uint32_t slot_size = FixedColumnSlotSize(column);
    if (column.columnid != next_id || slot_size == 0) {
      return Corrupt("table definition does not describe the record's fixed columns");
    }
    r.fixed_offset_[next_id++] = static_cast<uint16_t>(offset);
    offset += slot_size;
    if (offset > fixed_size) return Corrupt("fixed data size mismatch");
  }
  if (next_id != r.last_fixed_ + 1) {
    return Corrupt("table definition does not describe the record's fixed columns");
  }
  if (offset != fixed_size) return Corrupt("fixed data size mismatch");
  r.fixed_offset_[next_id] = static_cast<uint16_t>(offset);

  size_t pos = kRecordHeaderSize + fixed_size;
  r.bitmap_pos_ = pos;
  pos += (r.last_fixed_ + 7) / 8;
  if (pos > record.size()) return Corrupt("fixed columns past the end of the record");
  if (r.last_fixed_ % 8 != 0) {
    const auto last = static_cast<uint8_t>(record[pos - 1]);
    if ((last >> (r.last_fixed_ % 8)) != 0) return Corrupt("fixed null bitmap padding set");
  }
  r.variable_offsets_pos_ = pos;
  pos += 2 * static_cast<size_t>(r.variable_count_);
  if (pos > record.size()) return Corrupt("variable offsets past the end of the record");
  r.variable_data_pos_ = pos;
  if (r.variable_count_ > 0) {
    r.variable_data_size_ = Read16(record, pos - 2) & kVariableOffsetMask;
  }
  pos += r.variable_data_size_;
  if (pos > record.size()) return Corrupt("variable data past the end of the record");

  // The rest is the tagged area: empty, or a count, a directory, regions.
  if (pos < record.size()) {
    if (record.size() - pos < 2) return Corrupt("truncated tagged area");
    r.tagged_count_ = Read16(record, pos);
    r.tagged_directory_pos_ = pos + 2;
    const size_t directory_size = 4 * r.tagged_count_;
    if (r.tagged_count_ == 0 || directory_size > record.size() - r.tagged_directory_pos_) {
      return Corrupt("bad tagged directory size");
    }
    r.regions_pos_ = r.tagged_directory_pos_ + directory_size;
    r.regions_size_ = record.size() - r.regions_pos_;
  }
  *reader = r;
  return Status::OK();
}

Status RecordReader::GetFixed(uint32_t columnid, ColumnValue* value) const {
  if (columnid > last_fixed_) {
    *value = ColumnValue();
    return Status::OK();
  }
  const uint32_t bit = columnid - 1;
  if ((static_cast<uint8_t>(record_[bitmap_pos_ + bit / 8]) >> (bit % 8)) & 1) {
    *value = NullValue();
    return Status::OK();
  }
  const size_t start = fixed_offset_[columnid];
  const size_t end = fixed_offset_[columnid + 1];
  *value = InlineValue(record_.substr(kRecordHeaderSize + start, end - start));
  return Status::OK();
}

Status RecordReader::GetVariable(uint32_t index, ColumnValue* value) const {
  if (index >= variable_count_) {
    *value = ColumnValue();
    return Status::OK();
  }
  const uint16_t entry = Read16(record_, variable_offsets_pos_ + 2 * index);
  const size_t end = entry & kVariableOffsetMask;
  const size_t start =
      index == 0 ? 0 : Read16(record_, variable_offsets_pos_ + 2 * (index - 1)) & kVariableOffsetMask;
  if (start > end || end > variable_data_size_) return Corrupt("bad variable column offsets");
  if (entry & kVariableNullBit) {
    if (start != end) return Corrupt("NULL variable column with data");
    *value = NullValue();
    return Status::OK();
  }
  *value = InlineValue(record_.substr(variable_data_pos_ + start, end - start));
  return Status::OK();
}

uint32_t RecordReader::TaggedColumnId(size_t entry) const {
  return Read16(record_, tagged_directory_pos_ + 4 * entry);
}

bool RecordReader::FindTagged(uint32_t columnid, size_t* entry) const {
  size_t low = 0;
  size_t high = tagged_count_;
  while (low < high) {
    const size_t mid = low + (high - low) / 2;
    const uint32_t mid_id = TaggedColumnId(mid);
    if (mid_id == columnid) {
      *entry = mid;
      return true;
    }
    if (mid_id < columnid) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return false;
}

Status RecordReader::TaggedRegion(size_t entry, std::string_view* region) const {
  const size_t start = Read16(record_, tagged_directory_pos_ + 4 * entry + 2);
  const size_t end = entry + 1 < tagged_count_
                         ? Read16(record_, tagged_directory_pos_ + 4 * (entry + 1) + 2)
                         : regions_size_;
  if (start >= end || end > regions_size_) return Corrupt("bad tagged region offsets");
  *region = record_.substr(regions_pos_ + start, end - start);
  return Status::OK();
}

Status RecordReader::Get(uint32_t columnid, uint32_t itag, ColumnValue* value) const {
  JET_RETURN_IF_ERROR(CheckColumnId(columnid));
  const ColumnDef* column = table_->FindColumn(columnid);
  if (column == nullptr || IsDeletedColumn(*column)) {
    return Status::FromCode(JET_errColumnNotFound, "no such column");
  }
  switch (ClassOfColumn(columnid)) {
    case ColumnClass::kFixed:
      return GetFixed(columnid, value);
    case ColumnClass::kVariable:
      return GetVariable(columnid - kFirstVariableColumn, value);
    case ColumnClass::kTagged:
      break;
  }
  if (itag == 0) return Status::FromCode(JET_errBadItagSequence, "itag 0");
  size_t entry;
  if (!FindTagged(columnid, &entry)) {
    *value = ColumnValue();
    return Status::OK();
  }
  std::string_view bytes;
  JET_RETURN_IF_ERROR(TaggedRegion(entry, &bytes));
  Region region;
  const bool long_column = IsLongColtyp(column->coltyp);
  JET_RETURN_IF_ERROR(ParseRegion(bytes, long_column, &region));
  if (itag > region.count) {
    *value = NullValue();
    return Status::OK();
  }
  return RegionValue(region, long_column, itag - 1, value);
}

Status RecordReader::GetWithDefault(uint32_t columnid, uint32_t itag, ColumnValue* value) const {
  JET_RETURN_IF_ERROR(Get(columnid, itag, value));
  *value = ApplyDefault(*table_->FindColumn(columnid), itag, *value);
  return Status::OK();
}

Status RecordReader::CountValues(uint32_t columnid, uint32_t* count) const {
  ColumnValue value;
  JET_RETURN_IF_ERROR(Get(columnid, 1, &value));
  *count = value.is_null() ? 0 : 1;
  if (ClassOfColumn(columnid) != ColumnClass::kTagged || *count == 0) return Status::OK();
  size_t entry = 0;
  std::string_view bytes;
  Region region;
  const bool found = FindTagged(columnid, &entry);
  assert(found);
  (void)found;
  JET_RETURN_IF_ERROR(TaggedRegion(entry, &bytes));
  JET_RETURN_IF_ERROR(
      ParseRegion(bytes, IsLongColtyp(table_->FindColumn(columnid)->coltyp), &region));
  *count = region.count;
  return Status::OK();
}

Status RecordReader::Validate() const {
  ColumnValue value;
  for (uint32_t i = 0; i < variable_count_; ++i) {
    JET_RETURN_IF_ERROR(GetVariable(i, &value));
  }
  uint32_t previous_id = 0;
  for (size_t entry = 0; entry < tagged_count_; ++entry) {
    const uint32_t columnid = TaggedColumnId(entry);
    if (columnid < kFirstTaggedColumn || columnid <= previous_id) {
      return Corrupt("tagged directory out of order");
    }
    previous_id = columnid;
    if (entry == 0 && Read16(record_, tagged_directory_pos_ + 2) != 0) {
      return Corrupt("bytes before the first tagged region");
    }
    std::string_view bytes;
    JET_RETURN_IF_ERROR(TaggedRegion(entry, &bytes));
    const ColumnDef* column = table_->FindColumn(columnid);
    const bool long_column = column == nullptr || IsDeletedColumn(*column) ||
                             IsLongColtyp(column->coltyp);
    JET_RETURN_IF_ERROR(ValidateRegion(bytes, long_column));
  }
  return Status::OK();
}

Status RecordReader::ForEachValue(
    const std::function<void(uint32_t, uint32_t, const ColumnValue&)>& visit) const {
  JET_RETURN_IF_ERROR(Validate());
  ColumnValue value;
  for (const ColumnDef& column : table_->columns) {
    if (column.tagged()) break;
    if (IsDeletedColumn(column)) continue;
    JET_RETURN_IF_ERROR(Get(column.columnid, 1, &value));
    if (!value.is_null()) visit(column.columnid, 1, value);
  }
  for (size_t entry = 0; entry < tagged_count_; ++entry) {
    const uint32_t columnid = TaggedColumnId(entry);
    const ColumnDef* column = table_->FindColumn(columnid);
    if (column == nullptr || IsDeletedColumn(*column)) continue;
    const bool long_column = IsLongColtyp(column->coltyp);
    std::string_view bytes;
    Region region;
    JET_RETURN_IF_ERROR(TaggedRegion(entry, &bytes));
    JET_RETURN_IF_ERROR(ParseRegion(bytes, long_column, &region));
    for (uint32_t i = 0; i < region.count; ++i) {
      JET_RETURN_IF_ERROR(RegionValue(region, long_column, i, &value));
      visit(columnid, i + 1, value);
    }
  }
  return Status::OK();
}

// --------------------------------------------------------------- builder

RecordBuilder::RecordBuilder(const TableDef& table) : table_(&table) {
  // Columns are sorted by id, so the dense prefix ends at the first gap
  // (or the first fixed column that cannot be laid out).
  uint32_t last_variable = kFirstVariableColumn - 1;
  for (const ColumnDef& column : table.columns) {
    if (column.fixed()) {
      const uint32_t slot_size = FixedColumnSlotSize(column);
      if (column.columnid == fixed_slot_size_.size() + 1 && slot_size > 0) {
        fixed_slot_size_.push_back(static_cast<uint16_t>(slot_size));
      }
    } else if (!column.tagged()) {
      last_variable = column.columnid;
    }
  }
  fixed_.resize(fixed_slot_size_.size());
  variable_.resize(last_variable - (kFirstVariableColumn - 1));
}

void RecordBuilder::Clear() {
  for (Cell& cell : fixed_) cell = Cell();
  for (Cell& cell : variable_) cell = Cell();
  fixed_covered_ = 0;
  variable_covered_ = 0;
  tagged_.clear();
}

Status RecordBuilder::Load(std::string_view record) {
  RecordReader reader;
  JET_RETURN_IF_ERROR(RecordReader::Open(*table_, record, &reader));
  JET_RETURN_IF_ERROR(reader.Validate());
  RecordBuilder loaded(*table_);
  ColumnValue value;
  // Covered columns become NULL or values; deleted ones NULL. Trailing
  // deleted columns are left uncovered (nobody can read them).
  for (uint32_t id = 1; id <= reader.last_fixed_; ++id) {
    const ColumnDef* column = table_->FindColumn(id);
    if (id > loaded.fixed_.size()) return Corrupt("record covers unknown fixed columns");
    Cell& cell = loaded.fixed_[id - 1];
    cell.state = CellState::kNull;
    if (IsDeletedColumn(*column)) continue;
    loaded.fixed_covered_ = id;
    JET_RETURN_IF_ERROR(reader.GetFixed(id, &value));
    if (!value.is_null()) {
      cell.state = CellState::kValue;
      cell.bytes.assign(value.bytes);
    }
  }
  for (uint32_t index = 0; index < reader.variable_count_ && index < loaded.variable_.size();
       ++index) {
    const ColumnDef* column = table_->FindColumn(kFirstVariableColumn + index);
    Cell& cell = loaded.variable_[index];
    cell.state = CellState::kNull;
    if (column == nullptr || IsDeletedColumn(*column)) continue;
    loaded.variable_covered_ = index + 1;
    JET_RETURN_IF_ERROR(reader.GetVariable(index, &value));
    if (!value.is_null()) {
      cell.state = CellState::kValue;
      cell.bytes.assign(value.bytes);
    }
  }
  for (uint32_t id = loaded.fixed_covered_ + 1; id <= loaded.fixed_.size(); ++id) {
    loaded.fixed_[id - 1] = Cell();
  }
  for (uint32_t index = loaded.variable_covered_; index < loaded.variable_.size(); ++index) {
    loaded.variable_[index] = Cell();
  }
  for (size_t entry = 0; entry < reader.tagged_count_; ++entry) {
    const uint32_t columnid = reader.TaggedColumnId(entry);
    const ColumnDef* column = table_->FindColumn(columnid);
    if (column == nullptr || IsDeletedColumn(*column)) continue;
    const bool long_column = IsLongColtyp(column->coltyp);
    std::string_view bytes;
    Region region;
    JET_RETURN_IF_ERROR(reader.TaggedRegion(entry, &bytes));
    JET_RETURN_IF_ERROR(ParseRegion(bytes, long_column, &region));
    TaggedCell& cell = loaded.tagged_[columnid];
    cell.null_marker = region.count == 0;
    for (uint32_t i = 0; i < region.count; ++i) {
      JET_RETURN_IF_ERROR(RegionValue(region, long_column, i, &value));
      StoredValue stored;
      stored.separated = value.kind == ColumnValue::Kind::kSeparated;
      stored.bytes.assign(value.bytes);
      stored.lid = value.lid;
      stored.lv_size = value.lv_size;
      cell.values.push_back(std::move(stored));
    }
  }
  *this = std::move(loaded);
  return Status::OK();
}

Status RecordBuilder::FindLiveColumn(uint32_t columnid, const ColumnDef** column) const {
  JET_RETURN_IF_ERROR(CheckColumnId(columnid));
  *column = table_->FindColumn(columnid);
  if (*column == nullptr || IsDeletedColumn(**column)) {
    return Status::FromCode(JET_errColumnNotFound, "no such column");
  }
  return Status::OK();
}

Status RecordBuilder::CoverFixed(uint32_t columnid) {
  if (columnid > fixed_.size()) {
    return Corrupt("fixed column follows a gap in the table's fixed column ids");
  }
  std::vector<Cell> added;
  for (uint32_t id = fixed_covered_ + 1; id <= columnid; ++id) {
    const ColumnDef* column = table_->FindColumn(id);
    Cell cell;
    cell.state = CellState::kNull;
    if (!IsDeletedColumn(*column) && column->default_value.has_value()) {
      JET_RETURN_IF_ERROR(NormalizeValue(*column, *column->default_value, &cell.bytes));
      cell.state = CellState::kValue;
    }
    added.push_back(std::move(cell));
  }
  for (Cell& cell : added) fixed_[fixed_covered_++] = std::move(cell);
  return Status::OK();
}

Status RecordBuilder::CoverVariable(uint32_t columnid) {
  const uint32_t count = columnid - kFirstVariableColumn + 1;
  assert(count <= variable_.size());
  std::vector<Cell> added;
  for (uint32_t index = variable_covered_; index < count; ++index) {
    const ColumnDef* column = table_->FindColumn(kFirstVariableColumn + index);
    Cell cell;
    cell.state = CellState::kNull;
    if (column != nullptr && !IsDeletedColumn(*column) && column->default_value.has_value()) {
      const Status s = NormalizeValue(*column, *column->default_value, &cell.bytes);
      if (s.IsError()) return s;  // a truncation warning is fine
      cell.state = CellState::kValue;
    }
    added.push_back(std::move(cell));
  }
  for (Cell& cell : added) variable_[variable_covered_++] = std::move(cell);
  return Status::OK();
}

Status RecordBuilder::MaterializeDefaults() {
  uint32_t last_fixed_default = 0;
  uint32_t last_variable_default = 0;
  for (const ColumnDef& column : table_->columns) {
    if (column.tagged()) break;
    if (IsDeletedColumn(column) || !column.default_value.has_value()) continue;
    if (column.fixed() && column.columnid <= fixed_.size()) {
      last_fixed_default = column.columnid;
    } else if (!column.fixed()) {
      last_variable_default = column.columnid;
    }
  }
  if (last_fixed_default > fixed_covered_) JET_RETURN_IF_ERROR(CoverFixed(last_fixed_default));
  if (last_variable_default >= kFirstVariableColumn + variable_covered_) {
    JET_RETURN_IF_ERROR(CoverVariable(last_variable_default));
  }
  return Status::OK();
}

void RecordBuilder::PutTagged(uint32_t columnid, uint32_t itag, StoredValue value) {
  TaggedCell& cell = tagged_[columnid];
  if (cell.null_marker) {
    cell.null_marker = false;
    assert(cell.values.empty());
  }
  if (itag == 0 || itag > cell.values.size()) {
    cell.values.push_back(std::move(value));
  } else {
    cell.values[itag - 1] = std::move(value);
  }
}

Status RecordBuilder::SetValue(uint32_t columnid, uint32_t itag, std::string_view bytes) {
  const ColumnDef* column;
  JET_RETURN_IF_ERROR(FindLiveColumn(columnid, &column));
  if (column->fixed() && bytes.empty()) return SetNull(columnid, itag);
  StoredValue value;
  const Status normalized = NormalizeValue(*column, bytes, &value.bytes);
  if (normalized.IsError()) return normalized;
  switch (ClassOfColumn(columnid)) {
    case ColumnClass::kFixed:
      JET_RETURN_IF_ERROR(CoverFixed(columnid));
      fixed_[columnid - 1] = Cell{CellState::kValue, std::move(value.bytes)};
      break;
    case ColumnClass::kVariable:
      JET_RETURN_IF_ERROR(CoverVariable(columnid));
      variable_[columnid - kFirstVariableColumn] = Cell{CellState::kValue, std::move(value.bytes)};
      break;
    case ColumnClass::kTagged:
      PutTagged(columnid, itag, std::move(value));
      break;
  }
  return normalized;  // OK or JET_wrnColumnMaxTruncated
}

Status RecordBuilder::SetSeparated(uint32_t columnid, uint32_t itag, uint64_t lid,
                                   uint64_t lv_size) {
  const ColumnDef* column;
  JET_RETURN_IF_ERROR(FindLiveColumn(columnid, &column));
  if (!column->tagged() || !IsLongColtyp(column->coltyp)) {
    return Status::InvalidParameter("separated value for a column that is not a tagged long value");
  }
  if (column->cb_max > 0 && lv_size > column->cb_max) {
    return Status::FromCode(JET_errColumnTooBig, "value longer than the column maximum");
  }
  StoredValue value;
  value.separated = true;
  value.lid = lid;
  value.lv_size = lv_size;
  PutTagged(columnid, itag, std::move(value));
  return Status::OK();
}

Status RecordBuilder::RemoveTagged(const ColumnDef& column, uint32_t itag,
                                   bool revert_to_default) {
  const bool keep_marker = column.default_value.has_value() && !revert_to_default;
  auto it = tagged_.find(column.columnid);
  if (it == tagged_.end()) {
    // Hides the default, as ESE's null TAGFLD does.
    if (itag == 1 && keep_marker) tagged_[column.columnid].null_marker = true;
    return Status::OK();
  }
  TaggedCell& cell = it->second;
  if (cell.null_marker) {
    if (revert_to_default) tagged_.erase(it);
    return Status::OK();
  }
  if (itag == 0 || itag > cell.values.size()) return Status::OK();  // NULL append: no-op
  if (cell.values.size() > 1) {
    cell.values.erase(cell.values.begin() + (itag - 1));
  } else if (keep_marker) {
    cell.values.clear();
    cell.null_marker = true;
  } else {
    tagged_.erase(it);
  }
  return Status::OK();
}

Status RecordBuilder::SetNull(uint32_t columnid, uint32_t itag) {
  const ColumnDef* column;
  JET_RETURN_IF_ERROR(FindLiveColumn(columnid, &column));
  if (column->not_null()) return Status::FromCode(JET_errNullInvalid, "column is NotNULL");
  switch (ClassOfColumn(columnid)) {
    case ColumnClass::kFixed:
      JET_RETURN_IF_ERROR(CoverFixed(columnid));
      fixed_[columnid - 1] = Cell{CellState::kNull, {}};
      return Status::OK();
    case ColumnClass::kVariable:
      JET_RETURN_IF_ERROR(CoverVariable(columnid));
      variable_[columnid - kFirstVariableColumn] = Cell{CellState::kNull, {}};
      return Status::OK();
    case ColumnClass::kTagged:
      break;
  }
  return RemoveTagged(*column, itag, /*revert_to_default=*/false);
}

Status RecordBuilder::RevertToDefault(uint32_t columnid, uint32_t itag) {
  const ColumnDef* column;
  JET_RETURN_IF_ERROR(FindLiveColumn(columnid, &column));
  if (!column->tagged()) return SetNull(columnid, itag);  // ESE ignores the bit there
  if (column->not_null()) return Status::FromCode(JET_errNullInvalid, "column is NotNULL");
  return RemoveTagged(*column, itag, /*revert_to_default=*/true);
}

Status RecordBuilder::Get(uint32_t columnid, uint32_t itag, ColumnValue* value) const {
  const ColumnDef* column;
  JET_RETURN_IF_ERROR(FindLiveColumn(columnid, &column));
  const Cell* cell = nullptr;
  switch (ClassOfColumn(columnid)) {
    case ColumnClass::kFixed:
      if (columnid <= fixed_.size()) cell = &fixed_[columnid - 1];
      break;
    case ColumnClass::kVariable:
      cell = &variable_[columnid - kFirstVariableColumn];
      break;
    case ColumnClass::kTagged: {
      if (itag == 0) return Status::FromCode(JET_errBadItagSequence, "itag 0");
      auto it = tagged_.find(columnid);
      if (it == tagged_.end()) {
        *value = ColumnValue();
      } else if (itag > it->second.values.size()) {
        *value = NullValue();
      } else {
        const StoredValue& stored = it->second.values[itag - 1];
        *value = InlineValue(stored.bytes);
        if (stored.separated) {
          value->kind = ColumnValue::Kind::kSeparated;
          value->bytes = {};
          value->lid = stored.lid;
          value->lv_size = stored.lv_size;
        }
      }
      return Status::OK();
    }
  }
  if (cell == nullptr || cell->state == CellState::kAbsent) {
    *value = ColumnValue();
  } else if (cell->state == CellState::kNull) {
    *value = NullValue();
  } else {
    *value = InlineValue(cell->bytes);
  }
  return Status::OK();
}

Status RecordBuilder::CountValues(uint32_t columnid, uint32_t* count) const {
  ColumnValue value;
  JET_RETURN_IF_ERROR(Get(columnid, 1, &value));
  *count = value.is_null() ? 0 : 1;
  if (*count == 1 && ClassOfColumn(columnid) == ColumnClass::kTagged) {
    *count = static_cast<uint32_t>(tagged_.at(columnid).values.size());
  }
  return Status::OK();
}

Status RecordBuilder::CheckNotNull() const {
  ColumnValue value;
  for (const ColumnDef& column : table_->columns) {
    if (IsDeletedColumn(column) || !column.not_null()) continue;
    JET_RETURN_IF_ERROR(Get(column.columnid, 1, &value));
    if (ApplyDefault(column, 1, value).is_null()) {
      return Status::FromCode(JET_errNullInvalid, "NotNULL column " + column.name + " is NULL");
    }
  }
  return Status::OK();
}

size_t RecordBuilder::FixedDataSize() const {
  size_t size = 0;
  for (uint32_t i = 0; i < fixed_covered_; ++i) size += fixed_slot_size_[i];
  return size;
}

size_t RecordBuilder::RegionSize(const TaggedCell& cell) {
  if (cell.null_marker) return 1;
  auto value_size = [](const StoredValue& v) {
    return v.separated ? kSeparatedValueSize : v.bytes.size();
  };
  if (cell.values.size() == 1) return 1 + value_size(cell.values[0]);
  const size_t n = cell.values.size();
  size_t size = 1 + 2 + 2 * n + (n + 7) / 8;
  for (const StoredValue& v : cell.values) size += value_size(v);
  return size;
}

size_t RecordBuilder::EncodedSize() const {
  size_t size = kRecordHeaderSize + FixedDataSize() + (fixed_covered_ + 7) / 8;
  size += 2 * static_cast<size_t>(variable_covered_);
  for (uint32_t i = 0; i < variable_covered_; ++i) size += variable_[i].bytes.size();
  if (!tagged_.empty()) {
    size += 2 + 4 * tagged_.size();
    for (const auto& entry : tagged_) size += RegionSize(entry.second);
  }
  return size;
}

void RecordBuilder::EncodeRegion(const TaggedCell& cell, std::string* out) {
  auto put_value = [out](const StoredValue& v) {
    if (v.separated) {
      PutFixed64(out, v.lid);
      PutFixed64(out, v.lv_size);
    } else {
      out->append(v.bytes);
    }
  };
  if (cell.null_marker) {
    out->push_back(static_cast<char>(kTagNullMarker));
  } else if (cell.values.size() == 1) {
    out->push_back(static_cast<char>(cell.values[0].separated ? kTagSeparated : 0));
    put_value(cell.values[0]);
  } else {
    const size_t n = cell.values.size();
    out->push_back(static_cast<char>(kTagMultiValued));
    PutFixed16(out, static_cast<uint16_t>(n));
    size_t end = 0;
    for (const StoredValue& v : cell.values) {
      end += v.separated ? kSeparatedValueSize : v.bytes.size();
      PutFixed16(out, static_cast<uint16_t>(end));
    }
    std::string bitmap((n + 7) / 8, '\0');
    for (size_t i = 0; i < n; ++i) {
      if (cell.values[i].separated) bitmap[i / 8] = static_cast<char>(bitmap[i / 8] | (1 << (i % 8)));
    }
    out->append(bitmap);
    for (const StoredValue& v : cell.values) put_value(v);
  }
}

Status RecordBuilder::Encode(std::string* record) const {
  const size_t size = EncodedSize();
  if (size > kMaxRecordSize) {
    return Status::FromCode(JET_errRecordTooBig, "record exceeds the format's maximum size");
  }
  size_t variable_data_size = 0;
  for (uint32_t i = 0; i < variable_covered_; ++i) variable_data_size += variable_[i].bytes.size();
  if (variable_data_size > kVariableOffsetMask) {
    // Only reachable after loading a record with oversized variable values.
    return Status::FromCode(JET_errRecordTooBig, "variable column data too large");
  }
  std::string out;
  out.reserve(size);
  out.push_back(static_cast<char>(fixed_covered_));
  out.push_back(static_cast<char>(variable_covered_));
  PutFixed16(&out, static_cast<uint16_t>(FixedDataSize()));
  std::string bitmap((fixed_covered_ + 7) / 8, '\0');
  for (uint32_t i = 0; i < fixed_covered_; ++i) {
    if (fixed_[i].state == CellState::kValue) {
      out.append(fixed_[i].bytes);
    } else {
      out.append(fixed_slot_size_[i], '\0');
      bitmap[i / 8] = static_cast<char>(bitmap[i / 8] | (1 << (i % 8)));
    }
  }
  out.append(bitmap);
  uint16_t end = 0;
  for (uint32_t i = 0; i < variable_covered_; ++i) {
    end = static_cast<uint16_t>(end + variable_[i].bytes.size());
    const bool null = variable_[i].state != CellState::kValue;
    PutFixed16(&out, null ? static_cast<uint16_t>(end | kVariableNullBit) : end);
  }
  for (uint32_t i = 0; i < variable_covered_; ++i) out.append(variable_[i].bytes);
  if (!tagged_.empty()) {
    PutFixed16(&out, static_cast<uint16_t>(tagged_.size()));
    size_t offset = 0;
    for (const auto& entry : tagged_) {
      PutFixed16(&out, static_cast<uint16_t>(entry.first));
      PutFixed16(&out, static_cast<uint16_t>(offset));
      offset += RegionSize(entry.second);
    }
    for (const auto& entry : tagged_) EncodeRegion(entry.second, &out);
  }
  assert(out.size() == size);
  *record = std::move(out);
  return Status::OK();
}

Status RecordBuilder::ChooseValuesToSeparate(size_t budget,
                                             std::vector<ValueToSeparate>* picks) const {
  picks->clear();
  size_t size = EncodedSize();
  if (size <= budget) return Status::OK();
  std::vector<ValueToSeparate> candidates;
  for (const auto& entry : tagged_) {
    const ColumnDef* column = table_->FindColumn(entry.first);
    if (column == nullptr || !IsLongColtyp(column->coltyp)) continue;
    for (size_t i = 0; i < entry.second.values.size(); ++i) {
      const StoredValue& v = entry.second.values[i];
      if (!v.separated && v.bytes.size() > kSeparatedValueSize) {
        candidates.push_back({entry.first, static_cast<uint32_t>(i + 1), v.bytes.size()});
      }
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const ValueToSeparate& a, const ValueToSeparate& b) { return a.size > b.size; });
  std::vector<ValueToSeparate> chosen;
  for (const ValueToSeparate& candidate : candidates) {
    if (size <= budget) break;
    size -= candidate.size - kSeparatedValueSize;
    chosen.push_back(candidate);
  }
  if (size > budget) {
    return Status::FromCode(JET_errRecordTooBig, "record cannot fit even with all long values separated");
  }
  *picks = std::move(chosen);
  return Status::OK();
}

void RecordBuilder::AssertValid() const {
#ifndef NDEBUG
  assert(fixed_.size() == fixed_slot_size_.size());
  assert(fixed_covered_ <= fixed_.size());
  for (uint32_t i = 0; i < fixed_.size(); ++i) {
    assert((i >= fixed_covered_) == (fixed_[i].state == CellState::kAbsent));  // invariant 1
    if (fixed_[i].state == CellState::kValue) {
      assert(fixed_[i].bytes.size() == fixed_slot_size_[i]);  // invariant 2
    } else {
      assert(fixed_[i].bytes.empty());
    }
  }
  assert(variable_covered_ <= variable_.size());
  for (uint32_t i = 0; i < variable_.size(); ++i) {
    assert((i >= variable_covered_) == (variable_[i].state == CellState::kAbsent));
    if (variable_[i].state != CellState::kValue) assert(variable_[i].bytes.empty());
  }
  for (const auto& entry : tagged_) {  // invariant 3
    assert(entry.first >= kFirstTaggedColumn && entry.first <= kLastTaggedColumn);
    assert(entry.second.null_marker == entry.second.values.empty());
    for (const StoredValue& v : entry.second.values) assert(!v.separated || v.bytes.empty());
  }
#endif
}

}  // namespace jetsvc

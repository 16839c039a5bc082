#include "engine/record/key.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>

#include "engine/util/coding.h"
#include "esent.h"

namespace jetsvc {

namespace {

constexpr size_t kNoDataEnd = std::numeric_limits<size_t>::max();
constexpr size_t kNoBudget = std::numeric_limits<size_t>::max();
// The JetMakeKey limit options (ESE's JET_maskLimitOptions, internal).
constexpr uint32_t kLimitOptionsMask = 0x00000F00;
constexpr uint16_t kUnicodeCodePage = 1200;
constexpr size_t kMaxSegmentsForMask = 32;

bool IsBinaryColtyp(uint32_t coltyp) {
  return coltyp == JET_coltypBinary || coltyp == JET_coltypLongBinary;
}

bool IsVariableSizeColtyp(uint32_t coltyp) {
  return IsTextColtyp(coltyp) || IsBinaryColtyp(coltyp);
}

// Appends `byte`, escaping 0x00 as 0x00 0xFF.
inline void PutEscaped(std::string* out, char byte) {
  out->push_back(byte);
  if (byte == '\0') out->push_back('\xFF');
}

// Appends the escaped bytes of a Binary/Text value, stopping early once
// `*out` reaches `budget` bytes (the rest would be truncated anyway).
void PutEscapedValue(std::string_view value, bool utf16, size_t budget, std::string* out) {
  if (utf16) {
    const size_t units = value.size() / 2;  // a trailing odd byte is ignored
    for (size_t i = 0; i < units && out->size() < budget; ++i) {
      PutEscaped(out, value[2 * i + 1]);  // high byte first: big-endian
      PutEscaped(out, value[2 * i]);
    }
  } else {
    for (size_t i = 0; i < value.size() && out->size() < budget; ++i) {
      PutEscaped(out, value[i]);
    }
  }
}

void PutBigEndian16(std::string* out, uint16_t value) {
  out->push_back(static_cast<char>(value >> 8));
  out->push_back(static_cast<char>(value));
}

// Appends the payload of a fixed-size coltyp's value (marker excluded).
// REQUIRES: value.size() == FixedSizeOfColtyp(coltyp) > 0.
void PutFixedPayload(uint32_t coltyp, std::string_view value, bool dot_net_guid, std::string* out) {
  const char* p = value.data();
  switch (coltyp) {
    case JET_coltypBit:
      out->push_back(p[0] == 0 ? '\x00' : '\xFF');
      break;
    case JET_coltypUnsignedByte:
      out->push_back(p[0]);
      break;
    case JET_coltypShort:
      PutBigEndian16(out, static_cast<uint16_t>(DecodeFixed16(p) ^ 0x8000u));
      break;
    case JET_coltypUnsignedShort:
      PutBigEndian16(out, DecodeFixed16(p));
      break;
    case JET_coltypLong:
      PutBigEndian32(out, DecodeFixed32(p) ^ 0x80000000u);
      break;
    case JET_coltypUnsignedLong:
      PutBigEndian32(out, DecodeFixed32(p));
      break;
    case JET_coltypLongLong:
    case JET_coltypCurrency:
      PutBigEndian64(out, DecodeFixed64(p) ^ (uint64_t{1} << 63));
      break;
    case JET_coltypUnsignedLongLong:
      PutBigEndian64(out, DecodeFixed64(p));
      break;
    case JET_coltypIEEESingle: {
      const uint32_t bits = DecodeFixed32(p);
      const uint32_t sign = 0x80000000u;
      PutBigEndian32(out, (bits & sign) != 0 ? ~bits : (bits | sign));
      break;
    }
    case JET_coltypIEEEDouble:
    case JET_coltypDateTime: {
      const uint64_t bits = DecodeFixed64(p);
      const uint64_t sign = uint64_t{1} << 63;
      PutBigEndian64(out, (bits & sign) != 0 ? ~bits : (bits | sign));
      break;
    }
    case JET_coltypGUID: {
      // Byte orders from ESE's FLDNormalizeFixedSegment.
      static constexpr int kEseOrder[16] = {10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3};
      static constexpr int kDotNetOrder[16] = {3, 2, 1,  0,  5,  4,  7,  6,
                                               8, 9, 10, 11, 12, 13, 14, 15};
      const int* order = dot_net_guid ? kDotNetOrder : kEseOrder;
      for (int i = 0; i < 16; ++i) out->push_back(p[order[i]]);
      break;
    }
    default:
      assert(false && "not a fixed-size coltyp");
      break;
  }
}

// Appends the segment for `value` to `*out`; see key.h for the encoding.
// Stops encoding a Binary/Text value once `*out` holds `budget` bytes.
// `*data_end` is set to the offset in `*out` just past the escaped data of
// a non-empty Binary/Text value (before its terminator), else kNoDataEnd.
// On error `*out` is unchanged.
Status EncodeSegment(const ColumnDef& column, bool descending, const std::string_view* value,
                     uint32_t index_grbit, size_t budget, std::string* out, size_t* data_end) {
  *data_end = kNoDataEnd;
  const uint32_t coltyp = column.coltyp;
  if (!IsValidColtyp(coltyp)) {
    return Status::InvalidParameter("key segment: unknown coltyp " + std::to_string(coltyp));
  }
  const uint32_t fixed_size = FixedSizeOfColtyp(coltyp);
  const size_t begin = out->size();
  if (value == nullptr) {
    const bool nulls_high = (index_grbit & JET_bitIndexSortNullsHigh) != 0;
    out->push_back(static_cast<char>(nulls_high ? kKeyMarkerNullHigh : kKeyMarkerNull));
  } else if (value->empty()) {
    // Only variable-size Binary/Text columns have zero-length values.
    if (fixed_size != 0 || column.fixed()) {
      return Status::FromCode(JET_errInvalidBufferSize,
                              "zero-length key data for a fixed-size column");
    }
    out->push_back(static_cast<char>(kKeyMarkerZeroLength));
  } else if (fixed_size != 0) {
    if (value->size() != fixed_size) {
      return Status::FromCode(JET_errInvalidBufferSize,
                              "key data of " + std::to_string(value->size()) + " bytes for a " +
                                  std::to_string(fixed_size) + "-byte column");
    }
    out->push_back(static_cast<char>(kKeyMarkerValue));
    PutFixedPayload(coltyp, *value, (index_grbit & JET_bitIndexDotNetGuid) != 0, out);
  } else {
    assert(IsVariableSizeColtyp(coltyp));
    const bool utf16 = IsTextColtyp(coltyp) && column.code_page == kUnicodeCodePage;
    out->push_back(static_cast<char>(kKeyMarkerValue));
    PutEscapedValue(*value, utf16, budget, out);
    *data_end = out->size();
    out->append(2, '\0');  // terminator
  }
  if (descending) {
    for (size_t i = begin; i < out->size(); ++i) (*out)[i] = static_cast<char>(~(*out)[i]);
  }
  return Status::OK();
}

const ColumnDef* SegmentColumn(const TableDef& table, const IndexSegment& segment, Status* status) {
  const ColumnDef* column = table.FindColumn(segment.columnid);
  if (column == nullptr) {
    *status = Status::FromCode(JET_errColumnNotFound,
                               "index segment column " + std::to_string(segment.columnid));
  }
  return column;
}

// What a JetMakeKey call's limit grbits amount to for one column.
enum class LimitKind { kNone, kFullStart, kFullEnd, kPartialStart, kPartialEnd };

bool PartialLimitAllowed(const ColumnDef& column) {
  return IsTextColtyp(column.coltyp) || (IsBinaryColtyp(column.coltyp) && !column.fixed());
}

// REQUIRES: at most one bit of kLimitOptionsMask is set.
LimitKind ChooseLimit(uint32_t grbit, const ColumnDef& column) {
  switch (grbit & kLimitOptionsMask) {
    case JET_bitFullColumnStartLimit:
      return LimitKind::kFullStart;
    case JET_bitFullColumnEndLimit:
      return LimitKind::kFullEnd;
    case JET_bitPartialColumnStartLimit:
      return LimitKind::kPartialStart;
    case JET_bitPartialColumnEndLimit:
      return LimitKind::kPartialEnd;
    default:
      break;
  }
  if ((grbit & JET_bitSubStrLimit) != 0 && IsTextColtyp(column.coltyp)) {
    return LimitKind::kPartialEnd;
  }
  if ((grbit & JET_bitStrLimit) != 0) {
    // ESE applies its binary partial limit here; it only takes effect on a
    // non-fixed Binary column (elsewhere there is no delimiter to strip).
    return (IsBinaryColtyp(column.coltyp) && !column.fixed()) ? LimitKind::kPartialEnd
                                                              : LimitKind::kFullEnd;
  }
  return LimitKind::kNone;
}

// Advances `*choice` like an odometer over the varying segments (the last
// one fastest); returns false once every combination has been produced.
bool NextCombination(const std::vector<bool>& varies,
                     const std::vector<std::vector<std::string_view>>& column_values,
                     std::vector<size_t>* choice) {
  for (size_t i = varies.size(); i-- > 0;) {
    if (!varies[i]) continue;
    if ((*choice)[i] + 1 < column_values[i].size()) {
      ++(*choice)[i];
      return true;
    }
    (*choice)[i] = 0;
  }
  return false;
}

}  // namespace

size_t KeyMostOf(const IndexDef& index) {
  return index.cb_key_most == 0 ? size_t{JET_cbKeyMost} : size_t{index.cb_key_most};
}

Status NormalizeSegment(const ColumnDef& column, bool descending, const std::string_view* value,
                        std::string* key, uint32_t index_grbit) {
  size_t data_end;
  return EncodeSegment(column, descending, value, index_grbit, kNoBudget, key, &data_end);
}

bool TruncateKey(const IndexDef& index, std::string* key) {
  const size_t key_most = KeyMostOf(index);
  if (key->size() <= key_most) return false;
  key->resize(key_most);
  return true;
}

Status NormalizeKey(const TableDef& table, const IndexDef& index,
                    const std::vector<std::optional<std::string_view>>& values, std::string* key,
                    bool* truncated) {
  if (values.size() != index.segments.size()) {
    return Status::InvalidParameter("NormalizeKey: one value per index segment");
  }
  const size_t key_most = KeyMostOf(index);
  std::string result;
  for (size_t i = 0; i < values.size(); ++i) {
    Status status;
    const ColumnDef* column = SegmentColumn(table, index.segments[i], &status);
    if (column == nullptr) return status;
    const std::string_view* value = values[i].has_value() ? &*values[i] : nullptr;
    size_t data_end;
    JET_RETURN_IF_ERROR(EncodeSegment(*column, index.segments[i].descending, value, index.grbit,
                                      key_most, &result, &data_end));
  }
  *truncated = TruncateKey(index, &result);
  *key = std::move(result);
  return Status::OK();
}

int CompareToSearchKey(std::string_view entry, std::string_view search_key, KeyLimit limit) {
  const size_t common = std::min(entry.size(), search_key.size());
  const int cmp = common == 0 ? 0 : std::memcmp(entry.data(), search_key.data(), common);
  if (cmp != 0) return cmp;
  if (limit == KeyLimit::kEnd && entry.size() >= search_key.size()) return -1;
  if (entry.size() == search_key.size()) return 0;
  return entry.size() < search_key.size() ? -1 : 1;
}

// --- KeyBuilder -------------------------------------------------------------

KeyBuilder::KeyBuilder(const TableDef& table, const IndexDef& index)
    : table_(table), index_(index) {}

void KeyBuilder::Reset() {
  key_.clear();
  segment_count_ = 0;
  limit_ = KeyLimit::kNone;
  made_ = false;
  truncated_ = false;
}

Status KeyBuilder::AddColumn(std::string_view data, uint32_t grbit) {
  const size_t key_most = KeyMostOf(index_);
  const size_t limit_key_most = key_most + 1;  // room for one suffix byte

  if ((grbit & JET_bitNormalizedKey) != 0) {
    if (data.size() > limit_key_most && data.size() > JET_cbKeyMost) {
      return Status::InvalidParameter("normalized key longer than the index's keys");
    }
    Reset();
    key_.assign(data.substr(0, limit_key_most));
    segment_count_ = 1;
    made_ = true;
    if (key_.size() > key_most) limit_ = KeyLimit::kEnd;
    AssertValid();
    return Status::OK();
  }

  if ((grbit & JET_bitNewKey) != 0) {
    Reset();
  } else if (is_limit()) {
    return Status::FromCode(JET_errKeyIsMade, "the search key ends with a limit");
  } else if (!made_) {
    return Status::FromCode(JET_errKeyNotMade, "no search key: use JET_bitNewKey");
  }
  if (index_.segments.empty()) {
    return Status::FromCode(JET_errNoCurrentIndex, "the index has no key columns");
  }
  if (segment_count_ >= index_.segments.size()) {
    return Status::FromCode(JET_errKeyIsMade, "every key column is already given");
  }
  const IndexSegment& segment = index_.segments[segment_count_];
  Status status;
  const ColumnDef* column = SegmentColumn(table_, segment, &status);
  if (column == nullptr) return status;

  // Fixed Text/Binary columns: a short Text value is padded with spaces (as
  // ESE's RECTextColumnPadding), any other size mismatch is an error.
  // Fixed-size coltyps are checked by EncodeSegment.
  std::string padded;
  if (!data.empty() && column->fixed() && IsVariableSizeColtyp(column->coltyp) &&
      column->cb_max != 0 && data.size() != column->cb_max) {
    if (!IsTextColtyp(column->coltyp) || data.size() > column->cb_max) {
      return Status::FromCode(JET_errInvalidBufferSize, "key data size != fixed column size");
    }
    padded.assign(data);
    const bool utf16 = column->code_page == kUnicodeCodePage;
    for (size_t i = padded.size(); i < column->cb_max; ++i) {
      padded.push_back(utf16 && (i % 2) == 1 ? '\0' : ' ');
    }
    data = padded;
  }

  const std::string_view* value = nullptr;
  if (!data.empty() || (grbit & JET_bitKeyDataZeroLength) != 0) {
    if (data.empty() && (column->fixed() || !IsVariableSizeColtyp(column->coltyp))) {
      return Status::FromCode(JET_errInvalidBufferSize,
                              "JET_bitKeyDataZeroLength on a fixed-size column");
    }
    value = &data;
  }

  const uint32_t limit_options = grbit & kLimitOptionsMask;
  if ((limit_options & (limit_options - 1)) != 0) {
    return Status::FromCode(JET_errInvalidGrbit, "more than one JetMakeKey limit option");
  }
  if ((limit_options & (JET_bitPartialColumnStartLimit | JET_bitPartialColumnEndLimit)) != 0 &&
      !PartialLimitAllowed(*column)) {
    return Status::FromCode(JET_errInvalidGrbit,
                            "partial column limit on a column that is not Text or variable Binary");
  }

  size_t data_end;
  JET_RETURN_IF_ERROR(
      EncodeSegment(*column, segment.descending, value, index_.grbit, key_most, &key_, &data_end));
  if (key_.size() > key_most) {
    key_.resize(key_most);
    truncated_ = true;
  }
  made_ = true;
  ++segment_count_;

  const LimitKind kind = ChooseLimit(grbit, *column);
  if (kind == LimitKind::kNone) {
    AssertValid();
    return Status::OK();
  }
  if ((kind == LimitKind::kPartialStart || kind == LimitKind::kPartialEnd) &&
      data_end != kNoDataEnd) {
    // Drop the terminator (and anything after it), keeping the value's
    // bytes as a prefix. NULL and zero-length values have no data, so the
    // limit stays a full-column one, as in ESE.
    key_.resize(std::min(data_end, key_.size()));
  }
  if (kind == LimitKind::kFullEnd || kind == LimitKind::kPartialEnd) {
    key_.resize(limit_key_most, '\xFF');
    limit_ = KeyLimit::kEnd;
  } else {
    limit_ = KeyLimit::kStart;
  }
  AssertValid();
  return Status::OK();
}

void KeyBuilder::AssertValid() const {
  assert(key_.size() <= KeyMostOf(index_) + 1);
  assert(made_ || (key_.empty() && segment_count_ == 0 && limit_ == KeyLimit::kNone));
  assert(limit_ == KeyLimit::kNone || made_);
  assert(segment_count_ <= std::max<size_t>(index_.segments.size(), 1));
}

// --- Index entries ------------------------------------------------------------

Status ApplyNullPolicy(const IndexDef& index, uint32_t null_segments, NullViolation violation,
                       bool* skip) {
  *skip = false;
  if (null_segments == 0) return Status::OK();
  if (index.disallow_null()) {
    if (violation == NullViolation::kError) {
      return Status::FromCode(JET_errNullKeyDisallowed,
                              "NULL key column on an index with JET_bitIndexDisallowNull");
    }
    *skip = true;
    return Status::OK();
  }
  const size_t segments = std::min(index.segments.size(), kMaxSegmentsForMask);
  const uint64_t all = (uint64_t{1} << segments) - 1;
  if (index.ignore_any_null() ||
      ((index.grbit & JET_bitIndexIgnoreFirstNull) != 0 && (null_segments & 1u) != 0) ||
      (index.ignore_null() && segments != 0 && (null_segments & all) == all)) {
    *skip = true;
  }
  return Status::OK();
}

Status BuildIndexKeys(const TableDef& table, const IndexDef& index, const ColumnValuesFn& values,
                      std::vector<std::string>* keys, IndexKeysInfo* info,
                      NullViolation violation) {
  const size_t n = index.segments.size();
  if (n > kMaxSegmentsForMask) {
    return Status::InvalidParameter("index has more than 32 key columns");
  }
  IndexKeysInfo local_info;
  std::vector<const ColumnDef*> columns(n);
  std::vector<std::vector<std::string_view>> column_values(n);
  for (size_t i = 0; i < n; ++i) {
    Status status;
    columns[i] = SegmentColumn(table, index.segments[i], &status);
    if (columns[i] == nullptr) return status;
    JET_RETURN_IF_ERROR(values(*columns[i], &column_values[i]));
    if (column_values[i].size() > 1 && !columns[i]->multi_valued()) {
      return Status::InvalidParameter("several values for column " + columns[i]->name +
                                      ", which is not multi-valued");
    }
  }

  // Which segments vary from key to key (ESE's KeySequence).
  const bool cross_product = (index.grbit & JET_bitIndexCrossProduct) != 0;
  const bool nested = (index.grbit & JET_bitIndexNestedTable) != 0;
  std::vector<bool> varies(n, false);
  size_t nested_keys = 1;
  for (size_t i = 0; i < n; ++i) {
    if (!columns[i]->multi_valued()) continue;
    varies[i] = true;
    nested_keys = std::max(nested_keys, column_values[i].size());
    if (!cross_product && !nested) break;  // only the first one
  }

  // choice[i]: the value index used for segment i (for nested: all equal).
  std::vector<size_t> choice(n, 0);
  const size_t key_most = KeyMostOf(index);
  std::vector<std::string> result;
  for (size_t round = 0;; ++round) {
    std::string key;
    uint32_t null_segments = 0;
    for (size_t i = 0; i < n; ++i) {
      const std::vector<std::string_view>& vals = column_values[i];
      const size_t pick = nested && varies[i] ? round : choice[i];
      const std::string_view* value = pick < vals.size() ? &vals[pick] : nullptr;
      if (value == nullptr) null_segments |= uint32_t{1} << i;
      size_t data_end;
      JET_RETURN_IF_ERROR(EncodeSegment(*columns[i], index.segments[i].descending, value,
                                        index.grbit, key_most, &key, &data_end));
    }
    const bool truncated = TruncateKey(index, &key);
    if (truncated && (index.grbit & JET_bitIndexDisallowTruncation) != 0) {
      return Status::FromCode(JET_errKeyTruncated,
                              "key longer than cb_key_most on an index that disallows truncation");
    }
    if (null_segments != 0) local_info.has_null_segment = true;
    bool skip = false;
    JET_RETURN_IF_ERROR(ApplyNullPolicy(index, null_segments, violation, &skip));
    if (skip) {
      ++local_info.skipped;
    } else {
      local_info.truncated |= truncated;
      result.push_back(std::move(key));
    }

    // Next combination.
    if (nested) {
      if (round + 1 >= nested_keys) break;
    } else if (!NextCombination(varies, column_values, &choice)) {
      break;
    }
  }

  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  *keys = std::move(result);
  if (info != nullptr) *info = local_info;
  return Status::OK();
}

std::string DescribeKey(std::string_view key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(key.size() * 3);
  for (size_t i = 0; i < key.size(); ++i) {
    if (i != 0) text.push_back(' ');
    const auto byte = static_cast<uint8_t>(key[i]);
    text.push_back(kHex[byte >> 4]);
    text.push_back(kHex[byte & 0xF]);
  }
  return text;
}

}  // namespace jetsvc

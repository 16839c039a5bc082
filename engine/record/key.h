// Normalized keys: byte strings whose memcmp order is index order.
//
// A key is one encoded *segment* per index segment, concatenated. A complete
// key's encoding is prefix-free (no complete key is a proper prefix of
// another), so a secondary index may store `key || primary_bookmark` and the
// order of two entries with different keys does not depend on the
// bookmarks. Primary keys are the keys of the primary index's segments.
//
// Segment encoding, ascending (a descending segment is the ascending bytes
// with every byte complemented, marker included):
//   marker  0x00 NULL (0xC0 with JET_bitIndexSortNullsHigh), 0x40 zero-length
//           (Binary/Text only), 0x7F value. NULL and zero-length segments are
//           the marker alone, so NULL < zero-length < any value (as ESE).
//   Bit               0x7F, then 0x00 (false) or 0xFF (any non-zero byte)
//   UnsignedByte      0x7F, the byte
//   Short, Long, LongLong, Currency
//                     0x7F, big-endian two's complement with the sign bit
//                     flipped
//   UnsignedShort, UnsignedLong, UnsignedLongLong
//                     0x7F, big-endian
//   IEEESingle, IEEEDouble, DateTime (an OLE date, a double)
//                     0x7F, the IEEE bits big-endian: a value with the sign
//                     bit clear has the sign bit set; one with it set has all
//                     bits complemented. So -0.0 sorts just before +0.0 (the
//                     two are distinct keys), -inf/+inf are the extremes of
//                     the numbers, NaNs with the sign bit clear sort above
//                     +inf and those with it set below -inf (by payload).
//   GUID              0x7F, the 16 bytes in ESE's order: bytes 10..15, 8, 9,
//                     6, 7, 4, 5, 0..3 of the stored GUID (SQL Server
//                     uniqueidentifier order); with JET_bitIndexDotNetGuid:
//                     3, 2, 1, 0, 5, 4, 7, 6, 8..15 (.NET Guid.CompareTo).
//   Binary, LongBinary, Text/LongText code page 1252 (or any non-1200)
//                     0x7F, the bytes with each 0x00 written 0x00 0xFF, then
//                     the terminator 0x00 0x00.
//   Text/LongText code page 1200 (UTF-16LE)
//                     as Binary, over the code units rewritten big-endian, so
//                     the order is UTF-16 code-unit order. A trailing odd
//                     byte (half a code unit) is ignored, as ESE does.
// Text collation is binary and case-sensitive: "B" < "a". ESE's default
// (LCMapString, case-insensitive) collation is not supported.
// Fixed-size values are read little-endian (util/coding.h), as stored in
// records; on a big-endian host the API layer must byte-swap JetMakeKey
// data before it gets here. A value of the wrong size gives
// JET_errInvalidBufferSize, as does a zero-length value for a fixed-size
// coltyp or a fixed (columnid <= 127) column.
//
// Truncation: a key is cut to IndexDef::cb_key_most bytes, as ESE cuts keys
// to cbKeyMost. Truncated keys are no longer prefix-free and two values may
// share a key. ESE reports nothing for this from JetMakeKey (there is no
// JET_wrnKeyTruncated); index updates are silent too unless the index has
// JET_bitIndexDisallowTruncation, which makes BuildIndexKeys fail with
// JET_errKeyTruncated (-346). Search keys may be one byte longer (limits).
// Not supported: cbVarSegMac, tuple indexes, conditional columns.
//
// Thread contract: free functions are pure. A KeyBuilder belongs to one
// cursor; it needs external synchronization if shared.

#ifndef JETSVC_ENGINE_RECORD_KEY_H_
#define JETSVC_ENGINE_RECORD_KEY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog/schema.h"
#include "engine/util/status.h"

namespace jetsvc {

// Segment markers before any descending complement.
constexpr uint8_t kKeyMarkerNull = 0x00;
constexpr uint8_t kKeyMarkerZeroLength = 0x40;
constexpr uint8_t kKeyMarkerValue = 0x7F;
constexpr uint8_t kKeyMarkerNullHigh = 0xC0;  // JET_bitIndexSortNullsHigh

// The effective key size limit of `index` (cb_key_most, or JET_cbKeyMost
// if it is 0).
size_t KeyMostOf(const IndexDef& index);

// Appends the segment for `value` of `column` to `*key`; `value == nullptr`
// means NULL and an empty view a zero-length value. `index_grbit` supplies
// JET_bitIndexSortNullsHigh and JET_bitIndexDotNetGuid. No truncation.
// Errors: JET_errInvalidBufferSize (wrong size), JET_errInvalidParameter
// (unknown coltyp). On error `*key` is unchanged.
Status NormalizeSegment(const ColumnDef& column, bool descending, const std::string_view* value,
                        std::string* key, uint32_t index_grbit = 0);

// The key of `index` for one value per segment (nullopt = NULL), truncated
// to KeyMostOf(index); `*truncated` says whether bytes were cut.
// REQUIRES: values.size() == index.segments.size().
Status NormalizeKey(const TableDef& table, const IndexDef& index,
                    const std::vector<std::optional<std::string_view>>& values, std::string* key,
                    bool* truncated);

// Cuts `*key` to KeyMostOf(index) bytes; returns true if it was longer.
bool TruncateKey(const IndexDef& index, std::string* key);

// What a search key bounds (see KeyBuilder).
enum class KeyLimit {
  kNone,   // a plain key: compare with memcmp
  kStart,  // a start limit: plain bytes; no more columns may be added
  kEnd,    // an end limit: sorts after every string it prefixes
};

// Compares an index entry (a key, possibly followed by a bookmark) with a
// search key: <0, 0 or >0 as the entry sorts before, equal to or after it.
// For KeyLimit::kEnd, an entry that starts with `search_key` sorts before
// it; otherwise this is memcmp order, shorter-is-smaller. Seek and index
// range code must use this (not memcmp) for end limits: the 0xFF padding
// of an end limit is not larger than an entry whose key is itself 0xFF
// bytes up to cb_key_most followed by a bookmark starting with 0xFF.
int CompareToSearchKey(std::string_view entry, std::string_view search_key, KeyLimit limit);

// JetMakeKey for one cursor on one index: builds a search key one column
// at a time. Grbits (JetMakeKey docs and ESE's ErrIsamMakeKey/
// ErrFLDNormalizeSegment):
//   NewKey (0x1)          discard the key first; without it (and without
//                         NormalizedKey) a key must already be started,
//                         else JET_errKeyNotMade.
//   NormalizedKey (0x8)   `data` is a whole key (from JetRetrieveKey); all
//                         other bits are ignored. Longer than
//                         KeyMostOf(index)+1 and than 255 bytes:
//                         JET_errInvalidParameter; otherwise cut to
//                         KeyMostOf(index)+1. Counts as one column; a key
//                         longer than KeyMostOf(index) is an end limit.
//   KeyDataZeroLength (0x10)  empty `data` is a zero-length value, not NULL
//                         (empty data without it is NULL). For fixed-size
//                         coltyps and fixed columns: JET_errInvalidBufferSize.
//   FullColumnStartLimit (0x100)  later columns are wildcards; the key is
//                         the plain bytes, marked as a start limit.
//   FullColumnEndLimit (0x200)    later columns are wildcards; the key is
//                         padded with 0xFF to KeyMostOf(index)+1 bytes.
//   PartialColumnStartLimit (0x400) / PartialColumnEndLimit (0x800)
//                         this column is a prefix wildcard: its terminator
//                         is dropped (and 0xFF padding added for the end
//                         limit). Only Text columns and non-fixed Binary
//                         columns, else JET_errInvalidGrbit. A NULL or
//                         zero-length value makes it a full-column limit.
//   StrLimit (0x2)        legacy: a full-column end limit, except on a
//                         non-fixed Binary column, where ESE's code makes it
//                         a partial-column end limit.
//   SubStrLimit (0x4)     legacy: a partial-column end limit on a Text
//                         column (wins over StrLimit there); ignored on
//                         other columns.
// More than one of 0x100..0x800: JET_errInvalidGrbit; StrLimit/SubStrLimit
// with one of them are ignored (ESE's code; the docs say InvalidGrbit).
// Other bits are ignored, as ESE does. After any limit, adding a column
// gives JET_errKeyIsMade, as does adding more columns than the index has.
// An index with no segments gives JET_errNoCurrentIndex.
// Fixed columns: a shorter Text value is padded with spaces to cb_max, any
// other size mismatch is JET_errInvalidBufferSize.
// A failed AddColumn leaves the key as it was, except that NewKey has
// already discarded it.
class KeyBuilder {
 public:
  // REQUIRES: `table` and `index` outlive the builder; `index` is one of
  // `table`'s indexes.
  KeyBuilder(const TableDef& table, const IndexDef& index);

  KeyBuilder(const KeyBuilder&) = delete;
  KeyBuilder& operator=(const KeyBuilder&) = delete;

  // Discards the key (JET_bitNewKey without data).
  void Reset();

  Status AddColumn(std::string_view data, uint32_t grbit);

  // True once a column or a normalized key was given (ESE's "prepared").
  bool made() const { return made_; }
  bool is_limit() const { return limit_ != KeyLimit::kNone; }
  KeyLimit limit() const { return limit_; }
  // True if the key lost bytes to KeyMostOf(index) (limit padding aside).
  bool truncated() const { return truncated_; }
  // Columns given so far (a normalized key counts as one, as in ESE).
  size_t segment_count() const { return segment_count_; }
  // True if every index segment was given.
  bool complete() const { return segment_count_ >= index_.segments.size(); }
  const std::string& key() const { return key_; }

  // Checks the invariants (debug builds).
  void AssertValid() const;

 private:
  const TableDef& table_;
  const IndexDef& index_;
  std::string key_;
  size_t segment_count_ = 0;
  KeyLimit limit_ = KeyLimit::kNone;
  bool made_ = false;
  bool truncated_ = false;
};

// Gives the values a record holds in `column`: none (NULL), one (possibly
// zero-length), or, for a multi-valued column, every value in itagSequence
// order. The views must stay valid until BuildIndexKeys returns. A long
// value may be given as its first KeyMostOf(index) bytes only: the key is
// the same. Giving several values for a column that is not multi-valued is
// JET_errInvalidParameter.
using ColumnValuesFn =
    std::function<Status(const ColumnDef& column, std::vector<std::string_view>* values)>;

// What to do with a NULL segment on a JET_bitIndexDisallowNull index.
enum class NullViolation {
  kError,  // JET_errNullKeyDisallowed: inserting or replacing a record
  kSkip,   // no entry: computing the entries of a record being removed
};

// Facts about one BuildIndexKeys call.
struct IndexKeysInfo {
  bool has_null_segment = false;  // some candidate key had a NULL segment
  bool truncated = false;         // some kept key was cut to cb_key_most
  size_t skipped = 0;             // candidate keys dropped by the null rules
};

// Applies the index's null rules to a key whose NULL segments are the set
// bits of `null_segments` (bit i = segment i), ESE's order:
//   DisallowNull (0x4):      any NULL -> JET_errNullKeyDisallowed
//                            (kError) or skip (kSkip);
//   IgnoreAnyNull (0x20):    any NULL -> skip;
//   IgnoreFirstNull (0x40):  segment 0 NULL -> skip;
//   IgnoreNull (0x8):        all segments NULL -> skip.
// Zero-length values are not NULL. Sets `*skip`.
Status ApplyNullPolicy(const IndexDef& index, uint32_t null_segments, NullViolation violation,
                       bool* skip);

// The entries `index` holds for one record: sorted, distinct keys, after
// the null rules. One key normally. Multi-valued columns (ESE's
// KeySequence rules): by default only the first multi-valued segment
// column gives one key per value, the others use their first value;
// JET_bitIndexCrossProduct gives the cross product of all multi-valued
// segment columns; JET_bitIndexNestedTable gives key i from value i of
// every multi-valued column (NULL where a column has fewer values). A
// multi-valued column without values is one NULL segment. Errors: those
// of `values`, NormalizeSegment, ApplyNullPolicy; JET_errKeyTruncated on
// a JET_bitIndexDisallowTruncation index; JET_errColumnNotFound;
// JET_errInvalidParameter for more than 32 segments. `info` may be null.
Status BuildIndexKeys(const TableDef& table, const IndexDef& index, const ColumnValuesFn& values,
                      std::vector<std::string>* keys, IndexKeysInfo* info = nullptr,
                      NullViolation violation = NullViolation::kError);

// Hex dump for logs and test output: "7f 80 00 00 01".
std::string DescribeKey(std::string_view key);

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_RECORD_KEY_H_

// Schema: the in-memory definitions of tables, columns and indexes.
//
// Plain data shared by the record format, key normalization, the catalog
// and cursors. Column ids follow ESE's ranges, so ids handed to clients
// look like ESE's:
//   fixed columns     1 ..   127  (fixed-size coltyps, or JET_bitColumnFixed)
//   variable columns 128 ..  255  (Binary/Text up to 255 bytes, not tagged)
//   tagged columns   256 .. 65535 (Long* coltyps, JET_bitColumnTagged,
//                                  multi-valued columns)
//
// Thread contract: values; a TableDef published to readers is immutable
// (DDL builds a new one).

#ifndef JETSVC_ENGINE_CATALOG_SCHEMA_H_
#define JETSVC_ENGINE_CATALOG_SCHEMA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jetsvc {

constexpr uint32_t kFirstFixedColumn = 1;
constexpr uint32_t kLastFixedColumn = 127;
constexpr uint32_t kFirstVariableColumn = 128;
constexpr uint32_t kLastVariableColumn = 255;
constexpr uint32_t kFirstTaggedColumn = 256;
constexpr uint32_t kLastTaggedColumn = 65535;

// Object ids of the fixed trees of every database, and the first one
// handed to tables and indexes.
constexpr uint32_t kCatalogObjid = 1;
constexpr uint32_t kDirectoryObjid = 2;
constexpr uint32_t kFirstUserObjid = 16;

// What a B+tree holds (stored in the object directory).
enum class TreeKind : uint8_t {
  kCatalog = 1,
  kDirectory = 2,
  kTable = 3,      // a table's clustered records
  kIndex = 4,      // a secondary index
  kLongValue = 5,  // a table's long values
};

enum class ColumnClass { kFixed, kVariable, kTagged };

inline ColumnClass ClassOfColumn(uint32_t columnid) {
  if (columnid <= kLastFixedColumn) return ColumnClass::kFixed;
  if (columnid <= kLastVariableColumn) return ColumnClass::kVariable;
  return ColumnClass::kTagged;
}

// Size in bytes of a fixed-size coltyp's value, or 0 for Binary, Text,
// LongBinary and LongText (and unknown types).
uint32_t FixedSizeOfColtyp(uint32_t coltyp);
// True for the coltyps jetsvc supports (the 17 in esent.h).
bool IsValidColtyp(uint32_t coltyp);
// True for LongBinary and LongText.
inline bool IsLongColtyp(uint32_t coltyp) { return coltyp == 11 || coltyp == 12; }
// True for Text and LongText.
inline bool IsTextColtyp(uint32_t coltyp) { return coltyp == 10 || coltyp == 12; }

struct ColumnDef {
  uint32_t columnid = 0;
  std::string name;
  uint32_t coltyp = 0;      // JET_coltyp*
  uint32_t cb_max = 0;      // maximum length; 0 = the coltyp's default
  uint32_t grbit = 0;       // JET_bitColumn*
  uint16_t code_page = 0;   // Text: 1252 (ASCII/ANSI) or 1200 (UTF-16LE)
  std::optional<std::string> default_value;

  bool fixed() const { return ClassOfColumn(columnid) == ColumnClass::kFixed; }
  bool tagged() const { return ClassOfColumn(columnid) == ColumnClass::kTagged; }
  bool not_null() const { return (grbit & 0x4) != 0; }        // JET_bitColumnNotNULL
  bool autoincrement() const { return (grbit & 0x10) != 0; }  // JET_bitColumnAutoincrement
  bool multi_valued() const { return (grbit & 0x400) != 0; }  // JET_bitColumnMultiValued
};

struct IndexSegment {
  uint32_t columnid = 0;
  bool descending = false;
};

struct IndexDef {
  std::string name;
  uint32_t objid = 0;         // the index's own B+tree; the table's for primary
  uint32_t grbit = 0;         // JET_bitIndex*
  std::vector<IndexSegment> segments;
  uint32_t cb_key_most = 255;  // JET_cbKeyMost unless given
  uint32_t density = 100;

  bool primary() const { return (grbit & 0x2) != 0; }        // JET_bitIndexPrimary
  bool unique() const { return (grbit & 0x3) != 0; }         // Unique or Primary
  bool disallow_null() const { return (grbit & 0x4) != 0; }  // JET_bitIndexDisallowNull
  bool ignore_null() const { return (grbit & 0x8) != 0; }    // JET_bitIndexIgnoreNull
  bool ignore_any_null() const { return (grbit & 0x20) != 0; }  // JET_bitIndexIgnoreAnyNull
};

struct TableDef {
  std::string name;
  uint32_t objid = 0;     // the clustered (record) tree
  uint32_t lv_objid = 0;  // the long-value tree (0 until the first LV)
  uint32_t pages = 0;     // initial pages hint (JET_TABLECREATE ulPages)
  uint32_t density = 100;
  std::vector<ColumnDef> columns;  // sorted by columnid
  std::vector<IndexDef> indexes;   // the primary index, if any, first

  const ColumnDef* FindColumn(uint32_t columnid) const;
  // Case-insensitive, as ESE names are.
  const ColumnDef* FindColumnByName(const std::string& name) const;
  const IndexDef* FindIndexByName(const std::string& name) const;
  const IndexDef* PrimaryIndex() const;
};

// ESE names: 1 to 64 characters, no leading space, no control characters,
// none of ! . [ ]. Returns false if `name` breaks a rule.
bool IsValidObjectName(const std::string& name);
// Case-folded form used to compare names.
std::string FoldName(const std::string& name);

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_CATALOG_SCHEMA_H_

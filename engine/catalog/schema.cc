#include "engine/catalog/schema.h"

#include <algorithm>
#include <cctype>

#include "esent.h"

namespace jetsvc {

uint32_t FixedSizeOfColtyp(uint32_t coltyp) {
  switch (coltyp) {
    case JET_coltypBit:
    case JET_coltypUnsignedByte:
      return 1;
    case JET_coltypShort:
    case JET_coltypUnsignedShort:
      return 2;
    case JET_coltypLong:
    case JET_coltypUnsignedLong:
    case JET_coltypIEEESingle:
      return 4;
    case JET_coltypCurrency:
    case JET_coltypIEEEDouble:
    case JET_coltypDateTime:
    case JET_coltypLongLong:
    case JET_coltypUnsignedLongLong:
      return 8;
    case JET_coltypGUID:
      return 16;
    default:
      return 0;
  }
}

bool IsValidColtyp(uint32_t coltyp) {
  return (coltyp >= JET_coltypBit && coltyp <= JET_coltypLongText) ||
         coltyp == JET_coltypUnsignedLong || coltyp == JET_coltypLongLong ||
         coltyp == JET_coltypGUID || coltyp == JET_coltypUnsignedShort ||
         coltyp == JET_coltypUnsignedLongLong;
}

const ColumnDef* TableDef::FindColumn(uint32_t columnid) const {
  auto it = std::lower_bound(columns.begin(), columns.end(), columnid,
                             [](const ColumnDef& c, uint32_t id) { return c.columnid < id; });
  return (it != columns.end() && it->columnid == columnid) ? &*it : nullptr;
}

const ColumnDef* TableDef::FindColumnByName(const std::string& column_name) const {
  const std::string folded = FoldName(column_name);
  for (const ColumnDef& column : columns) {
    // Deleted fixed columns stay as nameless tombstones (coltyp 0).
    if (column.coltyp != 0 && FoldName(column.name) == folded) return &column;
  }
  return nullptr;
}

const IndexDef* TableDef::FindIndexByName(const std::string& index_name) const {
  const std::string folded = FoldName(index_name);
  for (const IndexDef& index : indexes) {
    if (FoldName(index.name) == folded) return &index;
  }
  return nullptr;
}

const IndexDef* TableDef::PrimaryIndex() const {
  for (const IndexDef& index : indexes) {
    if (index.primary()) return &index;
  }
  return nullptr;
}

bool IsValidObjectName(const std::string& name) {
  if (name.empty() || name.size() > JET_cbNameMost || name[0] == ' ') return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || c == '!' || c == '.' || c == '[' || c == ']') return false;
  }
  return true;
}

std::string FoldName(const std::string& name) {
  std::string folded = name;
  for (char& c : folded) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return folded;
}

}  // namespace jetsvc

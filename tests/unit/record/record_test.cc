#include "engine/record/record.h"

#include <algorithm>
#include <cstdio>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/util/coding.h"
#include "esent.h"
#include "tests/testing/test_util.h"

namespace jetsvc {

std::ostream& operator<<(std::ostream& os, ColumnValue::Kind kind) {
  static const char* const kNames[] = {"kAbsent", "kNull", "kInline", "kSeparated"};
  return os << kNames[static_cast<int>(kind)];
}

namespace {

using Kind = ColumnValue::Kind;

ColumnDef Column(uint32_t columnid, uint32_t coltyp, uint32_t grbit = 0, uint32_t cb_max = 0) {
  ColumnDef column;
  column.columnid = columnid;
  column.name = "c" + std::to_string(columnid);
  column.coltyp = coltyp;
  column.grbit = grbit;
  column.cb_max = cb_max;
  column.code_page = IsTextColtyp(coltyp) ? 1252 : 0;
  return column;
}

ColumnDef WithDefault(ColumnDef column, std::string value) {
  column.default_value = std::move(value);
  return column;
}

ColumnDef Tombstone(uint32_t columnid, uint32_t slot_size) {
  ColumnDef column;
  column.columnid = columnid;
  column.coltyp = JET_coltypNil;
  column.cb_max = slot_size;
  return column;
}

TableDef Table(std::vector<ColumnDef> columns) {
  TableDef table;
  table.name = "t";
  std::sort(columns.begin(), columns.end(),
            [](const ColumnDef& a, const ColumnDef& b) { return a.columnid < b.columnid; });
  table.columns = std::move(columns);
  return table;
}

std::string Le32(uint32_t value) {
  std::string out;
  PutFixed32(&out, value);
  return out;
}

std::string Pattern(size_t size, int seed) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 31 + seed * 7 + 1) & 0xFF);
  return out;
}

class RecordTest : public ::testing::Test {
 protected:
  static std::string Encode(const RecordBuilder& builder) {
    std::string record;
    const Status s = builder.Encode(&record);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(builder.EncodedSize(), record.size());
    return record;
  }

  // Opens and validates a reader over a copy of `record` that the fixture
  // keeps alive (a reader does not own its bytes).
  RecordReader Open(const TableDef& table, std::string record) {
    kept_records_.push_back(std::move(record));
    RecordReader reader;
    const Status s = RecordReader::Open(table, kept_records_.back(), &reader);
    EXPECT_TRUE(s.ok()) << s.ToString();
    const Status v = reader.Validate();
    EXPECT_TRUE(v.ok()) << v.ToString();
    return reader;
  }

  static ColumnValue Read(const RecordReader& reader, uint32_t columnid, uint32_t itag = 1) {
    ColumnValue value;
    const Status s = reader.Get(columnid, itag, &value);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return value;
  }

  // The inline values of a column, in itag order.
  static std::vector<std::string> Values(const RecordReader& reader, uint32_t columnid) {
    uint32_t count = 0;
    EXPECT_OK(reader.CountValues(columnid, &count));
    std::vector<std::string> values;
    for (uint32_t itag = 1; itag <= count; ++itag) {
      const ColumnValue value = Read(reader, columnid, itag);
      EXPECT_EQ(Kind::kInline, value.kind);
      values.emplace_back(value.bytes);
    }
    EXPECT_TRUE(Read(reader, columnid, count + 1).is_null());
    return values;
  }

 private:
  std::list<std::string> kept_records_;
};

using Strings = std::vector<std::string>;

TEST_F(RecordTest, EmptyRecordIsJustTheHeader) {
  const TableDef table = Table({Column(1, JET_coltypLong), Column(128, JET_coltypText),
                                Column(256, JET_coltypLongText)});
  RecordBuilder builder(table);
  const std::string record = Encode(builder);
  EXPECT_EQ(kRecordHeaderSize, record.size());
  const RecordReader reader = Open(table, record);
  for (uint32_t id : {1u, 128u, 256u}) EXPECT_EQ(Kind::kAbsent, Read(reader, id).kind);
}

std::string FromHex(std::string_view hex) {
  std::string out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ' || c == '\n') continue;
    const int nibble = (c >= '0' && c <= '9') ? c - '0' : c - 'a' + 10;
    if (high < 0) {
      high = nibble;
    } else {
      out.push_back(static_cast<char>(high * 16 + nibble));
      high = -1;
    }
  }
  return out;
}

// The example in engine/record/FORMAT.md, byte for byte.
TEST_F(RecordTest, EncodingMatchesTheFormatDocument) {
  const TableDef table = Table({Column(1, JET_coltypLong), Column(2, JET_coltypShort),
                                Column(128, JET_coltypText), Column(129, JET_coltypBinary),
                                Column(256, JET_coltypLongText), Column(257, JET_coltypLongBinary)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(1, 1, Le32(0x11223344)));
  ASSERT_OK(builder.SetNull(2, 1));
  ASSERT_OK(builder.SetValue(128, 1, "ab"));
  ASSERT_OK(builder.SetValue(129, 1, ""));
  ASSERT_OK(builder.SetValue(256, 0, "x"));
  ASSERT_OK(builder.SetValue(256, 0, "yz"));
  ASSERT_OK(builder.SetSeparated(257, 1, 5, 70000));
  const std::string expected = FromHex(
      "02 02 06 00  44 33 22 11 00 00  02  02 00 02 00  61 62  02 00"
      "00 01 00 00  01 01 0b 00  04 02 00 01 00 03 00 00 78 79 7a"
      "02 05 00 00 00 00 00 00 00 70 11 01 00 00 00 00 00");
  ASSERT_EQ(55u, expected.size());
  EXPECT_EQ(expected, Encode(builder));
}

TEST_F(RecordTest, EveryFixedColtypRoundTrips) {
  const uint32_t coltyps[] = {JET_coltypBit,      JET_coltypUnsignedByte, JET_coltypShort,
                              JET_coltypLong,     JET_coltypCurrency,     JET_coltypIEEESingle,
                              JET_coltypIEEEDouble, JET_coltypDateTime,   JET_coltypUnsignedLong,
                              JET_coltypLongLong, JET_coltypGUID,         JET_coltypUnsignedShort,
                              JET_coltypUnsignedLongLong};
  std::vector<ColumnDef> columns;
  uint32_t id = 1;
  for (uint32_t coltyp : coltyps) columns.push_back(Column(id++, coltyp));
  columns.push_back(Column(id++, JET_coltypBinary, JET_bitColumnFixed, 8));
  columns.push_back(Column(id++, JET_coltypText, JET_bitColumnFixed, 6));
  const TableDef table = Table(columns);

  RecordBuilder builder(table);
  std::map<uint32_t, std::string> expected;
  for (const ColumnDef& column : table.columns) {
    const std::string value = Pattern(FixedColumnSlotSize(column), column.columnid);
    ASSERT_OK(builder.SetValue(column.columnid, 1, value));
    expected[column.columnid] = value;
  }
  expected[1] = std::string(1, '\xFF');  // Bit is stored as 0x00 or 0xFF
  const RecordReader reader = Open(table, Encode(builder));
  for (const auto& [columnid, value] : expected) {
    const ColumnValue got = Read(reader, columnid);
    ASSERT_EQ(Kind::kInline, got.kind) << columnid;
    EXPECT_EQ(value, got.bytes) << columnid;
  }
}

TEST_F(RecordTest, FixedBinaryAndTextValuesArePaddedToCbMax) {
  ColumnDef unicode = Column(3, JET_coltypText, JET_bitColumnFixed, 6);
  unicode.code_page = 1200;
  const TableDef table = Table({Column(1, JET_coltypBinary, JET_bitColumnFixed, 5),
                                Column(2, JET_coltypText, JET_bitColumnFixed, 5), unicode});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(1, 1, "ab"));
  ASSERT_OK(builder.SetValue(2, 1, "ab"));
  ASSERT_OK(builder.SetValue(3, 1, std::string("a\0", 2)));
  const RecordReader reader = Open(table, Encode(builder));
  EXPECT_EQ(std::string("ab\0\0\0", 5), Read(reader, 1).bytes);
  EXPECT_EQ("ab   ", Read(reader, 2).bytes);
  EXPECT_EQ(std::string("a\0 \0 \0", 6), Read(reader, 3).bytes);
}

TEST_F(RecordTest, FixedValueOfWrongSizeIsInvalidBufferSize) {
  const TableDef table =
      Table({Column(1, JET_coltypLong), Column(2, JET_coltypBinary, JET_bitColumnFixed, 4)});
  RecordBuilder builder(table);
  EXPECT_TRUE(builder.SetValue(1, 1, "ab").IsCode(JET_errInvalidBufferSize));
  EXPECT_TRUE(builder.SetValue(1, 1, "abcdefgh").IsCode(JET_errInvalidBufferSize));
  EXPECT_TRUE(builder.SetValue(2, 1, "abcde").IsCode(JET_errInvalidBufferSize));
  EXPECT_EQ(kRecordHeaderSize, builder.EncodedSize());
}

TEST_F(RecordTest, ZeroLengthFixedValueIsNull) {
  const TableDef table = Table({Column(1, JET_coltypLong)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(1, 1, Le32(7)));
  ASSERT_OK(builder.SetValue(1, 1, ""));
  EXPECT_EQ(Kind::kNull, Read(Open(table, Encode(builder)), 1).kind);
}

TEST_F(RecordTest, VariableBinaryAndTextRoundTrip) {
  const TableDef table = Table({Column(128, JET_coltypBinary), Column(129, JET_coltypText),
                                Column(130, JET_coltypBinary)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(128, 1, Pattern(255, 1)));
  ASSERT_OK(builder.SetValue(130, 1, "hello"));
  const RecordReader reader = Open(table, Encode(builder));
  EXPECT_EQ(Pattern(255, 1), Read(reader, 128).bytes);
  EXPECT_EQ(Kind::kNull, Read(reader, 129).kind);  // covered, never set
  EXPECT_EQ("hello", Read(reader, 130).bytes);
}

TEST_F(RecordTest, VariableValueLongerThanCbMaxIsTruncatedWithWarning) {
  const TableDef table =
      Table({Column(128, JET_coltypText, 0, 10), Column(129, JET_coltypBinary)});
  RecordBuilder builder(table);
  const Status s = builder.SetValue(128, 1, "0123456789abcdef");
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(s.IsCode(JET_wrnColumnMaxTruncated));
  EXPECT_TRUE(builder.SetValue(129, 1, Pattern(300, 2)).IsCode(JET_wrnColumnMaxTruncated));
  const RecordReader reader = Open(table, Encode(builder));
  EXPECT_EQ("0123456789", Read(reader, 128).bytes);
  EXPECT_EQ(Pattern(255, 2), Read(reader, 129).bytes);
}

TEST_F(RecordTest, TaggedColumnsOfEveryColtypRoundTrip) {
  std::vector<ColumnDef> columns;
  std::map<uint32_t, std::string> expected;
  uint32_t id = 256;
  for (uint32_t coltyp = JET_coltypBit; coltyp <= JET_coltypUnsignedLongLong; ++coltyp) {
    if (!IsValidColtyp(coltyp)) continue;
    columns.push_back(Column(id, coltyp, JET_bitColumnTagged));
    const uint32_t size = FixedSizeOfColtyp(coltyp);
    expected[id] = Pattern(size > 0 ? size : IsLongColtyp(coltyp) ? 5000 : 255, id);
    ++id;
  }
  const TableDef table = Table(columns);
  RecordBuilder builder(table);
  for (const auto& [columnid, value] : expected) ASSERT_OK(builder.SetValue(columnid, 0, value));
  const RecordReader reader = Open(table, Encode(builder));
  for (const auto& [columnid, value] : expected) EXPECT_EQ(Strings{value}, Values(reader, columnid));
}

TEST_F(RecordTest, TaggedValueTooLongIsColumnTooBigAndWrongSizeIsInvalidBufferSize) {
  const TableDef table = Table({Column(256, JET_coltypBinary, JET_bitColumnTagged),
                                Column(257, JET_coltypLong, JET_bitColumnTagged),
                                Column(258, JET_coltypLongText, 0, 100)});
  RecordBuilder builder(table);
  EXPECT_TRUE(builder.SetValue(256, 1, Pattern(256, 0)).IsCode(JET_errColumnTooBig));
  EXPECT_TRUE(builder.SetValue(257, 1, "12345678").IsCode(JET_errColumnTooBig));
  EXPECT_TRUE(builder.SetValue(257, 1, "12").IsCode(JET_errInvalidBufferSize));
  EXPECT_TRUE(builder.SetValue(258, 1, Pattern(101, 0)).IsCode(JET_errColumnTooBig));
  EXPECT_TRUE(builder.SetSeparated(258, 1, 5, 101).IsCode(JET_errColumnTooBig));
  ASSERT_OK(builder.SetValue(257, 1, ""));  // zero-length is allowed in a tagged column
  const RecordReader reader = Open(table, Encode(builder));
  EXPECT_EQ(Kind::kInline, Read(reader, 257).kind);
  EXPECT_EQ(Kind::kAbsent, Read(reader, 256).kind);
}

TEST_F(RecordTest, NullAndZeroLengthAreDistinct) {
  const TableDef table = Table({Column(128, JET_coltypBinary), Column(129, JET_coltypBinary),
                                Column(256, JET_coltypLongBinary), Column(257, JET_coltypBinary)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(128, 1, ""));
  ASSERT_OK(builder.SetNull(129, 1));
  ASSERT_OK(builder.SetValue(256, 1, ""));
  const RecordReader reader = Open(table, Encode(builder));
  EXPECT_EQ(Kind::kInline, Read(reader, 128).kind);
  EXPECT_EQ(0u, Read(reader, 128).bytes.size());
  EXPECT_EQ(Kind::kNull, Read(reader, 129).kind);
  EXPECT_EQ(Kind::kInline, Read(reader, 256).kind);
  EXPECT_EQ(Kind::kAbsent, Read(reader, 257).kind);
  uint32_t count = 9;
  ASSERT_OK(reader.CountValues(128, &count));
  EXPECT_EQ(1u, count);
  ASSERT_OK(reader.CountValues(129, &count));
  EXPECT_EQ(0u, count);
  ASSERT_OK(reader.CountValues(256, &count));
  EXPECT_EQ(1u, count);
}

TEST_F(RecordTest, UnknownColumnIsColumnNotFound) {
  const TableDef table = Table({Column(1, JET_coltypLong), Column(256, JET_coltypBinary)});
  RecordBuilder builder(table);
  EXPECT_TRUE(builder.SetValue(2, 1, Le32(1)).IsCode(JET_errColumnNotFound));
  EXPECT_TRUE(builder.SetNull(300, 1).IsCode(JET_errColumnNotFound));
  EXPECT_TRUE(builder.SetValue(0, 1, "x").IsCode(JET_errBadColumnId));
  EXPECT_TRUE(builder.SetValue(70000, 1, "x").IsCode(JET_errBadColumnId));
  const RecordReader reader = Open(table, Encode(builder));
  ColumnValue value;
  EXPECT_TRUE(reader.Get(129, 1, &value).IsCode(JET_errColumnNotFound));
  EXPECT_TRUE(reader.Get(256, 0, &value).IsCode(JET_errBadItagSequence));
}

TEST_F(RecordTest, FixedAndVariableColumnsIgnoreItag) {
  const TableDef table = Table({Column(1, JET_coltypLong), Column(128, JET_coltypText)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(1, 5, Le32(42)));
  ASSERT_OK(builder.SetValue(128, 0, "v"));
  const RecordReader reader = Open(table, Encode(builder));
  EXPECT_EQ(Le32(42), Read(reader, 1, 1).bytes);
  EXPECT_EQ(Le32(42), Read(reader, 1, 3).bytes);
  EXPECT_EQ("v", Read(reader, 128, 2).bytes);
}

class MultiValueTest : public RecordTest {
 protected:
  MultiValueTest()
      : table_(Table({Column(256, JET_coltypText, JET_bitColumnTagged | JET_bitColumnMultiValued),
                      Column(257, JET_coltypBinary, JET_bitColumnTagged)})),
        builder_(table_) {}

  Strings Decoded(uint32_t columnid) { return Values(Open(table_, Encode(builder_)), columnid); }

  TableDef table_;
  RecordBuilder builder_;
};

TEST_F(MultiValueTest, ItagZeroAndItagPastTheEndAppend) {
  ASSERT_OK(builder_.SetValue(256, 0, "a"));
  ASSERT_OK(builder_.SetValue(256, 0, "b"));
  ASSERT_OK(builder_.SetValue(256, 3, "c"));   // n + 1
  ASSERT_OK(builder_.SetValue(256, 10, "d"));  // anything past the end
  EXPECT_EQ((Strings{"a", "b", "c", "d"}), Decoded(256));
}

TEST_F(MultiValueTest, SettingAnExistingItagReplacesIt) {
  for (const char* v : {"a", "b", "c"}) ASSERT_OK(builder_.SetValue(256, 0, v));
  ASSERT_OK(builder_.SetValue(256, 2, "B"));
  ASSERT_OK(builder_.SetValue(256, 1, "A"));
  EXPECT_EQ((Strings{"A", "B", "c"}), Decoded(256));
}

TEST_F(MultiValueTest, SettingAnItagToNullRemovesItAndShiftsLaterValuesDown) {
  for (const char* v : {"a", "b", "c", "d"}) ASSERT_OK(builder_.SetValue(256, 0, v));
  ASSERT_OK(builder_.SetNull(256, 2));
  EXPECT_EQ((Strings{"a", "c", "d"}), Decoded(256));
  ASSERT_OK(builder_.SetNull(256, 1));
  EXPECT_EQ((Strings{"c", "d"}), Decoded(256));
  ASSERT_OK(builder_.SetNull(256, 2));
  EXPECT_EQ((Strings{"c"}), Decoded(256));
}

TEST_F(MultiValueTest, NullAtItagZeroOrPastTheEndChangesNothing) {
  for (const char* v : {"a", "b"}) ASSERT_OK(builder_.SetValue(256, 0, v));
  ASSERT_OK(builder_.SetNull(256, 0));
  ASSERT_OK(builder_.SetNull(256, 3));
  ASSERT_OK(builder_.SetNull(257, 1));  // absent column, no default: no-op
  EXPECT_EQ((Strings{"a", "b"}), Decoded(256));
  EXPECT_EQ(Kind::kAbsent, Read(Open(table_, Encode(builder_)), 257).kind);
}

TEST_F(MultiValueTest, RemovingTheOnlyValueMakesTheColumnAbsent) {
  ASSERT_OK(builder_.SetValue(256, 0, "a"));
  ASSERT_OK(builder_.SetNull(256, 2));  // not a value: no-op
  EXPECT_EQ((Strings{"a"}), Decoded(256));
  ASSERT_OK(builder_.SetNull(256, 1));
  EXPECT_EQ(Kind::kAbsent, Read(Open(table_, Encode(builder_)), 256).kind);
}

TEST_F(MultiValueTest, TaggedColumnWithoutMultiValuedBitStillHoldsSeveralValues) {
  // ESE: any tagged column can hold several values; MultiValued only
  // changes how the column is indexed.
  ASSERT_OK(builder_.SetValue(257, 1, "x"));
  ASSERT_OK(builder_.SetValue(257, 2, "y"));
  ASSERT_OK(builder_.SetValue(257, 0, ""));
  EXPECT_EQ((Strings{"x", "y", ""}), Decoded(257));
}

TEST_F(RecordTest, NullOnTaggedColumnWithDefaultHidesTheDefault) {
  const TableDef table = Table({WithDefault(Column(256, JET_coltypBinary), "dflt")});
  RecordBuilder builder(table);
  ColumnValue value;
  ASSERT_OK(Open(table, Encode(builder)).GetWithDefault(256, 1, &value));
  EXPECT_EQ("dflt", value.bytes);
  ASSERT_OK(builder.SetNull(256, 2));  // only itag 1 leaves a marker
  EXPECT_EQ(kRecordHeaderSize, builder.EncodedSize());

  ASSERT_OK(builder.SetNull(256, 1));
  std::string record = Encode(builder);
  ASSERT_OK(Open(table, record).GetWithDefault(256, 1, &value));
  EXPECT_EQ(Kind::kNull, value.kind);

  ASSERT_OK(builder.SetValue(256, 0, "v"));
  ASSERT_OK(builder.SetNull(256, 1));  // the last value goes: marker again
  ASSERT_OK(Open(table, Encode(builder)).GetWithDefault(256, 1, &value));
  EXPECT_EQ(Kind::kNull, value.kind);

  ASSERT_OK(builder.RevertToDefault(256, 1));
  ASSERT_OK(Open(table, Encode(builder)).GetWithDefault(256, 1, &value));
  EXPECT_EQ("dflt", value.bytes);
  EXPECT_EQ(kRecordHeaderSize, builder.EncodedSize());
}

TEST_F(RecordTest, SeparatedLongValueReferencesRoundTrip) {
  const TableDef table = Table({Column(256, JET_coltypLongBinary),
                                Column(257, JET_coltypLongText, JET_bitColumnMultiValued)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetSeparated(256, 1, 0x0102030405060708ull, 1ull << 40));
  ASSERT_OK(builder.SetValue(257, 0, "inline"));
  ASSERT_OK(builder.SetSeparated(257, 0, 77, 100000));
  ASSERT_OK(builder.SetValue(257, 0, ""));
  const RecordReader reader = Open(table, Encode(builder));
  ColumnValue value = Read(reader, 256);
  ASSERT_EQ(Kind::kSeparated, value.kind);
  EXPECT_EQ(0x0102030405060708ull, value.lid);
  EXPECT_EQ(1ull << 40, value.size());
  EXPECT_EQ("inline", Read(reader, 257, 1).bytes);
  value = Read(reader, 257, 2);
  ASSERT_EQ(Kind::kSeparated, value.kind);
  EXPECT_EQ(77u, value.lid);
  EXPECT_EQ(100000u, value.lv_size);
  EXPECT_EQ(Kind::kInline, Read(reader, 257, 3).kind);
  uint32_t count = 0;
  ASSERT_OK(reader.CountValues(257, &count));
  EXPECT_EQ(3u, count);
}

TEST_F(RecordTest, SeparatedValueInAColumnThatIsNotALongValueIsInvalid) {
  const TableDef table =
      Table({Column(128, JET_coltypBinary), Column(256, JET_coltypBinary, JET_bitColumnTagged)});
  RecordBuilder builder(table);
  EXPECT_TRUE(builder.SetSeparated(128, 1, 1, 10).IsCode(JET_errInvalidParameter));
  EXPECT_TRUE(builder.SetSeparated(256, 1, 1, 10).IsCode(JET_errInvalidParameter));
}

// Schema evolution: the record written under `old_table` is read under
// `new_table`, which JetAddColumn extended with fixed, variable and tagged
// columns (some with defaults).
class SchemaEvolutionTest : public RecordTest {
 protected:
  SchemaEvolutionTest()
      : old_table_(Table({Column(1, JET_coltypLong), Column(128, JET_coltypText),
                          Column(256, JET_coltypLongText)})),
        new_table_(Table({Column(1, JET_coltypLong), Column(2, JET_coltypShort),
                          WithDefault(Column(3, JET_coltypLong), Le32(33)),
                          Column(4, JET_coltypUnsignedByte), Column(128, JET_coltypText),
                          Column(129, JET_coltypBinary),
                          WithDefault(Column(130, JET_coltypText), "d130"),
                          Column(131, JET_coltypText), Column(256, JET_coltypLongText),
                          Column(257, JET_coltypBinary, JET_bitColumnTagged),
                          WithDefault(Column(258, JET_coltypLongBinary), "d258")})) {
    RecordBuilder builder(old_table_);
    EXPECT_OK(builder.SetValue(1, 1, Le32(11)));
    EXPECT_OK(builder.SetValue(128, 1, "text"));
    EXPECT_OK(builder.SetValue(256, 1, "long"));
    old_record_ = Encode(builder);
  }

  TableDef old_table_;
  TableDef new_table_;
  std::string old_record_;
};

TEST_F(SchemaEvolutionTest, RecordFromOlderSchemaReadsNewColumnsAsNull) {
  const RecordReader reader = Open(new_table_, old_record_);
  EXPECT_EQ(Le32(11), Read(reader, 1).bytes);
  EXPECT_EQ("text", Read(reader, 128).bytes);
  EXPECT_EQ("long", Read(reader, 256).bytes);
  for (uint32_t id : {2u, 3u, 4u, 129u, 130u, 131u, 257u, 258u}) {
    EXPECT_EQ(Kind::kAbsent, Read(reader, id).kind) << id;
  }
  ColumnValue value;
  ASSERT_OK(reader.GetWithDefault(3, 1, &value));
  EXPECT_EQ(Le32(33), value.bytes);
  ASSERT_OK(reader.GetWithDefault(130, 1, &value));
  EXPECT_EQ("d130", value.bytes);
  ASSERT_OK(reader.GetWithDefault(258, 1, &value));
  EXPECT_EQ("d258", value.bytes);
  ASSERT_OK(reader.GetWithDefault(2, 1, &value));
  EXPECT_TRUE(value.is_null());
}

TEST_F(SchemaEvolutionTest, UpdatingAnOldRecordKeepsDefaultsOfNewlyCoveredColumns) {
  RecordBuilder builder(new_table_);
  ASSERT_OK(builder.Load(old_record_));
  ASSERT_OK(builder.SetValue(4, 1, "\x07"));
  ASSERT_OK(builder.SetValue(131, 1, "v131"));
  ASSERT_OK(builder.SetValue(257, 1, "t"));
  const RecordReader reader = Open(new_table_, Encode(builder));
  EXPECT_EQ(Le32(11), Read(reader, 1).bytes);
  EXPECT_EQ(Kind::kNull, Read(reader, 2).kind);
  EXPECT_EQ(Le32(33), Read(reader, 3).bytes);  // default materialized
  EXPECT_EQ("\x07", Read(reader, 4).bytes);
  EXPECT_EQ(Kind::kNull, Read(reader, 129).kind);
  EXPECT_EQ("d130", Read(reader, 130).bytes);
  EXPECT_EQ("v131", Read(reader, 131).bytes);
  EXPECT_EQ(Kind::kAbsent, Read(reader, 258).kind);  // tagged defaults stay read-time
}

TEST_F(SchemaEvolutionTest, MaterializeDefaultsFillsFixedAndVariableDefaults) {
  RecordBuilder builder(new_table_);
  ASSERT_OK(builder.MaterializeDefaults());
  builder.AssertValid();
  const RecordReader reader = Open(new_table_, Encode(builder));
  EXPECT_EQ(Kind::kNull, Read(reader, 1).kind);
  EXPECT_EQ(Le32(33), Read(reader, 3).bytes);
  EXPECT_EQ(Kind::kAbsent, Read(reader, 4).kind);
  EXPECT_EQ("d130", Read(reader, 130).bytes);
  EXPECT_EQ(Kind::kAbsent, Read(reader, 131).kind);
  EXPECT_EQ(Kind::kAbsent, Read(reader, 258).kind);
}

TEST_F(RecordTest, DeletedFixedColumnKeepsItsSlotThroughATombstone) {
  const TableDef old_table =
      Table({Column(1, JET_coltypLong), Column(2, JET_coltypLong), Column(3, JET_coltypLong)});
  RecordBuilder builder(old_table);
  for (uint32_t id = 1; id <= 3; ++id) ASSERT_OK(builder.SetValue(id, 1, Le32(id * 100)));
  const std::string record = Encode(builder);

  const TableDef new_table =
      Table({Column(1, JET_coltypLong), Tombstone(2, 4), Column(3, JET_coltypLong)});
  const RecordReader reader = Open(new_table, record);
  EXPECT_EQ(Le32(100), Read(reader, 1).bytes);
  EXPECT_EQ(Le32(300), Read(reader, 3).bytes);
  ColumnValue value;
  EXPECT_TRUE(reader.Get(2, 1, &value).IsCode(JET_errColumnNotFound));

  RecordBuilder rewriter(new_table);
  ASSERT_OK(rewriter.Load(record));
  EXPECT_TRUE(rewriter.SetValue(2, 1, Le32(1)).IsCode(JET_errColumnNotFound));
  const std::string rewritten = Encode(rewriter);
  EXPECT_EQ(record.size(), rewritten.size());
  EXPECT_EQ(Le32(300), Read(Open(new_table, rewritten), 3).bytes);
}

TEST_F(RecordTest, MissingFixedColumnDefinitionIsCorruption) {
  const TableDef old_table = Table({Column(1, JET_coltypLong), Column(2, JET_coltypLong)});
  RecordBuilder builder(old_table);
  ASSERT_OK(builder.SetValue(2, 1, Le32(2)));
  const std::string record = Encode(builder);
  RecordReader reader;
  // Column 2 deleted without a tombstone: its slot size is unknown.
  EXPECT_TRUE(RecordReader::Open(Table({Column(1, JET_coltypLong)}), record, &reader)
                  .IsCode(JET_errDatabaseCorrupted));
  // A tombstone of the wrong size does not match the fixed data size.
  EXPECT_TRUE(RecordReader::Open(Table({Column(1, JET_coltypLong), Tombstone(2, 2)}), record,
                                 &reader)
                  .IsCode(JET_errDatabaseCorrupted));
}

TEST_F(RecordTest, DeletedVariableAndTaggedColumnsAreDroppedOnRewrite) {
  const TableDef old_table =
      Table({Column(128, JET_coltypText), Column(129, JET_coltypText),
             Column(256, JET_coltypLongText), Column(257, JET_coltypLongText)});
  RecordBuilder builder(old_table);
  ASSERT_OK(builder.SetValue(128, 1, "keep"));
  ASSERT_OK(builder.SetValue(129, 1, "gone-variable"));
  ASSERT_OK(builder.SetValue(256, 1, "keep-tagged"));
  ASSERT_OK(builder.SetValue(257, 1, "gone-tagged"));
  const std::string record = Encode(builder);

  const TableDef new_table = Table({Column(128, JET_coltypText), Column(256, JET_coltypLongText)});
  const RecordReader reader = Open(new_table, record);
  std::vector<uint32_t> visited;
  ASSERT_OK(reader.ForEachValue(
      [&](uint32_t columnid, uint32_t, const ColumnValue&) { visited.push_back(columnid); }));
  EXPECT_EQ((std::vector<uint32_t>{128, 256}), visited);

  RecordBuilder rewriter(new_table);
  ASSERT_OK(rewriter.Load(record));
  const std::string rewritten = Encode(rewriter);
  EXPECT_LT(rewritten.size(), record.size());
  const RecordReader old_view = Open(old_table, rewritten);
  EXPECT_EQ("keep", Read(old_view, 128).bytes);
  EXPECT_EQ("keep-tagged", Read(old_view, 256).bytes);
  EXPECT_EQ(Kind::kAbsent, Read(old_view, 129).kind);
  EXPECT_EQ(Kind::kAbsent, Read(old_view, 257).kind);
}

TEST_F(RecordTest, ForEachValueVisitsStoredValuesInColumnOrder) {
  const TableDef table = Table({Column(1, JET_coltypLong), Column(2, JET_coltypLong),
                                Column(128, JET_coltypText), Column(256, JET_coltypLongText)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(256, 0, "x"));
  ASSERT_OK(builder.SetValue(256, 0, "y"));
  ASSERT_OK(builder.SetValue(128, 1, "v"));
  ASSERT_OK(builder.SetValue(2, 1, Le32(2)));
  std::vector<std::string> visited;
  ASSERT_OK(Open(table, Encode(builder))
                .ForEachValue([&](uint32_t columnid, uint32_t itag, const ColumnValue& value) {
                  visited.push_back(std::to_string(columnid) + "/" + std::to_string(itag) + "=" +
                                    std::string(value.bytes.size() == 4 ? "int" : value.bytes));
                }));
  EXPECT_EQ((Strings{"2/1=int", "128/1=v", "256/1=x", "256/2=y"}), visited);
}

TEST_F(RecordTest, ChooseValuesToSeparatePicksLargestFirst) {
  const TableDef table = Table({Column(1, JET_coltypLong), Column(256, JET_coltypLongBinary),
                                Column(257, JET_coltypLongText), Column(258, JET_coltypBinary)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(1, 1, Le32(1)));
  ASSERT_OK(builder.SetValue(256, 0, Pattern(1000, 1)));
  ASSERT_OK(builder.SetValue(256, 0, Pattern(3000, 2)));
  ASSERT_OK(builder.SetValue(257, 0, Pattern(2000, 3)));
  ASSERT_OK(builder.SetValue(257, 0, Pattern(10, 4)));    // too small to gain anything
  ASSERT_OK(builder.SetValue(258, 0, Pattern(200, 5)));   // not a long value
  const size_t size = builder.EncodedSize();

  std::vector<ValueToSeparate> picks;
  ASSERT_OK(builder.ChooseValuesToSeparate(size, &picks));
  EXPECT_TRUE(picks.empty());

  const size_t budget = size - 3000 - 1000;  // needs the 3000 and the 2000
  ASSERT_OK(builder.ChooseValuesToSeparate(budget, &picks));
  ASSERT_EQ(2u, picks.size());
  EXPECT_EQ(256u, picks[0].columnid);
  EXPECT_EQ(2u, picks[0].itag);
  EXPECT_EQ(3000u, picks[0].size);
  EXPECT_EQ(257u, picks[1].columnid);
  EXPECT_EQ(1u, picks[1].itag);
  uint64_t lid = 1;
  for (const ValueToSeparate& pick : picks) {
    ASSERT_OK(builder.SetSeparated(pick.columnid, pick.itag, lid++, pick.size));
  }
  EXPECT_LE(builder.EncodedSize(), budget);
  EXPECT_EQ(size - (3000 - 16) - (2000 - 16), builder.EncodedSize());

  EXPECT_TRUE(builder.ChooseValuesToSeparate(100, &picks).IsCode(JET_errRecordTooBig));
  EXPECT_TRUE(picks.empty());
}

TEST_F(RecordTest, RecordLargerThanTheFormatAllowsIsRecordTooBig) {
  const TableDef table = Table({Column(256, JET_coltypLongBinary)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(256, 1, std::string(70000, 'x')));
  std::string record;
  EXPECT_TRUE(builder.Encode(&record).IsCode(JET_errRecordTooBig));
  EXPECT_GT(builder.EncodedSize(), kMaxRecordSize);
}

TEST_F(RecordTest, NotNullColumnsAreCheckedAtSetAndByCheckNotNull) {
  const TableDef table = Table({Column(1, JET_coltypLong, JET_bitColumnNotNULL),
                                WithDefault(Column(2, JET_coltypLong, JET_bitColumnNotNULL), Le32(2)),
                                Column(128, JET_coltypText, JET_bitColumnNotNULL)});
  RecordBuilder builder(table);
  EXPECT_TRUE(builder.CheckNotNull().IsCode(JET_errNullInvalid));
  EXPECT_TRUE(builder.SetNull(1, 1).IsCode(JET_errNullInvalid));
  EXPECT_TRUE(builder.SetValue(1, 1, "").IsCode(JET_errNullInvalid));  // fixed: empty is NULL
  ASSERT_OK(builder.SetValue(1, 1, Le32(1)));
  EXPECT_TRUE(builder.CheckNotNull().IsCode(JET_errNullInvalid));  // 128 still NULL
  ASSERT_OK(builder.SetValue(128, 1, ""));  // zero-length is not NULL
  ASSERT_OK(builder.CheckNotNull());        // 2 reads its default
}

TEST_F(RecordTest, BuilderReadsWhatTheEncodedRecordReads) {
  const TableDef table = Table({Column(1, JET_coltypLong), Column(2, JET_coltypLong),
                                Column(128, JET_coltypText), Column(256, JET_coltypLongText)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(2, 1, Le32(2)));
  ASSERT_OK(builder.SetSeparated(256, 0, 9, 99));
  const RecordReader reader = Open(table, Encode(builder));
  for (uint32_t id : {1u, 2u, 128u, 256u}) {
    ColumnValue from_builder;
    ASSERT_OK(builder.Get(id, 1, &from_builder));
    const ColumnValue from_record = Read(reader, id);
    EXPECT_EQ(from_record.kind, from_builder.kind) << id;
    EXPECT_EQ(from_record.bytes, from_builder.bytes) << id;
    EXPECT_EQ(from_record.lid, from_builder.lid) << id;
  }
}

TEST_F(RecordTest, LoadOfACorruptRecordLeavesTheBuilderUnchanged) {
  const TableDef table = Table({Column(128, JET_coltypText)});
  RecordBuilder builder(table);
  ASSERT_OK(builder.SetValue(128, 1, "before"));
  const std::string bad("\x00\x05\x00\x00", 4);  // 5 variable columns, no offsets
  EXPECT_TRUE(builder.Load(bad).IsCode(JET_errDatabaseCorrupted));
  ColumnValue value;
  ASSERT_OK(builder.Get(128, 1, &value));
  EXPECT_EQ("before", value.bytes);
}

// ------------------------------------------------------------ randomized

// An independent model of the JetSetColumn rules the builder implements.
struct ModelValue {
  bool separated = false;
  std::string bytes;
  uint64_t lid = 0;
  uint64_t lv_size = 0;
};

struct ModelColumn {
  bool present = false;      // fixed/variable: explicitly set (value or NULL)
  bool null_marker = false;  // tagged only
  std::vector<ModelValue> values;
};

class RandomRecordModel {
 public:
  explicit RandomRecordModel(const TableDef* table) : table_(table) {}

  // Applies one random operation to `builder` and the model, checking the
  // status against the model's prediction.
  void Step(std::mt19937_64* rng, RecordBuilder* builder) {
    const ColumnDef& column = table_->columns[(*rng)() % table_->columns.size()];
    ModelColumn& state = columns_[column.columnid];
    const uint32_t n = static_cast<uint32_t>(state.values.size());
    uint32_t itag = static_cast<uint32_t>((*rng)() % (n + 3));
    if (n >= 8 && (itag == 0 || itag > n)) itag = 1;  // keep records small
    const int op = static_cast<int>((*rng)() % 10);
    if (op < 6) {
      std::string bytes;
      int32_t expected = JET_errSuccess;
      const ModelValue value{false, RandomBytes(rng, column, &bytes, &expected), 0, 0};
      const Status s = builder->SetValue(column.columnid, itag, bytes);
      ASSERT_EQ(expected, s.code()) << "set " << column.columnid << " len " << bytes.size();
      if (s.IsError()) return;
      if (column.fixed() && bytes.empty()) return Null(column, itag, false);
      Set(column, itag, value);
    } else if (op < 7 && IsLongColtyp(column.coltyp)) {
      const ModelValue value{true, "", (*rng)(), (*rng)() % 1000000};
      ASSERT_OK(builder->SetSeparated(column.columnid, itag, value.lid, value.lv_size));
      Set(column, itag, value);
    } else if (op < 9) {
      ASSERT_OK(builder->SetNull(column.columnid, itag));
      Null(column, itag, false);
    } else {
      ASSERT_OK(builder->RevertToDefault(column.columnid, itag));
      Null(column, itag, true);
    }
  }

  // Checks every column of `reader` (and of `builder`) against the model.
  void Check(const RecordReader& reader, const RecordBuilder& builder) const {
    for (const ColumnDef& column : table_->columns) {
      const uint32_t id = column.columnid;
      auto it = columns_.find(id);
      const ModelColumn empty;
      const ModelColumn& state = it == columns_.end() ? empty : it->second;
      uint32_t count = 99;
      ASSERT_OK(reader.CountValues(id, &count));
      ASSERT_EQ(state.values.size(), count) << id;
      for (uint32_t itag = 1; itag <= state.values.size() + 1; ++itag) {
        ColumnValue got;
        ColumnValue got_builder;
        ASSERT_OK(reader.Get(id, itag, &got));
        ASSERT_OK(builder.Get(id, itag, &got_builder));
        ASSERT_EQ(got.kind, got_builder.kind) << id << "/" << itag;
        ASSERT_EQ(got.bytes, got_builder.bytes) << id << "/" << itag;
        ASSERT_EQ(ExpectedKind(column, state, itag), got.kind) << id << "/" << itag;
        if (itag > state.values.size()) continue;
        const ModelValue& want = state.values[itag - 1];
        if (want.separated) {
          ASSERT_EQ(want.lid, got.lid);
          ASSERT_EQ(want.lv_size, got.lv_size);
        } else {
          ASSERT_EQ(want.bytes, got.bytes) << id << "/" << itag;
        }
        if (!column.tagged()) break;
      }
    }
  }

 private:
  Kind ExpectedKind(const ColumnDef& column, const ModelColumn& state, uint32_t itag) const {
    if (!column.tagged()) {
      if (!state.values.empty()) return Kind::kInline;
      const uint32_t covered = column.fixed() ? fixed_covered_ : variable_covered_;
      return column.columnid <= covered ? Kind::kNull : Kind::kAbsent;
    }
    if (state.values.empty()) return state.null_marker ? Kind::kNull : Kind::kAbsent;
    if (itag > state.values.size()) return Kind::kNull;
    return state.values[itag - 1].separated ? Kind::kSeparated : Kind::kInline;
  }

  void Cover(const ColumnDef& column) {
    uint32_t* covered = column.fixed() ? &fixed_covered_ : &variable_covered_;
    *covered = std::max(*covered, column.columnid);
  }

  void Set(const ColumnDef& column, uint32_t itag, const ModelValue& value) {
    ModelColumn& state = columns_[column.columnid];
    if (!column.tagged()) {
      Cover(column);
      state.values = {value};
      return;
    }
    state.null_marker = false;
    if (itag == 0 || itag > state.values.size()) {
      state.values.push_back(value);
    } else {
      state.values[itag - 1] = value;
    }
  }

  void Null(const ColumnDef& column, uint32_t itag, bool revert) {
    ModelColumn& state = columns_[column.columnid];
    if (!column.tagged()) {
      Cover(column);
      state.values.clear();
      return;
    }
    const bool keep_marker = column.default_value.has_value() && !revert;
    const size_t n = state.values.size();
    if (n == 0) {
      if (state.null_marker) {
        state.null_marker = !revert;
      } else {
        state.null_marker = itag == 1 && keep_marker;
      }
    } else if (itag >= 1 && itag <= n) {
      state.values.erase(state.values.begin() + (itag - 1));
      state.null_marker = state.values.empty() && keep_marker;
    }
  }

  // Random input bytes for `column`, the bytes the record should then
  // hold, and the status SetValue should return.
  std::string RandomBytes(std::mt19937_64* rng, const ColumnDef& column, std::string* input,
                          int32_t* expected) const {
    const uint32_t max = MaxValueSize(column);
    const uint32_t fixed_size = FixedSizeOfColtyp(column.coltyp);
    size_t length;
    const int shape = static_cast<int>((*rng)() % 8);
    if (shape == 0) {
      length = 0;
    } else if (shape == 1) {
      length = max + 1 + (*rng)() % 40;  // too long
    } else if (shape == 2 && fixed_size > 1) {
      length = fixed_size - 1;  // wrong size
    } else if (IsLongColtyp(column.coltyp)) {
      length = (*rng)() % 400;
    } else {
      length = 1 + (*rng)() % max;
      if (fixed_size > 0) length = fixed_size;
    }
    input->resize(length);
    for (char& c : *input) c = static_cast<char>((*rng)() % 3 == 0 ? 0 : (*rng)());
    std::string stored;
    *expected = NormalizeValue(column, *input, &stored).code();
    if (column.fixed() && input->empty()) *expected = JET_errSuccess;  // NULL
    return stored;
  }

  const TableDef* table_;
  std::map<uint32_t, ModelColumn> columns_;
  uint32_t fixed_covered_ = 0;
  uint32_t variable_covered_ = 0;
};

TableDef RandomTestTable() {
  return Table({Column(1, JET_coltypLong), Column(2, JET_coltypBit), Column(3, JET_coltypGUID),
                Column(4, JET_coltypBinary, JET_bitColumnFixed, 10), Column(5, JET_coltypShort),
                Column(128, JET_coltypBinary), Column(129, JET_coltypText, 0, 20),
                Column(130, JET_coltypBinary),
                Column(256, JET_coltypBinary, JET_bitColumnTagged | JET_bitColumnMultiValued),
                Column(257, JET_coltypLongBinary),
                WithDefault(Column(258, JET_coltypLongText), "dflt"),
                Column(259, JET_coltypLong, JET_bitColumnTagged),
                WithDefault(Column(300, JET_coltypText, JET_bitColumnTagged), "d300")});
}

TEST_F(RecordTest, RandomOperationsMatchModel) {
  const uint64_t seed = testing::TestSeed(20240611);
  std::printf("RecordTest.RandomOperationsMatchModel seed=%llu (JETSVC_TEST_SEED overrides)\n",
              static_cast<unsigned long long>(seed));
  SCOPED_TRACE("seed=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const TableDef table = RandomTestTable();
  for (int round = 0; round < 4; ++round) {
    RandomRecordModel model(&table);
    RecordBuilder builder(table);
    for (int batch = 0; batch < 60; ++batch) {
      for (int op = 0; op < 50; ++op) {
        ASSERT_NO_FATAL_FAILURE(model.Step(&rng, &builder));
      }
      builder.AssertValid();
      const std::string record = Encode(builder);
      const RecordReader reader = Open(table, record);
      ASSERT_NO_FATAL_FAILURE(model.Check(reader, builder));
      if (rng() % 3 == 0) {  // continue from the decoded record
        RecordBuilder reloaded(table);
        ASSERT_OK(reloaded.Load(record));
        reloaded.AssertValid();
        ASSERT_EQ(record, Encode(reloaded));
        builder = reloaded;
      }
    }
  }
}

// Runs every read path over `record`; each must succeed or report
// corruption. Touches returned bytes so ASan sees any bad view.
void ExerciseRecord(const TableDef& table, std::string_view record, uint64_t* checksum) {
  auto ok_or_corrupt = [](const Status& s) {
    return s.ok() || s.IsCode(JET_errDatabaseCorrupted);
  };
  auto touch = [checksum](const ColumnValue& value) {
    for (char c : value.bytes) *checksum += static_cast<uint8_t>(c);
    *checksum += value.lid + value.lv_size;
  };
  RecordReader reader;
  Status s = RecordReader::Open(table, record, &reader);
  ASSERT_TRUE(ok_or_corrupt(s)) << s.ToString();
  if (s.ok()) {
    for (const ColumnDef& column : table.columns) {
      for (uint32_t itag = 1; itag <= 3; ++itag) {
        ColumnValue value;
        s = reader.Get(column.columnid, itag, &value);
        ASSERT_TRUE(ok_or_corrupt(s)) << s.ToString();
        if (s.ok()) touch(value);
      }
      uint32_t count;
      s = reader.CountValues(column.columnid, &count);
      ASSERT_TRUE(ok_or_corrupt(s)) << s.ToString();
    }
    s = reader.ForEachValue([&](uint32_t, uint32_t, const ColumnValue& value) { touch(value); });
    ASSERT_TRUE(ok_or_corrupt(s)) << s.ToString();
    ASSERT_EQ(s.code(), reader.Validate().code());
  }
  RecordBuilder builder(table);
  s = builder.Load(record);
  ASSERT_TRUE(ok_or_corrupt(s)) << s.ToString();
  if (s.ok()) {
    builder.AssertValid();
    std::string rewritten;
    s = builder.Encode(&rewritten);
    ASSERT_TRUE(s.ok() || s.IsCode(JET_errRecordTooBig)) << s.ToString();
    if (s.ok()) {
      ASSERT_OK(RecordReader::Open(table, rewritten, &reader));
      ASSERT_OK(reader.Validate());
    }
  }
}

TEST_F(RecordTest, CorruptedRecordsGiveDatabaseCorruptedNeverACrash) {
  const uint64_t seed = testing::TestSeed(777);
  std::printf("RecordTest.CorruptedRecordsGiveDatabaseCorruptedNeverACrash seed=%llu\n",
              static_cast<unsigned long long>(seed));
  SCOPED_TRACE("seed=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const TableDef table = RandomTestTable();

  // Valid records of many shapes, from random operation sequences.
  std::vector<std::string> records;
  RandomRecordModel model(&table);
  RecordBuilder builder(table);
  while (records.size() < 40) {
    for (int op = 0; op < 15; ++op) ASSERT_NO_FATAL_FAILURE(model.Step(&rng, &builder));
    records.push_back(Encode(builder));
  }

  uint64_t checksum = 0;
  int corrupt = 0;
  for (int iteration = 0; iteration < 10000; ++iteration) {
    std::string mutated = records[rng() % records.size()];
    const int kind = static_cast<int>(rng() % 5);
    if (kind != 1) {  // flip bytes, favouring the structural front
      const int flips = 1 + static_cast<int>(rng() % 3);
      for (int f = 0; f < flips && !mutated.empty(); ++f) {
        const size_t limit = rng() % 2 ? std::min<size_t>(mutated.size(), 24) : mutated.size();
        mutated[rng() % limit] ^= static_cast<char>(1 + rng() % 255);
      }
    }
    if (kind == 1 || kind == 2) mutated.resize(rng() % (mutated.size() + 1));
    if (kind == 3) mutated.append(rng() % 8, static_cast<char>(rng()));
    // An exact-size heap copy, so ASan flags any read past the end.
    std::unique_ptr<char[]> heap(new char[mutated.size() + 1]);
    std::copy(mutated.begin(), mutated.end(), heap.get());
    const std::string_view view(heap.get(), mutated.size());
    RecordReader probe;
    if (!RecordReader::Open(table, view, &probe).ok() || !probe.Validate().ok()) ++corrupt;
    ASSERT_NO_FATAL_FAILURE(ExerciseRecord(table, view, &checksum)) << "iteration " << iteration;
  }
  EXPECT_GT(corrupt, 1000);  // the mutations do hit the checks
  std::printf("corrupt records detected: %d of 10000 (checksum %llu)\n", corrupt,
              static_cast<unsigned long long>(checksum));
}

}  // namespace
}  // namespace jetsvc

// Tests for normalized keys (engine/record/key.h): order per coltyp,
// multi-segment keys, prefix-freeness, JetMakeKey limits, truncation and
// the keys an index holds for a record.

#include "engine/record/key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/catalog/schema.h"
#include "engine/util/coding.h"
#include "esent.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

using OptString = std::optional<std::string>;

constexpr uint64_t kDefaultSeed = 20240917;

ColumnDef MakeColumn(uint32_t columnid, uint32_t coltyp, uint16_t code_page = 0, uint32_t grbit = 0,
                     uint32_t cb_max = 0) {
  ColumnDef column;
  column.columnid = columnid;
  column.name = "c" + std::to_string(columnid);
  column.coltyp = coltyp;
  column.code_page = code_page;
  column.grbit = grbit;
  column.cb_max = cb_max;
  return column;
}

std::string Le16(uint16_t v) {
  std::string s;
  PutFixed16(&s, v);
  return s;
}
std::string Le32(uint32_t v) {
  std::string s;
  PutFixed32(&s, v);
  return s;
}
std::string Le64(uint64_t v) {
  std::string s;
  PutFixed64(&s, v);
  return s;
}
std::string FloatBytes(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return Le32(bits);
}
std::string DoubleBytes(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  return Le64(bits);
}
std::string Utf16Bytes(const std::vector<uint16_t>& units) {
  std::string s;
  for (uint16_t u : units) PutFixed16(&s, u);
  return s;
}

// memcmp order, shorter-is-smaller: -1, 0 or 1.
int CompareBytes(std::string_view a, std::string_view b) {
  const size_t common = std::min(a.size(), b.size());
  const int c = common == 0 ? 0 : std::memcmp(a.data(), b.data(), common);
  if (c != 0) return c < 0 ? -1 : 1;
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

std::string Segment(const ColumnDef& column, bool descending, const OptString& value,
                    uint32_t index_grbit = 0) {
  std::string key;
  std::string_view view;
  const std::string_view* p = nullptr;
  if (value.has_value()) {
    view = *value;
    p = &view;
  }
  const Status status = NormalizeSegment(column, descending, p, &key, index_grbit);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return key;
}

int SegmentStatus(const ColumnDef& column, const std::string& value) {
  std::string key = "unchanged";
  std::string_view view = value;
  const Status status = NormalizeSegment(column, false, &view, &key);
  EXPECT_EQ("unchanged", key) << "a failed NormalizeSegment must not append";
  return status.code();
}

// Sorts `values` by `less` and checks that adjacent values' segments
// compare the same way (ascending) and the opposite way (descending).
// Adjacent pairs suffice: memcmp order is transitive.
template <typename T>
void ExpectSegmentOrder(const ColumnDef& column, std::vector<T> values,
                        const std::function<bool(const T&, const T&)>& less,
                        const std::function<std::string(const T&)>& to_bytes,
                        uint32_t index_grbit = 0) {
  std::stable_sort(values.begin(), values.end(), less);
  for (bool descending : {false, true}) {
    for (size_t i = 1; i < values.size(); ++i) {
      const std::string a = to_bytes(values[i - 1]);
      const std::string b = to_bytes(values[i]);
      const std::string ka = Segment(column, descending, a, index_grbit);
      const std::string kb = Segment(column, descending, b, index_grbit);
      const int expected = less(values[i - 1], values[i]) ? (descending ? 1 : -1) : 0;
      const int actual = CompareBytes(ka, kb);
      if (actual != expected) {
        ADD_FAILURE() << "coltyp " << column.coltyp << (descending ? " descending" : "")
                      << ": values " << DescribeKey(a) << " / " << DescribeKey(b) << " give keys "
                      << DescribeKey(ka) << " / " << DescribeKey(kb) << ", compare " << actual
                      << ", expected " << expected;
        return;
      }
    }
  }
}

class KeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = jetsvc::testing::TestSeed(kDefaultSeed);
    std::printf("[ seed     ] JETSVC_TEST_SEED=%" PRIu64 "\n", seed_);
    RecordProperty("seed", std::to_string(seed_));
    rng_.seed(seed_);
  }

  uint64_t Random64() { return rng_(); }
  uint32_t Uniform(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  bool OneIn(uint32_t n) { return Uniform(n) == 0; }

  // Integers: uniform bits, small magnitudes and the edges.
  template <typename T>
  std::vector<T> RandomIntegers(size_t count) {
    std::vector<T> values = {std::numeric_limits<T>::min(),
                             std::numeric_limits<T>::max(),
                             T(0),
                             T(1),
                             static_cast<T>(-1),
                             static_cast<T>(std::numeric_limits<T>::min() + 1),
                             static_cast<T>(std::numeric_limits<T>::max() - 1)};
    for (size_t i = 0; i < count; ++i) {
      const uint64_t r = Random64();
      values.push_back(OneIn(3) ? static_cast<T>(static_cast<int64_t>(r % 21) - 10)
                                : static_cast<T>(r));
    }
    return values;
  }

  // Byte strings rich in 0x00 and 0xFF, sharing prefixes.
  std::vector<std::string> RandomByteStrings(size_t count) {
    std::vector<std::string> values = {"",
                                       std::string(1, '\0'),
                                       std::string(2, '\0'),
                                       "\xFF",
                                       "\xFF\xFF",
                                       "a",
                                       std::string("a\0", 2),
                                       std::string("a\0\0", 3),
                                       "a\x01",
                                       "a\xFF",
                                       "ab",
                                       "b",
                                       std::string("\0\xFF", 2),
                                       std::string("\xFF\0", 2)};
    static const char kAlphabet[] = {'\0', '\x01', '\x7F', '\x80', '\xFE', '\xFF', 'a', 'b'};
    for (size_t i = 0; i < count; ++i) {
      std::string s;
      if (OneIn(3) && !values.empty()) {
        const std::string& base = values[Uniform(static_cast<uint32_t>(values.size()))];
        s = base.substr(0, Uniform(static_cast<uint32_t>(base.size()) + 1));
      }
      const uint32_t extra = OneIn(10) ? Uniform(40) : Uniform(6);
      for (uint32_t j = 0; j < extra; ++j) {
        s.push_back(OneIn(2) ? kAlphabet[Uniform(sizeof(kAlphabet))]
                             : static_cast<char>(Random64()));
      }
      values.push_back(s);
    }
    return values;
  }

  std::vector<std::vector<uint16_t>> RandomUtf16Strings(size_t count) {
    static const uint16_t kUnits[] = {0x0000, 0x0001, 0x00FF, 0x0100, 0xFF00, 0xFFFF,
                                      0x0061, 0x0062, 0xD800, 0xDC00, 0x7F7F, 0x8000};
    std::vector<std::vector<uint16_t>> values = {{},       {0x0000}, {0x00FF},         {0xFF00},
                                                 {0x0100}, {0x0061}, {0x0061, 0x0000}, {0xFFFF}};
    for (size_t i = 0; i < count; ++i) {
      std::vector<uint16_t> s;
      if (OneIn(3)) {
        const auto& base = values[Uniform(static_cast<uint32_t>(values.size()))];
        s.assign(base.begin(), base.begin() + Uniform(static_cast<uint32_t>(base.size()) + 1));
      }
      const uint32_t extra = Uniform(6);
      for (uint32_t j = 0; j < extra; ++j) {
        s.push_back(OneIn(2) ? kUnits[Uniform(sizeof(kUnits) / sizeof(kUnits[0]))]
                             : static_cast<uint16_t>(Random64()));
      }
      values.push_back(s);
    }
    return values;
  }

  std::string RandomBookmark() {
    switch (Uniform(4)) {
      case 0:
        return "";
      case 1:
        return std::string(1 + Uniform(8), '\xFF');
      case 2:
        return std::string(1 + Uniform(8), '\0');
      default: {
        std::string s;
        for (uint32_t i = 0, n = 1 + Uniform(8); i < n; ++i)
          s.push_back(static_cast<char>(Random64()));
        return s;
      }
    }
  }

  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
};

// --- Order per coltyp ---------------------------------------------------------

TEST_F(KeyTest, BitKeysSortFalseBeforeTrueAndAnyNonZeroIsTrue) {
  const ColumnDef column = MakeColumn(1, JET_coltypBit);
  std::vector<uint8_t> values;
  for (int i = 0; i < 256; ++i) values.push_back(static_cast<uint8_t>(i));
  ExpectSegmentOrder<uint8_t>(
      column, values, [](const uint8_t& a, const uint8_t& b) { return (a != 0) < (b != 0); },
      [](const uint8_t& v) { return std::string(1, static_cast<char>(v)); });
}

TEST_F(KeyTest, UnsignedByteKeysSortNumerically) {
  const ColumnDef column = MakeColumn(1, JET_coltypUnsignedByte);
  std::vector<uint8_t> values;
  for (int i = 0; i < 256; ++i) values.push_back(static_cast<uint8_t>(255 - i));
  ExpectSegmentOrder<uint8_t>(
      column, values, [](const uint8_t& a, const uint8_t& b) { return a < b; },
      [](const uint8_t& v) { return std::string(1, static_cast<char>(v)); });
}

TEST_F(KeyTest, ShortKeysSortNumerically) {
  ExpectSegmentOrder<int16_t>(
      MakeColumn(1, JET_coltypShort), RandomIntegers<int16_t>(2000),
      [](const int16_t& a, const int16_t& b) { return a < b; },
      [](const int16_t& v) { return Le16(static_cast<uint16_t>(v)); });
}

TEST_F(KeyTest, UnsignedShortKeysSortNumerically) {
  ExpectSegmentOrder<uint16_t>(
      MakeColumn(1, JET_coltypUnsignedShort), RandomIntegers<uint16_t>(2000),
      [](const uint16_t& a, const uint16_t& b) { return a < b; },
      [](const uint16_t& v) { return Le16(v); });
}

TEST_F(KeyTest, LongKeysSortNumerically) {
  ExpectSegmentOrder<int32_t>(
      MakeColumn(1, JET_coltypLong), RandomIntegers<int32_t>(2000),
      [](const int32_t& a, const int32_t& b) { return a < b; },
      [](const int32_t& v) { return Le32(static_cast<uint32_t>(v)); });
}

TEST_F(KeyTest, UnsignedLongKeysSortNumerically) {
  ExpectSegmentOrder<uint32_t>(
      MakeColumn(1, JET_coltypUnsignedLong), RandomIntegers<uint32_t>(2000),
      [](const uint32_t& a, const uint32_t& b) { return a < b; },
      [](const uint32_t& v) { return Le32(v); });
}

TEST_F(KeyTest, LongLongAndCurrencyKeysSortNumerically) {
  for (uint32_t coltyp : {JET_coltypLongLong, JET_coltypCurrency}) {
    ExpectSegmentOrder<int64_t>(
        MakeColumn(1, coltyp), RandomIntegers<int64_t>(2000),
        [](const int64_t& a, const int64_t& b) { return a < b; },
        [](const int64_t& v) { return Le64(static_cast<uint64_t>(v)); });
  }
}

TEST_F(KeyTest, UnsignedLongLongKeysSortNumerically) {
  ExpectSegmentOrder<uint64_t>(
      MakeColumn(1, JET_coltypUnsignedLongLong), RandomIntegers<uint64_t>(2000),
      [](const uint64_t& a, const uint64_t& b) { return a < b; },
      [](const uint64_t& v) { return Le64(v); });
}

// Numeric order, with -0.0 just before +0.0 (they are distinct keys).
template <typename F>
bool FloatLess(const F& a, const F& b) {
  if (a < b) return true;
  if (a > b) return false;
  return std::signbit(a) && !std::signbit(b);
}

TEST_F(KeyTest, IEEESingleKeysSortNumericallyWithNegativeZeroFirst) {
  using L = std::numeric_limits<float>;
  std::vector<float> values = {
      0.0f,      -0.0f,           L::infinity(),    -L::infinity(), L::max(), L::lowest(), L::min(),
      -L::min(), L::denorm_min(), -L::denorm_min(), L::epsilon(),   1.0f,     -1.0f};
  std::uniform_real_distribution<float> nice(-1e6f, 1e6f);
  for (int i = 0; i < 3000; ++i) {
    float f;
    if (OneIn(2)) {
      f = nice(rng_);
    } else {
      const uint32_t bits = static_cast<uint32_t>(Random64());
      std::memcpy(&f, &bits, sizeof(f));
    }
    if (!std::isnan(f)) values.push_back(f);
  }
  ExpectSegmentOrder<float>(MakeColumn(1, JET_coltypIEEESingle), values, FloatLess<float>,
                            [](const float& v) { return FloatBytes(v); });
}

TEST_F(KeyTest, IEEEDoubleAndDateTimeKeysSortNumericallyWithNegativeZeroFirst) {
  using L = std::numeric_limits<double>;
  std::vector<double> values = {
      0.0,          -0.0,     L::infinity(), -L::infinity(),  L::max(),
      L::lowest(),  L::min(), -L::min(),     L::denorm_min(), -L::denorm_min(),
      L::epsilon(), 1.0,      -1.0,          36526.5 /* 2000-01-01 noon */};
  std::uniform_real_distribution<double> nice(-1e6, 1e6);
  for (int i = 0; i < 3000; ++i) {
    double d;
    if (OneIn(2)) {
      d = nice(rng_);
    } else {
      const uint64_t bits = Random64();
      std::memcpy(&d, &bits, sizeof(d));
    }
    if (!std::isnan(d)) values.push_back(d);
  }
  for (uint32_t coltyp : {JET_coltypIEEEDouble, JET_coltypDateTime}) {
    ExpectSegmentOrder<double>(MakeColumn(1, coltyp), values, FloatLess<double>,
                               [](const double& v) { return DoubleBytes(v); });
  }
}

TEST_F(KeyTest, NaNsSortBeyondTheInfinitiesBySign) {
  const ColumnDef single = MakeColumn(1, JET_coltypIEEESingle);
  const ColumnDef dbl = MakeColumn(2, JET_coltypIEEEDouble);
  const float fnan = std::numeric_limits<float>::quiet_NaN();
  const double dnan = std::numeric_limits<double>::quiet_NaN();
  const float finf = std::numeric_limits<float>::infinity();
  const double dinf = std::numeric_limits<double>::infinity();
  EXPECT_GT(CompareBytes(Segment(single, false, FloatBytes(std::copysign(fnan, 1.0f))),
                         Segment(single, false, FloatBytes(finf))),
            0);
  EXPECT_LT(CompareBytes(Segment(single, false, FloatBytes(std::copysign(fnan, -1.0f))),
                         Segment(single, false, FloatBytes(-finf))),
            0);
  EXPECT_GT(CompareBytes(Segment(dbl, false, DoubleBytes(std::copysign(dnan, 1.0))),
                         Segment(dbl, false, DoubleBytes(dinf))),
            0);
  EXPECT_LT(CompareBytes(Segment(dbl, false, DoubleBytes(std::copysign(dnan, -1.0))),
                         Segment(dbl, false, DoubleBytes(-dinf))),
            0);
}

TEST_F(KeyTest, GuidKeysFollowEseByteOrder) {
  const ColumnDef column = MakeColumn(1, JET_coltypGUID);
  // ESE compares bytes 10..15 first and bytes 0..3 last.
  std::string low(16, '\0');
  std::string high(16, '\0');
  low[0] = '\xFF';
  low[3] = '\xFF';
  high[10] = '\x01';
  EXPECT_LT(CompareBytes(Segment(column, false, low), Segment(column, false, high)), 0);
  EXPECT_EQ("7f 00 00 00 00 00 00 00 00 00 00 00 00 ff 00 00 ff",
            DescribeKey(Segment(column, false, low)));

  static const int kOrder[16] = {10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3};
  static const int kDotNetOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  std::vector<std::string> values;
  for (int i = 0; i < 1500; ++i) {
    std::string g;
    for (int j = 0; j < 16; ++j)
      g.push_back(OneIn(2) ? static_cast<char>(Random64() % 3) : static_cast<char>(Random64()));
    values.push_back(g);
  }
  auto less_by = [](const int* order) {
    return [order](const std::string& a, const std::string& b) {
      for (int i = 0; i < 16; ++i) {
        const auto x = static_cast<uint8_t>(a[order[i]]);
        const auto y = static_cast<uint8_t>(b[order[i]]);
        if (x != y) return x < y;
      }
      return false;
    };
  };
  const auto identity = [](const std::string& v) { return v; };
  ExpectSegmentOrder<std::string>(column, values, less_by(kOrder), identity);
  // JET_bitIndexDotNetGuid: Data1, Data2, Data3 as little-endian numbers,
  // then Data4's bytes, as System.Guid.CompareTo.
  ExpectSegmentOrder<std::string>(column, values, less_by(kDotNetOrder), identity,
                                  JET_bitIndexDotNetGuid);
}

TEST_F(KeyTest, BinaryAndAnsiTextKeysSortByBytes) {
  const std::vector<std::string> values = RandomByteStrings(3000);
  const auto less = [](const std::string& a, const std::string& b) { return a < b; };
  const auto identity = [](const std::string& v) { return v; };
  ExpectSegmentOrder<std::string>(MakeColumn(128, JET_coltypBinary), values, less, identity);
  ExpectSegmentOrder<std::string>(MakeColumn(256, JET_coltypLongBinary), values, less, identity);
  ExpectSegmentOrder<std::string>(MakeColumn(129, JET_coltypText, 1252), values, less, identity);
  ExpectSegmentOrder<std::string>(MakeColumn(257, JET_coltypLongText, 1252), values, less,
                                  identity);
}

TEST_F(KeyTest, TextIsCaseSensitiveBinaryCollation) {
  const ColumnDef column = MakeColumn(128, JET_coltypText, 1252);
  EXPECT_LT(CompareBytes(Segment(column, false, "B"), Segment(column, false, "a")), 0);
  EXPECT_NE(Segment(column, false, "a"), Segment(column, false, "A"));
}

TEST_F(KeyTest, UnicodeTextKeysSortByUtf16CodeUnits) {
  const auto values = RandomUtf16Strings(3000);
  using Units = std::vector<uint16_t>;
  for (uint32_t coltyp : {JET_coltypText, JET_coltypLongText}) {
    ExpectSegmentOrder<Units>(
        MakeColumn(coltyp == JET_coltypText ? 128 : 256, coltyp, 1200), values,
        [](const Units& a, const Units& b) { return a < b; },
        [](const Units& v) { return Utf16Bytes(v); });
  }
}

TEST_F(KeyTest, UnicodeTextIgnoresATrailingHalfCodeUnit) {
  const ColumnDef column = MakeColumn(128, JET_coltypText, 1200);
  EXPECT_EQ(Segment(column, false, std::string("a\0", 2)),
            Segment(column, false, std::string("a\0b", 3)));
}

TEST_F(KeyTest, EncodingMatchesTheDocumentedBytes) {
  EXPECT_EQ("7f 80 00 00 01", DescribeKey(Segment(MakeColumn(1, JET_coltypLong), false, Le32(1))));
  EXPECT_EQ("80 7f ff ff fe", DescribeKey(Segment(MakeColumn(1, JET_coltypLong), true, Le32(1))));
  EXPECT_EQ("7f 7f ff", DescribeKey(Segment(MakeColumn(1, JET_coltypShort), false,
                                            Le16(static_cast<uint16_t>(-1)))));
  EXPECT_EQ("7f ff", DescribeKey(Segment(MakeColumn(1, JET_coltypBit), false, "\x02")));
  EXPECT_EQ("7f 61 00 ff 62 00 00",
            DescribeKey(Segment(MakeColumn(128, JET_coltypBinary), false, std::string("a\0b", 3))));
  EXPECT_EQ("7f 00 ff 61 00 00", DescribeKey(Segment(MakeColumn(128, JET_coltypText, 1200), false,
                                                     std::string("a\0", 2))));
  EXPECT_EQ("7f 80 00 00 00",
            DescribeKey(Segment(MakeColumn(1, JET_coltypIEEESingle), false, FloatBytes(0.0f))));
  EXPECT_EQ("7f 7f ff ff ff",
            DescribeKey(Segment(MakeColumn(1, JET_coltypIEEESingle), false, FloatBytes(-0.0f))));
}

// --- NULL and zero-length -------------------------------------------------------

TEST_F(KeyTest, NullSortsBeforeZeroLengthWhichSortsBeforeValues) {
  for (uint32_t coltyp :
       {JET_coltypBinary, JET_coltypText, JET_coltypLongBinary, JET_coltypLongText}) {
    const ColumnDef column = MakeColumn(
        coltyp == JET_coltypBinary || coltyp == JET_coltypText ? 128 : 256, coltyp, 1252);
    for (bool descending : {false, true}) {
      const std::string null_key = Segment(column, descending, std::nullopt);
      const std::string empty_key = Segment(column, descending, std::string());
      const std::string zero_key = Segment(column, descending, std::string(1, '\0'));
      const int sign = descending ? -1 : 1;
      EXPECT_EQ(-sign, CompareBytes(null_key, empty_key)) << coltyp;
      EXPECT_EQ(-sign, CompareBytes(empty_key, zero_key)) << coltyp;
      EXPECT_EQ(1u, null_key.size());
      EXPECT_EQ(1u, empty_key.size());
    }
  }
  const ColumnDef long_column = MakeColumn(1, JET_coltypLong);
  const int32_t min = std::numeric_limits<int32_t>::min();
  EXPECT_LT(CompareBytes(Segment(long_column, false, std::nullopt),
                         Segment(long_column, false, Le32(static_cast<uint32_t>(min)))),
            0);
  EXPECT_GT(CompareBytes(Segment(long_column, true, std::nullopt),
                         Segment(long_column, true, Le32(0x7FFFFFFF))),
            0);
}

TEST_F(KeyTest, SortNullsHighPutsNullAfterValues) {
  const ColumnDef column = MakeColumn(128, JET_coltypText, 1252);
  const std::string null_key = Segment(column, false, std::nullopt, JET_bitIndexSortNullsHigh);
  EXPECT_GT(CompareBytes(null_key, Segment(column, false, "\xFF\xFF", JET_bitIndexSortNullsHigh)),
            0);
  EXPECT_LT(CompareBytes(Segment(column, false, "", JET_bitIndexSortNullsHigh),
                         Segment(column, false, "a", JET_bitIndexSortNullsHigh)),
            0);
}

TEST_F(KeyTest, WrongSizedValuesAreInvalidBufferSize) {
  for (uint32_t coltyp :
       {JET_coltypBit, JET_coltypUnsignedByte, JET_coltypShort, JET_coltypLong, JET_coltypCurrency,
        JET_coltypIEEESingle, JET_coltypIEEEDouble, JET_coltypDateTime, JET_coltypUnsignedLong,
        JET_coltypLongLong, JET_coltypGUID, JET_coltypUnsignedShort, JET_coltypUnsignedLongLong}) {
    const ColumnDef column = MakeColumn(1, coltyp);
    const size_t size = FixedSizeOfColtyp(coltyp);
    EXPECT_EQ(JET_errInvalidBufferSize, SegmentStatus(column, std::string(size + 1, 'x')))
        << coltyp;
    EXPECT_EQ(JET_errInvalidBufferSize, SegmentStatus(column, std::string())) << coltyp;
    if (size > 1) {
      EXPECT_EQ(JET_errInvalidBufferSize, SegmentStatus(column, std::string(size - 1, 'x')))
          << coltyp;
    }
  }
  EXPECT_EQ(JET_errInvalidParameter, SegmentStatus(MakeColumn(1, 13 /* SLV */), "x"));
}

// --- Multi-segment keys ----------------------------------------------------------

struct Tuple {
  std::optional<int32_t> l;
  OptString t;
  OptString b;
  std::optional<int16_t> s;  // descending segment
};

bool TupleLess(const Tuple& x, const Tuple& y) {
  if (x.l != y.l) return x.l < y.l;
  if (x.t != y.t) return x.t < y.t;
  if (x.b != y.b) return x.b < y.b;
  if (x.s != y.s) return y.s < x.s;  // descending
  return false;
}

class MultiSegmentKeyTest : public KeyTest {
 protected:
  void SetUp() override {
    KeyTest::SetUp();
    table_.name = "t";
    table_.columns = {MakeColumn(1, JET_coltypLong), MakeColumn(2, JET_coltypShort),
                      MakeColumn(128, JET_coltypText, 1252), MakeColumn(129, JET_coltypBinary)};
    index_.name = "multi";
    index_.segments = {{1, false}, {128, false}, {129, false}, {2, true}};
    index_.cb_key_most = 2000;
  }

  std::string KeyOf(const Tuple& tuple) {
    std::optional<std::string> l, s;
    if (tuple.l) l = Le32(static_cast<uint32_t>(*tuple.l));
    if (tuple.s) s = Le16(static_cast<uint16_t>(*tuple.s));
    std::vector<std::optional<std::string_view>> values = {
        l ? std::optional<std::string_view>(*l) : std::nullopt,
        tuple.t ? std::optional<std::string_view>(*tuple.t) : std::nullopt,
        tuple.b ? std::optional<std::string_view>(*tuple.b) : std::nullopt,
        s ? std::optional<std::string_view>(*s) : std::nullopt};
    std::string key;
    bool truncated = true;
    const Status status = NormalizeKey(table_, index_, values, &key, &truncated);
    EXPECT_TRUE(status.ok()) << status.ToString();
    EXPECT_FALSE(truncated);
    return key;
  }

  std::vector<Tuple> RandomTuples(size_t count) {
    const std::vector<std::string> strings = RandomByteStrings(12);
    std::vector<Tuple> tuples;
    for (size_t i = 0; i < count; ++i) {
      Tuple t;
      if (!OneIn(8)) t.l = static_cast<int32_t>(Uniform(5)) - 2;
      if (!OneIn(8)) t.t = strings[Uniform(static_cast<uint32_t>(strings.size()))];
      if (!OneIn(8)) t.b = strings[Uniform(static_cast<uint32_t>(strings.size()))];
      if (!OneIn(8)) t.s = static_cast<int16_t>(static_cast<int>(Uniform(5)) - 2);
      if (OneIn(20)) t.s = std::numeric_limits<int16_t>::min();
      tuples.push_back(t);
    }
    return tuples;
  }

  TableDef table_;
  IndexDef index_;
};

TEST_F(MultiSegmentKeyTest, KeysSortAsTheirTuples) {
  std::vector<Tuple> tuples = RandomTuples(3000);
  std::stable_sort(tuples.begin(), tuples.end(), TupleLess);
  for (size_t i = 1; i < tuples.size(); ++i) {
    const int expected = TupleLess(tuples[i - 1], tuples[i]) ? -1 : 0;
    const std::string a = KeyOf(tuples[i - 1]);
    const std::string b = KeyOf(tuples[i]);
    ASSERT_EQ(expected, CompareBytes(a, b)) << DescribeKey(a) << " / " << DescribeKey(b);
  }
}

TEST_F(MultiSegmentKeyTest, AppendingBookmarksNeverChangesTheOrderOfDifferentKeys) {
  const std::vector<Tuple> tuples = RandomTuples(500);
  std::vector<std::string> keys;
  for (const Tuple& t : tuples) keys.push_back(KeyOf(t));
  for (size_t i = 0; i < keys.size(); ++i) {
    for (size_t j = 0; j < keys.size(); ++j) {
      const int c = CompareBytes(keys[i], keys[j]);
      if (c == 0) continue;
      // No complete key is a proper prefix of another.
      ASSERT_FALSE(StartsWith(keys[j], keys[i]))
          << DescribeKey(keys[i]) << " / " << DescribeKey(keys[j]);
      if (!OneIn(8)) continue;
      const std::string a = keys[i] + RandomBookmark();
      const std::string b = keys[j] + RandomBookmark();
      ASSERT_EQ(c, CompareBytes(a, b)) << DescribeKey(a) << " / " << DescribeKey(b);
    }
  }
}

TEST_F(MultiSegmentKeyTest, KeyBuilderMakesTheSameKeyAsNormalizeKey) {
  for (const Tuple& tuple : RandomTuples(300)) {
    KeyBuilder builder(table_, index_);
    const std::string l = tuple.l ? Le32(static_cast<uint32_t>(*tuple.l)) : std::string();
    const std::string s = tuple.s ? Le16(static_cast<uint16_t>(*tuple.s)) : std::string();
    const uint32_t zl = JET_bitKeyDataZeroLength;
    ASSERT_OK(builder.AddColumn(l, JET_bitNewKey));
    ASSERT_OK(builder.AddColumn(tuple.t.value_or(""), tuple.t ? zl : 0));
    ASSERT_OK(builder.AddColumn(tuple.b.value_or(""), tuple.b ? zl : 0));
    ASSERT_OK(builder.AddColumn(s, 0));
    EXPECT_TRUE(builder.complete());
    EXPECT_FALSE(builder.is_limit());
    EXPECT_EQ(KeyOf(tuple), builder.key());
  }
}

// --- KeyBuilder limits -----------------------------------------------------------

// One index entry: its column values and its bytes (key || bookmark).
struct Entry {
  std::optional<int32_t> l;
  OptString t;
  std::string bytes;
};

class KeyBuilderTest : public KeyTest {
 protected:
  void SetUp() override {
    KeyTest::SetUp();
    table_.name = "t";
    table_.columns = {MakeColumn(1, JET_coltypLong),
                      MakeColumn(3, JET_coltypBinary, 0, JET_bitColumnFixed, 4),
                      MakeColumn(4, JET_coltypText, 1252, JET_bitColumnFixed, 8),
                      MakeColumn(128, JET_coltypText, 1252),
                      MakeColumn(129, JET_coltypBinary),
                      MakeColumn(256, JET_coltypLongText, 1200, JET_bitColumnTagged)};
    long_text_.name = "long_text";
    long_text_.segments = {{1, false}, {128, false}};
    long_binary_.name = "long_binary";
    long_binary_.segments = {{1, false}, {129, false}};
    desc_text_.name = "desc_text";
    desc_text_.segments = {{128, true}};
    fixed_.name = "fixed";
    fixed_.segments = {{3, false}, {4, false}};
    empty_.name = "sequential";
  }

  static const std::vector<OptString>& Texts() {
    static const std::vector<OptString> texts = {
        std::nullopt, std::string(), "a", "ab",   std::string("ab\0", 3), "ab\x01", "abc", "ab\xFF",
        "ab\xFF\xFF", "ac",          "b", "\xFF", std::string(1, '\0'),   "aa\xFF"};
    return texts;
  }

  // Every (long, text) pair of a small domain, each with a few bookmarks.
  std::vector<Entry> Entries(const IndexDef& index) {
    std::vector<Entry> entries;
    const std::vector<std::optional<int32_t>> longs = {std::nullopt, -1, 0, 5, 7};
    for (const auto& l : longs) {
      for (const OptString& t : Texts()) {
        const std::string l_bytes = l ? Le32(static_cast<uint32_t>(*l)) : std::string();
        std::vector<std::optional<std::string_view>> values;
        if (index.segments.size() == 2) {
          values.push_back(l ? std::optional<std::string_view>(l_bytes) : std::nullopt);
        } else if (l != longs[1]) {
          continue;  // one-column index: one copy of each text
        }
        values.push_back(t ? std::optional<std::string_view>(*t) : std::nullopt);
        std::string key;
        bool truncated;
        EXPECT_OK(NormalizeKey(table_, index, values, &key, &truncated));
        for (int i = 0; i < 3; ++i) entries.push_back({l, t, key + RandomBookmark()});
      }
    }
    return entries;
  }

  static bool Admits(const KeyBuilder& builder, const std::string& entry) {
    const int c = CompareToSearchKey(entry, builder.key(), builder.limit());
    return builder.limit() == KeyLimit::kEnd ? c < 0 : c >= 0;
  }

  // Checks that `builder`'s key admits exactly the entries `expected` picks.
  void ExpectBounds(const KeyBuilder& builder, const std::vector<Entry>& entries,
                    const std::function<bool(const Entry&)>& expected, const std::string& what) {
    ASSERT_TRUE(builder.made()) << what;
    for (const Entry& e : entries) {
      const bool want = expected(e);
      if (Admits(builder, e.bytes) != want) {
        ADD_FAILURE() << what << ": key " << DescribeKey(builder.key())
                      << (want ? " rejects " : " admits ") << "entry " << DescribeKey(e.bytes)
                      << " (long " << (e.l ? std::to_string(*e.l) : "NULL") << ", text "
                      << (e.t ? DescribeKey(*e.t) : "NULL") << ")";
        return;
      }
    }
  }

  // Builds (long x, text t) with `grbit` on the text column.
  Status Make(KeyBuilder* builder, int32_t x, const OptString& t, uint32_t grbit) {
    JET_RETURN_IF_ERROR(builder->AddColumn(Le32(static_cast<uint32_t>(x)), JET_bitNewKey));
    const uint32_t zl = t && t->empty() ? JET_bitKeyDataZeroLength : 0;
    return builder->AddColumn(t.value_or(""), grbit | zl);
  }

  TableDef table_;
  IndexDef long_text_, long_binary_, desc_text_, fixed_, empty_;
};

TEST_F(KeyBuilderTest, FullColumnLimitsOnTheFirstColumnMakeLaterColumnsWildcards) {
  const std::vector<Entry> entries = Entries(long_text_);
  KeyBuilder builder(table_, long_text_);
  for (int32_t x : {-1, 0, 5, 6}) {
    ASSERT_OK(builder.AddColumn(Le32(static_cast<uint32_t>(x)),
                                JET_bitNewKey | JET_bitFullColumnStartLimit));
    EXPECT_EQ(KeyLimit::kStart, builder.limit());
    ExpectBounds(
        builder, entries, [x](const Entry& e) { return e.l && *e.l >= x; }, "start");
    ASSERT_OK(builder.AddColumn(Le32(static_cast<uint32_t>(x)),
                                JET_bitNewKey | JET_bitFullColumnEndLimit));
    EXPECT_EQ(KeyLimit::kEnd, builder.limit());
    EXPECT_EQ(KeyMostOf(long_text_) + 1, builder.key().size());
    ExpectBounds(
        builder, entries, [x](const Entry& e) { return !e.l || *e.l <= x; }, "end");
  }
}

TEST_F(KeyBuilderTest, FullColumnLimitsBoundTheExactValue) {
  const std::vector<Entry> entries = Entries(long_text_);
  KeyBuilder builder(table_, long_text_);
  for (int32_t x : {0, 5}) {
    for (const OptString& t : Texts()) {
      ASSERT_OK(Make(&builder, x, t, JET_bitFullColumnStartLimit));
      ExpectBounds(
          builder, entries, [&](const Entry& e) { return e.l > x || (e.l == x && e.t >= t); },
          "full start");
      ASSERT_OK(Make(&builder, x, t, JET_bitFullColumnEndLimit));
      ExpectBounds(
          builder, entries, [&](const Entry& e) { return e.l < x || (e.l == x && e.t <= t); },
          "full end");
      // Legacy JET_bitStrLimit on a text column is a full-column end limit.
      ASSERT_OK(Make(&builder, x, t, JET_bitStrLimit));
      EXPECT_EQ(KeyLimit::kEnd, builder.limit());
      ExpectBounds(
          builder, entries, [&](const Entry& e) { return e.l < x || (e.l == x && e.t <= t); },
          "StrLimit");
    }
  }
}

TEST_F(KeyBuilderTest, PartialColumnLimitsBoundEveryValueWithThePrefix) {
  const std::vector<Entry> entries = Entries(long_text_);
  KeyBuilder builder(table_, long_text_);
  for (int32_t x : {0, 5}) {
    for (const OptString& p : Texts()) {
      if (!p || p->empty()) continue;
      const auto start = [&](const Entry& e) { return e.l > x || (e.l == x && e.t >= p); };
      const auto end = [&](const Entry& e) {
        return e.l < x || (e.l == x && (e.t < p || StartsWith(*e.t, *p)));
      };
      ASSERT_OK(Make(&builder, x, p, JET_bitPartialColumnStartLimit));
      EXPECT_EQ(KeyLimit::kStart, builder.limit());
      ExpectBounds(builder, entries, start, "partial start " + DescribeKey(*p));
      ASSERT_OK(Make(&builder, x, p, JET_bitPartialColumnEndLimit));
      EXPECT_EQ(KeyLimit::kEnd, builder.limit());
      ExpectBounds(builder, entries, end, "partial end " + DescribeKey(*p));
      // Legacy: SubStrLimit is a partial end limit on text, and wins over
      // StrLimit.
      ASSERT_OK(Make(&builder, x, p, JET_bitSubStrLimit));
      ExpectBounds(builder, entries, end, "SubStrLimit " + DescribeKey(*p));
      ASSERT_OK(Make(&builder, x, p, JET_bitSubStrLimit | JET_bitStrLimit));
      ExpectBounds(builder, entries, end, "SubStrLimit|StrLimit " + DescribeKey(*p));
    }
  }
}

TEST_F(KeyBuilderTest, PartialLimitsOnNullOrZeroLengthAreFullColumnLimits) {
  const std::vector<Entry> entries = Entries(long_text_);
  KeyBuilder builder(table_, long_text_);
  for (const OptString& t : {OptString(), OptString("")}) {
    ASSERT_OK(Make(&builder, 5, t, JET_bitPartialColumnStartLimit));
    ExpectBounds(
        builder, entries, [&](const Entry& e) { return e.l > 5 || (e.l == 5 && e.t >= t); },
        "partial start on NULL/zero-length");
    ASSERT_OK(Make(&builder, 5, t, JET_bitPartialColumnEndLimit));
    ExpectBounds(
        builder, entries, [&](const Entry& e) { return e.l < 5 || (e.l == 5 && e.t <= t); },
        "partial end on NULL/zero-length");
  }
}

TEST_F(KeyBuilderTest, DescendingPartialLimitsBoundThePrefixInIndexOrder) {
  const std::vector<Entry> entries = Entries(desc_text_);
  KeyBuilder builder(table_, desc_text_);
  for (const OptString& p : Texts()) {
    if (!p || p->empty()) continue;
    ASSERT_OK(builder.AddColumn(*p, JET_bitNewKey | JET_bitPartialColumnStartLimit));
    ExpectBounds(
        builder, entries, [&](const Entry& e) { return e.t < p || StartsWith(*e.t, *p); },
        "descending partial start " + DescribeKey(*p));
    ASSERT_OK(builder.AddColumn(*p, JET_bitNewKey | JET_bitPartialColumnEndLimit));
    ExpectBounds(
        builder, entries, [&](const Entry& e) { return e.t >= p; },
        "descending partial end " + DescribeKey(*p));
    ASSERT_OK(builder.AddColumn(*p, JET_bitNewKey | JET_bitFullColumnStartLimit));
    ExpectBounds(
        builder, entries, [&](const Entry& e) { return e.t <= p; },
        "descending full start " + DescribeKey(*p));
    ASSERT_OK(builder.AddColumn(*p, JET_bitNewKey | JET_bitFullColumnEndLimit));
    ExpectBounds(
        builder, entries, [&](const Entry& e) { return e.t >= p; },
        "descending full end " + DescribeKey(*p));
  }
}

TEST_F(KeyBuilderTest, StrLimitOnVariableBinaryIsAPrefixEndLimit) {
  const std::vector<Entry> entries = Entries(long_binary_);
  KeyBuilder builder(table_, long_binary_);
  for (const OptString& p : Texts()) {
    if (!p || p->empty()) continue;
    ASSERT_OK(Make(&builder, 0, p, JET_bitStrLimit));
    ExpectBounds(
        builder, entries,
        [&](const Entry& e) { return e.l < 0 || (e.l == 0 && (e.t < p || StartsWith(*e.t, *p))); },
        "binary StrLimit " + DescribeKey(*p));
    // SubStrLimit is ignored on a binary column: not a limit at all.
    ASSERT_OK(Make(&builder, 0, p, JET_bitSubStrLimit));
    EXPECT_FALSE(builder.is_limit());
  }
}

TEST_F(KeyBuilderTest, SubStrLimitOnANonTextColumnIsIgnored) {
  KeyBuilder builder(table_, long_text_);
  ASSERT_OK(builder.AddColumn(Le32(3), JET_bitNewKey | JET_bitSubStrLimit));
  EXPECT_FALSE(builder.is_limit());
  EXPECT_OK(builder.AddColumn("x", 0));
  EXPECT_TRUE(builder.complete());
}

TEST_F(KeyBuilderTest, AddingAfterALimitIsKeyIsMade) {
  KeyBuilder builder(table_, long_text_);
  for (uint32_t limit : {JET_bitFullColumnStartLimit, JET_bitFullColumnEndLimit, JET_bitStrLimit}) {
    ASSERT_OK(builder.AddColumn(Le32(3), JET_bitNewKey | limit));
    EXPECT_TRUE(builder.is_limit());
    EXPECT_EQ(JET_errKeyIsMade, builder.AddColumn("x", 0).code());
    EXPECT_OK(builder.AddColumn(Le32(3), JET_bitNewKey));
    EXPECT_FALSE(builder.is_limit());
  }
}

TEST_F(KeyBuilderTest, ErrorsFollowEse) {
  KeyBuilder builder(table_, long_text_);
  EXPECT_FALSE(builder.made());
  EXPECT_EQ(JET_errKeyNotMade, builder.AddColumn(Le32(1), 0).code());
  EXPECT_EQ(JET_errInvalidBufferSize, builder.AddColumn("abc", JET_bitNewKey).code());
  EXPECT_FALSE(builder.made());
  EXPECT_EQ(JET_errInvalidBufferSize,
            builder.AddColumn("", JET_bitNewKey | JET_bitKeyDataZeroLength).code());
  EXPECT_EQ(JET_errInvalidGrbit,
            builder.AddColumn(Le32(1), JET_bitNewKey | JET_bitPartialColumnStartLimit).code());
  EXPECT_EQ(JET_errInvalidGrbit,
            builder
                .AddColumn(Le32(1),
                           JET_bitNewKey | JET_bitFullColumnStartLimit | JET_bitFullColumnEndLimit)
                .code());
  ASSERT_OK(builder.AddColumn(Le32(1), JET_bitNewKey));
  const std::string before = builder.key();
  EXPECT_EQ(
      JET_errInvalidGrbit,
      builder.AddColumn("x", JET_bitPartialColumnEndLimit | JET_bitFullColumnEndLimit).code());
  EXPECT_EQ(before, builder.key()) << "a failed AddColumn keeps the key";
  EXPECT_EQ(1u, builder.segment_count());
  ASSERT_OK(builder.AddColumn("x", 0));
  EXPECT_EQ(JET_errKeyIsMade, builder.AddColumn("y", 0).code());
  EXPECT_EQ(2u, builder.segment_count());

  KeyBuilder none(table_, empty_);
  EXPECT_EQ(JET_errNoCurrentIndex, none.AddColumn("x", JET_bitNewKey).code());
}

TEST_F(KeyBuilderTest, EmptyDataIsNullUnlessKeyDataZeroLength) {
  KeyBuilder builder(table_, long_text_);
  ASSERT_OK(builder.AddColumn("", JET_bitNewKey));
  EXPECT_EQ("00", DescribeKey(builder.key()));
  ASSERT_OK(builder.AddColumn("", 0));
  EXPECT_EQ("00 00", DescribeKey(builder.key()));
  ASSERT_OK(builder.AddColumn("", JET_bitNewKey));
  ASSERT_OK(builder.AddColumn("", JET_bitKeyDataZeroLength));
  EXPECT_EQ("00 40", DescribeKey(builder.key()));
}

TEST_F(KeyBuilderTest, FixedColumnsCheckSizesAndPadText) {
  KeyBuilder builder(table_, fixed_);
  EXPECT_EQ(JET_errInvalidBufferSize, builder.AddColumn("abc", JET_bitNewKey).code());
  EXPECT_EQ(JET_errInvalidBufferSize, builder.AddColumn("abcde", JET_bitNewKey).code());
  EXPECT_EQ(JET_errInvalidBufferSize,
            builder.AddColumn("", JET_bitNewKey | JET_bitKeyDataZeroLength).code());
  EXPECT_EQ(JET_errInvalidGrbit,
            builder.AddColumn("abcd", JET_bitNewKey | JET_bitPartialColumnEndLimit).code());
  ASSERT_OK(builder.AddColumn("abcd", JET_bitNewKey));
  EXPECT_EQ(JET_errInvalidBufferSize, builder.AddColumn("123456789", 0).code());
  ASSERT_OK(builder.AddColumn("ab", 0));
  const std::string padded = builder.key();
  ASSERT_OK(builder.AddColumn("abcd", JET_bitNewKey));
  ASSERT_OK(builder.AddColumn("ab      ", 0));
  EXPECT_EQ(padded, builder.key());
}

TEST_F(KeyBuilderTest, NormalizedKeyRoundTrips) {
  KeyBuilder builder(table_, long_text_);
  ASSERT_OK(builder.AddColumn(Le32(7), JET_bitNewKey));
  ASSERT_OK(builder.AddColumn("hello", 0));
  const std::string full = builder.key();

  KeyBuilder copy(table_, long_text_);
  ASSERT_OK(copy.AddColumn(full, JET_bitNormalizedKey | JET_bitStrLimit /* ignored */));
  EXPECT_TRUE(copy.made());
  EXPECT_FALSE(copy.is_limit());
  EXPECT_EQ(full, copy.key());
  EXPECT_EQ(1u, copy.segment_count());

  ASSERT_OK(builder.AddColumn(Le32(7), JET_bitNewKey | JET_bitFullColumnEndLimit));
  ASSERT_OK(copy.AddColumn(builder.key(), JET_bitNormalizedKey));
  EXPECT_EQ(builder.key(), copy.key());
  EXPECT_EQ(KeyLimit::kEnd, copy.limit());
  EXPECT_EQ(JET_errKeyIsMade, copy.AddColumn("x", 0).code());

  EXPECT_EQ(
      JET_errInvalidParameter,
      copy.AddColumn(std::string(KeyMostOf(long_text_) + 2, 'x'), JET_bitNormalizedKey).code());
}

// --- Truncation --------------------------------------------------------------------

TEST_F(KeyBuilderTest, KeysAreTruncatedAtCbKeyMost) {
  IndexDef index = long_text_;
  index.cb_key_most = 10;
  std::string key;
  bool truncated = false;
  const std::string l = Le32(1);
  const std::string long_text(40, 'z');
  const std::string short_text = "ab";
  ASSERT_OK(NormalizeKey(table_, index, {std::string_view(l), std::string_view(long_text)}, &key,
                         &truncated));
  EXPECT_TRUE(truncated);
  EXPECT_EQ(10u, key.size());
  ASSERT_OK(NormalizeKey(table_, index, {std::string_view(l), std::string_view(short_text)}, &key,
                         &truncated));
  EXPECT_FALSE(truncated);
  EXPECT_EQ(10u, key.size());  // Long 5 + marker 1 + "ab" 2 + terminator 2
  std::string copy = key;
  EXPECT_FALSE(TruncateKey(index, &copy));
  copy.push_back('x');
  EXPECT_TRUE(TruncateKey(index, &copy));
  EXPECT_EQ(key, copy);

  KeyBuilder builder(table_, index);
  ASSERT_OK(builder.AddColumn(l, JET_bitNewKey));
  ASSERT_OK(builder.AddColumn(long_text, 0));
  EXPECT_TRUE(builder.truncated());
  EXPECT_EQ(10u, builder.key().size());
  const std::string truncated_key = builder.key();

  // An end limit on a truncated key admits every key with that prefix,
  // even followed by a bookmark of 0xFF bytes.
  ASSERT_OK(builder.AddColumn(l, JET_bitNewKey));
  ASSERT_OK(builder.AddColumn(long_text, JET_bitFullColumnEndLimit));
  EXPECT_EQ(11u, builder.key().size());
  EXPECT_LT(CompareToSearchKey(truncated_key + "\xFF\xFF", builder.key(), KeyLimit::kEnd), 0);
  ASSERT_OK(builder.AddColumn(l, JET_bitNewKey));
  ASSERT_OK(builder.AddColumn(long_text, JET_bitPartialColumnEndLimit));
  EXPECT_EQ(11u, builder.key().size());
  EXPECT_LT(CompareToSearchKey(truncated_key, builder.key(), KeyLimit::kEnd), 0);
}

TEST_F(KeyTest, EndLimitsSortAfterEveryEntryTheyPrefix) {
  const std::string limit = "\x7f\x61\xFF\xFF";
  EXPECT_LT(CompareToSearchKey("\x7f\x61", limit, KeyLimit::kEnd), 0);
  EXPECT_LT(CompareToSearchKey("\x7f\x61\xFF\xFF\xFF", limit, KeyLimit::kEnd), 0);
  EXPECT_GT(CompareToSearchKey("\x7f\x62", limit, KeyLimit::kEnd), 0);
  EXPECT_GT(CompareToSearchKey("\x7f\x61\xFF\xFF\xFF", limit, KeyLimit::kNone), 0);
  EXPECT_EQ(0, CompareToSearchKey(limit, limit, KeyLimit::kStart));
  EXPECT_LT(CompareToSearchKey("", limit, KeyLimit::kStart), 0);
}

// --- BuildIndexKeys -----------------------------------------------------------------

class IndexKeysTest : public KeyTest {
 protected:
  void SetUp() override {
    KeyTest::SetUp();
    table_.name = "t";
    table_.columns = {
        MakeColumn(1, JET_coltypLong), MakeColumn(128, JET_coltypText, 1252),
        MakeColumn(256, JET_coltypLong, 0, JET_bitColumnTagged | JET_bitColumnMultiValued),
        MakeColumn(257, JET_coltypText, 1252, JET_bitColumnTagged | JET_bitColumnMultiValued)};
  }

  ColumnValuesFn Values() {
    return [this](const ColumnDef& column, std::vector<std::string_view>* values) {
      values->clear();
      for (const std::string& v : record_[column.columnid]) values->push_back(v);
      return Status::OK();
    };
  }

  IndexDef Index(std::vector<IndexSegment> segments, uint32_t grbit = 0) {
    IndexDef index;
    index.name = "i";
    index.segments = std::move(segments);
    index.grbit = grbit;
    return index;
  }

  std::string Key(const IndexDef& index, const std::vector<OptString>& values) {
    std::vector<std::optional<std::string_view>> views;
    for (const OptString& v : values) {
      views.push_back(v ? std::optional<std::string_view>(*v) : std::nullopt);
    }
    std::string key;
    bool truncated;
    EXPECT_OK(NormalizeKey(table_, index, views, &key, &truncated));
    return key;
  }

  std::vector<std::string> Sorted(std::vector<std::string> keys) {
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  TableDef table_;
  std::map<uint32_t, std::vector<std::string>> record_;
};

TEST_F(IndexKeysTest, OneKeyForSingleValuedColumns) {
  const IndexDef index = Index({{1, false}, {128, true}});
  record_[1] = {Le32(42)};
  record_[128] = {"hello"};
  std::vector<std::string> keys;
  IndexKeysInfo info;
  ASSERT_OK(BuildIndexKeys(table_, index, Values(), &keys, &info));
  ASSERT_EQ(1u, keys.size());
  EXPECT_EQ(Key(index, {Le32(42), OptString("hello")}), keys[0]);
  EXPECT_FALSE(info.has_null_segment);
  EXPECT_FALSE(info.truncated);
}

TEST_F(IndexKeysTest, MultiValuedColumnGivesOneKeyPerDistinctValue) {
  const IndexDef index = Index({{256, false}, {1, false}});
  record_[256] = {Le32(3), Le32(1), Le32(2), Le32(1)};
  record_[1] = {Le32(9)};
  std::vector<std::string> keys;
  ASSERT_OK(BuildIndexKeys(table_, index, Values(), &keys));
  EXPECT_EQ(Sorted({Key(index, {Le32(1), Le32(9)}), Key(index, {Le32(2), Le32(9)}),
                    Key(index, {Le32(3), Le32(9)})}),
            keys);
}

TEST_F(IndexKeysTest, OnlyTheFirstMultiValuedColumnVariesByDefault) {
  record_[256] = {Le32(1), Le32(2)};
  record_[257] = {"x", "y", "z"};
  const IndexDef index = Index({{256, false}, {257, false}});
  std::vector<std::string> keys;
  ASSERT_OK(BuildIndexKeys(table_, index, Values(), &keys));
  EXPECT_EQ(Sorted({Key(index, {Le32(1), OptString("x")}), Key(index, {Le32(2), OptString("x")})}),
            keys);
}

TEST_F(IndexKeysTest, CrossProductIndexesEveryCombination) {
  record_[256] = {Le32(1), Le32(2)};
  record_[257] = {"x", "y", "z"};
  const IndexDef index = Index({{256, false}, {257, false}}, JET_bitIndexCrossProduct);
  std::vector<std::string> keys;
  ASSERT_OK(BuildIndexKeys(table_, index, Values(), &keys));
  std::vector<std::string> expected;
  for (const char* l : {"1", "2"}) {
    for (const char* t : {"x", "y", "z"}) {
      expected.push_back(Key(index, {Le32(static_cast<uint32_t>(l[0] - '0')), OptString(t)}));
    }
  }
  EXPECT_EQ(Sorted(expected), keys);
}

TEST_F(IndexKeysTest, NestedTablePairsValuesByPosition) {
  record_[256] = {Le32(1), Le32(2)};
  record_[257] = {"x", "y", "z"};
  const IndexDef index = Index({{256, false}, {257, false}}, JET_bitIndexNestedTable);
  std::vector<std::string> keys;
  ASSERT_OK(BuildIndexKeys(table_, index, Values(), &keys));
  EXPECT_EQ(Sorted({Key(index, {Le32(1), OptString("x")}), Key(index, {Le32(2), OptString("y")}),
                    Key(index, {std::nullopt, OptString("z")})}),
            keys);
}

TEST_F(IndexKeysTest, MultiValuedColumnWithoutValuesIsOneNullSegment) {
  const IndexDef index = Index({{256, false}, {1, false}});
  record_[1] = {Le32(5)};
  std::vector<std::string> keys;
  IndexKeysInfo info;
  ASSERT_OK(BuildIndexKeys(table_, index, Values(), &keys, &info));
  EXPECT_EQ(std::vector<std::string>{Key(index, {std::nullopt, Le32(5)})}, keys);
  EXPECT_TRUE(info.has_null_segment);
}

TEST_F(IndexKeysTest, NullRulesSkipOrRejectEntries) {
  struct Case {
    uint32_t grbit;
    bool first_null, second_null;
    int expected;  // -1: NullKeyDisallowed, 0: skipped, 1: indexed
  };
  const Case cases[] = {
      {0, true, true, 1},
      {JET_bitIndexIgnoreNull, true, true, 0},
      {JET_bitIndexIgnoreNull, true, false, 1},
      {JET_bitIndexIgnoreAnyNull, false, true, 0},
      {JET_bitIndexIgnoreAnyNull, false, false, 1},
      {JET_bitIndexIgnoreFirstNull, true, false, 0},
      {JET_bitIndexIgnoreFirstNull, false, true, 1},
      {JET_bitIndexDisallowNull, false, true, -1},
      {JET_bitIndexDisallowNull, false, false, 1},
  };
  for (const Case& c : cases) {
    const IndexDef index = Index({{1, false}, {128, false}}, c.grbit);
    record_.clear();
    if (!c.first_null) record_[1] = {Le32(1)};
    if (!c.second_null) record_[128] = {""};  // zero-length is not NULL
    std::vector<std::string> keys;
    IndexKeysInfo info;
    const Status status = BuildIndexKeys(table_, index, Values(), &keys, &info);
    if (c.expected < 0) {
      EXPECT_EQ(JET_errNullKeyDisallowed, status.code()) << c.grbit;
      ASSERT_OK(BuildIndexKeys(table_, index, Values(), &keys, &info, NullViolation::kSkip));
      EXPECT_TRUE(keys.empty());
      continue;
    }
    ASSERT_OK(status);
    EXPECT_EQ(static_cast<size_t>(c.expected), keys.size()) << c.grbit;
    EXPECT_EQ(c.expected == 0 ? 1u : 0u, info.skipped) << c.grbit;
  }
}

TEST_F(IndexKeysTest, TruncationIsReportedOrRejected) {
  IndexDef index = Index({{128, false}});
  index.cb_key_most = 16;
  record_[128] = {std::string(100, 'q')};
  std::vector<std::string> keys;
  IndexKeysInfo info;
  ASSERT_OK(BuildIndexKeys(table_, index, Values(), &keys, &info));
  ASSERT_EQ(1u, keys.size());
  EXPECT_EQ(16u, keys[0].size());
  EXPECT_TRUE(info.truncated);
  // A long value given as its first cb_key_most bytes makes the same key.
  record_[128] = {std::string(16, 'q')};
  std::vector<std::string> prefix_keys;
  ASSERT_OK(BuildIndexKeys(table_, index, Values(), &prefix_keys));
  EXPECT_EQ(keys, prefix_keys);

  index.grbit |= JET_bitIndexDisallowTruncation;
  EXPECT_EQ(JET_errKeyTruncated, BuildIndexKeys(table_, index, Values(), &keys).code());
}

TEST_F(IndexKeysTest, SeveralValuesForASingleValuedColumnAreRejected) {
  record_[1] = {Le32(1), Le32(2)};
  std::vector<std::string> keys;
  EXPECT_EQ(JET_errInvalidParameter,
            BuildIndexKeys(table_, Index({{1, false}}), Values(), &keys).code());
  EXPECT_EQ(JET_errColumnNotFound,
            BuildIndexKeys(table_, Index({{999, false}}), Values(), &keys).code());
}

// --- Seeded random: builder limits against random data -----------------------------------

TEST_F(KeyBuilderTest, RandomPrefixLimitsBoundExactlyTheMatchingKeys) {
  // Random binary-collated text values over a small alphabet, ascending and
  // descending, against random prefixes (seeded; see the printed seed).
  for (bool descending : {false, true}) {
    IndexDef index;
    index.name = "r";
    index.segments = {{128, descending}, {1, false}};
    index.cb_key_most = 2000;  // no truncation: the check below is exact
    std::vector<std::string> texts = RandomByteStrings(200);
    std::vector<std::pair<std::string, std::string>> entries;  // (text, bytes)
    for (const std::string& t : texts) {
      const std::string l = Le32(static_cast<uint32_t>(Random64()));
      std::string key;
      bool truncated;
      ASSERT_OK(NormalizeKey(table_, index, {std::string_view(t), std::string_view(l)}, &key,
                             &truncated));
      entries.emplace_back(t, key + RandomBookmark());
    }
    KeyBuilder builder(table_, index);
    for (int round = 0; round < 100; ++round) {
      std::string p = texts[Uniform(static_cast<uint32_t>(texts.size()))];
      p = p.substr(0, Uniform(static_cast<uint32_t>(p.size()) + 1));
      if (p.empty()) continue;
      ASSERT_OK(builder.AddColumn(p, JET_bitNewKey | JET_bitPartialColumnStartLimit));
      KeyBuilder end(table_, index);
      ASSERT_OK(end.AddColumn(p, JET_bitNewKey | JET_bitPartialColumnEndLimit));
      for (const auto& [t, bytes] : entries) {
        const bool in_range = Admits(builder, bytes) && Admits(end, bytes);
        ASSERT_EQ(StartsWith(t, p), in_range)
            << (descending ? "descending" : "ascending") << " prefix " << DescribeKey(p)
            << " value " << DescribeKey(t);
      }
    }
  }
}

TEST(DescribeKeyTest, PrintsLowercaseHexBytes) {
  EXPECT_EQ("", DescribeKey(""));
  EXPECT_EQ("00 7f ff", DescribeKey(std::string("\x00\x7f\xff", 3)));
}

}  // namespace
}  // namespace jetsvc

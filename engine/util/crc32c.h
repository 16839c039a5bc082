// CRC-32C (Castagnoli), the checksum of every page, log block and header.
//
// Thread contract: pure functions.

#ifndef JETSVC_ENGINE_UTIL_CRC32C_H_
#define JETSVC_ENGINE_UTIL_CRC32C_H_

#include <cstddef>
#include <cstdint>

namespace jetsvc::crc32c {

// Returns the CRC-32C of data[0, n) continuing from `init_crc` (the CRC of
// the bytes before them; 0 to start).
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);

inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }

// Stored CRCs are masked so that a CRC of data containing embedded CRCs is
// not trivially predictable (the LevelDB rotation-and-add technique).
inline uint32_t Mask(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}
inline uint32_t Unmask(uint32_t masked) {
  const uint32_t rot = masked - 0xa282ead8u;
  return (rot >> 17) | (rot << 15);
}

}  // namespace jetsvc::crc32c

#endif  // JETSVC_ENGINE_UTIL_CRC32C_H_

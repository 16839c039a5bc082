// Fixed-width little-endian and varint encodings for on-disk formats.
//
// Every on-disk integer in jetsvc (pages, log records, checkpoint and
// header files) is written through these helpers, so the formats do not
// depend on the host's byte order or on the width of `long`.
//
// Thread contract: pure functions.

#ifndef JETSVC_ENGINE_UTIL_CODING_H_
#define JETSVC_ENGINE_UTIL_CODING_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace jetsvc {

inline void EncodeFixed16(char* dst, uint16_t value) {
  dst[0] = static_cast<char>(value);
  dst[1] = static_cast<char>(value >> 8);
}

inline void EncodeFixed32(char* dst, uint32_t value) {
  for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>(value >> (8 * i));
}

inline void EncodeFixed64(char* dst, uint64_t value) {
  for (int i = 0; i < 8; ++i) dst[i] = static_cast<char>(value >> (8 * i));
}

inline uint16_t DecodeFixed16(const char* src) {
  const auto* p = reinterpret_cast<const uint8_t*>(src);
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

inline uint32_t DecodeFixed32(const char* src) {
  const auto* p = reinterpret_cast<const uint8_t*>(src);
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}

inline uint64_t DecodeFixed64(const char* src) {
  return static_cast<uint64_t>(DecodeFixed32(src)) |
         (static_cast<uint64_t>(DecodeFixed32(src + 4)) << 32);
}

inline void PutFixed16(std::string* dst, uint16_t value) {
  char buf[2];
  EncodeFixed16(buf, value);
  dst->append(buf, 2);
}

inline void PutFixed32(std::string* dst, uint32_t value) {
  char buf[4];
  EncodeFixed32(buf, value);
  dst->append(buf, 4);
}

inline void PutFixed64(std::string* dst, uint64_t value) {
  char buf[8];
  EncodeFixed64(buf, value);
  dst->append(buf, 8);
}

// Big-endian forms: used where byte order must equal numeric order (keys).
inline void PutBigEndian32(std::string* dst, uint32_t value) {
  for (int i = 3; i >= 0; --i) dst->push_back(static_cast<char>(value >> (8 * i)));
}

inline void PutBigEndian64(std::string* dst, uint64_t value) {
  for (int i = 7; i >= 0; --i) dst->push_back(static_cast<char>(value >> (8 * i)));
}

inline uint32_t DecodeBigEndian32(const char* src) {
  const auto* p = reinterpret_cast<const uint8_t*>(src);
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}

inline uint64_t DecodeBigEndian64(const char* src) {
  return (static_cast<uint64_t>(DecodeBigEndian32(src)) << 32) |
         DecodeBigEndian32(src + 4);
}

// Varints: 7 bits a byte, low bits first; at most 5 (32-bit) or 10 bytes.
void PutVarint32(std::string* dst, uint32_t value);
void PutVarint64(std::string* dst, uint64_t value);
// Appends a varint length, then the bytes.
void PutLengthPrefixed(std::string* dst, std::string_view value);

// Each Get* consumes from the front of `input`; returns false (and leaves
// `input` unspecified) if the input is short or malformed.
bool GetVarint32(std::string_view* input, uint32_t* value);
bool GetVarint64(std::string_view* input, uint64_t* value);
bool GetLengthPrefixed(std::string_view* input, std::string_view* value);
bool GetFixed32(std::string_view* input, uint32_t* value);
bool GetFixed64(std::string_view* input, uint64_t* value);

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_UTIL_CODING_H_

// jetctl: turning values into text and text into values (see jetctl.h).

#include "service/jetctl/jetctl.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <sstream>

namespace jetsvc {
namespace jetctl {

std::string EscapeBytes(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) {
    const unsigned char byte = static_cast<unsigned char>(c);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (byte >= 0x20 && byte < 0x7f) {
          out += c;
        } else {
          char hex[5];
          std::snprintf(hex, sizeof(hex), "\\x%02x", byte);
          out += hex;
        }
    }
  }
  return out;
}

std::string FormatBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < sizeof(kUnits) / sizeof(kUnits[0])) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f %s", value, kUnits[unit]);
  return text;
}

std::string FormatUsec(uint64_t usec, bool zero_is_none) {
  if (usec == 0 && zero_is_none) return "none";
  char text[32];
  std::snprintf(text, sizeof(text), "%.3f s", static_cast<double>(usec) / 1e6);
  return text;
}

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof(escape), "\\u%04x", byte);
      out += escape;
    } else {
      out += c;  // UTF-8 passes through (D-Bus strings are valid UTF-8)
    }
  }
  out += '"';
  return out;
}

std::string FormatStatus(const platform::ManagerSnapshot& s, bool json) {
  std::ostringstream out;
  if (json) {
    out << "{\"State\": " << JsonString(s.state)
        << ", \"CheckpointDepthBytes\": " << s.checkpoint_depth_bytes
        << ", \"DirtyPages\": " << s.dirty_pages
        << ", \"VersionStoreBytes\": " << s.version_store_bytes
        << ", \"DefragRunning\": " << (s.defrag_running ? "true" : "false")
        << ", \"LastPrepareDurationUsec\": " << s.last_prepare_usec
        << ", \"LastTermDurationUsec\": " << s.last_term_usec << "}\n";
    return out.str();
  }
  out << "State:              " << s.state << "\n"
      << "Checkpoint depth:   " << FormatBytes(s.checkpoint_depth_bytes) << " ("
      << s.checkpoint_depth_bytes << " bytes)\n"
      << "Dirty pages:        " << s.dirty_pages << "\n"
      << "Version store:      " << FormatBytes(s.version_store_bytes) << " ("
      << s.version_store_bytes << " bytes)\n"
      << "Defragmentation:    " << (s.defrag_running ? "running" : "not running") << "\n"
      << "Last prepare took:  " << FormatUsec(s.last_prepare_usec, true) << "\n"
      << "Last term took:     " << FormatUsec(s.last_term_usec, true) << "\n";
  return out.str();
}

std::optional<uint64_t> ParseDurationMs(const std::string& text, std::string* error) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  const std::string unit = text.substr(digits);
  uint64_t scale;
  if (unit.empty() || unit == "s" || unit == "sec") {
    scale = 1000;
  } else if (unit == "ms") {
    scale = 1;
  } else if (unit == "m" || unit == "min") {
    scale = 60'000;
  } else {
    digits = 0;  // not a duration
    scale = 0;
  }
  if (digits == 0 || digits > 12) {
    *error = "\"" + text + "\" is not a duration (examples: 90, 90s, 1500ms, 2min)";
    return std::nullopt;
  }
  return std::stoull(text.substr(0, digits)) * scale;
}

bool IsValidUtf8(const std::string& text) {
  // The lead byte of an N-byte sequence: its marker bits, mask of the
  // value bits, and the least code point that needs N bytes (anything
  // smaller is an overlong form).
  struct Form {
    unsigned char marker_mask, marker, value_mask;
    uint32_t min;
  };
  static const Form kForms[] = {
      {0xe0, 0xc0, 0x1f, 0x80}, {0xf0, 0xe0, 0x0f, 0x800}, {0xf8, 0xf0, 0x07, 0x10000}};
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    if (lead == 0) return false;  // D-Bus strings hold no NUL
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    const Form* form = nullptr;
    for (size_t f = 0; f < 3; ++f) {
      if ((lead & kForms[f].marker_mask) == kForms[f].marker) {
        form = &kForms[f];
        length = f + 2;
      }
    }
    if (form == nullptr || i + length > text.size()) return false;
    uint32_t code = lead & form->value_mask;
    for (size_t k = 1; k < length; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < form->min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += length;
  }
  return true;
}

}  // namespace jetctl
}  // namespace jetsvc

// Text at the Win32 boundary: UTF-8 (ours) <-> UTF-16 (the W functions),
// and the system's message for a Win32 error code. Shared by the engine's
// Env and the service's Windows host, so it is compiled into both.
//
// Thread contract: pure functions, thread-safe.

#ifndef JETSVC_PLATFORM_WINDOWS_WIN_TEXT_H_
#define JETSVC_PLATFORM_WINDOWS_WIN_TEXT_H_

#include <string>

namespace jetsvc {
namespace platform {

// UTF-16 to UTF-8 (unpaired surrogates become U+FFFD).
std::string WideToUtf8(const std::wstring& wide);

// UTF-8 to UTF-16; false (and *wide empty) for invalid UTF-8.
bool Utf8ToWide(const std::string& utf8, std::wstring* wide);

// "Access is denied (5)": FormatMessageW's text without the trailing
// period and newline, and the number.
std::string Win32ErrorText(unsigned long error);

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_WINDOWS_WIN_TEXT_H_

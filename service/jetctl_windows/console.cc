// jetctl.exe: the Windows-specific bits (see jetctl_windows.h).

#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <shellapi.h>

#include <cstdio>

#include "platform/windows/win_text.h"
#include "service/jetctl_windows/jetctl_windows.h"

namespace jetsvc {
namespace jetctl {

std::vector<std::string> Utf8Arguments(int argc, char** argv) {
  std::vector<std::string> narrow(argv, argv + argc);
  int count = 0;
  wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &count);
  if (wide == nullptr) return narrow;
  std::vector<std::string> args;
  for (int i = 0; i < count; ++i) args.push_back(platform::WideToUtf8(wide[i]));
  LocalFree(wide);
  // The C runtime and CommandLineToArgvW split alike; if they ever do
  // not, trust the runtime's split.
  return args.size() == narrow.size() ? args : narrow;
}

bool SetBinaryStdin() { return _setmode(_fileno(stdin), _O_BINARY) != -1; }

bool SetBinaryStdout() {
  std::fflush(stdout);
  return _setmode(_fileno(stdout), _O_BINARY) != -1;
}

}  // namespace jetctl
}  // namespace jetsvc

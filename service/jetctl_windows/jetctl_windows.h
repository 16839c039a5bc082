// jetctl.exe: the command-line client of jetsvc on Windows, over the
// service's named pipe (platform/windows/pipe_client.h) instead of D-Bus.
// The commands, their output and the exit codes are the Linux jetctl's
// (service/jetctl/jetctl.h: kExitOk ... kExitNotQuiesced, and its
// Command); format.cc is shared. main.cc parses the command line,
// commands.cc makes the calls, console.cc holds the little that needs
// Windows headers.
//
// Exit code 4 (unreachable) here means: the pipe does not exist (the
// service is not running), all its instances stayed busy, the service
// closed the connection, or no reply came within the timeout. Access
// denied (not an Administrator) is 5, as on Linux.
//
// Thread contract: single-threaded.

#ifndef JETSVC_SERVICE_JETCTL_WINDOWS_JETCTL_WINDOWS_H_
#define JETSVC_SERVICE_JETCTL_WINDOWS_JETCTL_WINDOWS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "service/jetctl/jetctl.h"

namespace jetsvc {
namespace jetctl {

// The global options.
struct PipeOptions {
  // The service's pipe: a name ("jetsvc" is \\.\pipe\jetsvc) or a whole
  // path. Default: "jetsvc".
  std::string pipe = "jetsvc";
  // How long to wait to connect and for each reply. Default: 25 s.
  uint32_t timeout_ms = 25'000;
  bool timeout_given = false;
};

// Runs `command` (name: "status", "prepare-stop", "resume", "defrag start",
// "defrag stop", "put", "get", "del" or "delete", "scan", "limits")
// against the service; returns the exit code. Messages go to stderr
// prefixed "jetctl: ".
int RunPipeCommand(const PipeOptions& options, const Command& command);

// --- console.cc ------------------------------------------------------------

// The command line as UTF-8 (from the UTF-16 one Windows keeps); `argv`
// as it is if that cannot be read.
std::vector<std::string> Utf8Arguments(int argc, char** argv);
// Switches stdin or stdout to binary mode (no CR LF translation, no end
// at ^Z), for values read or written as they are. False on failure.
bool SetBinaryStdin();
bool SetBinaryStdout();

}  // namespace jetctl
}  // namespace jetsvc

#endif  // JETSVC_SERVICE_JETCTL_WINDOWS_JETCTL_WINDOWS_H_

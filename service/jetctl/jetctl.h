// jetctl: the command-line client of the jetsvc D-Bus API
// (platform/dbus/org.jetsvc.Jetsvc1.xml). main.cc parses the command
// line, commands.cc makes the calls, format.cc turns values into text.
//
// Exit codes (scripts rely on them; `jetctl --help` lists them too):
//   0  success
//   1  usage error (bad command, option or argument)
//   2  not found: get or del of a key that is not there
//   3  the service refused: it is stopping (after a prepare) or not ready
//      (Error.Stopping, Error.NotReady); retrying later may help
//   4  cannot reach the service: no bus, nobody owns org.jetsvc.Jetsvc1,
//      or the call timed out
//   5  any other error (bad key or value, too large, access denied, engine
//      error, ...)
//   6  prepare-stop: the deadline passed before the engine quiesced. The
//      prepare goes on in the service; the final stop (SIGTERM) still
//      works. systemd sends SIGTERM after ExecStop= whatever its exit
//      code, but a failing ExecStop= marks the unit failed, so a unit
//      that wants a timed out prepare to count as success writes
//      ExecStop=-/usr/bin/jetctl ... .
//
// Thread contract: single-threaded (the sdbus-c++ connection runs no event
// loop; calls are synchronous).

#ifndef JETSVC_SERVICE_JETCTL_JETCTL_H_
#define JETSVC_SERVICE_JETCTL_JETCTL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/controller.h"
#include "platform/dbus/bus_connect.h"

namespace jetsvc {
namespace jetctl {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitNotFound = 2;
constexpr int kExitRefused = 3;
constexpr int kExitUnreachable = 4;
constexpr int kExitError = 5;
constexpr int kExitNotQuiesced = 6;

// The global options.
struct GlobalOptions {
  platform::BusOptions bus;
  // The D-Bus call timeout. Default: 25 s (sd-bus's own default).
  uint64_t call_timeout_usec = 25'000'000;
  bool call_timeout_given = false;
};

// One command and its arguments, as parsed.
struct Command {
  std::string name;                      // "status", "prepare-stop", "defrag start", ...
  bool json = false;                     // status --json
  uint32_t prepare_timeout_ms = 60'000;  // prepare-stop --timeout; default 60 s
  std::string key;                       // put, get, del
  std::string value;                     // put: VALUE, or "-" for stdin
  std::string start;                     // scan START (empty: from the first key)
  uint32_t limit = 100;                  // scan --limit
};

// Runs `command` against the service; returns the exit code. Messages go
// to stderr prefixed "jetctl: ".
int RunCommand(const GlobalOptions& options, const Command& command);

// --- format.cc -----------------------------------------------------------

// Bytes for a scan line: printable ASCII stays, '\\' '\t' '\n' '\r' are
// escaped C-style, every other byte becomes \xHH.
std::string EscapeBytes(const std::string& bytes);
// "1.5 MiB", "512 B".
std::string FormatBytes(uint64_t bytes);
// Microseconds as seconds: "0.250 s"; "none" for 0 when `zero_is_none`.
std::string FormatUsec(uint64_t usec, bool zero_is_none);
// A JSON string literal (quoted, escaped).
std::string JsonString(const std::string& text);
// The status command's output: one "Name:   value" line per Manager
// property, or (json) one JSON object and a newline. Shared with
// jetctl.exe (service/jetctl_windows/), so both print the same.
std::string FormatStatus(const platform::ManagerSnapshot& s, bool json);
// Parses a duration: "90" or "90s" (seconds), "1500ms", "2m" or "2min".
// Returns milliseconds, or nullopt (and *error) if it is not one.
std::optional<uint64_t> ParseDurationMs(const std::string& text, std::string* error);
// True if `text` is valid UTF-8 (what D-Bus requires of strings).
bool IsValidUtf8(const std::string& text);

}  // namespace jetctl
}  // namespace jetsvc

#endif  // JETSVC_SERVICE_JETCTL_JETCTL_H_

// Logging: the one Boost.Log sink of the daemon and of jetctl.
//
// Everything logs through BOOST_LOG_TRIVIAL(<level>). InitLogging installs
// a sink on stderr:
//  - when stderr is connected to journald (JOURNAL_STREAM names stderr's
//    device and inode, see systemd.exec(5)), each line is prefixed with the
//    syslog priority "<N>" (sd-daemon(3)) and carries no timestamp, since
//    the journal adds its own;
//  - otherwise plain lines: "2026-11-24 10:00:00.123 [info] text".
// The level can change at run time (reload) with SetLogLevel.
//
// Thread contract: InitLogging once, before other threads log; the rest is
// thread-safe.

#ifndef JETSVC_PLATFORM_LOGGING_H_
#define JETSVC_PLATFORM_LOGGING_H_

#include <string>

namespace jetsvc {
namespace platform {

// Parses "trace", "debug", "info", "warning", "error", "fatal". False for
// anything else.
bool IsValidLogLevel(const std::string& level);

// Installs the stderr sink at `level` (REQUIRES: IsValidLogLevel(level)).
void InitLogging(const std::string& level);

// Changes the level of the installed sink; false (nothing changes) for an
// invalid name.
bool SetLogLevel(const std::string& level);

// Whether stderr goes to journald (JOURNAL_STREAM matches it).
bool StderrIsJournal();

// Adds a sink that appends the same lines as stderr's (with timestamps) to
// `path`, flushed after each record, at the level in effect. At 16 MiB the
// file is renamed to "<path>.<N>" and a new one begun; the newest 4 renamed
// files are kept. False (and *error naming the file) if it cannot be opened.
bool AddLogFile(const std::string& path, std::string* error);

// Whether a record of Boost.Log trivial severity `severity` passes the
// level in effect: the filter of every sink, including the platform ones
// (the Windows event log).
bool PassesLogLevel(int severity);

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_LOGGING_H_

// Status reporters: the StatusReporter (platform/host.h) of each platform.
//
// CreateDefaultReporter is defined once per platform and chosen by CMake:
// on Linux (platform/systemd/) it tells systemd through sd_notify(3) — a
// no-op when NOTIFY_SOCKET is unset, as for a run by hand — and logs every
// status line; the Windows one (issue 6) reports to the SCM.
//
// Thread contract: see StatusReporter.

#ifndef JETSVC_PLATFORM_REPORTERS_H_
#define JETSVC_PLATFORM_REPORTERS_H_

#include <memory>

#include "platform/host.h"

namespace jetsvc {
namespace platform {

std::unique_ptr<StatusReporter> CreateDefaultReporter();

// A reporter for a run in the foreground with no service manager (the
// Windows console mode): every status becomes a log line; no watchdog.
// Portable (platform/console/).
std::unique_ptr<StatusReporter> CreateConsoleReporter();

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_REPORTERS_H_

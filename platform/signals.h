// Signals: the OS's termination and reload signals as HostRequests.
//
// SIGTERM and SIGINT become kStop, SIGHUP becomes kReload. The signals are
// blocked in every thread (BlockLifecycleSignals, called before any thread
// starts, so threads inherit the mask) and read synchronously by one
// thread, so no handler runs in an arbitrary thread's context.
// On Windows the SCM and console handlers play this part (issue 6).
//
// Thread contract: BlockLifecycleSignals from main before other threads;
// the EventSource's Stop() from one thread.

#ifndef JETSVC_PLATFORM_SIGNALS_H_
#define JETSVC_PLATFORM_SIGNALS_H_

#include <memory>
#include <string>

#include "platform/host.h"

namespace jetsvc {
namespace platform {

void BlockLifecycleSignals();

// Null (and *error) if the signal thread cannot start.
std::unique_ptr<EventSource> StartSignalSource(PostFunction post, std::string* error);

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_SIGNALS_H_

// Host: names of the lifecycle events (see host.h).

#include "platform/host.h"

namespace jetsvc {
namespace platform {

const char* HostEventName(HostEvent event) {
  switch (event) {
    case HostEvent::kStop:
      return "stop";
    case HostEvent::kReload:
      return "reload";
    case HostEvent::kPrepareShutdown:
      return "prepare-shutdown";
    case HostEvent::kShutdownCancelled:
      return "shutdown-cancelled";
    case HostEvent::kPrepareSleep:
      return "prepare-sleep";
    case HostEvent::kResumeFromSleep:
      return "resume-from-sleep";
  }
  return "unknown";
}

}  // namespace platform
}  // namespace jetsvc

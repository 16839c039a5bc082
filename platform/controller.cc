// Controller: see controller.h.

#include "platform/controller.h"

namespace jetsvc {
namespace platform {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNone:
      return "None";
    case ErrorKind::kInvalidArgument:
      return "InvalidArgument";
    case ErrorKind::kNotFound:
      return "NotFound";
    case ErrorKind::kTooLarge:
      return "TooLarge";
    case ErrorKind::kStopping:
      return "Stopping";
    case ErrorKind::kWriteConflict:
      return "WriteConflict";
    case ErrorKind::kNotReady:
      return "NotReady";
    case ErrorKind::kDiskFull:
      return "DiskFull";
    case ErrorKind::kFailed:
      return "Failed";
    case ErrorKind::kEngine:
      return "Engine";
  }
  return "Engine";  // an out-of-range value: report it as an engine error
}

}  // namespace platform
}  // namespace jetsvc

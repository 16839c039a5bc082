// The Windows event log as a Boost.Log sink: every record at the level in
// effect (platform/logging.h) becomes an Application-log event of source
// `source` ("jetsvc"), type error / warning / information by severity, with
// the line as its one insertion string. The event IDs are those of the
// program's message table (messages.mc), which `install` registers as the
// source's EventMessageFile, so the Event Viewer renders the text.
//
// Wine 8 accepts the events and keeps none; its `eventlog` debug channel
// (WINEDEBUG=+eventlog) prints each one's strings, which the tests read.
//
// Thread contract: AddEventLogSink once, from main, after InitLogging.

#ifndef JETSVC_PLATFORM_WINDOWS_EVENT_LOG_H_
#define JETSVC_PLATFORM_WINDOWS_EVENT_LOG_H_

#include <string>

namespace jetsvc {
namespace platform {

// False (and *error) if the event source cannot be opened.
bool AddEventLogSink(const std::string& source, std::string* error);

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_WINDOWS_EVENT_LOG_H_

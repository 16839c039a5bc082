// Overlapped I/O on a named-pipe handle with a timeout and an optional
// stop event, shared by PipeServer and PipeClient (pipe_server.h,
// pipe_client.h). Internal to the pipe files: the only pipe header that
// includes <windows.h>.
//
// Thread contract: a PipeIo is used by one thread at a time; the stop
// event may be set from any thread. The free functions are thread-safe.

#ifndef JETSVC_PLATFORM_WINDOWS_PIPE_IO_H_
#define JETSVC_PLATFORM_WINDOWS_PIPE_IO_H_

#include <windows.h>

#include <cstddef>

namespace jetsvc {
namespace platform {
namespace pipe {

enum class IoStatus {
  kOk,
  kClosed,    // the other end closed the pipe (or, Accept: gave up before it was accepted)
  kStopped,   // the stop event was set
  kTimedOut,  // the timeout passed first
  kFailed,    // another error: last_error() says which
};

class PipeIo {
 public:
  // REQUIRES: `pipe` was opened with FILE_FLAG_OVERLAPPED and outlives
  // this object; `stop` is a manual-reset event or null.
  PipeIo(HANDLE pipe, HANDLE stop);
  PipeIo(const PipeIo&) = delete;
  PipeIo& operator=(const PipeIo&) = delete;
  ~PipeIo();

  // False if the I/O event could not be created (last_error()).
  bool ok() const { return event_ != nullptr; }

  // Server side: waits for a client to connect (ConnectNamedPipe).
  IoStatus Accept(DWORD timeout_ms);
  // Reads what is there, at least one byte, at most `capacity`.
  IoStatus Read(char* buffer, DWORD capacity, DWORD* got, DWORD timeout_ms);
  // Writes all of `data`; the timeout applies to each 1 MiB chunk (a
  // reader that stalls). Once the stop event is set a write still gets
  // kStopGraceMs to finish, so a last answer can go out.
  IoStatus Write(const char* data, size_t size, DWORD timeout_ms);

  // The Win32 error of the last kFailed (or of a failed constructor).
  DWORD last_error() const { return error_; }

  static constexpr DWORD kStopGraceMs = 1000;

 private:
  // Completes an operation that returned `started` (its BOOL result);
  // `grace_ms` is how long it may go on after the stop event is set.
  IoStatus Finish(BOOL started, DWORD* transferred, DWORD timeout_ms, DWORD grace_ms);
  IoStatus FromError(DWORD error);

  const HANDLE pipe_;
  const HANDLE stop_;
  HANDLE event_ = nullptr;
  OVERLAPPED overlapped_ = {};
  DWORD error_ = 0;
};

}  // namespace pipe
}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_WINDOWS_PIPE_IO_H_

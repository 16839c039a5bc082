// Overlapped pipe I/O: see pipe_io.h.

#include "platform/windows/pipe_io.h"

#include <algorithm>

namespace jetsvc {
namespace platform {
namespace pipe {

namespace {

constexpr size_t kWriteChunkBytes = 1u << 20;

}  // namespace

PipeIo::PipeIo(HANDLE pipe, HANDLE stop) : pipe_(pipe), stop_(stop) {
  // Manual reset, as overlapped I/O requires.
  event_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (event_ == nullptr) error_ = GetLastError();
  overlapped_.hEvent = event_;
}

PipeIo::~PipeIo() {
  if (event_ != nullptr) CloseHandle(event_);
}

IoStatus PipeIo::FromError(DWORD error) {
  switch (error) {
    case ERROR_BROKEN_PIPE:
    case ERROR_PIPE_NOT_CONNECTED:
    case ERROR_NO_DATA:
      return IoStatus::kClosed;
    default:
      error_ = error;
      return IoStatus::kFailed;
  }
}

IoStatus PipeIo::Finish(BOOL started, DWORD* transferred, DWORD timeout_ms, DWORD grace_ms) {
  if (!started) {
    const DWORD error = GetLastError();
    if (error != ERROR_IO_PENDING) return FromError(error);
  }
  // The event is set when the operation completes, also when it completed
  // at once.
  HANDLE handles[2] = {event_, stop_};
  const DWORD count = stop_ != nullptr ? 2 : 1;
  DWORD wait = WaitForMultipleObjects(count, handles, FALSE, timeout_ms);
  IoStatus gave_up = IoStatus::kTimedOut;
  if (wait == WAIT_OBJECT_0 + 1) {
    gave_up = IoStatus::kStopped;
    wait = grace_ms > 0 ? WaitForSingleObject(event_, grace_ms) : WAIT_TIMEOUT;
  }
  if (wait == WAIT_FAILED) {
    error_ = GetLastError();
    gave_up = IoStatus::kFailed;
  }
  if (wait != WAIT_OBJECT_0) {
    // Cancel, then wait for the cancellation: the OVERLAPPED and the
    // buffer must not be used by the system once this returns.
    CancelIoEx(pipe_, &overlapped_);
    DWORD ignored = 0;
    GetOverlappedResult(pipe_, &overlapped_, &ignored, TRUE);
    return gave_up;
  }
  if (!GetOverlappedResult(pipe_, &overlapped_, transferred, FALSE)) {
    return FromError(GetLastError());
  }
  return IoStatus::kOk;
}

IoStatus PipeIo::Accept(DWORD timeout_ms) {
  const BOOL started = ConnectNamedPipe(pipe_, &overlapped_);
  if (!started && GetLastError() == ERROR_PIPE_CONNECTED) return IoStatus::kOk;
  DWORD ignored = 0;
  return Finish(started, &ignored, timeout_ms, 0);
}

IoStatus PipeIo::Read(char* buffer, DWORD capacity, DWORD* got, DWORD timeout_ms) {
  *got = 0;
  const BOOL started = ReadFile(pipe_, buffer, capacity, nullptr, &overlapped_);
  return Finish(started, got, timeout_ms, 0);
}

IoStatus PipeIo::Write(const char* data, size_t size, DWORD timeout_ms) {
  size_t done = 0;
  while (done < size) {
    const DWORD chunk = static_cast<DWORD>(std::min(size - done, kWriteChunkBytes));
    DWORD written = 0;
    const BOOL started = WriteFile(pipe_, data + done, chunk, nullptr, &overlapped_);
    const IoStatus status = Finish(started, &written, timeout_ms, kStopGraceMs);
    if (status != IoStatus::kOk) return status;
    done += written;
  }
  return IoStatus::kOk;
}

}  // namespace pipe
}  // namespace platform
}  // namespace jetsvc

// PipeClient: see pipe_client.h.

#include "platform/windows/pipe_client.h"

#include <windows.h>

#include <cstdio>
#include <utility>
#include <vector>

#include "platform/windows/pipe_io.h"
#include "platform/windows/win_text.h"

namespace jetsvc {
namespace platform {

using pipe::IoStatus;

namespace {

constexpr DWORD kReadChunkBytes = 64 * 1024;

// Milliseconds from now until `deadline` (a GetTickCount64 value), 0 if
// it passed.
DWORD Remaining(ULONGLONG deadline) {
  const ULONGLONG now = GetTickCount64();
  if (now >= deadline) return 0;
  const ULONGLONG left = deadline - now;
  return left >= INFINITE ? INFINITE - 1 : static_cast<DWORD>(left);
}

// "25 s", "1.5 s", "250 ms".
std::string DescribeMs(uint32_t ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  char text[32];
  std::snprintf(text, sizeof(text), "%g s", ms / 1000.0);
  return text;
}

bool Fail(PipeError* error, PipeError::Kind kind, std::string message) {
  error->kind = kind;
  error->message = std::move(message);
  return false;
}

}  // namespace

class PipeClient::Impl {
 public:
  Impl(std::string path, HANDLE pipe) : path_(std::move(path)), pipe_(pipe), io_(pipe, nullptr) {}
  ~Impl() { CloseHandle(pipe_); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  bool Send(const std::string& bytes, uint32_t timeout_ms, PipeError* error) {
    if (!io_.ok()) return IoFailure(IoStatus::kFailed, "send", timeout_ms, error);
    const IoStatus status = io_.Write(bytes.data(), bytes.size(), timeout_ms);
    if (status != IoStatus::kOk) return IoFailure(status, "send", timeout_ms, error);
    return true;
  }

  bool Receive(uint32_t timeout_ms, pipe::Response* response, PipeError* error) {
    if (!io_.ok()) return IoFailure(IoStatus::kFailed, "receive", timeout_ms, error);
    const ULONGLONG deadline = GetTickCount64() + timeout_ms;
    std::string payload;
    std::vector<char> buffer(kReadChunkBytes);
    while (!decoder_.Next(&payload)) {
      if (decoder_.failed()) {
        return Fail(
            error, PipeError::Kind::kProtocol,
            path_ + " answered something that is not a jetsvc response: " + decoder_.error());
      }
      DWORD got = 0;
      const IoStatus status = io_.Read(buffer.data(), kReadChunkBytes, &got, Remaining(deadline));
      if (status != IoStatus::kOk) return IoFailure(status, "receive", timeout_ms, error);
      decoder_.Feed(buffer.data(), got);
    }
    std::string why;
    if (!pipe::DecodeResponse(payload, response, &why)) {
      return Fail(error, PipeError::Kind::kProtocol, path_ + " sent a bad response: " + why);
    }
    return true;
  }

  const std::string& path() const { return path_; }

 private:
  bool IoFailure(IoStatus status, const char* what, uint32_t timeout_ms, PipeError* error) {
    switch (status) {
      case IoStatus::kClosed:
        return Fail(error, PipeError::Kind::kClosed,
                    "the service closed " + path_ + " before answering");
      case IoStatus::kTimedOut:
        return Fail(error, PipeError::Kind::kTimedOut,
                    "no reply on " + path_ + " within " + DescribeMs(timeout_ms));
      default:
        return Fail(error, PipeError::Kind::kSystem,
                    std::string("cannot ") + what + " on " + path_ + ": " +
                        Win32ErrorText(io_.last_error()));
    }
  }

  const std::string path_;
  const HANDLE pipe_;
  pipe::PipeIo io_;
  pipe::FrameDecoder decoder_;
};

PipeClient::PipeClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PipeClient::~PipeClient() = default;

const std::string& PipeClient::path() const { return impl_->path(); }

std::unique_ptr<PipeClient> PipeClient::Connect(const std::string& pipe_name, uint32_t timeout_ms,
                                                PipeError* error) {
  std::string why;
  std::string path = pipe::PipePath(pipe_name, &why);
  if (path.empty()) {
    Fail(error, PipeError::Kind::kBadName, "bad pipe name \"" + pipe_name + "\": " + why);
    return nullptr;
  }
  std::wstring wide;
  if (!Utf8ToWide(path, &wide)) {
    Fail(error, PipeError::Kind::kBadName, "bad pipe name \"" + pipe_name + "\": not valid UTF-8");
    return nullptr;
  }
  const ULONGLONG deadline = GetTickCount64() + timeout_ms;
  for (;;) {
    // Identification only: the server may learn who we are, not act as us.
    const HANDLE handle = CreateFileW(
        wide.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
        FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, nullptr);
    if (handle != INVALID_HANDLE_VALUE) {
      return std::unique_ptr<PipeClient>(
          new PipeClient(std::make_unique<Impl>(std::move(path), handle)));
    }
    const DWORD code = GetLastError();
    if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND) {
      Fail(error, PipeError::Kind::kNotRunning,
           path + " does not exist: the service is not running");
      return nullptr;
    }
    if (code == ERROR_ACCESS_DENIED) {
      Fail(error, PipeError::Kind::kAccessDenied,
           "access to " + path +
               " is denied: only SYSTEM and Administrators may use it (run from an elevated "
               "prompt)");
      return nullptr;
    }
    if (code != ERROR_PIPE_BUSY) {
      Fail(error, PipeError::Kind::kSystem, "cannot open " + path + ": " + Win32ErrorText(code));
      return nullptr;
    }
    const DWORD left = Remaining(deadline);
    if (left == 0) {
      Fail(error, PipeError::Kind::kBusy,
           "every instance of " + path + " stayed busy for " + DescribeMs(timeout_ms) +
               " (the service serves a limited number of clients at once)");
      return nullptr;
    }
    // Returns when an instance is free (then CreateFile may still lose
    // the race to another client: try again), on timeout, or at once if
    // the pipe is gone meanwhile (the next CreateFile says so).
    WaitNamedPipeW(wide.c_str(), left);
  }
}

bool PipeClient::Call(const pipe::Request& request, uint32_t timeout_ms, pipe::Response* response,
                      PipeError* error) {
  const std::string payload = pipe::EncodeRequest(request);
  if (payload.size() > pipe::kMaxFrameBytes) {
    return Fail(error, PipeError::Kind::kTooLarge,
                std::string("the ") + pipe::OpName(request.op) + " request has " +
                    std::to_string(payload.size()) + " bytes; " + path() + " carries at most " +
                    std::to_string(pipe::kMaxFrameBytes));
  }
  const ULONGLONG start = GetTickCount64();
  if (!impl_->Send(pipe::Frame(payload), timeout_ms, error)) return false;
  const ULONGLONG spent = GetTickCount64() - start;
  const uint32_t left = spent >= timeout_ms ? 0 : static_cast<uint32_t>(timeout_ms - spent);
  if (!impl_->Receive(left, response, error)) {
    if (error->kind == PipeError::Kind::kTimedOut) {
      error->message = "no reply on " + path() + " within " + DescribeMs(timeout_ms);
    }
    return false;
  }
  if (response->op != request.op && response->op != pipe::Op::kUnknown) {
    return Fail(error, PipeError::Kind::kProtocol,
                path() + " answered a " + pipe::OpName(request.op) + " request with a " +
                    pipe::OpName(response->op) + " response");
  }
  return true;
}

bool PipeClient::Send(const std::string& bytes, uint32_t timeout_ms, PipeError* error) {
  return impl_->Send(bytes, timeout_ms, error);
}

bool PipeClient::Receive(uint32_t timeout_ms, pipe::Response* response, PipeError* error) {
  return impl_->Receive(timeout_ms, response, error);
}

}  // namespace platform
}  // namespace jetsvc

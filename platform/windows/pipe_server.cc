// PipeServer: see pipe_server.h.

#include "platform/windows/pipe_server.h"

#include <windows.h>

#include <sddl.h>

#include <condition_variable>
#include <exception>
#include <iterator>
#include <list>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "platform/windows/pipe_io.h"
#include "platform/windows/pipe_protocol.h"
#include "platform/windows/win_text.h"

namespace jetsvc {
namespace platform {

using pipe::IoStatus;
using pipe::Op;
using pipe::PipeIo;
using pipe::Request;
using pipe::Response;

namespace {

constexpr DWORD kPipeBufferBytes = 64 * 1024;
constexpr DWORD kReadChunkBytes = 64 * 1024;
// How long the accept loop waits before retrying a failed CreateNamedPipe.
constexpr DWORD kRetryCreateMs = 1000;
// PrepareStop's wait when the request gives none: its deadline plus this.
constexpr uint32_t kDefaultPrepareMarginMs = 5000;

// "D:P(A;;GA;;;SY)(A;;GA;;;BA)" plus the account this process runs as.
std::string DefaultSddl() {
  std::string sddl = "D:P(A;;GA;;;SY)(A;;GA;;;BA)";
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return sddl;
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::vector<char> buffer(size > 0 ? size : 1);
  wchar_t* sid_text = nullptr;
  if (size > 0 && GetTokenInformation(token, TokenUser, buffer.data(), size, &size) &&
      ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid, &sid_text)) {
    sddl += "(A;;GA;;;" + WideToUtf8(sid_text) + ")";
    LocalFree(sid_text);
  }
  CloseHandle(token);
  return sddl;
}

Result CheckKey(const std::string& key, const StoreLimits& limits, const char* what) {
  if (key.empty())
    return Result::Error(ErrorKind::kInvalidArgument, std::string(what) + " is empty");
  if (key.size() <= limits.max_key_bytes) return Result::Ok();
  return Result::Error(ErrorKind::kTooLarge, std::string(what) + " has " +
                                                 std::to_string(key.size()) + " bytes; at most " +
                                                 std::to_string(limits.max_key_bytes) + " fit");
}

Result CheckValue(size_t bytes, const StoreLimits& limits, const char* what) {
  if (bytes <= limits.max_value_bytes) return Result::Ok();
  return Result::Error(ErrorKind::kTooLarge, std::string(what) + " has " + std::to_string(bytes) +
                                                 " bytes; at most " +
                                                 std::to_string(limits.max_value_bytes) + " fit");
}

// What PrepareStop's `done` leaves for the waiting connection thread. It
// may fire after that thread gave up, so it is shared.
struct PrepareWait {
  PrepareWait() : event(CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}
  ~PrepareWait() {
    if (event != nullptr) CloseHandle(event);
  }
  PrepareWait(const PrepareWait&) = delete;
  PrepareWait& operator=(const PrepareWait&) = delete;

  const HANDLE event;  // set once `outcome` is there
  std::mutex mutex;
  bool done = false;       // guarded by mutex
  PrepareOutcome outcome;  // guarded by mutex
};

}  // namespace

class PipeServer::Impl {
 public:
  Impl(std::string path, Controller* controller, Log log, const PipeServerOptions& options)
      : path_(std::move(path)), controller_(controller), log_(std::move(log)), options_(options) {}

  ~Impl() {
    Stop();
    if (stop_event_ != nullptr) CloseHandle(stop_event_);
    if (security_descriptor_ != nullptr) LocalFree(security_descriptor_);
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // Creates the security descriptor and the first pipe instance, then
  // starts the accept thread.
  bool Open(std::string* error);
  // Sets the stop event and joins every thread; idempotent.
  void Stop();

  const std::string& path() const { return path_; }

 private:
  struct Connection {
    std::thread thread;
    bool finished = false;  // guarded by mutex_
  };

  HANDLE CreateInstance(bool first);
  // Serves connections until Stop; `first` is the first instance.
  void AcceptLoop(HANDLE first);
  // Waits until fewer than max_connections are served; false on stop.
  bool WaitForSlot();
  void JoinFinished();
  // Serves one connection until it closes, stalls or the server stops.
  void Serve(HANDLE pipe, std::list<Connection>::iterator self);
  // Reads the next request's payload; false when the connection is to
  // end (closed, stopped, timed out, or a broken frame, answered here).
  bool ReadRequest(PipeIo& io, pipe::FrameDecoder& decoder, std::vector<char>& buffer,
                   const std::string& client, std::string* payload);
  // The framed response to a request's payload.
  std::string Answer(const std::string& payload, const std::string& client);
  // `client` names the client in messages: "process 1234".
  Response Handle(const Request& request, const std::string& client);
  Response Dispatch(const Request& request);
  Response PrepareStop(const Request& request, const std::string& client);
  Response Scan(const Request& request, const StoreLimits& limits);
  Response PutBatch(const Request& request, const StoreLimits& limits);
  void Say(const std::string& message) const;

  // Constant after construction.
  const std::string path_;
  Controller* const controller_;
  const Log log_;
  const PipeServerOptions options_;
  // Set in Open, constant afterwards.
  std::wstring wide_path_;
  PSECURITY_DESCRIPTOR security_descriptor_ = nullptr;
  HANDLE stop_event_ = nullptr;  // manual reset; set by Stop
  std::thread accept_thread_;

  std::mutex mutex_;
  std::condition_variable slot_freed_;
  bool stopping_ = false;              // guarded by mutex_
  size_t active_ = 0;                  // guarded by mutex_
  std::list<Connection> connections_;  // guarded by mutex_
};

void PipeServer::Impl::Say(const std::string& message) const {
  if (log_) log_("named pipe " + path_ + ": " + message);
}

HANDLE PipeServer::Impl::CreateInstance(bool first) {
  SECURITY_ATTRIBUTES attributes = {};
  attributes.nLength = sizeof(attributes);
  attributes.lpSecurityDescriptor = security_descriptor_;
  attributes.bInheritHandle = FALSE;
  DWORD open_mode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED;
  if (first) open_mode |= FILE_FLAG_FIRST_PIPE_INSTANCE;
  // Byte mode: the frames carry their own lengths (pipe_protocol.h).
  // Instances are not limited by the system: max_connections is enforced
  // here, and a listening instance can be made while a finishing
  // connection still holds its own. Wine 8 accepts but ignores
  // PIPE_REJECT_REMOTE_CLIENTS (it has no remote pipe clients anyway).
  const HANDLE pipe = CreateNamedPipeW(
      wide_path_.c_str(), open_mode,
      PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
      PIPE_UNLIMITED_INSTANCES, kPipeBufferBytes, kPipeBufferBytes, 0, &attributes);
  // Wine 8 ignores FILE_FLAG_FIRST_PIPE_INSTANCE too (kernelbase opens the
  // name with FILE_OPEN_IF): a first instance that is not the only one
  // means another server holds the name. Refuse it as Windows does (there
  // the flag itself fails with ERROR_ACCESS_DENIED).
  DWORD instances = 0;
  if (first && pipe != INVALID_HANDLE_VALUE &&
      GetNamedPipeHandleStateW(pipe, nullptr, &instances, nullptr, nullptr, nullptr, 0) &&
      instances > 1) {
    CloseHandle(pipe);
    SetLastError(ERROR_ALREADY_EXISTS);
    return INVALID_HANDLE_VALUE;
  }
  return pipe;
}

bool PipeServer::Impl::Open(std::string* error) {
  if (options_.max_connections == 0) {
    *error = "max_connections is 0; at least 1 connection must be allowed";
    return false;
  }
  if (!Utf8ToWide(path_, &wide_path_)) {
    *error = "bad pipe name \"" + path_ + "\": not valid UTF-8";
    return false;
  }
  const std::string sddl = options_.sddl.empty() ? DefaultSddl() : options_.sddl;
  std::wstring wide_sddl;
  if (!Utf8ToWide(sddl, &wide_sddl) ||
      !ConvertStringSecurityDescriptorToSecurityDescriptorW(wide_sddl.c_str(), SDDL_REVISION_1,
                                                            &security_descriptor_, nullptr)) {
    *error = "cannot create the security descriptor of " + path_ + " from \"" + sddl +
             "\": " + Win32ErrorText(GetLastError());
    return false;
  }
  stop_event_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (stop_event_ == nullptr) {
    *error = "cannot create an event: " + Win32ErrorText(GetLastError());
    return false;
  }
  const HANDLE first = CreateInstance(true);
  if (first == INVALID_HANDLE_VALUE) {
    const DWORD code = GetLastError();
    // FILE_FLAG_FIRST_PIPE_INSTANCE fails with ERROR_ACCESS_DENIED when
    // the name exists (ERROR_ALREADY_EXISTS under Wine: see CreateInstance);
    // ERROR_PIPE_BUSY when its instances are all taken.
    if (code == ERROR_ACCESS_DENIED || code == ERROR_ALREADY_EXISTS || code == ERROR_PIPE_BUSY) {
      *error = path_ +
               " is already in use: is another jetsvc running? (stop it, or give this one "
               "another pipe name) (" +
               Win32ErrorText(code) + ")";
    } else {
      *error = "cannot create " + path_ + ": " + Win32ErrorText(code);
    }
    return false;
  }
  accept_thread_ = std::thread([this, first] { AcceptLoop(first); });
  return true;
}

void PipeServer::Impl::Stop() {
  if (stop_event_ == nullptr) return;
  SetEvent(stop_event_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  slot_freed_.notify_all();
  if (accept_thread_.joinable()) accept_thread_.join();
  // No new connections now; each one ends its I/O on the stop event.
  std::list<Connection> connections;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    connections.swap(connections_);
  }
  for (Connection& connection : connections) {
    if (connection.thread.joinable()) connection.thread.join();
  }
}

bool PipeServer::Impl::WaitForSlot() {
  std::unique_lock<std::mutex> lock(mutex_);
  slot_freed_.wait(lock, [&] { return stopping_ || active_ < options_.max_connections; });
  return !stopping_;
}

void PipeServer::Impl::JoinFinished() {
  std::list<Connection> finished;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      auto next = std::next(it);
      if (it->finished) finished.splice(finished.end(), connections_, it);
      it = next;
    }
  }
  for (Connection& connection : finished) connection.thread.join();
}

void PipeServer::Impl::AcceptLoop(HANDLE first) {
  // `listening` always exists before the previous instance is handed to
  // its connection, so the name never goes away while the server runs
  // (FILE_FLAG_FIRST_PIPE_INSTANCE guards only the first instance). While
  // max_connections are served, one more client can connect to it and is
  // accepted when a connection ends; others see ERROR_PIPE_BUSY.
  HANDLE listening = first;
  for (;;) {
    if (listening == INVALID_HANDLE_VALUE) {
      listening = CreateInstance(false);
      if (listening == INVALID_HANDLE_VALUE) {
        Say("cannot create another pipe instance: " + Win32ErrorText(GetLastError()) +
            "; retrying in 1 s");
        if (WaitForSingleObject(stop_event_, kRetryCreateMs) == WAIT_OBJECT_0) break;
        continue;
      }
    }
    if (!WaitForSlot()) break;
    JoinFinished();
    IoStatus status;
    DWORD failure = 0;
    {
      PipeIo io(listening, stop_event_);
      status = io.ok() ? io.Accept(INFINITE) : IoStatus::kFailed;
      failure = io.last_error();
    }
    if (status == IoStatus::kStopped) break;
    if (status != IoStatus::kOk) {
      // A client that came and went before it was accepted (kClosed):
      // disconnect it and listen again on the same instance. An error:
      // replace the instance, the new one first so that the name stays.
      if (status == IoStatus::kClosed && DisconnectNamedPipe(listening)) continue;
      if (status == IoStatus::kFailed) {
        Say("accepting a connection failed: " + Win32ErrorText(failure) + ", ignoring");
      }
      const HANDLE replacement = CreateInstance(false);  // on failure, retried at the top
      CloseHandle(listening);
      listening = replacement;
      continue;
    }
    const HANDLE connected = listening;
    listening = CreateInstance(false);  // on failure, retried at the top
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++active_;
      connections_.emplace_back();
      auto self = std::prev(connections_.end());
      self->thread = std::thread([this, connected, self] { Serve(connected, self); });
    }
  }
  if (listening != INVALID_HANDLE_VALUE) CloseHandle(listening);
}

bool PipeServer::Impl::ReadRequest(PipeIo& io, pipe::FrameDecoder& decoder,
                                   std::vector<char>& buffer, const std::string& client,
                                   std::string* payload) {
  while (!decoder.Next(payload)) {
    if (decoder.failed()) {
      Say(client + " sent a broken frame: " + decoder.error() + "; closing its connection");
      const std::string reply = pipe::Frame(pipe::EncodeResponse(pipe::ErrorResponse(
          Op::kUnknown, Result::Error(ErrorKind::kInvalidArgument, decoder.error()))));
      io.Write(reply.data(), reply.size(), options_.io_timeout_ms);
      // Let the client read the answer before the pipe goes away: wait (at
      // most kStopGraceMs) for it to close its end.
      const ULONGLONG deadline = GetTickCount64() + PipeIo::kStopGraceMs;
      DWORD got = 0;
      for (ULONGLONG now = GetTickCount64(); now < deadline; now = GetTickCount64()) {
        const DWORD left = static_cast<DWORD>(deadline - now);
        if (io.Read(buffer.data(), kReadChunkBytes, &got, left) != IoStatus::kOk) break;
      }
      return false;
    }
    const bool partial = decoder.partial();
    DWORD got = 0;
    const IoStatus status = io.Read(buffer.data(), kReadChunkBytes, &got,
                                    partial ? options_.io_timeout_ms : options_.idle_timeout_ms);
    if (status == IoStatus::kTimedOut && partial) {
      Say(client + " stalled in the middle of a request; closing its connection");
    } else if (status == IoStatus::kFailed) {
      Say("reading a request of " + client + " failed: " + Win32ErrorText(io.last_error()) +
          "; closing its connection");
    }
    if (status != IoStatus::kOk) return false;
    decoder.Feed(buffer.data(), got);
  }
  return true;
}

std::string PipeServer::Impl::Answer(const std::string& payload, const std::string& client) {
  Request request;
  Op op = Op::kUnknown;
  std::string error;
  Response response;
  if (pipe::DecodeRequest(payload, &request, &op, &error)) {
    response = Handle(request, client);
  } else {
    Say(client + " sent a malformed request: " + error);
    response = pipe::ErrorResponse(op, Result::Error(ErrorKind::kInvalidArgument, error));
  }
  std::string reply = pipe::EncodeResponse(response);
  if (reply.size() > pipe::kMaxFrameBytes) {
    reply = pipe::EncodeResponse(pipe::ErrorResponse(
        response.op,
        Result::Error(ErrorKind::kTooLarge, "the reply has " + std::to_string(reply.size()) +
                                                " bytes; the pipe carries at most " +
                                                std::to_string(pipe::kMaxFrameBytes))));
  }
  return pipe::Frame(reply);
}

void PipeServer::Impl::Serve(HANDLE pipe, std::list<Connection>::iterator self) {
  {
    ULONG pid = 0;
    const std::string client = GetNamedPipeClientProcessId(pipe, &pid)
                                   ? "process " + std::to_string(pid)
                                   : std::string("a client");
    PipeIo io(pipe, stop_event_);
    pipe::FrameDecoder decoder;
    std::vector<char> buffer(kReadChunkBytes);
    std::string payload;
    while (io.ok() && ReadRequest(io, decoder, buffer, client, &payload)) {
      const std::string reply = Answer(payload, client);
      const IoStatus status = io.Write(reply.data(), reply.size(), options_.io_timeout_ms);
      if (status == IoStatus::kTimedOut) {
        Say(client + " did not read its reply; closing its connection");
      }
      if (status != IoStatus::kOk) break;
    }
  }
  // The accept thread's instance holds the name meanwhile.
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --active_;
    self->finished = true;
  }
  slot_freed_.notify_all();
  CloseHandle(pipe);
}

Response PipeServer::Impl::Handle(const Request& request, const std::string& client) {
  std::string failure;
  try {
    if (request.op == Op::kPrepareStop) return PrepareStop(request, client);
    return Dispatch(request);
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "an exception of unknown type";
  }
  const std::string what =
      "internal error in " + std::string(pipe::OpName(request.op)) + ": " + failure;
  Say(what);
  return pipe::ErrorResponse(request.op, Result::Error(ErrorKind::kEngine, what));
}

Response PipeServer::Impl::PrepareStop(const Request& request, const std::string& client) {
  uint32_t wait_ms = request.wait_ms;
  if (wait_ms == 0) {
    wait_ms = request.timeout_ms > UINT32_MAX - kDefaultPrepareMarginMs
                  ? UINT32_MAX - 1
                  : request.timeout_ms + kDefaultPrepareMarginMs;
  }
  if (wait_ms == INFINITE) wait_ms = INFINITE - 1;
  Say("PrepareStop(timeout " + std::to_string(request.timeout_ms) + " ms) requested by " + client);
  auto wait = std::make_shared<PrepareWait>();
  if (wait->event == nullptr) {
    return pipe::ErrorResponse(
        Op::kPrepareStop, Result::Error(ErrorKind::kEngine, "cannot create an event: " +
                                                                Win32ErrorText(GetLastError())));
  }
  controller_->PrepareStop(request.timeout_ms, [wait](const PrepareOutcome& outcome) {
    {
      std::lock_guard<std::mutex> lock(wait->mutex);
      if (wait->done) return;  // `done` is called once; be safe anyway
      wait->done = true;
      wait->outcome = outcome;
    }
    SetEvent(wait->event);
  });
  HANDLE handles[2] = {wait->event, stop_event_};
  const DWORD waited = WaitForMultipleObjects(2, handles, FALSE, wait_ms);
  if (waited == WAIT_OBJECT_0) {
    PrepareOutcome outcome;
    {
      std::lock_guard<std::mutex> lock(wait->mutex);
      outcome = wait->outcome;
    }
    if (!outcome.result.ok()) {
      Say("PrepareStop failed: " + outcome.result.message);
      return pipe::ErrorResponse(Op::kPrepareStop, outcome.result);
    }
    Say(std::string("PrepareStop ") + (outcome.quiesced ? "quiesced" : "timed out") + " after " +
        std::to_string(outcome.elapsed_usec) + " us");
    Response response;
    response.op = Op::kPrepareStop;
    response.quiesced = outcome.quiesced;
    response.elapsed_usec = outcome.elapsed_usec;
    return response;
  }
  if (waited == WAIT_OBJECT_0 + 1) {
    return pipe::ErrorResponse(
        Op::kPrepareStop,
        Result::Error(ErrorKind::kNotReady,
                      "the service is shutting down; PrepareStop did not finish"));
  }
  Response response = pipe::ErrorResponse(
      Op::kPrepareStop,
      Result::Error(ErrorKind::kEngine, "PrepareStop did not answer within " +
                                            std::to_string(wait_ms) +
                                            " ms; the prepare goes on in the service"));
  response.timed_out = true;
  Say(response.result.message);
  return response;
}

Response PipeServer::Impl::Scan(const Request& request, const StoreLimits& limits) {
  Response response = pipe::ErrorResponse(Op::kScan, Result::Ok());
  // An empty start scans from the first key.
  if (!request.key.empty()) response.result = CheckKey(request.key, limits, "the start key");
  if (response.result.ok() && request.limit == 0) {
    response.result =
        Result::Error(ErrorKind::kInvalidArgument, "the scan limit is 0; it must be 1.." +
                                                       std::to_string(limits.max_scan_items));
  } else if (response.result.ok() && request.limit > limits.max_scan_items) {
    response.result =
        Result::Error(ErrorKind::kTooLarge, "the scan limit " + std::to_string(request.limit) +
                                                " is over the maximum of " +
                                                std::to_string(limits.max_scan_items));
  }
  if (!response.result.ok()) return response;
  std::vector<KeyValue> found;
  response.result = controller_->Scan(request.key, request.limit, &found);
  if (!response.result.ok()) return response;
  size_t bytes = 0;
  bool moved_on = false;  // holds an item whose key is not the start key
  for (KeyValue& item : found) {
    if (response.items.size() >= request.limit) break;
    const size_t size = item.first.size() + item.second.size();
    if (moved_on && bytes + size > pipe::kMaxScanReplyBytes) break;
    bytes += size;
    if (item.first != request.key) moved_on = true;
    response.items.push_back(std::move(item));
  }
  return response;
}

Response PipeServer::Impl::PutBatch(const Request& request, const StoreLimits& limits) {
  Response response = pipe::ErrorResponse(Op::kPutBatch, Result::Ok());
  if (request.items.size() > limits.max_batch_items) {
    response.result =
        Result::Error(ErrorKind::kTooLarge,
                      "the batch has " + std::to_string(request.items.size()) + " items; at most " +
                          std::to_string(limits.max_batch_items) + " fit");
    return response;
  }
  for (size_t i = 0; i < request.items.size() && response.result.ok(); ++i) {
    const std::string what = "item " + std::to_string(i);
    response.result = CheckKey(request.items[i].first, limits, (what + " key").c_str());
    if (response.result.ok()) {
      response.result =
          CheckValue(request.items[i].second.size(), limits, (what + " value").c_str());
    }
  }
  if (!response.result.ok()) return response;
  response.result = controller_->PutBatch(request.items, request.durable, &response.count);
  return response;
}

Response PipeServer::Impl::Dispatch(const Request& request) {
  Response response = pipe::ErrorResponse(request.op, Result::Ok());
  switch (request.op) {
    case Op::kStatus:
      response.snapshot = controller_->Snapshot();
      return response;
    case Op::kResume:
      response.result = controller_->Resume();
      return response;
    case Op::kDefragStart:
    case Op::kDefragStop: {
      const DefragOutcome outcome = request.op == Op::kDefragStart ? controller_->StartDefragment()
                                                                   : controller_->StopDefragment();
      response.result = outcome.result;
      response.was_running = outcome.was_running;
      response.passes = outcome.passes;
      response.seconds = outcome.seconds;
      return response;
    }
    case Op::kLimits:
      response.limits = controller_->Limits();
      return response;
    case Op::kPrepareStop:
    case Op::kUnknown:
      response.result = Result::Error(ErrorKind::kInvalidArgument,
                                      std::string("unexpected op ") + pipe::OpName(request.op));
      return response;
    default:
      break;
  }
  // The store operations: arguments first.
  const StoreLimits limits = controller_->Limits();
  if (request.op == Op::kScan) return Scan(request, limits);
  if (request.op == Op::kPutBatch) return PutBatch(request, limits);
  response.result = CheckKey(request.key, limits, "the key");
  if (response.result.ok() && request.op == Op::kPut) {
    response.result = CheckValue(request.value.size(), limits, "the value");
  }
  if (!response.result.ok()) return response;
  if (request.op == Op::kPut) {
    response.result = controller_->Put(request.key, request.value);
  } else if (request.op == Op::kGet) {
    response.result = controller_->Get(request.key, &response.value);
  } else {
    response.result = controller_->Delete(request.key, &response.existed);
  }
  return response;
}

PipeServer::PipeServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PipeServer::~PipeServer() = default;

const std::string& PipeServer::path() const { return impl_->path(); }

std::unique_ptr<PipeServer> PipeServer::Start(const std::string& pipe_name, Controller* controller,
                                              Log log, std::string* error) {
  return Start(pipe_name, controller, std::move(log), PipeServerOptions(), error);
}

std::unique_ptr<PipeServer> PipeServer::Start(const std::string& pipe_name, Controller* controller,
                                              Log log, const PipeServerOptions& options,
                                              std::string* error) {
  std::string path = pipe::PipePath(pipe_name, error);
  if (path.empty()) return nullptr;
  auto impl = std::make_unique<Impl>(std::move(path), controller, std::move(log), options);
  if (!impl->Open(error)) return nullptr;
  return std::unique_ptr<PipeServer>(new PipeServer(std::move(impl)));
}

}  // namespace platform
}  // namespace jetsvc

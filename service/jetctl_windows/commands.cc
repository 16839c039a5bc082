// jetctl.exe: the commands, each a request on the service's named pipe
// (see jetctl_windows.h for the exit codes). The output is the Linux
// jetctl's (service/jetctl/commands.cc).

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "platform/windows/pipe_client.h"
#include "service/jetctl_windows/jetctl_windows.h"

namespace jetsvc {
namespace jetctl {

namespace {

using platform::PipeClient;
using platform::PipeError;
using platform::pipe::Op;
using platform::pipe::Request;
using platform::pipe::Response;

// prepare-stop asks the service to wait for its own timeout plus this,
// and waits itself a little longer than the service.
constexpr uint32_t kPrepareWaitMarginMs = 5000;
constexpr uint32_t kPrepareReplyMarginMs = 2000;

void Complain(const std::string& message) { std::cerr << "jetctl: " << message << std::endl; }

uint32_t SaturatingAdd(uint32_t a, uint32_t b) {
  return a > std::numeric_limits<uint32_t>::max() - b ? std::numeric_limits<uint32_t>::max() - 1
                                                      : a + b;
}

// A request for `op` on `key` (put, get, delete; scan: the start key).
Request KeyRequest(Op op, const std::string& key) {
  Request request;
  request.op = op;
  request.key = key;
  return request;
}

class Session {
 public:
  explicit Session(const PipeOptions& options) : options_(options) {}

  // False (after saying why) if the pipe cannot be opened; *exit_code is
  // then the code to exit with.
  bool Connect(int* exit_code) {
    PipeError error;
    client_ = PipeClient::Connect(options_.pipe, options_.timeout_ms, &error);
    if (client_ != nullptr) return true;
    *exit_code = TransportFailure(error);
    return false;
  }

  // Sends `request`; true when a response came with no error. Otherwise
  // says why (naming `what`) and sets *exit_code.
  bool Call(const std::string& what, const Request& request, uint32_t timeout_ms,
            Response* response, int* exit_code) {
    PipeError error;
    if (!client_->Call(request, timeout_ms, response, &error)) {
      *exit_code = TransportFailure(error);
      return false;
    }
    if (response->timed_out) {
      Complain("cannot reach the service on " + client_->path() + ": " + response->result.message +
               " (see --timeout)");
      *exit_code = kExitUnreachable;
      return false;
    }
    if (response->result.ok()) return true;
    const platform::ErrorKind kind = response->result.kind;
    Complain(what + ": " + response->result.message + " (" + platform::ErrorKindName(kind) + ")");
    if (kind == platform::ErrorKind::kNotFound) {
      *exit_code = kExitNotFound;
    } else if (kind == platform::ErrorKind::kStopping || kind == platform::ErrorKind::kNotReady) {
      *exit_code = kExitRefused;
    } else {
      *exit_code = kExitError;
    }
    return false;
  }

  bool Call(const std::string& what, const Request& request, Response* response, int* exit_code) {
    return Call(what, request, options_.timeout_ms, response, exit_code);
  }

  // A request with no arguments.
  bool Call(const std::string& what, Op op, Response* response, int* exit_code) {
    Request request;
    request.op = op;
    return Call(what, request, response, exit_code);
  }

  const PipeOptions& options() const { return options_; }

 private:
  int TransportFailure(const PipeError& error) const {
    switch (error.kind) {
      case PipeError::Kind::kNotRunning:
        Complain("cannot reach the service: " + error.message +
                 " (start it with 'sc start jetsvc', or name its pipe with --pipe NAME)");
        return kExitUnreachable;
      case PipeError::Kind::kBusy:
      case PipeError::Kind::kTimedOut:
        Complain("cannot reach the service: " + error.message + " (see --timeout)");
        return kExitUnreachable;
      case PipeError::Kind::kClosed:
        Complain("cannot reach the service: " + error.message);
        return kExitUnreachable;
      case PipeError::Kind::kBadName:
        Complain(error.message);
        return kExitUsage;
      default:
        Complain(error.message);
        return kExitError;
    }
  }

  const PipeOptions& options_;
  std::unique_ptr<PipeClient> client_;
};

int Status(Session& session, const Command& command) {
  Response response;
  int exit_code = kExitOk;
  if (!session.Call("status", Op::kStatus, &response, &exit_code)) return exit_code;
  std::cout << FormatStatus(response.snapshot, command.json);
  return kExitOk;
}

int PrepareStop(Session& session, const Command& command) {
  // The service answers when the engine quiesced or the deadline passed:
  // it waits a little longer than the deadline (or --timeout, if longer),
  // and so does jetctl, a little longer again.
  Request request;
  request.op = Op::kPrepareStop;
  request.timeout_ms = command.prepare_timeout_ms;
  request.wait_ms = SaturatingAdd(command.prepare_timeout_ms, kPrepareWaitMarginMs);
  if (session.options().timeout_given) {
    request.wait_ms = std::max(request.wait_ms, session.options().timeout_ms);
  }
  Response response;
  int exit_code = kExitOk;
  if (!session.Call("prepare-stop", request, SaturatingAdd(request.wait_ms, kPrepareReplyMarginMs),
                    &response, &exit_code)) {
    return exit_code;
  }
  if (response.quiesced) {
    std::cout << "quiesced after " << FormatUsec(response.elapsed_usec, false) << "\n";
    return kExitOk;
  }
  std::cout << "timed out after " << FormatUsec(response.elapsed_usec, false)
            << " before the engine quiesced (the service goes on flushing; the final stop "
               "still works)\n";
  return kExitNotQuiesced;
}

int Resume(Session& session) {
  Response response;
  int exit_code = kExitOk;
  if (!session.Call("resume", Op::kResume, &response, &exit_code)) return exit_code;
  std::cout << "resumed\n";
  return kExitOk;
}

int Defragment(Session& session, bool start) {
  Response response;
  int exit_code = kExitOk;
  if (!session.Call(start ? "defrag start" : "defrag stop",
                    start ? Op::kDefragStart : Op::kDefragStop, &response, &exit_code)) {
    return exit_code;
  }
  if (start) {
    std::cout << (response.was_running ? "defragmentation was already running\n"
                                       : "defragmentation started\n");
  } else if (response.was_running) {
    std::cout << "defragmentation stopped after " << response.passes << " passes, "
              << response.seconds << " s\n";
  } else {
    std::cout << "defragmentation was not running\n";
  }
  return kExitOk;
}

// Reads all of stdin (in binary mode); false on a read error.
bool ReadStdin(std::vector<uint8_t>* out) {
  if (!SetBinaryStdin()) return false;
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), stdin)) > 0) {
    out->insert(out->end(), buffer, buffer + n);
  }
  return std::ferror(stdin) == 0;
}

int Put(Session& session, const Command& command) {
  Request request = KeyRequest(Op::kPut, command.key);
  if (command.value == "-") {
    if (!ReadStdin(&request.value)) {
      Complain("put: cannot read the value from stdin");
      return kExitError;
    }
  } else {
    request.value.assign(command.value.begin(), command.value.end());
  }
  Response response;
  int exit_code = kExitOk;
  session.Call("put", request, &response, &exit_code);
  return exit_code;
}

int Get(Session& session, const Command& command) {
  Request request = KeyRequest(Op::kGet, command.key);
  Response response;
  int exit_code = kExitOk;
  if (!session.Call("get", request, &response, &exit_code)) return exit_code;
  if (!SetBinaryStdout()) {
    Complain("get: cannot switch stdout to binary mode");
    return kExitError;
  }
  const std::vector<uint8_t>& value = response.value;
  if (!value.empty() && std::fwrite(value.data(), 1, value.size(), stdout) != value.size()) {
    Complain("get: cannot write the value to stdout");
    return kExitError;
  }
  return std::fflush(stdout) == 0 ? kExitOk : kExitError;
}

int Delete(Session& session, const Command& command) {
  Request request = KeyRequest(Op::kDelete, command.key);
  Response response;
  int exit_code = kExitOk;
  if (!session.Call(command.name, request, &response, &exit_code)) return exit_code;
  if (response.existed) return kExitOk;
  Complain(command.name + ": key \"" + EscapeBytes(command.key) + "\" not found");
  return kExitNotFound;
}

// Prints up to command.limit pairs from command.start on, paging: a reply
// may hold fewer items than asked (the service caps its size), so scan on from the last key
// (skipping it) until a page brings nothing new.
int Scan(Session& session, const Command& command) {
  Request request = KeyRequest(Op::kScan, command.start);
  std::optional<std::string> last;
  uint32_t printed = 0;
  while (printed < command.limit) {
    // After the first page the first item is the last key again.
    request.limit = command.limit - printed + (last ? 1 : 0);
    Response response;
    int exit_code = kExitOk;
    if (!session.Call("scan", request, &response, &exit_code)) return exit_code;
    bool progressed = false;
    for (const platform::KeyValue& item : response.items) {
      const std::string& key = item.first;
      if (last && key <= *last) continue;
      if (printed == command.limit) break;
      std::cout << EscapeBytes(key) << '\t'
                << EscapeBytes(std::string(item.second.begin(), item.second.end())) << '\n';
      last = key;
      ++printed;
      progressed = true;
    }
    if (!progressed) break;
    request.key = *last;
  }
  std::cout.flush();
  return std::cout.good() ? kExitOk : kExitError;
}

int Limits(Session& session) {
  Response response;
  int exit_code = kExitOk;
  if (!session.Call("limits", Op::kLimits, &response, &exit_code)) return exit_code;
  const platform::StoreLimits& l = response.limits;
  std::cout << "Max key bytes:      " << l.max_key_bytes << "\n"
            << "Max value bytes:    " << l.max_value_bytes << "\n"
            << "Max scan items:     " << l.max_scan_items << "\n"
            << "Max batch items:    " << l.max_batch_items << "\n";
  return kExitOk;
}

}  // namespace

int RunPipeCommand(const PipeOptions& options, const Command& command) {
  Session session(options);
  int exit_code = kExitOk;
  if (!session.Connect(&exit_code)) return exit_code;
  const std::string& name = command.name;
  if (name == "status") return Status(session, command);
  if (name == "prepare-stop") return PrepareStop(session, command);
  if (name == "resume") return Resume(session);
  if (name == "defrag start") return Defragment(session, true);
  if (name == "defrag stop") return Defragment(session, false);
  if (name == "put") return Put(session, command);
  if (name == "get") return Get(session, command);
  if (name == "del" || name == "delete") return Delete(session, command);
  if (name == "scan") return Scan(session, command);
  if (name == "limits") return Limits(session);
  Complain("unknown command \"" + name + "\"");
  return kExitUsage;
}

}  // namespace jetctl
}  // namespace jetsvc

// PipeClient: a connection to jetsvc's named pipe (\\.\pipe\<name>,
// served by PipeServer, pipe_server.h) that sends requests and reads
// their responses in the wire format of pipe_protocol.h. Used by
// jetctl.exe and the tests. The header is portable (no Windows types);
// the implementation is Win32.
//
// Thread contract: a PipeClient is used by one thread at a time; several
// clients may be used at once.

#ifndef JETSVC_PLATFORM_WINDOWS_PIPE_CLIENT_H_
#define JETSVC_PLATFORM_WINDOWS_PIPE_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "platform/windows/pipe_protocol.h"

namespace jetsvc {
namespace platform {

// Why a connection or an exchange failed (not an error the service
// answered with: that is Response::result).
struct PipeError {
  enum class Kind {
    kNone,
    kBadName,       // the pipe name is not one
    kNotRunning,    // the pipe does not exist: the service is not running
    kAccessDenied,  // the pipe's security refuses this account
    kBusy,          // every instance stayed busy for the whole timeout
    kTimedOut,      // no (complete) response within the timeout
    kClosed,        // the service closed the connection
    kProtocol,      // the service answered something that is not a response
    kTooLarge,      // the request does not fit in a frame
    kSystem,        // any other Win32 error
  };
  Kind kind = Kind::kNone;
  // Names the pipe and the cause, e.g. "\\.\pipe\jetsvc does not exist:
  // the service is not running".
  std::string message;
};

class PipeClient {
 public:
  // Opens \\.\pipe\<pipe_name> (a whole path is accepted too), waiting up
  // to timeout_ms while all its instances are busy. Null (and *error) on
  // failure. The client asks the server for identification-level
  // impersonation only. REQUIRES: error != nullptr.
  static std::unique_ptr<PipeClient> Connect(const std::string& pipe_name, uint32_t timeout_ms,
                                             PipeError* error);

  PipeClient(const PipeClient&) = delete;
  PipeClient& operator=(const PipeClient&) = delete;
  ~PipeClient();

  // Sends `request` and waits up to timeout_ms for its response. True when
  // a response came (its result may be an error the service gave); false
  // (and *error) when the exchange failed, after which the connection is
  // not usable. REQUIRES: response, error != nullptr.
  bool Call(const pipe::Request& request, uint32_t timeout_ms, pipe::Response* response,
            PipeError* error);

  // The two halves of Call, for tests that send what a client should not:
  // Send writes `bytes` as they are (no frame added); Receive reads the
  // next response.
  bool Send(const std::string& bytes, uint32_t timeout_ms, PipeError* error);
  bool Receive(uint32_t timeout_ms, pipe::Response* response, PipeError* error);

  // "\\.\pipe\<name>".
  const std::string& path() const;

  class Impl;

 private:
  explicit PipeClient(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_WINDOWS_PIPE_CLIENT_H_

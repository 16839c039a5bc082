// PipeServer: serves a platform::Controller on the Windows named pipe
// \\.\pipe\<name> in the wire format of pipe_protocol.h; the Windows
// counterpart of the D-Bus adaptors (platform/dbus/). jetctl.exe
// (service/jetctl_windows/) is its client.
//
// Behaviour:
//  - One thread accepts connections (overlapped ConnectNamedPipe, so that
//    stopping cancels a waiting accept); each connection gets its own
//    thread, up to max_connections at once. Meanwhile one more client
//    can connect (to the instance that serves next; its requests wait
//    until a connection ends), and further ones see ERROR_PIPE_BUSY
//    (PipeClient waits with WaitNamedPipe, up to its timeout). The server
//    always holds an instance, so the name stays taken while it runs.
//  - A connection carries any number of requests, one at a time. Each is
//    one Controller call; store arguments are checked against
//    Controller::Limits() first (empty key: InvalidArgument; too long key
//    or value, too many items, scan limit over the maximum: TooLarge; scan
//    limit 0: InvalidArgument), as the D-Bus adaptors do. A scan reply
//    stops at kMaxScanReplyBytes (see pipe_protocol.h).
//  - PrepareStop is answered when the controller's `done` fires, or with
//    the "timed out" flag when the request's wait_ms passes first, or with
//    NotReady when the server stops meanwhile.
//  - A malformed request is answered with InvalidArgument; a broken frame
//    (bad magic, oversized) too, and then the connection is closed. An
//    exception from the controller becomes an Engine error ("internal
//    error in ..."). Nothing a client sends affects other connections.
//  - A connection idle for idle_timeout_ms between requests, or stalled
//    for io_timeout_ms inside one, is closed.
//  - Security: the pipe's DACL (options.sddl, default: SYSTEM and
//    Administrators, plus the account the server runs as) decides who may
//    connect; remote clients are rejected (PIPE_REJECT_REMOTE_CLIENTS); the
//    first instance is created with FILE_FLAG_FIRST_PIPE_INSTANCE, so a
//    second server on the same name fails to start instead of sharing it.
//    Wine 8 ignores both flags and does not enforce the DACL (it stores
//    it); the server makes up for the first flag by refusing a first
//    instance that is not the pipe's only one.
//
// Problems (a client that sent garbage, a failed accept, a controller
// exception) are reported through the `log` callback, one line each.
//
// Thread contract: Start and the destructor are called from one thread;
// `log` is called from the server's threads (concurrently: it must be
// thread-safe), never after the destructor returned. The controller's
// methods are called from the connection threads.

#ifndef JETSVC_PLATFORM_WINDOWS_PIPE_SERVER_H_
#define JETSVC_PLATFORM_WINDOWS_PIPE_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "platform/controller.h"

namespace jetsvc {
namespace platform {

struct PipeServerOptions {
  // Connections served at once. Default: 16.
  size_t max_connections = 16;
  // A connection that sends no request for this long is closed.
  // Default: 60 s.
  uint32_t idle_timeout_ms = 60'000;
  // A request that stalls half-sent, or a response the client does not
  // read, for this long closes the connection. Default: 30 s.
  uint32_t io_timeout_ms = 30'000;
  // The pipe's security descriptor in SDDL. Empty (the default): full
  // access for SYSTEM, Administrators and the account the server runs as,
  // nobody else.
  std::string sddl;
};

class PipeServer {
 public:
  using Log = std::function<void(const std::string&)>;

  // Creates \\.\pipe\<pipe_name> and starts serving `controller` on it.
  // Returns null and sets *error if the name is bad, already in use
  // ("... is already in use: is another jetsvc running?"), or the pipe
  // cannot be created. REQUIRES: controller outlives the server; error !=
  // nullptr.
  static std::unique_ptr<PipeServer> Start(const std::string& pipe_name, Controller* controller,
                                           Log log, std::string* error);
  static std::unique_ptr<PipeServer> Start(const std::string& pipe_name, Controller* controller,
                                           Log log, const PipeServerOptions& options,
                                           std::string* error);

  PipeServer(const PipeServer&) = delete;
  PipeServer& operator=(const PipeServer&) = delete;
  // Stops accepting, cancels the pending I/O of every connection (a
  // PrepareStop still waiting is answered NotReady), joins the threads.
  // A controller call in progress is waited for.
  ~PipeServer();

  // "\\.\pipe\<name>".
  const std::string& path() const;

  class Impl;

 private:
  explicit PipeServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_WINDOWS_PIPE_SERVER_H_

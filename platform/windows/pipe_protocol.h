// The wire format of jetsvc's named-pipe API (\\.\pipe\<name>, Windows):
// the requests jetctl.exe sends and the responses the service's
// PipeServer (pipe_server.h) gives, one request and one response at a
// time per connection. Portable C++: no Windows header, so it is tested
// alone (and could serve another transport).
//
// The operations are those of platform::Controller (controller.h), the
// same as the D-Bus interfaces org.jetsvc.Jetsvc1.Manager and .Store.
//
// Framing (the pipe is a byte stream):
//
//   offset  size  field
//   0       4     magic "JSVP"
//   4       4     payload length N, little-endian; N <= kMaxFrameBytes
//   8       N     payload
//
// Payload. Integers are little-endian; "bytes" is a u32 length and that
// many bytes (binary-safe: keys, values and messages may hold any byte);
// a bool is one byte, 0 or 1 (anything else is malformed).
//
//   request   u8 version (kProtocolVersion) | u8 op | the op's fields
//   response  u8 version | u8 op (of the request; 0 if it could not be
//             read) | u8 error kind | u8 flags (bit 0: timed out) |
//             i64 jet_err | bytes message | the op's fields, only when
//             the error kind is 0
//
// Error kinds (platform::ErrorKind; the numbers are fixed here, not the
// enum's order): 0 none, 1 InvalidArgument, 2 NotFound, 3 TooLarge,
// 4 Stopping, 5 WriteConflict, 6 NotReady, 7 DiskFull, 8 Failed, 9 Engine.
//
//   op                 request fields              response fields
//   1  status          -                           bytes state, u64 checkpoint
//                                                  depth, u64 dirty pages, u64
//                                                  version store bytes, bool
//                                                  defrag running, u64 last
//                                                  prepare usec, u64 last term usec
//   2  prepare-stop    u32 timeout_ms, u32 wait_ms bool quiesced, u64 elapsed_usec
//   3  resume          -                           -
//   4  defrag-start    -                           bool was_running
//   5  defrag-stop     -                           bool was_running, u64 passes,
//                                                  u64 seconds
//   6  put             bytes key, bytes value      -
//   7  get             bytes key                   bytes value
//   8  delete          bytes key                   bool existed
//   9  scan            bytes start, u32 limit      u32 n, n x (bytes key, bytes value)
//   10 put-batch       bool durable, u32 n,        u32 count
//                      n x (bytes key, bytes value)
//   11 limits          -                           u32 max key, u32 max value,
//                                                  u32 max scan items, u32 max
//                                                  batch items
//
// prepare-stop: timeout_ms is the controller's deadline (Controller::
// PrepareStop); wait_ms is how long the client waits for the answer (0:
// timeout_ms + 5 s). If the controller has not answered when wait_ms
// passes, the server replies with the "timed out" flag set (kind Engine);
// the client gives up a little later on its own.
//
// Bytes after the last field make a payload malformed. The encoding is
// canonical: a payload that decodes encodes back to the same bytes.
//
// A payload that cannot be decoded is answered with kind InvalidArgument
// and a message saying what is wrong; the connection stays usable. A bad
// frame header (wrong magic, N over the limit) is answered the same way,
// then the server closes the connection (it cannot find the next frame).
//
// Thread contract: the functions are thread-safe (no shared state); a
// FrameDecoder is used by one thread at a time.

#ifndef JETSVC_PLATFORM_WINDOWS_PIPE_PROTOCOL_H_
#define JETSVC_PLATFORM_WINDOWS_PIPE_PROTOCOL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "platform/controller.h"

namespace jetsvc {
namespace platform {
namespace pipe {

constexpr uint8_t kProtocolVersion = 1;
constexpr char kFrameMagic[4] = {'J', 'S', 'V', 'P'};
constexpr size_t kFrameHeaderBytes = 8;
// The largest payload either side accepts: room for a scan reply
// (kMaxScanReplyBytes plus the start item and the item that passes it,
// each up to the largest value the service can be configured for,
// store.max-value-bytes = 16 MiB).
constexpr uint32_t kMaxFrameBytes = 64u << 20;
// A scan reply stops adding items once its keys and values pass this
// (but always holds one item whose key is not the start key, so a client
// that pages from the last key it got always moves on).
constexpr size_t kMaxScanReplyBytes = 8u << 20;

enum class Op : uint8_t {
  kUnknown = 0,  // responses only: the request could not be read
  kStatus = 1,
  kPrepareStop = 2,
  kResume = 3,
  kDefragStart = 4,
  kDefragStop = 5,
  kPut = 6,
  kGet = 7,
  kDelete = 8,
  kScan = 9,
  kPutBatch = 10,
  kLimits = 11,
};

// The pipe's path for a name: "jetsvc" -> "\\.\pipe\jetsvc"; a name
// given whole ("\\.\pipe\jetsvc") is returned as is. Empty (and
// *error says why) for a name that cannot be a pipe's: empty, holding a
// backslash or a NUL, or a path longer than 256 characters. REQUIRES:
// error != nullptr.
std::string PipePath(const std::string& pipe_name, std::string* error);

// "status", "prepare-stop", ... ("unknown" for kUnknown and bad values).
const char* OpName(Op op);

struct Request {
  Op op = Op::kStatus;
  uint32_t timeout_ms = 0;      // prepare-stop
  uint32_t wait_ms = 0;         // prepare-stop
  std::string key;              // put, get, delete; scan: the start key
  std::vector<uint8_t> value;   // put
  uint32_t limit = 0;           // scan
  std::vector<KeyValue> items;  // put-batch
  bool durable = true;          // put-batch
};

struct Response {
  Op op = Op::kUnknown;
  Result result;
  bool timed_out = false;       // prepare-stop: the server stopped waiting
  ManagerSnapshot snapshot;     // status
  bool quiesced = false;        // prepare-stop
  uint64_t elapsed_usec = 0;    // prepare-stop
  bool was_running = false;     // defrag-start, defrag-stop
  uint64_t passes = 0;          // defrag-stop
  uint64_t seconds = 0;         // defrag-stop
  std::vector<uint8_t> value;   // get
  bool existed = false;         // delete
  std::vector<KeyValue> items;  // scan
  uint32_t count = 0;           // put-batch
  StoreLimits limits;           // limits
};

// An error response to `op`.
Response ErrorResponse(Op op, Result result);

// The payloads (without the frame header).
std::string EncodeRequest(const Request& request);
std::string EncodeResponse(const Response& response);
// Decode a payload. On failure return false and set *error to what is
// wrong ("truncated key", "unknown op 77", ...); *op_seen is the op byte
// when it was read and known (so the error can be answered as that op),
// else kUnknown. REQUIRES: out, error != nullptr.
bool DecodeRequest(const std::string& payload, Request* out, Op* op_seen, std::string* error);
bool DecodeResponse(const std::string& payload, Response* out, std::string* error);

// The frame of `payload`: its header, then the payload.
// REQUIRES: payload.size() <= kMaxFrameBytes.
std::string Frame(const std::string& payload);

// Splits a byte stream into frame payloads.
class FrameDecoder {
 public:
  FrameDecoder() = default;
  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;

  // Appends bytes read from the stream. Ignored after an error.
  void Feed(const char* data, size_t size);
  // Moves the next complete payload into *payload; false if none is
  // complete yet or the stream is broken (see failed()).
  bool Next(std::string* payload);
  // True once a header was bad (wrong magic, length over kMaxFrameBytes);
  // the stream cannot be read further. error() says why.
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  // True while part of a frame has been fed but not completed.
  bool partial() const { return !buffer_.empty() && error_.empty(); }

 private:
  std::string buffer_;  // unconsumed bytes: at most one frame's worth, once consumed
  std::string error_;
};

}  // namespace pipe
}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_WINDOWS_PIPE_PROTOCOL_H_

// The named-pipe wire format: see pipe_protocol.h.

#include "platform/windows/pipe_protocol.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace jetsvc {
namespace platform {
namespace pipe {

namespace {

constexpr uint8_t kFlagTimedOut = 1;

// ErrorKind <-> its fixed wire number (the header's table).
struct KindCode {
  ErrorKind kind;
  uint8_t code;
};
constexpr KindCode kKindCodes[] = {
    {ErrorKind::kNone, 0},     {ErrorKind::kInvalidArgument, 1}, {ErrorKind::kNotFound, 2},
    {ErrorKind::kTooLarge, 3}, {ErrorKind::kStopping, 4},        {ErrorKind::kWriteConflict, 5},
    {ErrorKind::kNotReady, 6}, {ErrorKind::kDiskFull, 7},        {ErrorKind::kFailed, 8},
    {ErrorKind::kEngine, 9},
};

uint8_t KindToWire(ErrorKind kind) {
  for (const KindCode& entry : kKindCodes) {
    if (entry.kind == kind) return entry.code;
  }
  return 9;  // an out-of-range kind travels as an engine error
}

bool KindFromWire(uint8_t code, ErrorKind* kind) {
  for (const KindCode& entry : kKindCodes) {
    if (entry.code == code) {
      *kind = entry.kind;
      return true;
    }
  }
  return false;
}

bool IsKnownOp(uint8_t op) {
  return op >= static_cast<uint8_t>(Op::kStatus) && op <= static_cast<uint8_t>(Op::kLimits);
}

// Appends little-endian fields to a payload. Its methods mirror
// Reader's, so that RequestFields and ResponseFields serve both.
class Writer {
 public:
  bool U8(const uint8_t& v, const char*) {
    out_.push_back(static_cast<char>(v));
    return true;
  }
  bool Bool(const bool& v, const char* what) { return U8(v ? 1 : 0, what); }
  bool U32(const uint32_t& v, const char*) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
    return true;
  }
  bool U64(const uint64_t& v, const char*) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
    return true;
  }
  bool Bytes(const std::string& v, const char* what) { return Span(v.data(), v.size(), what); }
  bool Bytes(const std::vector<uint8_t>& v, const char* what) {
    return Span(reinterpret_cast<const char*>(v.data()), v.size(), what);
  }
  bool Items(const std::vector<KeyValue>& items, const char* what) {
    U32(static_cast<uint32_t>(items.size()), what);
    for (const KeyValue& item : items) {
      Bytes(item.first, what);
      Bytes(item.second, what);
    }
    return true;
  }
  std::string Take() { return std::move(out_); }

 private:
  bool Span(const char* data, size_t size, const char* what) {
    U32(static_cast<uint32_t>(size), what);
    out_.append(data, size);
    return true;
  }

  std::string out_;
};

// Reads fields from a payload; every read checks the bytes left and, on
// failure, records the first error ("truncated <what>") and fails every
// later read.
class Reader {
 public:
  explicit Reader(const std::string& in) : in_(in) {}

  bool U8(uint8_t& v, const char* what) {
    if (!Need(1, what)) return false;
    v = static_cast<uint8_t>(in_[pos_++]);
    return true;
  }
  bool Bool(bool& v, const char* what) {
    uint8_t byte = 0;
    if (!U8(byte, what)) return false;
    if (byte > 1) return Fail(std::string(what) + " is " + std::to_string(byte) + ", not 0 or 1");
    v = byte == 1;
    return true;
  }
  bool U32(uint32_t& v, const char* what) {
    if (!Need(4, what)) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<uint8_t>(in_[pos_ + i])} << (8 * i);
    pos_ += 4;
    return true;
  }
  bool U64(uint64_t& v, const char* what) {
    if (!Need(8, what)) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<uint8_t>(in_[pos_ + i])} << (8 * i);
    pos_ += 8;
    return true;
  }
  bool Bytes(std::string& v, const char* what) {
    const char* data = nullptr;
    size_t size = 0;
    if (!Span(&data, &size, what)) return false;
    v.assign(data, size);
    return true;
  }
  bool Bytes(std::vector<uint8_t>& v, const char* what) {
    const char* data = nullptr;
    size_t size = 0;
    if (!Span(&data, &size, what)) return false;
    v.assign(reinterpret_cast<const uint8_t*>(data), reinterpret_cast<const uint8_t*>(data) + size);
    return true;
  }
  bool Items(std::vector<KeyValue>& items, const char* what) {
    uint32_t count = 0;
    if (!U32(count, what)) return false;
    // Each item takes at least its two length fields: a count the payload
    // cannot hold is refused before anything is allocated for it.
    if (count > (in_.size() - pos_) / 8) {
      return Fail(std::string(what) + " claims " + std::to_string(count) + " items but " +
                  std::to_string(in_.size() - pos_) + " bytes are left");
    }
    items.clear();
    items.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      KeyValue item;
      if (!Bytes(item.first, "item key") || !Bytes(item.second, "item value")) return false;
      items.push_back(std::move(item));
    }
    return true;
  }
  // True if every byte was read.
  bool End() {
    if (!error_.empty()) return false;
    if (pos_ != in_.size()) {
      return Fail(std::to_string(in_.size() - pos_) + " unexpected bytes after the last field");
    }
    return true;
  }
  bool Fail(const std::string& error) {
    if (error_.empty()) error_ = error;
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  bool Need(size_t n, const char* what) {
    if (!error_.empty()) return false;
    if (in_.size() - pos_ < n) return Fail(std::string("truncated ") + what);
    return true;
  }
  // The span of a "bytes" field.
  bool Span(const char** data, size_t* size, const char* what) {
    uint32_t length = 0;
    if (!U32(length, what)) return false;
    if (length > in_.size() - pos_) {
      return Fail(std::string(what) + " claims " + std::to_string(length) + " bytes but " +
                  std::to_string(in_.size() - pos_) + " are left");
    }
    *data = in_.data() + pos_;
    *size = length;
    pos_ += length;
    return true;
  }

  const std::string& in_;
  size_t pos_ = 0;
  std::string error_;
};

// The fields of a request after its op (the header's table), written by
// a Writer (R = const Request) or read by a Reader (R = Request).
template <typename Io, typename R>
bool RequestFields(Io& io, R& r) {
  switch (r.op) {
    case Op::kPrepareStop:
      return io.U32(r.timeout_ms, "timeout_ms") && io.U32(r.wait_ms, "wait_ms");
    case Op::kPut:
      return io.Bytes(r.key, "key") && io.Bytes(r.value, "value");
    case Op::kGet:
    case Op::kDelete:
      return io.Bytes(r.key, "key");
    case Op::kScan:
      return io.Bytes(r.key, "start key") && io.U32(r.limit, "limit");
    case Op::kPutBatch:
      return io.Bool(r.durable, "durable") && io.Items(r.items, "items");
    case Op::kStatus:
    case Op::kResume:
    case Op::kDefragStart:
    case Op::kDefragStop:
    case Op::kLimits:
    case Op::kUnknown:
      break;
  }
  return true;
}

// The fields of a successful response, likewise.
template <typename Io, typename R>
bool ResponseFields(Io& io, R& r) {
  auto& s = r.snapshot;
  auto& l = r.limits;
  switch (r.op) {
    case Op::kStatus:
      return io.Bytes(s.state, "state") && io.U64(s.checkpoint_depth_bytes, "checkpoint depth") &&
             io.U64(s.dirty_pages, "dirty pages") &&
             io.U64(s.version_store_bytes, "version store bytes") &&
             io.Bool(s.defrag_running, "defrag running") &&
             io.U64(s.last_prepare_usec, "last prepare usec") &&
             io.U64(s.last_term_usec, "last term usec");
    case Op::kPrepareStop:
      return io.Bool(r.quiesced, "quiesced") && io.U64(r.elapsed_usec, "elapsed_usec");
    case Op::kDefragStart:
      return io.Bool(r.was_running, "was_running");
    case Op::kDefragStop:
      return io.Bool(r.was_running, "was_running") && io.U64(r.passes, "passes") &&
             io.U64(r.seconds, "seconds");
    case Op::kGet:
      return io.Bytes(r.value, "value");
    case Op::kDelete:
      return io.Bool(r.existed, "existed");
    case Op::kScan:
      return io.Items(r.items, "items");
    case Op::kPutBatch:
      return io.U32(r.count, "count");
    case Op::kLimits:
      return io.U32(l.max_key_bytes, "max key bytes") &&
             io.U32(l.max_value_bytes, "max value bytes") &&
             io.U32(l.max_scan_items, "max scan items") &&
             io.U32(l.max_batch_items, "max batch items");
    case Op::kResume:
    case Op::kPut:
    case Op::kUnknown:
      break;
  }
  return true;
}

}  // namespace

std::string PipePath(const std::string& pipe_name, std::string* error) {
  static const std::string kPrefix = "\\\\.\\pipe\\";
  const bool whole = pipe_name.compare(0, kPrefix.size(), kPrefix) == 0;
  const std::string name = whole ? pipe_name.substr(kPrefix.size()) : pipe_name;
  if (name.empty()) {
    *error = "the pipe name is empty";
    return std::string();
  }
  if (name.find('\\') != std::string::npos || name.find('\0') != std::string::npos) {
    *error = "the pipe name \"" + name + "\" holds a backslash or a NUL";
    return std::string();
  }
  if (kPrefix.size() + name.size() > 256) {
    *error = "the pipe name is " + std::to_string(name.size()) + " bytes; at most " +
             std::to_string(256 - kPrefix.size()) + " fit";
    return std::string();
  }
  return kPrefix + name;
}

const char* OpName(Op op) {
  switch (op) {
    case Op::kStatus:
      return "status";
    case Op::kPrepareStop:
      return "prepare-stop";
    case Op::kResume:
      return "resume";
    case Op::kDefragStart:
      return "defrag-start";
    case Op::kDefragStop:
      return "defrag-stop";
    case Op::kPut:
      return "put";
    case Op::kGet:
      return "get";
    case Op::kDelete:
      return "delete";
    case Op::kScan:
      return "scan";
    case Op::kPutBatch:
      return "put-batch";
    case Op::kLimits:
      return "limits";
    case Op::kUnknown:
      break;
  }
  return "unknown";
}

Response ErrorResponse(Op op, Result result) {
  Response response;
  response.op = op;
  response.result = std::move(result);
  return response;
}

std::string EncodeRequest(const Request& request) {
  Writer w;
  w.U8(kProtocolVersion, "version");
  w.U8(static_cast<uint8_t>(request.op), "op");
  RequestFields(w, request);
  return w.Take();
}

bool DecodeRequest(const std::string& payload, Request* out, Op* op_seen, std::string* error) {
  *op_seen = Op::kUnknown;
  Reader r(payload);
  uint8_t version = 0;
  uint8_t op = 0;
  if (!r.U8(version, "version") || !r.U8(op, "op")) {
    *error = "malformed request: " + r.error();
    return false;
  }
  if (version != kProtocolVersion) {
    *error = "protocol version " + std::to_string(version) +
             " is not supported (this service speaks " + std::to_string(kProtocolVersion) +
             "; use the jetctl.exe of the same release)";
    return false;
  }
  if (!IsKnownOp(op)) {
    *error = "unknown op " + std::to_string(op);
    return false;
  }
  Request request;
  request.op = static_cast<Op>(op);
  *op_seen = request.op;
  RequestFields(r, request);
  if (!r.End()) {
    *error = std::string("malformed ") + OpName(request.op) + " request: " + r.error();
    return false;
  }
  *out = std::move(request);
  return true;
}

std::string EncodeResponse(const Response& response) {
  Writer w;
  w.U8(kProtocolVersion, "version");
  w.U8(static_cast<uint8_t>(response.op), "op");
  w.U8(KindToWire(response.result.kind), "error kind");
  w.U8(response.timed_out ? kFlagTimedOut : 0, "flags");
  w.U64(static_cast<uint64_t>(static_cast<int64_t>(response.result.jet_err)), "jet_err");
  w.Bytes(response.result.message, "message");
  if (response.result.ok()) ResponseFields(w, response);
  return w.Take();
}

bool DecodeResponse(const std::string& payload, Response* out, std::string* error) {
  Reader r(payload);
  uint8_t version = 0;
  uint8_t op = 0;
  uint8_t kind = 0;
  uint8_t flags = 0;
  uint64_t jet_err = 0;
  Response response;
  if (!r.U8(version, "version") || !r.U8(op, "op")) {
    *error = "malformed response: " + r.error();
    return false;
  }
  if (version != kProtocolVersion) {
    *error = "the service speaks protocol version " + std::to_string(version) + ", not " +
             std::to_string(kProtocolVersion) + " (use the jetctl.exe of the same release)";
    return false;
  }
  if (op != 0 && !IsKnownOp(op)) {
    *error = "malformed response: unknown op " + std::to_string(op);
    return false;
  }
  response.op = static_cast<Op>(op);
  if (r.U8(kind, "error kind") && !KindFromWire(kind, &response.result.kind)) {
    r.Fail("unknown error kind " + std::to_string(kind));
  }
  if (r.U8(flags, "flags") && (flags & ~kFlagTimedOut) != 0) {
    r.Fail("unknown flags " + std::to_string(flags));
  }
  response.timed_out = (flags & kFlagTimedOut) != 0;
  if (r.U64(jet_err, "jet_err")) {
    const int64_t value = static_cast<int64_t>(jet_err);
    if (value < std::numeric_limits<long>::min() || value > std::numeric_limits<long>::max()) {
      r.Fail("jet_err " + std::to_string(value) + " is out of range");
    }
    response.result.jet_err = static_cast<long>(value);
  }
  r.Bytes(response.result.message, "message");
  if (r.error().empty() && response.result.ok()) ResponseFields(r, response);
  if (!r.End()) {
    *error = std::string("malformed ") + OpName(response.op) + " response: " + r.error();
    return false;
  }
  *out = std::move(response);
  return true;
}

std::string Frame(const std::string& payload) {
  std::string frame(kFrameMagic, sizeof(kFrameMagic));
  const uint32_t size = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) frame.push_back(static_cast<char>(size >> (8 * i)));
  frame += payload;
  return frame;
}

void FrameDecoder::Feed(const char* data, size_t size) {
  if (failed()) return;
  buffer_.append(data, size);
}

bool FrameDecoder::Next(std::string* payload) {
  if (failed()) return false;
  // Check the magic as soon as its first bytes are here, so that a
  // stream of garbage is refused at once rather than read up to a length.
  const size_t magic_bytes = std::min(buffer_.size(), sizeof(kFrameMagic));
  if (std::memcmp(buffer_.data(), kFrameMagic, magic_bytes) != 0) {
    error_ = "not a jetsvc request (the frame does not start with \"JSVP\")";
    buffer_.clear();
    return false;
  }
  if (buffer_.size() < kFrameHeaderBytes) return false;
  uint32_t length = 0;
  for (int i = 0; i < 4; ++i) {
    length |= uint32_t{static_cast<uint8_t>(buffer_[sizeof(kFrameMagic) + i])} << (8 * i);
  }
  if (length > kMaxFrameBytes) {
    error_ = "a frame of " + std::to_string(length) + " bytes is over the limit of " +
             std::to_string(kMaxFrameBytes) + " bytes";
    buffer_.clear();
    return false;
  }
  if (buffer_.size() - kFrameHeaderBytes < length) return false;
  payload->assign(buffer_, kFrameHeaderBytes, length);
  buffer_.erase(0, kFrameHeaderBytes + length);
  return true;
}

}  // namespace pipe
}  // namespace platform
}  // namespace jetsvc

// The named-pipe wire format (platform/windows/pipe_protocol.h): round
// trips of every request and response, the frame decoder, and what bad
// input gets: truncations, trailing bytes, bad values and random bytes
// are refused with a message, never a crash.

#include "platform/windows/pipe_protocol.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace jetsvc::platform::pipe {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes AllByteValues() {
  Bytes bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<uint8_t>(i));
  return bytes;
}

const std::string kBinaryKey("k\0\xff\n\x01z", 6);

// One request of each op, every field set to something that is not the
// default.
std::vector<Request> SampleRequests() {
  std::vector<Request> requests;
  for (uint8_t op = 1; op <= 11; ++op) {
    Request r;
    r.op = static_cast<Op>(op);
    switch (r.op) {
      case Op::kPrepareStop:
        r.timeout_ms = 123456;
        r.wait_ms = 0xfffffffe;
        break;
      case Op::kPut:
        r.key = kBinaryKey;
        r.value = AllByteValues();
        break;
      case Op::kGet:
      case Op::kDelete:
        r.key = kBinaryKey;
        break;
      case Op::kScan:
        r.key = "start";
        r.limit = 1000;
        break;
      case Op::kPutBatch:
        r.durable = false;
        r.items = {{"a", {}}, {kBinaryKey, AllByteValues()}, {"c", {'x'}}};
        break;
      default:
        break;
    }
    requests.push_back(r);
  }
  return requests;
}

std::vector<Response> SampleResponses() {
  std::vector<Response> responses;
  for (uint8_t op = 1; op <= 11; ++op) {
    Response r;
    r.op = static_cast<Op>(op);
    switch (r.op) {
      case Op::kStatus:
        r.snapshot.state = "preparing";
        r.snapshot.checkpoint_depth_bytes = 1ull << 40;
        r.snapshot.dirty_pages = 7;
        r.snapshot.version_store_bytes = 0xffffffffffffffffull;
        r.snapshot.defrag_running = true;
        r.snapshot.last_prepare_usec = 250000;
        r.snapshot.last_term_usec = 3;
        break;
      case Op::kPrepareStop:
        r.quiesced = true;
        r.elapsed_usec = 987654321;
        break;
      case Op::kDefragStart:
        r.was_running = true;
        break;
      case Op::kDefragStop:
        r.was_running = true;
        r.passes = 5;
        r.seconds = 6;
        break;
      case Op::kGet:
        r.value = AllByteValues();
        break;
      case Op::kDelete:
        r.existed = true;
        break;
      case Op::kScan:
        r.items = {{"a", {'1'}}, {kBinaryKey, AllByteValues()}};
        break;
      case Op::kPutBatch:
        r.count = 3;
        break;
      case Op::kLimits:
        r.limits = StoreLimits{1, 2, 3, 4};
        break;
      default:
        break;
    }
    responses.push_back(r);
  }
  return responses;
}

void ExpectSameRequest(const Request& a, const Request& b) {
  EXPECT_EQ(a.op, b.op);
  EXPECT_EQ(a.timeout_ms, b.timeout_ms);
  EXPECT_EQ(a.wait_ms, b.wait_ms);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.value, b.value);
  EXPECT_EQ(a.limit, b.limit);
  EXPECT_EQ(a.items, b.items);
  EXPECT_EQ(a.durable, b.durable);
}

void ExpectSameResponse(const Response& a, const Response& b) {
  EXPECT_EQ(a.op, b.op);
  EXPECT_EQ(a.result.kind, b.result.kind);
  EXPECT_EQ(a.result.jet_err, b.result.jet_err);
  EXPECT_EQ(a.result.message, b.result.message);
  EXPECT_EQ(a.timed_out, b.timed_out);
  EXPECT_EQ(a.snapshot.state, b.snapshot.state);
  EXPECT_EQ(a.snapshot.checkpoint_depth_bytes, b.snapshot.checkpoint_depth_bytes);
  EXPECT_EQ(a.snapshot.dirty_pages, b.snapshot.dirty_pages);
  EXPECT_EQ(a.snapshot.version_store_bytes, b.snapshot.version_store_bytes);
  EXPECT_EQ(a.snapshot.defrag_running, b.snapshot.defrag_running);
  EXPECT_EQ(a.snapshot.last_prepare_usec, b.snapshot.last_prepare_usec);
  EXPECT_EQ(a.snapshot.last_term_usec, b.snapshot.last_term_usec);
  EXPECT_EQ(a.quiesced, b.quiesced);
  EXPECT_EQ(a.elapsed_usec, b.elapsed_usec);
  EXPECT_EQ(a.was_running, b.was_running);
  EXPECT_EQ(a.passes, b.passes);
  EXPECT_EQ(a.seconds, b.seconds);
  EXPECT_EQ(a.value, b.value);
  EXPECT_EQ(a.existed, b.existed);
  EXPECT_EQ(a.items, b.items);
  EXPECT_EQ(a.count, b.count);
  EXPECT_EQ(a.limits.max_key_bytes, b.limits.max_key_bytes);
  EXPECT_EQ(a.limits.max_value_bytes, b.limits.max_value_bytes);
  EXPECT_EQ(a.limits.max_scan_items, b.limits.max_scan_items);
  EXPECT_EQ(a.limits.max_batch_items, b.limits.max_batch_items);
}

TEST(PipeProtocolTest, EveryRequestRoundTrips) {
  for (const Request& request : SampleRequests()) {
    SCOPED_TRACE(OpName(request.op));
    const std::string payload = EncodeRequest(request);
    Request decoded;
    Op op = Op::kUnknown;
    std::string error;
    ASSERT_TRUE(DecodeRequest(payload, &decoded, &op, &error)) << error;
    EXPECT_EQ(request.op, op);
    ExpectSameRequest(request, decoded);
  }
}

TEST(PipeProtocolTest, EveryResponseRoundTrips) {
  for (const Response& response : SampleResponses()) {
    SCOPED_TRACE(OpName(response.op));
    Response decoded;
    std::string error;
    ASSERT_TRUE(DecodeResponse(EncodeResponse(response), &decoded, &error)) << error;
    ExpectSameResponse(response, decoded);
  }
}

TEST(PipeProtocolTest, ErrorResponsesKeepKindJetErrMessageAndFlag) {
  const ErrorKind kinds[] = {
      ErrorKind::kInvalidArgument, ErrorKind::kNotFound,      ErrorKind::kTooLarge,
      ErrorKind::kStopping,        ErrorKind::kWriteConflict, ErrorKind::kNotReady,
      ErrorKind::kDiskFull,        ErrorKind::kFailed,        ErrorKind::kEngine};
  for (const ErrorKind kind : kinds) {
    SCOPED_TRACE(ErrorKindName(kind));
    Response response =
        ErrorResponse(Op::kGet, Result::Error(kind, std::string("why\0not\xff", 8), -1329));
    response.timed_out = kind == ErrorKind::kEngine;
    response.value = {1, 2, 3};  // not sent with an error
    Response decoded;
    std::string error;
    ASSERT_TRUE(DecodeResponse(EncodeResponse(response), &decoded, &error)) << error;
    EXPECT_EQ(kind, decoded.result.kind);
    EXPECT_EQ(-1329, decoded.result.jet_err);
    EXPECT_EQ(response.result.message, decoded.result.message);
    EXPECT_EQ(response.timed_out, decoded.timed_out);
    EXPECT_TRUE(decoded.value.empty());
  }
}

TEST(PipeProtocolTest, EveryTruncationOfARequestIsRefused) {
  for (const Request& request : SampleRequests()) {
    const std::string payload = EncodeRequest(request);
    for (size_t size = 0; size < payload.size(); ++size) {
      Request decoded;
      Op op = Op::kUnknown;
      std::string error;
      EXPECT_FALSE(DecodeRequest(payload.substr(0, size), &decoded, &op, &error))
          << OpName(request.op) << " cut to " << size;
      EXPECT_FALSE(error.empty());
      // Once the op byte is there, the error is answered as that op.
      EXPECT_EQ(size >= 2 ? request.op : Op::kUnknown, op);
    }
  }
}

TEST(PipeProtocolTest, EveryTruncationOfAResponseIsRefused) {
  for (const Response& response : SampleResponses()) {
    const std::string payload = EncodeResponse(response);
    for (size_t size = 0; size < payload.size(); ++size) {
      Response decoded;
      std::string error;
      EXPECT_FALSE(DecodeResponse(payload.substr(0, size), &decoded, &error))
          << OpName(response.op) << " cut to " << size;
      EXPECT_FALSE(error.empty());
    }
  }
}

TEST(PipeProtocolTest, BadRequestsSayWhatIsWrong) {
  Request put;
  put.op = Op::kPut;
  put.key = "k";
  const std::string good = EncodeRequest(put);
  Request decoded;
  Op op = Op::kUnknown;
  std::string error;

  EXPECT_FALSE(DecodeRequest(good + "x", &decoded, &op, &error));
  EXPECT_EQ("malformed put request: 1 unexpected bytes after the last field", error);

  std::string wrong_version = good;
  wrong_version[0] = 2;
  EXPECT_FALSE(DecodeRequest(wrong_version, &decoded, &op, &error));
  EXPECT_NE(std::string::npos, error.find("protocol version 2 is not supported")) << error;

  EXPECT_FALSE(DecodeRequest(std::string("\x01\x4d", 2), &decoded, &op, &error));
  EXPECT_EQ("unknown op 77", error);
  EXPECT_EQ(Op::kUnknown, op);
  EXPECT_FALSE(DecodeRequest(std::string("\x01\x00", 2), &decoded, &op, &error));
  EXPECT_EQ("unknown op 0", error);

  // A key length past the end of the payload.
  std::string long_key = good;
  long_key[2] = '\x7f';
  EXPECT_FALSE(DecodeRequest(long_key, &decoded, &op, &error));
  EXPECT_EQ(Op::kPut, op);
  EXPECT_NE(std::string::npos, error.find("key claims 127 bytes but")) << error;

  // A bool that is neither 0 nor 1.
  Request batch;
  batch.op = Op::kPutBatch;
  std::string bad_bool = EncodeRequest(batch);
  bad_bool[2] = 2;
  EXPECT_FALSE(DecodeRequest(bad_bool, &decoded, &op, &error));
  EXPECT_EQ("malformed put-batch request: durable is 2, not 0 or 1", error);

  // An item count the payload cannot hold is refused before allocating.
  std::string many = EncodeRequest(batch);
  many.replace(3, 4, "\xff\xff\xff\xff", 4);
  EXPECT_FALSE(DecodeRequest(many, &decoded, &op, &error));
  EXPECT_NE(std::string::npos, error.find("items claims 4294967295 items but 0 bytes are left"))
      << error;
}

TEST(PipeProtocolTest, BadResponsesAreRefused) {
  Response ok = ErrorResponse(Op::kResume, Result::Ok());
  const std::string good = EncodeResponse(ok);
  Response decoded;
  std::string error;
  ASSERT_TRUE(DecodeResponse(good, &decoded, &error)) << error;

  std::string bad_kind = good;
  bad_kind[2] = 42;
  EXPECT_FALSE(DecodeResponse(bad_kind, &decoded, &error));
  EXPECT_NE(std::string::npos, error.find("unknown error kind 42")) << error;

  std::string bad_flags = good;
  bad_flags[3] = 2;
  EXPECT_FALSE(DecodeResponse(bad_flags, &decoded, &error));
  EXPECT_NE(std::string::npos, error.find("unknown flags 2")) << error;

  std::string bad_op = good;
  bad_op[1] = 99;
  EXPECT_FALSE(DecodeResponse(bad_op, &decoded, &error));
  EXPECT_NE(std::string::npos, error.find("unknown op 99")) << error;
}

// Random payloads and random changes to good ones: decoding never
// crashes, and what decodes encodes back to the same bytes (the encoding
// is canonical), so nothing is silently misread.
TEST(PipeProtocolTest, RandomBytesNeverCrashTheDecoders) {
  std::mt19937 random(20240607);
  std::vector<std::string> seeds;
  for (const Request& r : SampleRequests()) seeds.push_back(EncodeRequest(r));
  for (const Response& r : SampleResponses()) seeds.push_back(EncodeResponse(r));
  int requests_decoded = 0;
  int responses_decoded = 0;
  for (int round = 0; round < 30000; ++round) {
    std::string payload;
    if (round % 3 == 0) {
      const size_t size = random() % 64;
      for (size_t i = 0; i < size; ++i) payload.push_back(static_cast<char>(random()));
      if (round % 2 == 0 && size >= 2) {
        payload[0] = static_cast<char>(kProtocolVersion);  // get past the version check
        payload[1] = static_cast<char>(1 + random() % 11);
      }
    } else {
      payload = seeds[random() % seeds.size()];
      const int changes = 1 + static_cast<int>(random() % 4);
      for (int c = 0; c < changes && !payload.empty(); ++c) {
        const size_t at = random() % payload.size();
        switch (random() % 3) {
          case 0:
            payload[at] = static_cast<char>(random());
            break;
          case 1:
            payload.erase(at, 1 + random() % 8);
            break;
          default:
            payload.insert(at, 1, static_cast<char>(random()));
        }
      }
    }
    Request request;
    Op op = Op::kUnknown;
    std::string error;
    if (DecodeRequest(payload, &request, &op, &error)) {
      ++requests_decoded;
      EXPECT_EQ(payload, EncodeRequest(request));
    } else {
      EXPECT_FALSE(error.empty());
    }
    Response response;
    if (DecodeResponse(payload, &response, &error)) {
      ++responses_decoded;
      EXPECT_EQ(payload, EncodeResponse(response));
    } else {
      EXPECT_FALSE(error.empty());
    }
  }
  // The mutations leave some payloads valid: the round-trip check ran.
  EXPECT_GT(requests_decoded, 100);
  EXPECT_GT(responses_decoded, 100);
}

TEST(PipeProtocolTest, FrameDecoderReassemblesFramesFedByteByByte) {
  const std::string stream = Frame("first") + Frame("") + Frame(std::string(100000, 'x'));
  FrameDecoder decoder;
  std::vector<std::string> payloads;
  std::string payload;
  for (const char c : stream) {
    decoder.Feed(&c, 1);
    while (decoder.Next(&payload)) payloads.push_back(payload);
    ASSERT_FALSE(decoder.failed()) << decoder.error();
  }
  ASSERT_EQ(3u, payloads.size());
  EXPECT_EQ("first", payloads[0]);
  EXPECT_EQ("", payloads[1]);
  EXPECT_EQ(std::string(100000, 'x'), payloads[2]);
  EXPECT_FALSE(decoder.partial());
}

TEST(PipeProtocolTest, FrameDecoderSplitsFramesFedTogether) {
  const std::string stream = Frame("a") + Frame("bc") + Frame("def").substr(0, 9);
  FrameDecoder decoder;
  decoder.Feed(stream.data(), stream.size());
  std::string payload;
  ASSERT_TRUE(decoder.Next(&payload));
  EXPECT_EQ("a", payload);
  ASSERT_TRUE(decoder.Next(&payload));
  EXPECT_EQ("bc", payload);
  EXPECT_FALSE(decoder.Next(&payload));
  EXPECT_TRUE(decoder.partial());
  decoder.Feed("ef", 2);
  ASSERT_TRUE(decoder.Next(&payload));
  EXPECT_EQ("def", payload);
}

TEST(PipeProtocolTest, FrameDecoderRefusesGarbageAtTheFirstByte) {
  FrameDecoder decoder;
  decoder.Feed("G", 1);
  std::string payload;
  EXPECT_FALSE(decoder.Next(&payload));
  EXPECT_TRUE(decoder.failed());
  EXPECT_NE(std::string::npos, decoder.error().find("not a jetsvc request")) << decoder.error();
  // Broken for good: even a good frame is not read now.
  const std::string good = Frame("x");
  decoder.Feed(good.data(), good.size());
  EXPECT_FALSE(decoder.Next(&payload));
}

TEST(PipeProtocolTest, FrameDecoderRefusesOversizedFrames) {
  std::string header(kFrameMagic, 4);
  const uint32_t size = kMaxFrameBytes + 1;
  for (int i = 0; i < 4; ++i) header.push_back(static_cast<char>(size >> (8 * i)));
  FrameDecoder decoder;
  decoder.Feed(header.data(), header.size());
  std::string payload;
  EXPECT_FALSE(decoder.Next(&payload));
  ASSERT_TRUE(decoder.failed());
  EXPECT_EQ("a frame of 67108865 bytes is over the limit of 67108864 bytes", decoder.error());
}

TEST(PipeProtocolTest, PipePathChecksTheName) {
  std::string error;
  EXPECT_EQ("\\\\.\\pipe\\jetsvc", PipePath("jetsvc", &error));
  EXPECT_EQ("\\\\.\\pipe\\jetsvc", PipePath("\\\\.\\pipe\\jetsvc", &error));
  EXPECT_EQ("", PipePath("", &error));
  EXPECT_EQ("the pipe name is empty", error);
  EXPECT_EQ("", PipePath("\\\\.\\pipe\\", &error));
  EXPECT_EQ("", PipePath("a\\b", &error));
  EXPECT_EQ("the pipe name \"a\\b\" holds a backslash or a NUL", error);
  EXPECT_EQ("", PipePath(std::string(250, 'n'), &error));
  EXPECT_NE(std::string::npos, error.find("at most 247 fit")) << error;
  EXPECT_FALSE(PipePath(std::string(247, 'n'), &error).empty());
}

}  // namespace
}  // namespace jetsvc::platform::pipe

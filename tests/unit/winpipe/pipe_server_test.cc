// PipeServer and PipeClient end to end, in one process: every operation
// on a FakeController, the argument checks, errors by kind, big values
// and scans, PrepareStop answered when `done` fires (or not), several
// clients at once, clients that misbehave, stopping, and a second server
// on the same name.

#include "platform/windows/pipe_server.h"

#include <windows.h>

#include <aclapi.h>
#include <sddl.h>

#include <chrono>
#include <future>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "platform/windows/pipe_client.h"
#include "platform/windows/win_text.h"
#include "tests/unit/winpipe/winpipe_test_util.h"

namespace jetsvc::testing {
namespace {

using platform::ErrorKind;
using platform::PipeClient;
using platform::PipeError;
using platform::PipeServer;
using platform::PipeServerOptions;
using platform::PrepareOutcome;
using platform::Result;
using platform::StoreLimits;
using platform::pipe::Op;
using platform::pipe::Request;
using platform::pipe::Response;
using Bytes = std::vector<uint8_t>;
using Clock = std::chrono::steady_clock;

Request Make(Op op, const std::string& key = "", const Bytes& value = {}) {
  Request request;
  request.op = op;
  request.key = key;
  request.value = value;
  return request;
}

Request ScanFrom(const std::string& start, uint32_t limit) {
  Request request = Make(Op::kScan, start);
  request.limit = limit;
  return request;
}

Request Prepare(uint32_t timeout_ms, uint32_t wait_ms) {
  Request request = Make(Op::kPrepareStop);
  request.timeout_ms = timeout_ms;
  request.wait_ms = wait_ms;
  return request;
}

long long MsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

class PipeServerTest : public PipeServerFixture {};

TEST_F(PipeServerTest, StatusCarriesTheWholeSnapshot) {
  platform::ManagerSnapshot snapshot;
  snapshot.state = "prepared";
  snapshot.checkpoint_depth_bytes = 3u << 20;
  snapshot.dirty_pages = 42;
  snapshot.version_store_bytes = 100;
  snapshot.defrag_running = true;
  snapshot.last_prepare_usec = 250000;
  snapshot.last_term_usec = 1234567;
  controller_.SetSnapshot(snapshot);
  const Response r = Call(Make(Op::kStatus));
  ASSERT_TRUE(r.result.ok()) << r.result.message;
  EXPECT_EQ(Op::kStatus, r.op);
  EXPECT_EQ("prepared", r.snapshot.state);
  EXPECT_EQ(3u << 20, r.snapshot.checkpoint_depth_bytes);
  EXPECT_EQ(42u, r.snapshot.dirty_pages);
  EXPECT_EQ(100u, r.snapshot.version_store_bytes);
  EXPECT_TRUE(r.snapshot.defrag_running);
  EXPECT_EQ(250000u, r.snapshot.last_prepare_usec);
  EXPECT_EQ(1234567u, r.snapshot.last_term_usec);
}

TEST_F(PipeServerTest, PutGetDeleteAreBinarySafe) {
  const std::string key("\0k\xff\r\n", 5);
  Bytes value;
  for (int i = 0; i < 256; ++i) value.push_back(static_cast<uint8_t>(i));
  auto client = Connect();
  ASSERT_NE(nullptr, client);
  Response r;
  PipeError error;
  // Several requests on one connection.
  ASSERT_TRUE(client->Call(Make(Op::kPut, key, value), 5000, &r, &error)) << error.message;
  ASSERT_TRUE(r.result.ok()) << r.result.message;
  EXPECT_EQ(value, controller_.Contents().at(key));
  ASSERT_TRUE(client->Call(Make(Op::kGet, key), 5000, &r, &error)) << error.message;
  ASSERT_TRUE(r.result.ok()) << r.result.message;
  EXPECT_EQ(value, r.value);
  ASSERT_TRUE(client->Call(Make(Op::kDelete, key), 5000, &r, &error)) << error.message;
  ASSERT_TRUE(r.result.ok()) << r.result.message;
  EXPECT_TRUE(r.existed);
  EXPECT_TRUE(controller_.Contents().empty());
  ASSERT_TRUE(client->Call(Make(Op::kDelete, key), 5000, &r, &error)) << error.message;
  ASSERT_TRUE(r.result.ok()) << r.result.message;
  EXPECT_FALSE(r.existed);
  ASSERT_TRUE(client->Call(Make(Op::kGet, key), 5000, &r, &error)) << error.message;
  EXPECT_EQ(ErrorKind::kNotFound, r.result.kind);
  EXPECT_EQ(Op::kGet, r.op);
}

TEST_F(PipeServerTest, ArgumentsAreCheckedAgainstTheLimits) {
  controller_.SetLimits(StoreLimits{4, 8, 10, 2});
  EXPECT_EQ(ErrorKind::kInvalidArgument, Call(Make(Op::kPut, "", {1})).result.kind);
  EXPECT_EQ(ErrorKind::kInvalidArgument, Call(Make(Op::kGet, "")).result.kind);
  EXPECT_EQ(ErrorKind::kInvalidArgument, Call(Make(Op::kDelete, "")).result.kind);
  const Response long_key = Call(Make(Op::kPut, "12345", {1}));
  EXPECT_EQ(ErrorKind::kTooLarge, long_key.result.kind);
  EXPECT_EQ("the key has 5 bytes; at most 4 fit", long_key.result.message);
  EXPECT_EQ(ErrorKind::kTooLarge, Call(Make(Op::kGet, "12345")).result.kind);
  EXPECT_EQ(ErrorKind::kTooLarge, Call(Make(Op::kPut, "k", Bytes(9, 'v'))).result.kind);
  EXPECT_TRUE(Call(Make(Op::kPut, "k", Bytes(8, 'v'))).result.ok());
  EXPECT_EQ(ErrorKind::kInvalidArgument, Call(ScanFrom("", 0)).result.kind);
  EXPECT_EQ(ErrorKind::kTooLarge, Call(ScanFrom("", 11)).result.kind);
  EXPECT_EQ(ErrorKind::kTooLarge, Call(ScanFrom("12345", 1)).result.kind);
  Request batch = Make(Op::kPutBatch);
  batch.items = {{"a", {}}, {"b", {}}, {"c", {}}};
  EXPECT_EQ(ErrorKind::kTooLarge, Call(batch).result.kind);
  batch.items = {{"a", {}}, {"", {}}};
  const Response empty_item = Call(batch);
  EXPECT_EQ(ErrorKind::kInvalidArgument, empty_item.result.kind);
  EXPECT_EQ("item 1 key is empty", empty_item.result.message);
  // Nothing of the refused calls reached the store.
  EXPECT_EQ((std::map<std::string, Bytes>{{"k", Bytes(8, 'v')}}), controller_.Contents());
}

TEST_F(PipeServerTest, ErrorsKeepTheirKindAndMessage) {
  controller_.SetRefusal(ErrorKind::kStopping, "the engine is stopping");
  const Response put = Call(Make(Op::kPut, "k", {1}));
  EXPECT_EQ(ErrorKind::kStopping, put.result.kind);
  EXPECT_EQ("the engine is stopping", put.result.message);
  controller_.SetRefusal(ErrorKind::kNotReady, "not ready");
  EXPECT_EQ(ErrorKind::kNotReady, Call(Make(Op::kResume)).result.kind);
  EXPECT_EQ(ErrorKind::kNotReady, Call(Make(Op::kDefragStart)).result.kind);
  controller_.SetRefusal(ErrorKind::kDiskFull, "disk full");
  EXPECT_EQ(ErrorKind::kDiskFull, Call(ScanFrom("", 5)).result.kind);
  controller_.ClearRefusal();
  EXPECT_TRUE(Call(Make(Op::kResume)).result.ok());
  EXPECT_EQ(1, controller_.resume_calls());
}

TEST_F(PipeServerTest, AControllerExceptionIsAnEngineErrorAndTheConnectionGoesOn) {
  auto client = Connect();
  ASSERT_NE(nullptr, client);
  controller_.ThrowOnNextCall("boom");
  Response r;
  PipeError error;
  ASSERT_TRUE(client->Call(Make(Op::kPut, "k", {1}), 5000, &r, &error)) << error.message;
  EXPECT_EQ(ErrorKind::kEngine, r.result.kind);
  EXPECT_EQ("internal error in put: boom", r.result.message);
  EXPECT_TRUE(Logged("internal error in put: boom"));
  controller_.ThrowOnNextSnapshot("snap");
  ASSERT_TRUE(client->Call(Make(Op::kStatus), 5000, &r, &error)) << error.message;
  EXPECT_EQ("internal error in status: snap", r.result.message);
  ASSERT_TRUE(client->Call(Make(Op::kPut, "k", {2}), 5000, &r, &error)) << error.message;
  EXPECT_TRUE(r.result.ok()) << r.result.message;
}

TEST_F(PipeServerTest, DefragResumeLimitsAndPutBatch) {
  controller_.SetDefragWork(3, 9);
  Response r = Call(Make(Op::kDefragStart));
  ASSERT_TRUE(r.result.ok());
  EXPECT_FALSE(r.was_running);
  EXPECT_TRUE(Call(Make(Op::kDefragStart)).was_running);
  r = Call(Make(Op::kDefragStop));
  ASSERT_TRUE(r.result.ok());
  EXPECT_TRUE(r.was_running);
  EXPECT_EQ(3u, r.passes);
  EXPECT_EQ(9u, r.seconds);
  EXPECT_FALSE(Call(Make(Op::kDefragStop)).was_running);

  controller_.SetLimits(StoreLimits{10, 20, 30, 40});
  r = Call(Make(Op::kLimits));
  ASSERT_TRUE(r.result.ok());
  EXPECT_EQ(10u, r.limits.max_key_bytes);
  EXPECT_EQ(20u, r.limits.max_value_bytes);
  EXPECT_EQ(30u, r.limits.max_scan_items);
  EXPECT_EQ(40u, r.limits.max_batch_items);

  Request batch = Make(Op::kPutBatch);
  batch.durable = false;
  batch.items = {{"a", {'1'}}, {"b", {'2'}}};
  r = Call(batch);
  ASSERT_TRUE(r.result.ok()) << r.result.message;
  EXPECT_EQ(2u, r.count);
  EXPECT_EQ(std::optional<bool>(false), controller_.last_batch_durable());
  EXPECT_EQ((std::map<std::string, Bytes>{{"a", {'1'}}, {"b", {'2'}}}), controller_.Contents());
}

TEST_F(PipeServerTest, OneMebibyteValuesGoBothWays) {
  Bytes value(1u << 20);
  std::mt19937 random(7);
  for (uint8_t& byte : value) byte = static_cast<uint8_t>(random());
  ASSERT_TRUE(Call(Make(Op::kPut, "big", value)).result.ok());
  EXPECT_EQ(value, controller_.Contents().at("big"));
  const Response r = Call(Make(Op::kGet, "big"));
  ASSERT_TRUE(r.result.ok()) << r.result.message;
  EXPECT_EQ(value, r.value);
  value.push_back(0);
  EXPECT_EQ(ErrorKind::kTooLarge, Call(Make(Op::kPut, "big", value)).result.kind);
}

TEST_F(PipeServerTest, WhatDoesNotFitInAFrameIsRefusedOnBothSides) {
  const Bytes huge(platform::pipe::kMaxFrameBytes + 1, 'h');
  // The service's answer would not fit: an error instead.
  ASSERT_TRUE(controller_.Put("huge", huge).ok());
  const Response r = Call(Make(Op::kGet, "huge"));
  EXPECT_EQ(ErrorKind::kTooLarge, r.result.kind);
  EXPECT_NE(std::string::npos, r.result.message.find("the pipe carries at most 67108864"))
      << r.result.message;
  // The request would not fit: refused before it is sent.
  auto client = Connect();
  ASSERT_NE(nullptr, client);
  Response response;
  PipeError error;
  EXPECT_FALSE(client->Call(Make(Op::kPut, "huge", huge), 5000, &response, &error));
  EXPECT_EQ(PipeError::Kind::kTooLarge, error.kind);
  EXPECT_NE(std::string::npos, error.message.find("the put request has 67108")) << error.message;
  ASSERT_TRUE(client->Call(Make(Op::kStatus), 5000, &response, &error)) << error.message;
}

TEST_F(PipeServerTest, AScanReturnsAThousandItemsInKeyOrder) {
  Request batch = Make(Op::kPutBatch);
  for (int i = 0; i < 1000; ++i) {
    char key[16];
    std::snprintf(key, sizeof(key), "key%04d", i);
    batch.items.push_back({key, Bytes(100, static_cast<uint8_t>(i))});
  }
  ASSERT_TRUE(Call(batch).result.ok());
  const Response r = Call(ScanFrom("", 1000));
  ASSERT_TRUE(r.result.ok()) << r.result.message;
  ASSERT_EQ(1000u, r.items.size());
  EXPECT_EQ(batch.items, r.items);
  const Response from = Call(ScanFrom("key0990", 1000));
  ASSERT_EQ(10u, from.items.size());
  EXPECT_EQ("key0990", from.items.front().first);
}

TEST_F(PipeServerTest, AScanReplyStopsAtItsSizeCapAndPagingGetsTheRest) {
  Request batch = Make(Op::kPutBatch);
  for (int i = 0; i < 20; ++i) {
    batch.items.push_back(
        {"k" + std::to_string(100 + i), Bytes(1u << 20, static_cast<uint8_t>(i))});
  }
  ASSERT_TRUE(Call(batch).result.ok());
  std::vector<std::string> keys;
  std::string start;
  for (int page = 0; page < 10 && keys.size() < 20; ++page) {
    const Response r = Call(ScanFrom(start, 1000));
    ASSERT_TRUE(r.result.ok()) << r.result.message;
    ASSERT_FALSE(r.items.empty());
    size_t bytes = 0;
    for (const auto& item : r.items) bytes += item.first.size() + item.second.size();
    EXPECT_LE(bytes, platform::pipe::kMaxScanReplyBytes + (2u << 20));
    EXPECT_LT(r.items.size(), 20u);  // the cap took effect
    for (const auto& item : r.items) {
      if (!keys.empty() && item.first <= keys.back()) continue;
      EXPECT_EQ(Bytes(1u << 20, static_cast<uint8_t>(keys.size())), item.second);
      keys.push_back(item.first);
    }
    start = keys.back();
  }
  ASSERT_EQ(20u, keys.size());
  EXPECT_EQ("k119", keys.back());
}

TEST_F(PipeServerTest, PrepareStopIsAnsweredWhenDoneFires) {
  auto reply = std::async(std::launch::async, [this] { return Call(Prepare(1500, 10000), 20000); });
  ASSERT_TRUE(controller_.WaitForPendingPrepares(1, std::chrono::seconds(10)));
  EXPECT_EQ(1500u, controller_.last_prepare_timeout_ms());
  // Not answered before `done`.
  EXPECT_EQ(std::future_status::timeout, reply.wait_for(std::chrono::milliseconds(200)));
  PrepareOutcome outcome;
  outcome.quiesced = true;
  outcome.elapsed_usec = 777;
  EXPECT_EQ(1u, controller_.CompletePrepares(outcome));
  const Response r = reply.get();
  ASSERT_TRUE(r.result.ok()) << r.result.message;
  EXPECT_TRUE(r.quiesced);
  EXPECT_EQ(777u, r.elapsed_usec);
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(Logged("PrepareStop(timeout 1500 ms) requested"));
}

TEST_F(PipeServerTest, PrepareStopReportsADeadlineThatPassedAndErrors) {
  PrepareOutcome late;
  late.quiesced = false;
  late.elapsed_usec = 5;
  controller_.CompletePreparesImmediately(late);
  Response r = Call(Prepare(0, 1000));
  ASSERT_TRUE(r.result.ok()) << r.result.message;
  EXPECT_FALSE(r.quiesced);
  PrepareOutcome refused;
  refused.result = Result::Error(ErrorKind::kNotReady, "not started yet");
  controller_.CompletePreparesImmediately(refused);
  r = Call(Prepare(0, 1000));
  EXPECT_EQ(ErrorKind::kNotReady, r.result.kind);
  EXPECT_EQ("not started yet", r.result.message);
}

TEST_F(PipeServerTest, PrepareStopTimesOutWhenDoneNeverFires) {
  const Clock::time_point start = Clock::now();
  const Response r = Call(Prepare(100, 400), 10000);
  const long long ms = MsSince(start);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(ErrorKind::kEngine, r.result.kind);
  EXPECT_EQ("PrepareStop did not answer within 400 ms; the prepare goes on in the service",
            r.result.message);
  EXPECT_GE(ms, 350);
  EXPECT_LT(ms, 5000);
  // A `done` that comes after the server gave up is harmless.
  EXPECT_EQ(1u, controller_.CompletePrepares(PrepareOutcome()));
  EXPECT_TRUE(Call(Make(Op::kStatus)).result.ok());
}

TEST_F(PipeServerTest, StoppingTheServerAnswersAWaitingPrepareStop) {
  auto client = Connect();
  ASSERT_NE(nullptr, client);
  PipeError error;
  ASSERT_TRUE(client->Send(platform::pipe::Frame(platform::pipe::EncodeRequest(Prepare(0, 60000))),
                           5000, &error))
      << error.message;
  ASSERT_TRUE(controller_.WaitForPendingPrepares(1, std::chrono::seconds(10)));
  const Clock::time_point start = Clock::now();
  server_.reset();
  EXPECT_LT(MsSince(start), 5000);
  Response r;
  ASSERT_TRUE(client->Receive(5000, &r, &error)) << error.message;
  EXPECT_EQ(ErrorKind::kNotReady, r.result.kind);
  EXPECT_EQ("the service is shutting down; PrepareStop did not finish", r.result.message);
}

TEST_F(PipeServerTest, ManyClientsAtOnce) {
  constexpr int kClients = 12;
  constexpr int kCalls = 40;
  std::vector<std::future<std::string>> results;
  for (int c = 0; c < kClients; ++c) {
    results.push_back(std::async(std::launch::async, [this, c]() -> std::string {
      PipeError error;
      auto client = PipeClient::Connect(name_, 10000, &error);
      if (client == nullptr) return "connect: " + error.message;
      for (int i = 0; i < kCalls; ++i) {
        const std::string key = "c" + std::to_string(c) + "-" + std::to_string(i);
        Response r;
        if (!client->Call(Make(Op::kPut, key, Bytes(key.begin(), key.end())), 10000, &r, &error)) {
          return "put: " + error.message;
        }
        if (!client->Call(Make(Op::kGet, key), 10000, &r, &error)) return "get: " + error.message;
        if (r.value != Bytes(key.begin(), key.end())) return "get " + key + ": wrong value";
      }
      return "";
    }));
  }
  for (auto& result : results) EXPECT_EQ("", result.get());
  EXPECT_EQ(size_t{kClients * kCalls}, controller_.Contents().size());
}

TEST_F(PipeServerTest, ClientsBeyondTheConnectionLimitWaitForAFreeOne) {
  PipeServerOptions options;
  options.max_connections = 2;
  StartServer(options);
  auto first = Connect();
  auto second = Connect();
  ASSERT_NE(nullptr, first);
  ASSERT_NE(nullptr, second);
  // Both served: each answers.
  Response r;
  PipeError error;
  ASSERT_TRUE(first->Call(Make(Op::kStatus), 5000, &r, &error)) << error.message;
  ASSERT_TRUE(second->Call(Make(Op::kStatus), 5000, &r, &error)) << error.message;
  // A third client gets the instance that serves next: its call waits.
  auto third = Connect();
  ASSERT_NE(nullptr, third);
  auto reply = std::async(std::launch::async, [&third] {
    Response response;
    PipeError call_error;
    if (!third->Call(Make(Op::kStatus), 10000, &response, &call_error)) {
      response.result = Result::Error(ErrorKind::kFailed, call_error.message);
    }
    return response;
  });
  EXPECT_EQ(std::future_status::timeout, reply.wait_for(std::chrono::milliseconds(300)));
  // A fourth finds every instance busy.
  EXPECT_EQ(nullptr, PipeClient::Connect(name_, 300, &error));
  EXPECT_EQ(PipeError::Kind::kBusy, error.kind) << error.message;
  EXPECT_EQ("every instance of \\\\.\\pipe\\" + name_ +
                " stayed busy for 300 ms (the service serves a limited number of clients at once)",
            error.message);
  first.reset();  // frees a connection
  const Response late = reply.get();
  EXPECT_TRUE(late.result.ok()) << late.result.message;
}

TEST_F(PipeServerTest, GarbageIsRefusedAndOtherClientsGoOn) {
  auto good = Connect();
  auto bad = Connect();
  ASSERT_NE(nullptr, good);
  ASSERT_NE(nullptr, bad);
  PipeError error;
  std::string junk = "GET / HTTP/1.1\r\n\r\n";
  ASSERT_TRUE(bad->Send(junk, 5000, &error)) << error.message;
  Response r;
  ASSERT_TRUE(bad->Receive(5000, &r, &error)) << error.message;
  EXPECT_EQ(Op::kUnknown, r.op);
  EXPECT_EQ(ErrorKind::kInvalidArgument, r.result.kind);
  EXPECT_NE(std::string::npos, r.result.message.find("not a jetsvc request")) << r.result.message;
  // Then the server hangs up on it.
  EXPECT_FALSE(bad->Call(Make(Op::kStatus), 5000, &r, &error));
  EXPECT_EQ(PipeError::Kind::kClosed, error.kind) << error.message;
  EXPECT_TRUE(Logged("sent a broken frame"));
  ASSERT_TRUE(good->Call(Make(Op::kPut, "k", {1}), 5000, &r, &error)) << error.message;
  EXPECT_TRUE(r.result.ok());
}

TEST_F(PipeServerTest, AMalformedRequestIsAnsweredAndTheConnectionStaysUsable) {
  auto client = Connect();
  ASSERT_NE(nullptr, client);
  PipeError error;
  Response r;
  // A put whose value is cut short: its op is known, so the error is a
  // put response.
  std::string payload = platform::pipe::EncodeRequest(Make(Op::kPut, "key", {1, 2, 3}));
  payload.pop_back();
  ASSERT_TRUE(client->Send(platform::pipe::Frame(payload), 5000, &error)) << error.message;
  ASSERT_TRUE(client->Receive(5000, &r, &error)) << error.message;
  EXPECT_EQ(Op::kPut, r.op);
  EXPECT_EQ(ErrorKind::kInvalidArgument, r.result.kind);
  EXPECT_EQ("malformed put request: value claims 3 bytes but 2 are left", r.result.message);
  ASSERT_TRUE(client->Send(platform::pipe::Frame(std::string("\x01\x63", 2)), 5000, &error));
  ASSERT_TRUE(client->Receive(5000, &r, &error)) << error.message;
  EXPECT_EQ("unknown op 99", r.result.message);
  ASSERT_TRUE(client->Call(Make(Op::kStatus), 5000, &r, &error)) << error.message;
  EXPECT_TRUE(r.result.ok());
  EXPECT_TRUE(controller_.Contents().empty());
}

TEST_F(PipeServerTest, RandomBytesFromClientsNeverHurtTheServer) {
  std::mt19937 random(99);
  for (int round = 0; round < 30; ++round) {
    auto client = Connect();
    ASSERT_NE(nullptr, client);
    std::string bytes;
    // Half the rounds start with a valid header, so the payload decoder
    // gets the garbage.
    const size_t size = random() % 200;
    for (size_t i = 0; i < size; ++i) bytes.push_back(static_cast<char>(random()));
    if (round % 2 == 0) bytes = platform::pipe::Frame(bytes);
    PipeError error;
    ASSERT_TRUE(client->Send(bytes, 5000, &error)) << error.message;
    Response r;
    if (round % 2 == 0) {
      ASSERT_TRUE(client->Receive(5000, &r, &error)) << round << ": " << error.message;
      EXPECT_FALSE(r.result.ok());
    }
  }
  const Response r = Call(Make(Op::kStatus));
  EXPECT_TRUE(r.result.ok()) << r.result.message;
}

TEST_F(PipeServerTest, AnOversizedFrameIsRefused) {
  auto client = Connect();
  ASSERT_NE(nullptr, client);
  PipeError error;
  const std::string header("JSVP\xff\xff\xff\xff", 8);
  ASSERT_TRUE(client->Send(header, 5000, &error)) << error.message;
  Response r;
  ASSERT_TRUE(client->Receive(5000, &r, &error)) << error.message;
  EXPECT_EQ(ErrorKind::kInvalidArgument, r.result.kind);
  EXPECT_EQ("a frame of 4294967295 bytes is over the limit of 67108864 bytes", r.result.message);
}

TEST_F(PipeServerTest, StalledAndIdleConnectionsAreClosed) {
  PipeServerOptions options;
  options.idle_timeout_ms = 300;
  options.io_timeout_ms = 300;
  StartServer(options);
  auto half = Connect();
  auto idle = Connect();
  ASSERT_NE(nullptr, half);
  ASSERT_NE(nullptr, idle);
  PipeError error;
  const std::string frame = platform::pipe::Frame(platform::pipe::EncodeRequest(Make(Op::kStatus)));
  ASSERT_TRUE(half->Send(frame.substr(0, 5), 5000, &error)) << error.message;
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  Response r;
  EXPECT_FALSE(idle->Call(Make(Op::kStatus), 5000, &r, &error));
  EXPECT_EQ(PipeError::Kind::kClosed, error.kind) << error.message;
  EXPECT_FALSE(half->Call(Make(Op::kStatus), 5000, &r, &error));
  EXPECT_TRUE(Logged("stalled in the middle of a request"));
  EXPECT_TRUE(Call(Make(Op::kStatus)).result.ok());
}

TEST_F(PipeServerTest, StopsPromptlyWithAConnectedClient) {
  auto client = Connect();
  ASSERT_NE(nullptr, client);
  Response r;
  PipeError error;
  ASSERT_TRUE(client->Call(Make(Op::kStatus), 5000, &r, &error)) << error.message;
  const Clock::time_point start = Clock::now();
  server_.reset();
  EXPECT_LT(MsSince(start), 3000);
  EXPECT_FALSE(client->Call(Make(Op::kStatus), 5000, &r, &error));
  EXPECT_EQ(PipeError::Kind::kClosed, error.kind) << error.message;
  // The name is free again.
  EXPECT_EQ(nullptr, PipeClient::Connect(name_, 1000, &error));
  EXPECT_EQ(PipeError::Kind::kNotRunning, error.kind) << error.message;
}

TEST_F(PipeServerTest, StopsPromptlyWithNoClient) {
  const Clock::time_point start = Clock::now();
  server_.reset();
  EXPECT_LT(MsSince(start), 3000);
  PipeError error;
  EXPECT_EQ(nullptr, PipeClient::Connect(name_, 1000, &error));
  EXPECT_EQ(PipeError::Kind::kNotRunning, error.kind);
}

TEST_F(PipeServerTest, ASecondServerOnTheSameNameFailsClearly) {
  FakeController other;
  std::string error;
  auto second = PipeServer::Start(name_, &other, nullptr, &error);
  EXPECT_EQ(nullptr, second);
  EXPECT_NE(std::string::npos, error.find("\\\\.\\pipe\\" + name_ + " is already in use")) << error;
  // The first still serves, and on its own controller.
  controller_.SetState("sleeping");
  EXPECT_EQ("sleeping", Call(Make(Op::kStatus)).snapshot.state);
}

TEST_F(PipeServerTest, ASecondServerFailsAlsoWhileClientsAreConnected) {
  auto a = Connect();
  auto b = Connect();
  ASSERT_NE(nullptr, a);
  ASSERT_NE(nullptr, b);
  FakeController other;
  std::string error;
  EXPECT_EQ(nullptr, PipeServer::Start(name_, &other, nullptr, &error));
  EXPECT_NE(std::string::npos, error.find("already in use")) << error;
}

// The pipe's DACL, read back through a client handle. (Wine 8 stores it
// but does not enforce it: a client opens even a SYSTEM-only pipe, so
// "access denied" cannot be tested here.)
std::string PipeDacl(const std::string& name) {
  std::wstring path;
  platform::Utf8ToWide("\\\\.\\pipe\\" + name, &path);
  const HANDLE handle = CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                                    OPEN_EXISTING, 0, nullptr);
  if (handle == INVALID_HANDLE_VALUE) return "open failed";
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  PACL dacl = nullptr;
  const DWORD got = GetSecurityInfo(handle, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, nullptr,
                                    nullptr, &dacl, nullptr, &descriptor);
  CloseHandle(handle);
  if (got != ERROR_SUCCESS) return "GetSecurityInfo failed: " + platform::Win32ErrorText(got);
  wchar_t* text = nullptr;
  std::string sddl = "conversion failed";
  if (ConvertSecurityDescriptorToStringSecurityDescriptorW(
          descriptor, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &text, nullptr)) {
    sddl = platform::WideToUtf8(text);
    LocalFree(text);
  }
  LocalFree(descriptor);
  return sddl;
}

std::string OwnSid() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return "?";
  char buffer[512];
  DWORD size = 0;
  std::string sid = "?";
  wchar_t* text = nullptr;
  if (GetTokenInformation(token, TokenUser, buffer, sizeof(buffer), &size) &&
      ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer)->User.Sid, &text)) {
    sid = platform::WideToUtf8(text);
    LocalFree(text);
  }
  CloseHandle(token);
  return sid;
}

TEST_F(PipeServerTest, ThePipeAllowsOnlySystemAdministratorsAndTheServersAccount) {
  const std::string dacl = PipeDacl(name_);
  EXPECT_EQ("D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;" + OwnSid() + ")", dacl);
  PipeServerOptions options;
  options.sddl = "D:P(A;;GA;;;SY)";
  StartServer(options);
  EXPECT_EQ("D:P(A;;GA;;;SY)", PipeDacl(name_));
}

TEST_F(PipeServerTest, NoServerMeansNotRunning) {
  PipeError error;
  EXPECT_EQ(nullptr, PipeClient::Connect(name_ + "-absent", 1000, &error));
  EXPECT_EQ(PipeError::Kind::kNotRunning, error.kind);
  EXPECT_EQ("\\\\.\\pipe\\" + name_ + "-absent does not exist: the service is not running",
            error.message);
  EXPECT_EQ(nullptr, PipeClient::Connect("bad\\name", 1000, &error));
  EXPECT_EQ(PipeError::Kind::kBadName, error.kind);
}

TEST_F(PipeServerTest, BadStartArgumentsAreRefused) {
  FakeController other;
  std::string error;
  EXPECT_EQ(nullptr, PipeServer::Start("", &other, nullptr, &error));
  EXPECT_EQ("the pipe name is empty", error);
  PipeServerOptions options;
  options.sddl = "not sddl";
  EXPECT_EQ(nullptr, PipeServer::Start(name_ + "-sddl", &other, nullptr, options, &error));
  EXPECT_NE(std::string::npos, error.find("cannot create the security descriptor")) << error;
  options = PipeServerOptions();
  options.max_connections = 0;
  EXPECT_EQ(nullptr, PipeServer::Start(name_ + "-zero", &other, nullptr, options, &error));
}

}  // namespace
}  // namespace jetsvc::testing

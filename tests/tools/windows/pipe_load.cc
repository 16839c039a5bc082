// pipe_load.exe: bulk data through jetsvc's named pipe for the Windows
// service test (jetctl.exe puts one value per process, too slow to dirty
// the cache enough for a stop that takes several steps).
//
//   pipe_load PIPE write MIB   lazy batches of 4 KiB values, keys
//                              "load%08d"; prints "wrote N values"
//   pipe_load PIPE verify MIB  reads every key back and compares; exit 0
//                              only if all are there and equal
//
// Value i is 4096 bytes of a pattern derived from i.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "platform/windows/pipe_client.h"

namespace {

using jetsvc::platform::PipeClient;
using jetsvc::platform::PipeError;
namespace pipe = jetsvc::platform::pipe;

constexpr size_t kValueBytes = 4096;
constexpr size_t kBatch = 256;  // 1 MiB per request
constexpr uint32_t kTimeoutMs = 60000;

std::string Key(size_t i) {
  char key[32];
  std::snprintf(key, sizeof(key), "load%08zu", i);
  return key;
}

std::vector<uint8_t> Value(size_t i) {
  std::vector<uint8_t> value(kValueBytes);
  uint32_t x = static_cast<uint32_t>(i) * 2654435761u + 1;
  for (auto& byte : value) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    byte = static_cast<uint8_t>(x);
  }
  return value;
}

bool Call(PipeClient* client, const pipe::Request& request, pipe::Response* response) {
  PipeError error;
  if (!client->Call(request, kTimeoutMs, response, &error)) {
    std::fprintf(stderr, "pipe_load: %s\n", error.message.c_str());
    return false;
  }
  if (!response->result.ok()) {
    std::fprintf(stderr, "pipe_load: %s\n", response->result.message.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: pipe_load PIPE write|verify MIB\n");
    return 2;
  }
  const std::string mode = argv[2];
  const size_t count = std::strtoul(argv[3], nullptr, 10) * ((1u << 20) / kValueBytes);
  PipeError error;
  std::unique_ptr<PipeClient> client = PipeClient::Connect(argv[1], kTimeoutMs, &error);
  if (client == nullptr) {
    std::fprintf(stderr, "pipe_load: %s\n", error.message.c_str());
    return 1;
  }
  pipe::Response response;
  if (mode == "write") {
    for (size_t i = 0; i < count;) {
      pipe::Request request;
      request.op = pipe::Op::kPutBatch;
      request.durable = false;
      for (; i < count && request.items.size() < kBatch; ++i) {
        request.items.emplace_back(Key(i), Value(i));
      }
      if (!Call(client.get(), request, &response)) return 1;
    }
    std::printf("wrote %zu values\n", count);
    return 0;
  }
  if (mode == "verify") {
    size_t bad = 0;
    for (size_t i = 0; i < count; ++i) {
      pipe::Request request;
      request.op = pipe::Op::kGet;
      request.key = Key(i);
      if (!Call(client.get(), request, &response) || response.value != Value(i)) {
        if (++bad <= 5) std::fprintf(stderr, "pipe_load: %s is missing or wrong\n", Key(i).c_str());
      }
    }
    std::printf("verified %zu values, %zu bad\n", count, bad);
    return bad == 0 ? 0 : 1;
  }
  std::fprintf(stderr, "pipe_load: unknown mode %s\n", mode.c_str());
  return 2;
}

// bench_engine.h: the small interface every storage engine under test
// implements for jetsvc_bench, and the data every engine is fed.
//
// Thread contract: an Engine is used by one thread, except NewCommitter(),
// whose Committers may each be used by their own thread at the same time.
// Every engine runs in a child process of its own (see workloads.cc), so a
// failing call simply ends that process: adapters call Die() with the call
// that failed and its error, and the parent reports the row as failed.

#ifndef JETSVC_BENCH_BENCH_ENGINE_H_
#define JETSVC_BENCH_BENCH_ENGINE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

// Every record: a 16-byte key and a 100-byte value.
constexpr size_t kKeySize = 16;
constexpr size_t kValueSize = 100;

// Key number `index` as 16 decimal digits, so key order is number order.
std::string MakeKey(uint64_t index);
// The same into *key, reusing its buffer (for loops that make many keys).
void FormatKey(uint64_t index, std::string* key);
// The value of key `index`: 100 pseudo-random bytes that depend only on
// (seed, index), so every engine stores the same data and a reader can
// check what it reads.
std::string MakeValue(uint64_t seed, uint64_t index);

// A fast deterministic generator (splitmix64); good enough for choosing
// keys and filling values, and identical on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); REQUIRES: n > 0.
  uint64_t Uniform(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

// One key-value pair to write.
struct Record {
  std::string key;
  std::string value;
};

// Where an engine keeps its files and how much memory it may cache.
struct EngineOptions {
  std::string dir;           // the engine's own directory; created if missing
  uint64_t cache_bytes = 0;  // the engine's cache budget
  bool create = false;       // true: a new, empty store; false: open what is in dir
};

// Durable single-record commits from one thread (the commitN workloads).
class Committer {
 public:
  virtual ~Committer() = default;
  // Inserts one new record in a transaction of its own and returns once the
  // commit is on disk (fsync'ed).
  virtual void InsertDurable(const std::string& key, const std::string& value) = 0;
};

class Engine {
 public:
  Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  virtual ~Engine() = default;

  virtual const char* name() const = 0;
  // The library version, for the report.
  virtual std::string version() const = 0;

  // Opens or creates the store with one key-value table.
  virtual void Open(const EngineOptions& options) = 0;
  // Closes cleanly: everything written is durable afterwards.
  virtual void Close() = 0;

  // Inserts `records` in one transaction whose commit does not wait for the
  // disk (bulk load).
  virtual void InsertBatch(const std::vector<Record>& records) = 0;
  // Point lookup: false if `key` is absent, else its value in *value.
  virtual bool Get(const std::string& key, std::string* value) = 0;
  // Visits every record in key order; returns how many it visited.
  virtual uint64_t Scan(
      const std::function<void(std::string_view key, std::string_view value)>& visit) = 0;
  // A committer for one more thread. REQUIRES: Open() was called; the
  // committers are destroyed before Close().
  virtual std::unique_ptr<Committer> NewCommitter() = 0;
};

// The engines this binary was built with, in report order (jetsvc first).
std::vector<std::string> AvailableEngines();
// A new engine by name, or null if unknown or not built.
std::unique_ptr<Engine> NewEngine(const std::string& name);

std::unique_ptr<Engine> NewJetsvcEngine();
std::unique_ptr<Engine> NewSqliteEngine();
std::unique_ptr<Engine> NewLmdbEngine();
std::unique_ptr<Engine> NewRocksdbEngine();

// Prints "<engine>: <what>" to stderr and ends the process with status 3.
[[noreturn]] void Die(const char* engine, const std::string& what);

}  // namespace bench

#endif  // JETSVC_BENCH_BENCH_ENGINE_H_

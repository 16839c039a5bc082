// The benchmark data and the engine registry.

#include "bench/bench_engine.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bench {

void FormatKey(uint64_t index, std::string* key) {
  key->assign(kKeySize, '0');
  for (size_t i = kKeySize; i > 0 && index != 0; --i) {
    (*key)[i - 1] = static_cast<char>('0' + index % 10);
    index /= 10;
  }
}

std::string MakeKey(uint64_t index) {
  std::string key;
  FormatKey(index, &key);
  return key;
}

std::string MakeValue(uint64_t seed, uint64_t index) {
  Random random(seed * 0x100000001b3ULL ^ (index + 1) * 0x9e3779b97f4a7c15ULL);
  std::string value(kValueSize, '\0');
  for (size_t i = 0; i < kValueSize; i += 8) {
    const uint64_t word = random.Next();
    std::memcpy(&value[i], &word, std::min<size_t>(8, kValueSize - i));
  }
  return value;
}

std::vector<std::string> AvailableEngines() {
  std::vector<std::string> names = {"jetsvc"};
#if JETSVC_BENCH_HAVE_SQLITE
  names.push_back("sqlite");
#endif
#if JETSVC_BENCH_HAVE_LMDB
  names.push_back("lmdb");
#endif
#if JETSVC_BENCH_HAVE_ROCKSDB
  names.push_back("rocksdb");
#endif
  return names;
}

std::unique_ptr<Engine> NewEngine(const std::string& name) {
  if (name == "jetsvc") return NewJetsvcEngine();
#if JETSVC_BENCH_HAVE_SQLITE
  if (name == "sqlite") return NewSqliteEngine();
#endif
#if JETSVC_BENCH_HAVE_LMDB
  if (name == "lmdb") return NewLmdbEngine();
#endif
#if JETSVC_BENCH_HAVE_ROCKSDB
  if (name == "rocksdb") return NewRocksdbEngine();
#endif
  return nullptr;
}

void Die(const char* engine, const std::string& what) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s: %s\n", engine, what.c_str());
  std::fflush(stderr);
  std::_Exit(3);
}

}  // namespace bench

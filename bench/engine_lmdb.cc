// The LMDB adapter: the environment's main database, one write transaction
// per batch or per durable commit.
//
// LMDB has no cache of its own: it reads through a memory map, so the OS page
// cache is its cache and --cache_mb does not apply. Bulk loads run with
// MDB_NOSYNC (a commit does not fsync, like jetsvc's lazy commits; Close
// syncs); durable commits use LMDB's default, an fsync per commit. Writers
// are serialized by LMDB itself.

#include <lmdb.h>

#include <string>

#include "bench/bench_engine.h"

namespace bench {
namespace {

// Virtual address space reserved for the map; the file grows as needed.
constexpr size_t kMapSize = size_t{64} << 30;

void Check(int rc, const char* call) {
  if (rc != MDB_SUCCESS) {
    Die("lmdb",
        std::string(call) + " failed with " + std::to_string(rc) + " (" + mdb_strerror(rc) + ")");
  }
}

class LmdbCommitter : public Committer {
 public:
  LmdbCommitter(MDB_env* env, MDB_dbi dbi) : env_(env), dbi_(dbi) {}

  void InsertDurable(const std::string& key, const std::string& value) override {
    MDB_txn* txn = nullptr;
    Check(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{value.size(), const_cast<char*>(value.data())};
    Check(mdb_put(txn, dbi_, &k, &v, MDB_NOOVERWRITE), "mdb_put");
    Check(mdb_txn_commit(txn), "mdb_txn_commit");
  }

 private:
  MDB_env* env_;
  MDB_dbi dbi_;
};

class LmdbEngine : public Engine {
 public:
  ~LmdbEngine() override { Close(); }

  const char* name() const override { return "lmdb"; }
  std::string version() const override { return mdb_version(nullptr, nullptr, nullptr); }

  void Open(const EngineOptions& options) override {
    Check(mdb_env_create(&env_), "mdb_env_create");
    Check(mdb_env_set_mapsize(env_, kMapSize), "mdb_env_set_mapsize");
    Check(mdb_env_open(env_, options.dir.c_str(), 0, 0644), "mdb_env_open");
    MDB_txn* txn = nullptr;
    Check(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
    Check(mdb_dbi_open(txn, nullptr, 0, &dbi_), "mdb_dbi_open");
    Check(mdb_txn_commit(txn), "mdb_txn_commit");
  }

  void Close() override {
    if (env_ == nullptr) return;
    if (read_txn_ != nullptr) mdb_txn_abort(read_txn_);
    read_txn_ = nullptr;
    Check(mdb_env_sync(env_, 1), "mdb_env_sync");
    mdb_env_close(env_);
    env_ = nullptr;
  }

  void InsertBatch(const std::vector<Record>& records) override {
    if (!lazy_) {
      Check(mdb_env_set_flags(env_, MDB_NOSYNC, 1), "mdb_env_set_flags(MDB_NOSYNC)");
      lazy_ = true;
    }
    MDB_txn* txn = nullptr;
    Check(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
    for (const Record& record : records) {
      MDB_val k{record.key.size(), const_cast<char*>(record.key.data())};
      MDB_val v{record.value.size(), const_cast<char*>(record.value.data())};
      Check(mdb_put(txn, dbi_, &k, &v, MDB_NOOVERWRITE), "mdb_put");
    }
    Check(mdb_txn_commit(txn), "mdb_txn_commit");
  }

  // One read transaction, reset and renewed around each lookup (LMDB's
  // recommended pattern for many short reads).
  bool Get(const std::string& key, std::string* value) override {
    if (read_txn_ == nullptr) {
      Check(mdb_txn_begin(env_, nullptr, MDB_RDONLY, &read_txn_), "mdb_txn_begin(MDB_RDONLY)");
    } else {
      Check(mdb_txn_renew(read_txn_), "mdb_txn_renew");
    }
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v;
    const int rc = mdb_get(read_txn_, dbi_, &k, &v);
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) Check(rc, "mdb_get");
    if (rc == MDB_SUCCESS) value->assign(static_cast<const char*>(v.mv_data), v.mv_size);
    mdb_txn_reset(read_txn_);
    return rc == MDB_SUCCESS;
  }

  uint64_t Scan(const std::function<void(std::string_view, std::string_view)>& visit) override {
    MDB_txn* txn = nullptr;
    Check(mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn), "mdb_txn_begin(MDB_RDONLY)");
    MDB_cursor* cursor = nullptr;
    Check(mdb_cursor_open(txn, dbi_, &cursor), "mdb_cursor_open");
    uint64_t count = 0;
    MDB_val k;
    MDB_val v;
    int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
      visit(std::string_view(static_cast<const char*>(k.mv_data), k.mv_size),
            std::string_view(static_cast<const char*>(v.mv_data), v.mv_size));
      ++count;
      rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
    }
    if (rc != MDB_NOTFOUND) Check(rc, "mdb_cursor_get");
    mdb_cursor_close(cursor);
    mdb_txn_abort(txn);
    return count;
  }

  std::unique_ptr<Committer> NewCommitter() override {
    if (lazy_) {
      Check(mdb_env_set_flags(env_, MDB_NOSYNC, 0), "mdb_env_set_flags(~MDB_NOSYNC)");
      lazy_ = false;
    }
    return std::make_unique<LmdbCommitter>(env_, dbi_);
  }

 private:
  MDB_env* env_ = nullptr;
  MDB_dbi dbi_ = 0;
  MDB_txn* read_txn_ = nullptr;
  bool lazy_ = false;  // MDB_NOSYNC is set
};

}  // namespace

std::unique_ptr<Engine> NewLmdbEngine() { return std::make_unique<LmdbEngine>(); }

}  // namespace bench

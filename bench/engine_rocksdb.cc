// The RocksDB adapter: default options except an LRU block cache of
// --cache_mb. Bulk loads write a WriteBatch with sync=false (the WAL is
// written, not fsynced, like jetsvc's lazy commits); durable commits are
// Puts with sync=true from several threads (RocksDB groups their WAL
// writes).

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/version.h>
#include <rocksdb/write_batch.h>

#include <string>

#include "bench/bench_engine.h"

namespace bench {
namespace {

void Check(const rocksdb::Status& status, const char* call) {
  if (!status.ok()) Die("rocksdb", std::string(call) + " failed: " + status.ToString());
}

class RocksdbCommitter : public Committer {
 public:
  explicit RocksdbCommitter(rocksdb::DB* db) : db_(db) { options_.sync = true; }

  void InsertDurable(const std::string& key, const std::string& value) override {
    Check(db_->Put(options_, key, value), "DB::Put(sync=true)");
  }

 private:
  rocksdb::DB* db_;
  rocksdb::WriteOptions options_;
};

class RocksdbEngine : public Engine {
 public:
  ~RocksdbEngine() override { Close(); }

  const char* name() const override { return "rocksdb"; }
  std::string version() const override {
    return "RocksDB " + std::to_string(ROCKSDB_MAJOR) + "." + std::to_string(ROCKSDB_MINOR) + "." +
           std::to_string(ROCKSDB_PATCH);
  }

  void Open(const EngineOptions& options) override {
    rocksdb::Options db_options;
    db_options.create_if_missing = true;
    rocksdb::BlockBasedTableOptions table_options;
    table_options.block_cache = rocksdb::NewLRUCache(options.cache_bytes);
    db_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
    Check(rocksdb::DB::Open(db_options, options.dir, &db_), "DB::Open");
  }

  void Close() override {
    if (db_ == nullptr) return;
    Check(db_->Close(), "DB::Close");
    delete db_;
    db_ = nullptr;
  }

  void InsertBatch(const std::vector<Record>& records) override {
    rocksdb::WriteBatch batch;
    for (const Record& record : records)
      Check(batch.Put(record.key, record.value), "WriteBatch::Put");
    rocksdb::WriteOptions options;
    options.sync = false;
    Check(db_->Write(options, &batch), "DB::Write(sync=false)");
  }

  bool Get(const std::string& key, std::string* value) override {
    const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), key, value);
    if (status.IsNotFound()) return false;
    Check(status, "DB::Get");
    return true;
  }

  uint64_t Scan(const std::function<void(std::string_view, std::string_view)>& visit) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    uint64_t count = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const rocksdb::Slice key = it->key();
      const rocksdb::Slice value = it->value();
      visit(std::string_view(key.data(), key.size()), std::string_view(value.data(), value.size()));
      ++count;
    }
    Check(it->status(), "Iterator");
    return count;
  }

  std::unique_ptr<Committer> NewCommitter() override {
    return std::make_unique<RocksdbCommitter>(db_);
  }

 private:
  rocksdb::DB* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Engine> NewRocksdbEngine() { return std::make_unique<RocksdbEngine>(); }

}  // namespace bench

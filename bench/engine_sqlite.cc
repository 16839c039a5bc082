// The SQLite adapter: one WITHOUT ROWID table (a clustered B-tree on the
// key, like jetsvc's primary index) in WAL mode.
//
// Bulk loads commit with synchronous=NORMAL (in WAL mode a commit then does
// not fsync, like jetsvc's lazy commits); durable commits use
// synchronous=FULL (fsync of the WAL on every commit), each committer on a
// connection of its own. The page cache is PRAGMA cache_size.

#include <sqlite3.h>

#include <string>

#include "bench/bench_engine.h"

namespace bench {
namespace {

constexpr char kFileName[] = "/bench.sqlite";

[[noreturn]] void Fail(sqlite3* db, const std::string& call, int rc) {
  Die("sqlite", call + " failed with " + std::to_string(rc) + " (" +
                    (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) + ")");
}

void Exec(sqlite3* db, const std::string& sql) {
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) Fail(db, "sqlite3_exec(" + sql + ")", rc);
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
  if (rc != SQLITE_OK) Fail(db, std::string("sqlite3_prepare_v2(") + sql + ")", rc);
  return statement;
}

sqlite3* OpenConnection(const std::string& path, const char* synchronous, uint64_t cache_bytes) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) Fail(db, "sqlite3_open_v2(" + path + ")", rc);
  sqlite3_busy_timeout(db, 60000);
  Exec(db, "PRAGMA journal_mode=WAL");
  Exec(db, std::string("PRAGMA synchronous=") + synchronous);
  if (cache_bytes != 0) Exec(db, "PRAGMA cache_size=-" + std::to_string(cache_bytes / 1024));
  return db;
}

// Runs an INSERT prepared as "INSERT INTO kv VALUES(?1, ?2)".
void RunInsert(sqlite3* db, sqlite3_stmt* insert, const std::string& key,
               const std::string& value) {
  sqlite3_bind_blob(insert, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  sqlite3_bind_blob(insert, 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(insert);
  if (rc != SQLITE_DONE) Fail(db, "sqlite3_step(INSERT)", rc);
  sqlite3_reset(insert);
}

class SqliteCommitter : public Committer {
 public:
  explicit SqliteCommitter(const std::string& path) {
    db_ = OpenConnection(path, "FULL", 0);
    insert_ = Prepare(db_, "INSERT INTO kv VALUES(?1, ?2)");
  }
  ~SqliteCommitter() override {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  // An INSERT outside BEGIN is a transaction of its own.
  void InsertDurable(const std::string& key, const std::string& value) override {
    RunInsert(db_, insert_, key, value);
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

class SqliteEngine : public Engine {
 public:
  ~SqliteEngine() override { Close(); }

  const char* name() const override { return "sqlite"; }
  std::string version() const override { return std::string("SQLite ") + sqlite3_libversion(); }

  void Open(const EngineOptions& options) override {
    path_ = options.dir + kFileName;
    db_ = OpenConnection(path_, "NORMAL", options.cache_bytes);
    Exec(db_, "CREATE TABLE IF NOT EXISTS kv(k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
    insert_ = Prepare(db_, "INSERT INTO kv VALUES(?1, ?2)");
    get_ = Prepare(db_, "SELECT v FROM kv WHERE k = ?1");
    scan_ = Prepare(db_, "SELECT k, v FROM kv ORDER BY k");
  }

  void Close() override {
    if (db_ == nullptr) return;
    sqlite3_finalize(insert_);
    sqlite3_finalize(get_);
    sqlite3_finalize(scan_);
    const int rc = sqlite3_close(db_);
    if (rc != SQLITE_OK) Fail(db_, "sqlite3_close", rc);
    db_ = nullptr;
  }

  void InsertBatch(const std::vector<Record>& records) override {
    Exec(db_, "BEGIN");
    for (const Record& record : records) RunInsert(db_, insert_, record.key, record.value);
    Exec(db_, "COMMIT");
  }

  bool Get(const std::string& key, std::string* value) override {
    sqlite3_bind_blob(get_, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(get_);
    bool found = false;
    if (rc == SQLITE_ROW) {
      value->assign(static_cast<const char*>(sqlite3_column_blob(get_, 0)),
                    static_cast<size_t>(sqlite3_column_bytes(get_, 0)));
      found = true;
    } else if (rc != SQLITE_DONE) {
      Fail(db_, "sqlite3_step(SELECT v)", rc);
    }
    sqlite3_reset(get_);
    return found;
  }

  uint64_t Scan(const std::function<void(std::string_view, std::string_view)>& visit) override {
    uint64_t count = 0;
    int rc;
    while ((rc = sqlite3_step(scan_)) == SQLITE_ROW) {
      const auto* key = static_cast<const char*>(sqlite3_column_blob(scan_, 0));
      const size_t key_size = static_cast<size_t>(sqlite3_column_bytes(scan_, 0));
      const auto* value = static_cast<const char*>(sqlite3_column_blob(scan_, 1));
      const size_t value_size = static_cast<size_t>(sqlite3_column_bytes(scan_, 1));
      visit(std::string_view(key, key_size), std::string_view(value, value_size));
      ++count;
    }
    if (rc != SQLITE_DONE) Fail(db_, "sqlite3_step(SELECT k, v)", rc);
    sqlite3_reset(scan_);
    return count;
  }

  std::unique_ptr<Committer> NewCommitter() override {
    return std::make_unique<SqliteCommitter>(path_);
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* get_ = nullptr;
  sqlite3_stmt* scan_ = nullptr;
};

}  // namespace

std::unique_ptr<Engine> NewSqliteEngine() { return std::make_unique<SqliteEngine>(); }

}  // namespace bench

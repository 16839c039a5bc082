#include "engine/instance/database.h"

#include <cstring>
#include <random>

#include "engine/util/coding.h"
#include "engine/util/crc32c.h"
#include "esent.h"

namespace jetsvc {

namespace {

constexpr uint32_t kHeaderMagic = 0x4454454a;  // "JETD"
constexpr uint32_t kFormatVersion = 1;
// Header page layout (offsets); see page/FORMAT.md.
constexpr uint32_t kHdrChecksum = 0;
constexpr uint32_t kHdrMagic = 4;
constexpr uint32_t kHdrVersion = 8;
constexpr uint32_t kHdrPageSize = 12;
constexpr uint32_t kHdrSignatureRandom = 16;
constexpr uint32_t kHdrSignatureCreated = 24;
constexpr uint32_t kHdrState = 32;
constexpr uint32_t kHdrLogRandom = 40;
constexpr uint32_t kHdrLogCreated = 48;
constexpr uint32_t kHdrConsistentLsn = 56;
constexpr uint32_t kHdrAttachLsn = 64;
constexpr uint32_t kHdrCreated = 72;
constexpr uint32_t kHdrLastClean = 80;
constexpr uint32_t kHdrDbtime = 88;
// A new file's size in pages (the space root records it).
constexpr uint32_t kInitialPages = kFirstDataPage + 16;

std::string EncodeObjid(uint32_t objid) {
  std::string key;
  PutBigEndian32(&key, objid);
  return key;
}

std::string EncodeDirectoryValue(uint32_t root, TreeKind kind, bool dropped) {
  std::string value;
  PutFixed32(&value, root);
  value.push_back(static_cast<char>(kind));
  value.push_back(static_cast<char>(dropped ? 1 : 0));
  return value;
}

Status DecodeHeader(const char* page, uint32_t page_size, DatabaseHeader* header) {
  if (DecodeFixed32(page + kHdrMagic) != kHeaderMagic) {
    return Status::FromCode(JET_errInvalidDatabase, "not a jetsvc database (bad magic)");
  }
  const uint32_t stored = crc32c::Unmask(DecodeFixed32(page + kHdrChecksum));
  if (stored != crc32c::Value(page + 4, page_size - 4)) {
    return Status::FromCode(JET_errDatabaseCorrupted, "database header checksum mismatch");
  }
  if (DecodeFixed32(page + kHdrVersion) != kFormatVersion) {
    return Status::FromCode(JET_errInvalidDatabaseVersion, "unknown database format version");
  }
  header->page_size = DecodeFixed32(page + kHdrPageSize);
  header->signature.random = DecodeFixed64(page + kHdrSignatureRandom);
  header->signature.created_micros = DecodeFixed64(page + kHdrSignatureCreated);
  header->state = DecodeFixed32(page + kHdrState);
  header->log_signature.random = DecodeFixed64(page + kHdrLogRandom);
  header->log_signature.created_micros = DecodeFixed64(page + kHdrLogCreated);
  header->consistent_lsn = DecodeFixed64(page + kHdrConsistentLsn);
  header->attach_lsn = DecodeFixed64(page + kHdrAttachLsn);
  header->created_micros = DecodeFixed64(page + kHdrCreated);
  header->last_clean_micros = DecodeFixed64(page + kHdrLastClean);
  header->dbtime = DecodeFixed64(page + kHdrDbtime);
  if (header->state < JET_dbstateJustCreated || header->state > JET_dbstateRevertInProgress) {
    return Status::FromCode(JET_errDatabaseCorrupted, "database header has an unknown state");
  }
  return Status::OK();
}

void EncodeHeader(const DatabaseHeader& header, char* page, uint32_t page_size) {
  std::memset(page, 0, page_size);
  EncodeFixed32(page + kHdrMagic, kHeaderMagic);
  EncodeFixed32(page + kHdrVersion, kFormatVersion);
  EncodeFixed32(page + kHdrPageSize, page_size);
  EncodeFixed64(page + kHdrSignatureRandom, header.signature.random);
  EncodeFixed64(page + kHdrSignatureCreated, header.signature.created_micros);
  EncodeFixed32(page + kHdrState, header.state);
  EncodeFixed64(page + kHdrLogRandom, header.log_signature.random);
  EncodeFixed64(page + kHdrLogCreated, header.log_signature.created_micros);
  EncodeFixed64(page + kHdrConsistentLsn, header.consistent_lsn);
  EncodeFixed64(page + kHdrAttachLsn, header.attach_lsn);
  EncodeFixed64(page + kHdrCreated, header.created_micros);
  EncodeFixed64(page + kHdrLastClean, header.last_clean_micros);
  EncodeFixed64(page + kHdrDbtime, header.dbtime);
  EncodeFixed32(page + kHdrChecksum, crc32c::Mask(crc32c::Value(page + 4, page_size - 4)));
}

}  // namespace

Database::Database(uint32_t db_id, std::string path, const DatabaseOptions& options,
                   std::unique_ptr<File> file, std::unique_ptr<FileLock> lock)
    : id_(db_id),
      path_(std::move(path)),
      options_(options),
      lock_(std::move(lock)),
      file_(std::move(file)),
      space_(db_id, file_.get(), options.page_size, options.extension_pages) {}

Database::~Database() {
  MutexLock lock(&mu_);
  trees_.clear();
}

Status Database::ReadHeader(Env* env, const std::string& path, DatabaseHeader* header) {
  std::unique_ptr<File> file;
  JET_RETURN_IF_ERROR(env->OpenFile(path, OpenMode::kOpenExisting, true, &file));
  uint64_t size = 0;
  JET_RETURN_IF_ERROR(file->GetSize(&size));
  if (size < 2 * kMinPageSize) {
    return Status::FromCode(JET_errInvalidDatabase,
                            path + " is too short to be a database (" + std::to_string(size) +
                                " bytes)");
  }
  // The primary copy at offset 0 names the page size; the shadow sits at
  // offset page_size, so if the primary is damaged every page size is tried.
  Status primary_error;
  {
    char probe[kMinPageSize];
    primary_error = ReadFully(file.get(), 0, kMinPageSize, probe);
    const uint32_t page_size = DecodeFixed32(probe + kHdrPageSize);
    if (primary_error.ok() && !IsValidPageSize(page_size)) {
      primary_error = Status::FromCode(DecodeFixed32(probe + kHdrMagic) == kHeaderMagic
                                           ? JET_errDatabaseCorrupted
                                           : JET_errInvalidDatabase,
                                       "header names an invalid page size");
    }
    if (primary_error.ok()) {
      std::string page(page_size, '\0');
      primary_error = ReadFully(file.get(), 0, page_size, page.data());
      if (primary_error.ok()) primary_error = DecodeHeader(page.data(), page_size, header);
      if (primary_error.ok() && header->page_size != page_size) {
        primary_error = Status::FromCode(JET_errDatabaseCorrupted, "header page size mismatch");
      }
      if (primary_error.ok()) return primary_error;
    }
  }
  for (uint32_t page_size = kMinPageSize; page_size <= kMaxPageSize; page_size *= 2) {
    if (size < 2ull * page_size) break;
    std::string page(page_size, '\0');
    if (ReadFully(file.get(), page_size, page_size, page.data()).IsError()) continue;
    if (DecodeHeader(page.data(), page_size, header).ok() && header->page_size == page_size) {
      return Status::OK();
    }
  }
  return Status::FromCode(primary_error.code(),
                          path + ": " + std::string(primary_error.message()));
}

Status Database::WriteHeader(const DatabaseHeader& header) {
  const uint32_t page_size = options_.page_size;
  DatabaseHeader stamped = header;
  stamped.dbtime = dbtime_.load();
  std::string page(page_size, '\0');
  EncodeHeader(stamped, page.data(), page_size);
  // Primary then shadow, each synced, so one copy is always whole.
  JET_RETURN_IF_ERROR(file_->Write(0, page));
  JET_RETURN_IF_ERROR(file_->Sync());
  JET_RETURN_IF_ERROR(file_->Write(page_size, page));
  JET_RETURN_IF_ERROR(file_->Sync());
  header_ = stamped;
  header_.page_size = page_size;
  return Status::OK();
}

DatabaseSignature Database::NewSignature(Env* env) {
  std::random_device random;
  DatabaseSignature signature;
  signature.random = (static_cast<uint64_t>(random()) << 32) | random();
  signature.created_micros = env->WallMicros();
  return signature;
}

Status Database::Create(Env* env, BufferCache* cache, uint32_t db_id, const std::string& path,
                        const DatabaseOptions& options, const DatabaseSignature& signature,
                        const LogSignature& log_signature, bool overwrite,
                        std::unique_ptr<Database>* result) {
  const bool existed = env->FileExists(path);
  if (!overwrite && existed) {
    return Status::FromCode(JET_errDatabaseDuplicate, path + " already exists");
  }
  // Locked before it is truncated: a file another instance or process has
  // attached is refused, not emptied under it.
  std::unique_ptr<FileLock> lock;
  Status status = env->LockFile(path, &lock);
  if (status.IsError()) {
    if (!existed) env->RemoveFile(path).PermitUnchecked();  // the lock made it
    return status;
  }
  std::unique_ptr<File> file;
  status = env->OpenFile(path, OpenMode::kCreateOrTruncate, false, &file);
  if (status.ok()) {
    status = file->SetSize(static_cast<uint64_t>(kInitialPages) * options.page_size);
  }
  std::unique_ptr<Database> db;
  if (status.ok()) {
    db.reset(new Database(db_id, path, options, std::move(file), std::move(lock)));
    DatabaseHeader header;
    header.signature = signature;
    header.created_micros = signature.created_micros;
    header.state = JET_dbstateJustCreated;
    header.log_signature = log_signature;
    status = db->WriteHeader(header);
  }
  if (status.ok()) status = env->SyncDir(DirName(path));
  if (status.IsError()) {
    // Nothing refers to the file yet (the caller logs the attach record
    // after this returns): a half-made file goes away.
    db.reset();
    file.reset();
    lock.reset();
    env->RemoveFile(path).PermitUnchecked();
    return status;
  }
  cache->RegisterFile(db_id, db->file_.get());
  db->cache_ = cache;
  JET_RETURN_IF_ERROR(db->AttachTrees(cache));
  *result = std::move(db);
  return Status::OK();
}

Status Database::Format(MtrLog* mtr_log, uint32_t max_pages) {
  Mtr mtr(cache_, mtr_log);
  JET_RETURN_IF_ERROR(space_.Format(&mtr, kInitialPages, max_pages));
  JET_RETURN_IF_ERROR(BTree::CreateRoot(&mtr, id_, kDirectoryObjid, kDirectoryRootPage));
  JET_RETURN_IF_ERROR(BTree::CreateRoot(&mtr, id_, kCatalogObjid, kCatalogRootPage));
  return mtr.Commit();
}

Status Database::IsFormatted(bool* formatted) {
  PageRef ref;
  JET_RETURN_IF_ERROR(cache_->Fetch(id_, kSpaceRootPage, &ref));
  *formatted = Page(ref.data(), options_.page_size).type() != PageType::kUninitialized;
  return Status::OK();
}

Status Database::Open(Env* env, BufferCache* cache, uint32_t db_id, const std::string& path,
                      const DatabaseOptions& options, std::unique_ptr<Database>* result) {
  DatabaseHeader header;
  JET_RETURN_IF_ERROR(ReadHeader(env, path, &header));
  if (header.page_size != options.page_size) {
    return Status::FromCode(JET_errPageSizeMismatch,
                            path + " has " + std::to_string(header.page_size) +
                                "-byte pages; JET_paramDatabasePageSize is " +
                                std::to_string(options.page_size));
  }
  std::unique_ptr<File> file;
  JET_RETURN_IF_ERROR(env->OpenFile(path, OpenMode::kOpenExisting, options.read_only, &file));
  std::unique_ptr<FileLock> lock;
  if (!options.read_only) {
    Status status = env->LockFile(path, &lock);
    if (status.IsError()) {
      return Status::FromCode(JET_errDatabaseInUse,
                              path + " is in use: " + std::string(status.message()));
    }
  }
  std::unique_ptr<Database> db(
      new Database(db_id, path, options, std::move(file), std::move(lock)));
  db->header_ = header;
  db->dbtime_.store(header.dbtime);
  cache->RegisterFile(db_id, db->file_.get());
  db->cache_ = cache;
  Status status = db->AttachTrees(cache);
  if (status.IsError()) {
    cache->ForgetFile(db_id, true);
    return status;
  }
  *result = std::move(db);
  return Status::OK();
}

Status Database::AttachTrees(BufferCache* cache) {
  catalog_ = std::make_shared<BTree>(cache, id_, kCatalogObjid, kCatalogRootPage);
  directory_ = std::make_shared<BTree>(cache, id_, kDirectoryObjid, kDirectoryRootPage);
  return Status::OK();
}

Status Database::LoadDirectory() {
  std::map<uint32_t, TreeEntry> trees;
  {
    ReaderLock lock(directory_->latch());
    BTreeCursor cursor(directory_.get());
    JET_RETURN_IF_ERROR(cursor.First());
    while (cursor.Valid()) {
      const NodeView node = cursor.node();
      if (node.key.size() != 4 || node.value.size() != 6) {
        return Status::Corruption(path_ + ": malformed object directory entry");
      }
      const uint32_t objid = DecodeBigEndian32(node.key.data());
      const uint32_t root = DecodeFixed32(node.value.data());
      const auto kind = static_cast<TreeKind>(node.value[4]);
      const bool dropped = node.value[5] != 0;
      if (root < kFirstDataPage || objid < kFirstUserObjid) {
        return Status::Corruption(path_ + ": object directory entry for objid " +
                                  std::to_string(objid) + " is out of range");
      }
      TreeEntry entry{kind, dropped, std::make_shared<BTree>(cache_, id_, objid, root)};
      trees.emplace(objid, std::move(entry));
      JET_RETURN_IF_ERROR(cursor.Next());
    }
  }
  MutexLock lock(&mu_);
  trees_ = std::move(trees);
  return Status::OK();
}

std::shared_ptr<BTree> Database::FindTree(uint32_t objid) {
  if (objid == kCatalogObjid) return catalog_;
  if (objid == kDirectoryObjid) return directory_;
  MutexLock lock(&mu_);
  auto it = trees_.find(objid);
  if (it == trees_.end() || it->second.dropped) return nullptr;
  return it->second.tree;
}

TreeKind Database::KindOf(uint32_t objid) {
  if (objid == kCatalogObjid) return TreeKind::kCatalog;
  if (objid == kDirectoryObjid) return TreeKind::kDirectory;
  MutexLock lock(&mu_);
  auto it = trees_.find(objid);
  return it == trees_.end() ? TreeKind::kTable : it->second.kind;
}

uint32_t Database::MaxObjid() {
  MutexLock lock(&mu_);
  return trees_.empty() ? kFirstUserObjid - 1 : trees_.rbegin()->first;
}

Status Database::CreateTree(Mtr* mtr, uint32_t objid, TreeKind kind) {
  {
    MutexLock lock(&mu_);
    if (trees_.count(objid) != 0) return Status::OK();
  }
  uint32_t root = 0;
  JET_RETURN_IF_ERROR(space_.Reserve(mtr, 4));
  JET_RETURN_IF_ERROR(space_.Allocate(mtr, &root));
  JET_RETURN_IF_ERROR(BTree::CreateRoot(mtr, id_, objid, root));
  JET_RETURN_IF_ERROR(directory_->Put(mtr, &space_, EncodeObjid(objid),
                                      EncodeDirectoryValue(root, kind, false)));
  MutexLock lock(&mu_);
  trees_.emplace(objid, TreeEntry{kind, false, std::make_shared<BTree>(cache_, id_, objid, root)});
  return Status::OK();
}

Status Database::MarkTreeDropped(Mtr* mtr, uint32_t objid) {
  uint32_t root = 0;
  TreeKind kind;
  {
    MutexLock lock(&mu_);
    auto it = trees_.find(objid);
    if (it == trees_.end() || it->second.dropped) return Status::OK();
    root = it->second.tree->root();
    kind = it->second.kind;
  }
  JET_RETURN_IF_ERROR(directory_->Put(mtr, &space_, EncodeObjid(objid),
                                      EncodeDirectoryValue(root, kind, true)));
  MutexLock lock(&mu_);
  trees_[objid].dropped = true;
  return Status::OK();
}

Database::TableCounters* Database::Counters(uint32_t table_objid) {
  MutexLock lock(&mu_);
  auto& counters = counters_[table_objid];
  if (counters == nullptr) counters = std::make_unique<TableCounters>();
  return counters.get();
}

void Database::AddTableUser(uint32_t table_objid, int delta) {
  MutexLock lock(&mu_);
  table_users_[table_objid] += delta;
  if (table_users_[table_objid] <= 0) table_users_.erase(table_objid);
}

int Database::TableUsers(uint32_t table_objid) {
  MutexLock lock(&mu_);
  auto it = table_users_.find(table_objid);
  return it == table_users_.end() ? 0 : it->second;
}

std::vector<uint32_t> Database::DroppedTrees() {
  MutexLock lock(&mu_);
  std::vector<uint32_t> result;
  for (const auto& [objid, entry] : trees_) {
    if (entry.dropped) result.push_back(objid);
  }
  return result;
}

Status Database::FreeDroppedTree(MtrLog* mtr_log, BufferCache* cache, uint32_t objid,
                                 bool* freed) {
  *freed = false;
  std::shared_ptr<BTree> tree;
  {
    MutexLock lock(&mu_);
    auto it = trees_.find(objid);
    if (it == trees_.end() || !it->second.dropped) return Status::OK();
    // The registry's reference and ours: anything more is an open cursor.
    if (it->second.tree.use_count() > 1) return Status::OK();
    tree = it->second.tree;
  }
  // One MTR: the tree's pages go to the free list and its directory entry
  // goes away together, so a crash cannot leave half a drop.
  Mtr mtr(cache, mtr_log);
  JET_RETURN_IF_ERROR(tree->Drop(&mtr, &space_));
  bool found = false;
  JET_RETURN_IF_ERROR(directory_->Remove(&mtr, &space_, EncodeObjid(objid), &found));
  JET_RETURN_IF_ERROR(mtr.Commit());
  MutexLock lock(&mu_);
  trees_.erase(objid);
  *freed = true;
  return Status::OK();
}

}  // namespace jetsvc

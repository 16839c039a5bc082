// NodeArena and ArenaAllocator: fixed-size nodes for the node-based standard
// containers (std::set, std::unordered_map) that index the page cache.
//
// A 1 GiB cache indexes a quarter of a million frames, and a set or map node
// per frame is a small malloc. Erasing them one by one (ForgetFile at
// JetTerm, the dirty set after a flush) leaves glibc with that many fastbin
// chunks, which the next larger malloc consolidates in one long pause;
// together that was most of the time of a JetTerm after a stop. An arena
// recycles nodes through free lists and returns its memory in a few blocks
// when it is destroyed.
//
// Written here rather than taken from Boost.Pool: its fast_pool_allocator
// is a process-wide singleton that never returns memory and takes a global
// lock per node, while the cache wants one arena per instance, freed with it,
// under the cache's own mutex.
//
// Thread contract: not thread-safe; every container sharing an arena must be
// guarded by one lock. The arena must outlive those containers.

#ifndef JETSVC_ENGINE_UTIL_NODE_ARENA_H_
#define JETSVC_ENGINE_UTIL_NODE_ARENA_H_

#include <array>
#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace jetsvc {

class NodeArena {
 public:
  NodeArena() = default;
  NodeArena(const NodeArena&) = delete;
  NodeArena& operator=(const NodeArena&) = delete;

  // Requests above kMaxNodeBytes (bucket arrays) go to operator new.
  static constexpr size_t kMaxNodeBytes = 128;

  void* Allocate(size_t bytes) {
    if (bytes > kMaxNodeBytes) return ::operator new(bytes);
    const size_t cls = ClassOf(bytes);
    FreeNode* node = free_[cls];
    if (node != nullptr) {
      free_[cls] = node->next;
      return node;
    }
    const size_t size = (cls + 1) * kGranule;
    if (block_left_ < size) {
      blocks_.push_back(std::make_unique<Granule[]>(kBlockBytes / kGranule));
      block_next_ = reinterpret_cast<char*>(blocks_.back().get());
      block_left_ = kBlockBytes;
    }
    void* result = block_next_;
    block_next_ += size;
    block_left_ -= size;
    return result;
  }

  void Deallocate(void* p, size_t bytes) {
    if (bytes > kMaxNodeBytes) {
      ::operator delete(p);
      return;
    }
    const size_t cls = ClassOf(bytes);
    auto* node = static_cast<FreeNode*>(p);
    node->next = free_[cls];
    free_[cls] = node;
  }

  // Bytes held in blocks (for tests and statistics).
  size_t reserved_bytes() const { return blocks_.size() * kBlockBytes; }

 private:
  static constexpr size_t kGranule = alignof(std::max_align_t);
  static constexpr size_t kClasses = kMaxNodeBytes / kGranule;
  static constexpr size_t kBlockBytes = 64 * 1024;
  struct alignas(std::max_align_t) Granule {
    char bytes[kGranule];
  };
  struct FreeNode {
    FreeNode* next;
  };
  static size_t ClassOf(size_t bytes) { return bytes == 0 ? 0 : (bytes - 1) / kGranule; }

  std::vector<std::unique_ptr<Granule[]>> blocks_;
  char* block_next_ = nullptr;
  size_t block_left_ = 0;
  std::array<FreeNode*, kClasses> free_{};
};

// A standard allocator drawing from a NodeArena; copies and rebinds share it.
template <typename T>
class ArenaAllocator {
 public:
  using value_type = T;

  explicit ArenaAllocator(NodeArena* arena) : arena_(arena) {}
  template <typename U>
  ArenaAllocator(const ArenaAllocator<U>& other) : arena_(other.arena()) {}  // NOLINT

  static_assert(alignof(T) <= alignof(std::max_align_t), "over-aligned node");
  T* allocate(size_t n) { return static_cast<T*>(arena_->Allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { arena_->Deallocate(p, n * sizeof(T)); }

  NodeArena* arena() const { return arena_; }
  template <typename U>
  bool operator==(const ArenaAllocator<U>& other) const { return arena_ == other.arena(); }
  template <typename U>
  bool operator!=(const ArenaAllocator<U>& other) const { return arena_ != other.arena(); }

 private:
  NodeArena* arena_;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_UTIL_NODE_ARENA_H_

// NodeArena / ArenaAllocator: node reuse, the operator-new path for large
// requests, and standard containers on an arena behaving like plain ones.

#include "engine/util/node_arena.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>

#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

TEST(NodeArenaTest, FreedNodeIsReusedForTheSameSizeClass) {
  NodeArena arena;
  void* a = arena.Allocate(40);
  void* b = arena.Allocate(40);
  EXPECT_NE(a, b);
  arena.Deallocate(a, 40);
  // 33..48 bytes share a class: the freed node comes back.
  EXPECT_EQ(a, arena.Allocate(48));
  // Another class does not take it.
  arena.Deallocate(b, 40);
  void* c = arena.Allocate(8);
  EXPECT_NE(b, c);
}

TEST(NodeArenaTest, NodesAreAlignedAndDistinct) {
  NodeArena arena;
  std::set<uintptr_t> seen;
  for (size_t size = 1; size <= NodeArena::kMaxNodeBytes; ++size) {
    void* p = arena.Allocate(size);
    EXPECT_EQ(0u, reinterpret_cast<uintptr_t>(p) % alignof(std::max_align_t)) << size;
    EXPECT_TRUE(seen.insert(reinterpret_cast<uintptr_t>(p)).second) << size;
    std::memset(p, 0xab, size);  // writable over its whole size (ASan checks bounds)
  }
}

TEST(NodeArenaTest, LargeRequestsBypassTheBlocks) {
  NodeArena arena;
  void* big = arena.Allocate(NodeArena::kMaxNodeBytes + 1);
  EXPECT_EQ(0u, arena.reserved_bytes());
  arena.Deallocate(big, NodeArena::kMaxNodeBytes + 1);
}

TEST(NodeArenaTest, SteadyChurnDoesNotGrowTheArena) {
  NodeArena arena;
  std::vector<void*> live;
  for (int i = 0; i < 10000; ++i) live.push_back(arena.Allocate(48));
  const size_t reserved = arena.reserved_bytes();
  for (int round = 0; round < 50; ++round) {
    for (void* p : live) arena.Deallocate(p, 48);
    for (void*& p : live) p = arena.Allocate(48);
  }
  EXPECT_EQ(reserved, arena.reserved_bytes());
}

// Containers on the arena against the same operations on plain containers.
TEST(NodeArenaTest, ContainersMatchPlainContainers) {
  const uint64_t seed = testing::TestSeed(7);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 random(seed);
  NodeArena arena;
  using Entry = std::pair<uint64_t, uint32_t>;
  std::set<Entry, std::less<Entry>, ArenaAllocator<Entry>> arena_set{ArenaAllocator<Entry>(&arena)};
  std::unordered_map<uint64_t, uint32_t, std::hash<uint64_t>, std::equal_to<uint64_t>,
                     ArenaAllocator<std::pair<const uint64_t, uint32_t>>>
      arena_map{ArenaAllocator<std::pair<const uint64_t, uint32_t>>(&arena)};
  std::set<Entry> plain_set;
  std::map<uint64_t, uint32_t> plain_map;
  for (int i = 0; i < 200000; ++i) {
    const uint64_t key = random() % 5000;
    const uint32_t value = static_cast<uint32_t>(random());
    if (random() % 3 == 0) {
      auto arena_it = arena_set.lower_bound({key, 0});
      if (arena_it != arena_set.end()) arena_set.erase(arena_it);
      auto plain_it = plain_set.lower_bound({key, 0});
      if (plain_it != plain_set.end()) plain_set.erase(plain_it);
      arena_map.erase(key);
      plain_map.erase(key);
    } else {
      arena_set.insert({key, value});
      plain_set.insert({key, value});
      arena_map[key] = value;
      plain_map[key] = value;
    }
  }
  ASSERT_EQ(plain_set.size(), arena_set.size());
  EXPECT_TRUE(std::equal(plain_set.begin(), plain_set.end(), arena_set.begin()));
  ASSERT_EQ(plain_map.size(), arena_map.size());
  for (const auto& [key, value] : plain_map) EXPECT_EQ(value, arena_map.at(key)) << key;
}

}  // namespace
}  // namespace jetsvc

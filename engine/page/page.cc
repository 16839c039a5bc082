#include "engine/page/page.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <vector>

#include "engine/util/coding.h"
#include "engine/util/crc32c.h"
#include "esent.h"

namespace jetsvc {

bool IsValidPageSize(uint32_t page_size) {
  return page_size == 4096 || page_size == 8192 || page_size == 16384 ||
         page_size == 32768;
}

void ChunkMap::Mark(uint32_t offset, uint32_t length) {
  if (length == 0) return;
  const uint32_t first = offset / kChunkSize;
  const uint32_t last = (offset + length - 1) / kChunkSize;
  for (uint32_t chunk = first; chunk <= last; ++chunk) bits_.set(chunk);
}

uint16_t Page::Get16(uint32_t offset) const { return DecodeFixed16(data_ + offset); }
void Page::Put16(uint32_t offset, uint16_t value) {
  EncodeFixed16(data_ + offset, value);
  Mark(offset, 2);
}
uint32_t Page::Get32(uint32_t offset) const { return DecodeFixed32(data_ + offset); }
void Page::Put32(uint32_t offset, uint32_t value) {
  EncodeFixed32(data_ + offset, value);
  Mark(offset, 4);
}
uint64_t Page::Get64(uint32_t offset) const { return DecodeFixed64(data_ + offset); }
void Page::Put64(uint32_t offset, uint64_t value) {
  EncodeFixed64(data_ + offset, value);
  Mark(offset, 8);
}

uint64_t Page::dbtime() const { return DecodeFixed64(data_ + kOffDbtime); }
void Page::set_dbtime(uint64_t dbtime) { EncodeFixed64(data_ + kOffDbtime, dbtime); }

void Page::set_type(PageType type) {
  data_[kOffType] = static_cast<char>(type);
  Mark(kOffType, 1);
}

void Page::set_level(uint8_t level) {
  data_[kOffLevel] = static_cast<char>(level);
  Mark(kOffLevel, 1);
}

bool Page::IsAllZero() const {
  for (uint32_t i = 0; i < size_; ++i) {
    if (data_[i] != 0) return false;
  }
  return true;
}

void Page::FormatTree(uint32_t objid, uint8_t level, uint16_t flags) {
  // Bytes from offset 16 on are rewritten; the checksum, page number and
  // dbtime are kept.
  std::memset(data_ + kOffObjectId, 0, size_ - kOffObjectId);
  Mark(kOffObjectId, size_ - kOffObjectId);
  set_object_id(objid);
  set_flags(flags);
  set_type(PageType::kTree);
  set_level(level);
  Put16(kOffDataEnd, static_cast<uint16_t>(kPageHeaderSize));
}

void Page::FormatRaw(PageType type) {
  std::memset(data_ + kOffObjectId, 0, size_ - kOffObjectId);
  Mark(kOffObjectId, size_ - kOffObjectId);
  set_type(type);
}

uint32_t Page::NodeSize(uint32_t offset) const {
  return kNodeHeaderSize + Get16(offset) + Get16(offset + 2);
}

NodeView Page::node(int slot) const {
  assert(slot >= 0 && slot < node_count());
  const uint32_t offset = NodeOffset(slot);
  NodeView view;
  const uint16_t key_size = Get16(offset);
  const uint16_t value_size = Get16(offset + 2);
  view.flags = static_cast<uint8_t>(data_[offset + 4]);
  view.key = std::string_view(data_ + offset + kNodeHeaderSize, key_size);
  view.value = std::string_view(data_ + offset + kNodeHeaderSize + key_size, value_size);
  return view;
}

int Page::LowerBound(std::string_view key, bool* found) const {
  int lo = 0;
  int hi = node_count();
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (node(mid).key < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  *found = lo < node_count() && node(lo).key == key;
  return lo;
}

uint32_t Page::FreeBytes() const {
  const uint32_t slots_start = size_ - kSlotSize * node_count();
  return slots_start - data_end() + fragmented_bytes();
}

void Page::Compact() {
  const int count = node_count();
  std::vector<char> heap(data_end() - kPageHeaderSize);
  uint32_t write = 0;
  std::vector<uint16_t> offsets(count);
  for (int slot = 0; slot < count; ++slot) {
    const uint32_t offset = NodeOffset(slot);
    const uint32_t node_size = NodeSize(offset);
    std::memcpy(heap.data() + write, data_ + offset, node_size);
    offsets[slot] = static_cast<uint16_t>(kPageHeaderSize + write);
    write += node_size;
  }
  std::memcpy(data_ + kPageHeaderSize, heap.data(), write);
  Mark(kPageHeaderSize, write);
  for (int slot = 0; slot < count; ++slot) Put16(SlotOffset(slot), offsets[slot]);
  Put16(kOffDataEnd, static_cast<uint16_t>(kPageHeaderSize + write));
  Put16(kOffFragmented, 0);
}

void Page::EnsureContiguous(uint32_t bytes) {
  const uint32_t slots_start = size_ - kSlotSize * node_count();
  if (slots_start - data_end() >= bytes) return;
  Compact();
  assert(size_ - kSlotSize * node_count() - data_end() >= bytes);
}

void Page::InsertNode(int slot, std::string_view key, std::string_view value,
                      uint8_t flags) {
  const int count = node_count();
  assert(slot >= 0 && slot <= count);
  assert(CanFit(NodeFootprint(key.size(), value.size())));
  const uint32_t node_size = kNodeHeaderSize + static_cast<uint32_t>(key.size() + value.size());
  EnsureContiguous(node_size + kSlotSize);
  const uint32_t offset = data_end();
  char* p = data_ + offset;
  EncodeFixed16(p, static_cast<uint16_t>(key.size()));
  EncodeFixed16(p + 2, static_cast<uint16_t>(value.size()));
  p[4] = static_cast<char>(flags);
  if (!key.empty()) std::memcpy(p + kNodeHeaderSize, key.data(), key.size());
  if (!value.empty()) std::memcpy(p + kNodeHeaderSize + key.size(), value.data(), value.size());
  Mark(offset, node_size);
  Put16(kOffDataEnd, static_cast<uint16_t>(offset + node_size));
  // Slots [slot, count) move one place down (toward lower addresses).
  const uint32_t old_start = size_ - kSlotSize * count;
  const uint32_t moved = kSlotSize * (count - slot);
  if (moved > 0) {
    std::memmove(data_ + old_start - kSlotSize, data_ + old_start, moved);
    Mark(old_start - kSlotSize, moved);
  }
  Put16(kOffNodeCount, static_cast<uint16_t>(count + 1));
  Put16(SlotOffset(slot), static_cast<uint16_t>(offset));
}

void Page::RemoveNode(int slot) {
  const int count = node_count();
  assert(slot >= 0 && slot < count);
  const uint32_t offset = NodeOffset(slot);
  const uint32_t node_size = NodeSize(offset);
  if (offset + node_size == data_end()) {
    Put16(kOffDataEnd, static_cast<uint16_t>(offset));
  } else {
    Put16(kOffFragmented, static_cast<uint16_t>(fragmented_bytes() + node_size));
  }
  // Slots [slot + 1, count) move one place up.
  const uint32_t old_start = size_ - kSlotSize * count;
  const uint32_t moved = kSlotSize * (count - slot - 1);
  if (moved > 0) {
    std::memmove(data_ + old_start + kSlotSize, data_ + old_start, moved);
    Mark(old_start + kSlotSize, moved);
  }
  Put16(kOffNodeCount, static_cast<uint16_t>(count - 1));
  if (count == 1) {
    // Empty page: reset the heap.
    Put16(kOffDataEnd, static_cast<uint16_t>(kPageHeaderSize));
    Put16(kOffFragmented, 0);
  }
}

void Page::ReplaceNode(int slot, std::string_view value, uint8_t flags) {
  const uint32_t offset = NodeOffset(slot);
  const uint16_t old_value_size = Get16(offset + 2);
  if (value.size() == old_value_size) {
    const uint16_t key_size = Get16(offset);
    data_[offset + 4] = static_cast<char>(flags);
    Mark(offset + 4, 1);
    if (!value.empty()) {
      std::memcpy(data_ + offset + kNodeHeaderSize + key_size, value.data(), value.size());
      Mark(offset + kNodeHeaderSize + key_size, static_cast<uint32_t>(value.size()));
    }
    return;
  }
  const std::string key(node(slot).key);
  RemoveNode(slot);
  InsertNode(slot, key, value, flags);
}

void Page::SetNodeFlags(int slot, uint8_t flags) {
  const uint32_t offset = NodeOffset(slot);
  data_[offset + 4] = static_cast<char>(flags);
  Mark(offset + 4, 1);
}

void Page::WriteRaw(uint32_t offset, std::string_view bytes) {
  assert(offset + bytes.size() <= size_);
  std::memcpy(data_ + offset, bytes.data(), bytes.size());
  Mark(offset, static_cast<uint32_t>(bytes.size()));
}

void Page::Seal() {
  const uint32_t crc = crc32c::Value(data_ + 4, size_ - 4);
  EncodeFixed32(data_ + kOffChecksum, crc32c::Mask(crc));
}

Status Page::Verify(uint32_t expected_pgno) const {
  if (IsAllZero()) return Status::OK();
  const uint32_t stored = crc32c::Unmask(DecodeFixed32(data_ + kOffChecksum));
  const uint32_t actual = crc32c::Value(data_ + 4, size_ - 4);
  if (stored != actual) {
    return Status::FromCode(JET_errReadVerifyFailure,
                            "checksum mismatch on page " + std::to_string(expected_pgno));
  }
  if (page_number() != expected_pgno) {
    return Status::FromCode(JET_errReadVerifyFailure,
                            "page " + std::to_string(expected_pgno) + " holds page number " +
                                std::to_string(page_number()));
  }
  return Status::OK();
}

Status Page::AssertValid() const {
  const auto bad = [this](const std::string& what) {
    return Status::Corruption("page " + std::to_string(page_number()) + ": " + what);
  };
  if (type() != PageType::kTree) return Status::OK();
  const int count = node_count();
  const uint32_t end = data_end();
  if (end < kPageHeaderSize || end + kSlotSize * static_cast<uint32_t>(count) > size_) {
    return bad("node heap overlaps the slot array");
  }
  uint32_t total = 0;
  std::string_view previous;
  for (int slot = 0; slot < count; ++slot) {
    const uint32_t offset = NodeOffset(slot);
    if (offset < kPageHeaderSize || offset + kNodeHeaderSize > end) {
      return bad("slot " + std::to_string(slot) + " points outside the heap");
    }
    const uint32_t node_size = NodeSize(offset);
    if (offset + node_size > end) return bad("node " + std::to_string(slot) + " overruns the heap");
    total += node_size;
    const std::string_view key(data_ + offset + kNodeHeaderSize, Get16(offset));
    if (slot > 0 && !(previous < key)) {
      // Internal pages keep an empty first key (minus infinity).
      if (!(slot == 1 && level() > 0 && previous.empty())) {
        return bad("keys out of order at slot " + std::to_string(slot));
      }
    }
    previous = key;
  }
  if (total + fragmented_bytes() != end - kPageHeaderSize) {
    return bad("fragmented byte count does not match the heap");
  }
  return Status::OK();
}

}  // namespace jetsvc

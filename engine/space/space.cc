#include "engine/space/space.h"

#include <algorithm>

#include "esent.h"

namespace jetsvc {

namespace {

constexpr uint32_t kSpaceMagic = 0x45435053;  // "SPCE"
constexpr uint32_t kOffMagic = 40;
constexpr uint32_t kOffOwned = 44;
constexpr uint32_t kOffHighWater = 48;
constexpr uint32_t kOffFreeHead = 52;
constexpr uint32_t kOffFreeCount = 56;
constexpr uint32_t kOffMaxPages = 60;

constexpr uint32_t kOffTrunkNext = 40;
constexpr uint32_t kOffTrunkCount = 44;
constexpr uint32_t kOffTrunkEntries = 48;

uint32_t TrunkCapacity(uint32_t page_size) { return (page_size - kOffTrunkEntries) / 4; }

Status CheckRoot(const Page& root) {
  if (root.type() != PageType::kSpaceRoot || root.Get32(kOffMagic) != kSpaceMagic) {
    return Status::Corruption("the space root page (page 2) is not a space page");
  }
  const uint32_t owned = root.Get32(kOffOwned);
  const uint32_t high_water = root.Get32(kOffHighWater);
  if (high_water < kFirstDataPage || high_water > owned) {
    return Status::Corruption("space root: high-water mark outside the file");
  }
  return Status::OK();
}

}  // namespace

Status Space::Format(Mtr* mtr, uint32_t initial_pages, uint32_t max_pages) {
  Page* root = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetNewPage(db_, kSpaceRootPage, &root));
  root->set_page_number(kSpaceRootPage);
  root->FormatRaw(PageType::kSpaceRoot);
  root->Put32(kOffMagic, kSpaceMagic);
  root->Put32(kOffOwned, std::max(initial_pages, kFirstDataPage));
  root->Put32(kOffHighWater, kFirstDataPage);
  root->Put32(kOffFreeHead, 0);
  root->Put32(kOffFreeCount, 0);
  root->Put32(kOffMaxPages, max_pages);
  return Status::OK();
}

Status Space::Grow(Mtr* /*mtr*/, Page* root, uint32_t pages) {
  const uint32_t owned = root->Get32(kOffOwned);
  const uint32_t max_pages = root->Get32(kOffMaxPages);
  uint64_t target = static_cast<uint64_t>(owned) + std::max(pages, extension_pages_);
  if (max_pages != 0 && target > max_pages) {
    if (static_cast<uint64_t>(owned) + pages > max_pages) {
      return Status::FromCode(JET_errOutOfDatabaseSpace,
                              "the database reached its maximum size of " +
                                  std::to_string(max_pages) + " pages");
    }
    target = max_pages;
  }
  if (target > 0xfffffff0ull) {
    return Status::FromCode(JET_errOutOfDatabaseSpace, "the database reached 2^32 pages");
  }
  // Grow the file before logging the new size, so a full disk fails here
  // with nothing changed.
  JET_RETURN_IF_ERROR(file_->SetSize(target * page_size_));
  root->Put32(kOffOwned, static_cast<uint32_t>(target));
  return Status::OK();
}

Status Space::Reserve(Mtr* mtr, uint32_t pages) {
  Page* root = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, kSpaceRootPage, &root));
  JET_RETURN_IF_ERROR(CheckRoot(*root));
  const uint32_t available = root->Get32(kOffFreeCount) +
                             (root->Get32(kOffOwned) - root->Get32(kOffHighWater));
  if (available >= pages) return Status::OK();
  return Grow(mtr, root, pages - available);
}

Status Space::Allocate(Mtr* mtr, uint32_t* pgno) {
  Page* root = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, kSpaceRootPage, &root));
  JET_RETURN_IF_ERROR(CheckRoot(*root));
  const uint32_t head = root->Get32(kOffFreeHead);
  if (head != 0) {
    Page* trunk = nullptr;
    JET_RETURN_IF_ERROR(mtr->GetPage(db_, head, &trunk));
    if (trunk->type() != PageType::kFreeTrunk) {
      return Status::Corruption("free-list page " + std::to_string(head) + " is not a trunk");
    }
    const uint32_t count = trunk->Get32(kOffTrunkCount);
    if (count > TrunkCapacity(page_size_)) {
      return Status::Corruption("free-list trunk " + std::to_string(head) + " overflows");
    }
    if (count > 0) {
      *pgno = trunk->Get32(kOffTrunkEntries + 4 * (count - 1));
      trunk->Put32(kOffTrunkCount, count - 1);
    } else {
      *pgno = head;
      root->Put32(kOffFreeHead, trunk->Get32(kOffTrunkNext));
    }
    root->Put32(kOffFreeCount, root->Get32(kOffFreeCount) - 1);
    if (*pgno < kFirstDataPage || *pgno >= root->Get32(kOffHighWater)) {
      return Status::Corruption("free list holds page " + std::to_string(*pgno) +
                                " outside the allocated range");
    }
    return Status::OK();
  }
  if (root->Get32(kOffHighWater) == root->Get32(kOffOwned)) {
    JET_RETURN_IF_ERROR(Grow(mtr, root, 1));
  }
  *pgno = root->Get32(kOffHighWater);
  root->Put32(kOffHighWater, *pgno + 1);
  return Status::OK();
}

Status Space::Free(Mtr* mtr, uint32_t pgno) {
  Page* root = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, kSpaceRootPage, &root));
  JET_RETURN_IF_ERROR(CheckRoot(*root));
  if (pgno < kFirstDataPage || pgno >= root->Get32(kOffHighWater)) {
    return Status::Corruption("freeing page " + std::to_string(pgno) +
                              " outside the allocated range");
  }
  const uint32_t head = root->Get32(kOffFreeHead);
  if (head != 0) {
    Page* trunk = nullptr;
    JET_RETURN_IF_ERROR(mtr->GetPage(db_, head, &trunk));
    const uint32_t count = trunk->Get32(kOffTrunkCount);
    if (count < TrunkCapacity(page_size_)) {
      trunk->Put32(kOffTrunkEntries + 4 * count, pgno);
      trunk->Put32(kOffTrunkCount, count + 1);
      root->Put32(kOffFreeCount, root->Get32(kOffFreeCount) + 1);
      return Status::OK();
    }
  }
  // The freed page becomes the new head trunk.
  Page* trunk = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetNewPage(db_, pgno, &trunk));
  trunk->set_page_number(pgno);
  trunk->FormatRaw(PageType::kFreeTrunk);
  trunk->Put32(kOffTrunkNext, head);
  trunk->Put32(kOffTrunkCount, 0);
  root->Put32(kOffFreeHead, pgno);
  root->Put32(kOffFreeCount, root->Get32(kOffFreeCount) + 1);
  return Status::OK();
}

Status Space::GetInfo(BufferCache* cache, SpaceInfo* info) {
  PageRef ref;
  JET_RETURN_IF_ERROR(cache->Fetch(db_, kSpaceRootPage, &ref));
  Page root(ref.data(), page_size_);
  JET_RETURN_IF_ERROR(CheckRoot(root));
  info->owned_pages = root.Get32(kOffOwned);
  info->high_water = root.Get32(kOffHighWater);
  info->free_pages = root.Get32(kOffFreeCount);
  info->max_pages = root.Get32(kOffMaxPages);
  return Status::OK();
}

}  // namespace jetsvc

// StoreAdaptor: see store_adaptor.h.

#include "platform/dbus/store_adaptor.h"

#include <utility>

#include <sdbus-c++/sdbus-c++.h>

#include "platform/dbus/adaptor_errors.h"
#include "platform/dbus/names.h"

namespace jetsvc {
namespace platform {

namespace {

using Item = sdbus::Struct<std::string, std::vector<uint8_t>>;

}  // namespace

Result CheckStoreKey(const std::string& key, const StoreLimits& limits, const std::string& what) {
  if (key.empty()) return Result::Error(ErrorKind::kInvalidArgument, what + " is empty");
  if (key.size() > limits.max_key_bytes) {
    return Result::Error(ErrorKind::kTooLarge, what + " is " + std::to_string(key.size()) +
                                                   " bytes; the limit is " +
                                                   std::to_string(limits.max_key_bytes));
  }
  return Result::Ok();
}

Result CheckStoreValue(size_t value_bytes, const StoreLimits& limits, const std::string& what) {
  if (value_bytes > limits.max_value_bytes) {
    return Result::Error(ErrorKind::kTooLarge, what + " is " + std::to_string(value_bytes) +
                                                   " bytes; the limit is " +
                                                   std::to_string(limits.max_value_bytes));
  }
  return Result::Ok();
}

Result CheckScanLimit(uint32_t limit, const StoreLimits& limits) {
  if (limit == 0) {
    return Result::Error(ErrorKind::kInvalidArgument,
                         "scan limit is 0; it must be 1.." + std::to_string(limits.max_scan_items));
  }
  if (limit > limits.max_scan_items) {
    return Result::Error(ErrorKind::kTooLarge, "scan limit " + std::to_string(limit) +
                                                   " is over the maximum of " +
                                                   std::to_string(limits.max_scan_items));
  }
  return Result::Ok();
}

Result CheckBatchSize(size_t items, const StoreLimits& limits) {
  if (items > limits.max_batch_items) {
    return Result::Error(ErrorKind::kTooLarge, "batch has " + std::to_string(items) +
                                                   " items; the limit is " +
                                                   std::to_string(limits.max_batch_items));
  }
  return Result::Ok();
}

void StoreAdaptor::Register(sdbus::IObject* object) {
  const char* const interface = dbus_names::kStoreInterface;

  object->registerMethod("Put")
      .onInterface(interface)
      .withInputParamNames("key", "value")
      .implementedAs([this](const std::string& key, const std::vector<uint8_t>& value) {
        Guarded("Store.Put", [&] {
          const StoreLimits limits = controller_->Limits();
          ThrowIfFailed(CheckStoreKey(key, limits, "key"));
          ThrowIfFailed(CheckStoreValue(value.size(), limits, "value"));
          ThrowIfFailed(controller_->Put(key, value));
        });
      });
  object->registerMethod("Get")
      .onInterface(interface)
      .withInputParamNames("key")
      .withOutputParamNames("value")
      .implementedAs([this](const std::string& key) {
        return Guarded("Store.Get", [&] {
          ThrowIfFailed(CheckStoreKey(key, controller_->Limits(), "key"));
          std::vector<uint8_t> value;
          ThrowIfFailed(controller_->Get(key, &value));
          return value;
        });
      });
  object->registerMethod("Delete")
      .onInterface(interface)
      .withInputParamNames("key")
      .withOutputParamNames("existed")
      .implementedAs([this](const std::string& key) {
        return Guarded("Store.Delete", [&] {
          ThrowIfFailed(CheckStoreKey(key, controller_->Limits(), "key"));
          bool existed = false;
          ThrowIfFailed(controller_->Delete(key, &existed));
          return existed;
        });
      });
  object->registerMethod("Scan")
      .onInterface(interface)
      .withInputParamNames("start", "limit")
      .withOutputParamNames("items")
      .implementedAs([this](const std::string& start, uint32_t limit) {
        return Guarded("Store.Scan", [&] {
          const StoreLimits limits = controller_->Limits();
          // An empty start scans from the first key; a longer one than any
          // key can be is refused like a key.
          if (!start.empty()) ThrowIfFailed(CheckStoreKey(start, limits, "start key"));
          ThrowIfFailed(CheckScanLimit(limit, limits));
          std::vector<KeyValue> found;
          ThrowIfFailed(controller_->Scan(start, limit, &found));
          std::vector<Item> items;
          items.reserve(found.size());
          size_t bytes = 0;
          bool past_start = false;  // holds an item whose key is not `start`
          for (KeyValue& pair : found) {
            if (items.size() >= limit) break;  // the controller gave more than asked
            const size_t size = pair.first.size() + pair.second.size();
            if (past_start && bytes + size > kMaxScanReplyBytes) break;
            bytes += size;
            if (pair.first != start) past_start = true;
            items.emplace_back(std::move(pair.first), std::move(pair.second));
          }
          return items;
        });
      });
  object->registerMethod("PutBatch")
      .onInterface(interface)
      .withInputParamNames("items", "durable")
      .withOutputParamNames("count")
      .implementedAs([this](std::vector<Item>& items, bool durable) {
        return Guarded("Store.PutBatch", [&] {
          const StoreLimits limits = controller_->Limits();
          ThrowIfFailed(CheckBatchSize(items.size(), limits));
          std::vector<KeyValue> pairs;
          pairs.reserve(items.size());
          for (size_t i = 0; i < items.size(); ++i) {
            const std::string what = "item " + std::to_string(i);
            ThrowIfFailed(CheckStoreKey(std::get<0>(items[i]), limits, what + " key"));
            ThrowIfFailed(CheckStoreValue(std::get<1>(items[i]).size(), limits, what + " value"));
            pairs.emplace_back(std::move(std::get<0>(items[i])), std::move(std::get<1>(items[i])));
          }
          uint32_t count = 0;
          ThrowIfFailed(controller_->PutBatch(pairs, durable, &count));
          return count;
        });
      });
}

}  // namespace platform
}  // namespace jetsvc

#include "engine/instance/instance_log.h"

namespace jetsvc {

Status InstanceLog::AppendRecord(std::string_view record, uint64_t* begin_lsn,
                                 uint64_t* end_lsn) {
  if (writer_ == nullptr) {
    *begin_lsn = counter_.fetch_add(1);
    *end_lsn = *begin_lsn + 1;
    return Status::OK();
  }
  *begin_lsn = writer_->tip();
  return writer_->Append(record, end_lsn);
}

Status InstanceLog::WaitDurable(uint64_t lsn) {
  if (writer_ == nullptr) return Status::OK();
  return writer_->WaitDurable(lsn);
}

Lsn InstanceLog::tip() const {
  return writer_ != nullptr ? writer_->tip() : counter_.load();
}

Lsn InstanceLog::durable() const {
  return writer_ != nullptr ? writer_->durable() : counter_.load();
}

Status InstanceLog::Close() {
  if (writer_ == nullptr) return Status::OK();
  return writer_->Close();
}

}  // namespace jetsvc

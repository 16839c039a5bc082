#include "engine/util/status.h"

#include <cstring>

#include "esent.h"

namespace jetsvc {

namespace {

std::unique_ptr<char[]> CopyMessage(std::string_view message) {
  auto copy = std::make_unique<char[]>(message.size() + 1);
  std::memcpy(copy.get(), message.data(), message.size());
  copy[message.size()] = '\0';
  return copy;
}

}  // namespace

Status::Status(const Status& other) : code_(other.code_) {
  if (other.message_) message_ = CopyMessage(other.message_.get());
}

Status& Status::operator=(const Status& other) {
  if (this != &other) {
    code_ = other.code_;
    message_ = other.message_ ? CopyMessage(other.message_.get()) : nullptr;
  }
  return *this;
}

Status Status::FromCode(int32_t code, std::string_view message) {
  Status status(code);
  if (code < 0 && !message.empty()) status.message_ = CopyMessage(message);
  return status;
}

Status Status::Corruption(std::string_view message) {
  return FromCode(JET_errDatabaseCorrupted, message);
}
Status Status::ChecksumMismatch(std::string_view message) {
  return FromCode(JET_errReadVerifyFailure, message);
}
Status Status::IOError(std::string_view message) {
  return FromCode(JET_errDiskIO, message);
}
Status Status::InvalidParameter(std::string_view message) {
  return FromCode(JET_errInvalidParameter, message);
}
Status Status::OutOfMemory(std::string_view message) {
  return FromCode(JET_errOutOfMemory, message);
}
Status Status::NotSupported(std::string_view message) {
  return FromCode(JET_errFeatureNotAvailable, message);
}

std::string_view Status::message() const {
  return message_ ? std::string_view(message_.get()) : std::string_view();
}

std::string Status::ToString() const {
  if (code_ == 0) return "OK";
  std::string text = "JET_ERR " + std::to_string(code_);
  if (message_) {
    text += ": ";
    text += message_.get();
  }
  return text;
}

}  // namespace jetsvc

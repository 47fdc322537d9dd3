#include "base/source.hpp"

namespace kpilint {

SourceFile::SourceFile(std::string path_in, std::string text_in)
    : path(std::move(path_in)), owned_text_(std::move(text_in)), text(owned_text_) {}

SourceFile::SourceFile(std::string path_in, std::string_view text_in, BorrowText)
    : path(std::move(path_in)), text(text_in) {}

SourceFile::~SourceFile() { delete lines_.load(std::memory_order_acquire); }

const LineIndex& SourceFile::lines() const {
  if (const LineIndex* built = lines_.load(std::memory_order_acquire)) return *built;
  auto made = std::make_unique<const LineIndex>(text);
  const LineIndex* expected = nullptr;
  if (lines_.compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel, std::memory_order_acquire)) {
    return *made.release();
  }
  return *expected;  // another thread's, published first
}

}  // namespace kpilint

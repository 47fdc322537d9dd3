#include "base/source.hpp"

namespace kpilint {

SourceFile::SourceFile(std::string path_in, std::string text_in)
    : path(std::move(path_in)), owned_text_(std::move(text_in)), text(owned_text_) {}

SourceFile::SourceFile(std::string path_in, std::string_view text_in, BorrowText)
    : path(std::move(path_in)), text(text_in) {}

const LineIndex& SourceFile::lines() const {
  std::call_once(lines_once_, [this] { lines_ = std::make_unique<LineIndex>(text); });
  return *lines_;
}

}  // namespace kpilint

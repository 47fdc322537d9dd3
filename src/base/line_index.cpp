#include "base/line_index.hpp"

#include <algorithm>
#include <cstring>

namespace kpilint {
namespace {

// Length in bytes of the UTF-8 sequence starting at text[i], or 1 for an
// invalid lead or truncated sequence (counted as one character).
std::uint32_t sequence_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::uint32_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
  if (i + length > text.size()) return 1;
  for (std::uint32_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 1;
  }
  return length;
}

std::uint32_t units(std::uint32_t sequence, Encoding encoding) {
  switch (encoding) {
    case Encoding::Utf8: return sequence;
    case Encoding::Utf16: return sequence == 4 ? 2 : 1;
    case Encoding::Utf32: return 1;
  }
  return 1;
}

}  // namespace

std::uint32_t encoded_length(std::string_view text, Encoding encoding) {
  if (encoding == Encoding::Utf8) return static_cast<std::uint32_t>(text.size());
  std::uint32_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto length = sequence_length(text, i);
    count += units(length, encoding);
    i += length;
  }
  return count;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  // memchr and a branch-free OR run at memory speed; this is on the path of
  // every file with a finding.
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  for (const char* at = begin; at < end;) {
    const auto* newline = static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)));
    if (newline == nullptr) break;
    starts_.push_back(static_cast<std::uint32_t>(newline - begin + 1));
    at = newline + 1;
  }
  // Eight bytes at a time: any byte with its top bit set is not ASCII.
  std::uint64_t high = 0;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, begin + i, 8);
    high |= word;
  }
  for (; i < text.size(); ++i) high |= static_cast<unsigned char>(text[i]);
  ascii_ = (high & 0x8080808080808080ull) == 0;
}

Span LineIndex::line_span(std::uint32_t line) const {
  if (line >= starts_.size()) return {static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(text_.size())};
  const std::uint32_t begin = starts_[line];
  std::uint32_t end = line + 1 < starts_.size() ? starts_[line + 1] - 1 : static_cast<std::uint32_t>(text_.size());
  if (end > begin && text_[end - 1] == '\r') --end;
  return {begin, end};
}

std::string_view LineIndex::line_text(std::uint32_t line) const {
  const Span span = line_span(line);
  return text_.substr(span.begin, span.size());
}

LineColumn LineIndex::position(std::uint32_t offset, Encoding encoding) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - starts_.begin() - 1);
  const std::uint32_t begin = starts_[line];
  if (ascii_ || encoding == Encoding::Utf8) return {line, offset - begin};
  return {line, encoded_length(text_.substr(begin, offset - begin), encoding)};
}

std::uint32_t LineIndex::offset(LineColumn position, Encoding encoding) const {
  if (position.line >= starts_.size()) return static_cast<std::uint32_t>(text_.size());
  const Span span = line_span(position.line);
  if (ascii_ || encoding == Encoding::Utf8) return span.begin + std::min(position.column, span.size());
  std::uint32_t column = 0;
  std::size_t i = span.begin;
  while (i < span.end && column < position.column) {
    const auto length = sequence_length(text_, i);
    column += units(length, encoding);
    i += length;
  }
  return static_cast<std::uint32_t>(std::min<std::size_t>(i, span.end));
}

}  // namespace kpilint

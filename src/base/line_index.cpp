#include "base/line_index.hpp"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
  // This runs for every file with a finding, so a large workspace scans most
  // of itself: 32 bytes at a time with SSE2 where there is SSE2 (every
  // x86-64), the rest (or everything, elsewhere) byte by byte. The same
  // loads tell whether the text is all ASCII.
  const char* const begin = text.data();
  const std::size_t size = text.size();
  starts_.reserve(size / 24 + 16);  // .kpi lines average about 28 bytes
  const auto add_starts = [&](std::size_t base, std::uint64_t newlines) {
    while (newlines != 0) {
      starts_.push_back(static_cast<std::uint32_t>(base + static_cast<std::size_t>(__builtin_ctzll(newlines)) + 1));
      newlines &= newlines - 1;
    }
  };
  bool ascii = true;
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  __m128i high = _mm_setzero_si128();
  for (; i + 32 <= size; i += 32) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin + i + 16));
    high = _mm_or_si128(high, _mm_or_si128(a, b));
    const auto low_mask = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, newline)));
    const auto high_mask = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, newline)));
    add_starts(i, low_mask | (std::uint64_t{high_mask} << 16));
  }
  ascii = _mm_movemask_epi8(high) == 0;
#endif
  for (; i < size; ++i) {
    const auto c = static_cast<unsigned char>(begin[i]);
    ascii = ascii && c < 0x80;
    if (c == '\n') starts_.push_back(static_cast<std::uint32_t>(i + 1));
  }
  ascii_ = ascii;
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

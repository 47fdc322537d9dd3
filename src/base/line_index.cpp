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

namespace {

// The newlines among the 32 bytes at `at`, one bit each.
#if defined(__SSE2__)
std::uint32_t newline_mask(const char* at) {
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
  const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + 16));
  return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, newline))) |
         (static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, newline))) << 16);
}
#else
std::uint32_t newline_mask(const char* at) {
  std::uint32_t mask = 0;
  for (int i = 0; i < 32; ++i) mask |= std::uint32_t{at[i] == '\n'} << i;
  return mask;
}
#endif

// Where the line `count` lines after the one starting at `from` starts,
// counting only newlines before `limit`; `count` ends as how many of them
// were not found (then it is the start of the last line reached).
// A newline at a time, not a population count: x86-64's baseline has no
// popcnt instruction, and there are at most a few newlines per block here.
std::size_t skip_lines(std::string_view text, std::size_t from, std::size_t limit, std::uint32_t& count) {
  const char* const begin = text.data();
  std::size_t i = from;
  for (; count != 0 && i + 32 <= limit; i += 32) {
    for (std::uint32_t mask = newline_mask(begin + i); mask != 0; mask &= mask - 1) {
      from = i + static_cast<std::size_t>(__builtin_ctz(mask)) + 1;
      if (--count == 0) return from;
    }
  }
  for (; count != 0 && i < limit; ++i) {
    if (begin[i] == '\n') {
      from = i + 1;
      --count;
    }
  }
  return from;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) : text_(text) {
  // This runs for every file with a finding, so a large workspace scans most
  // of itself: 32 bytes at a time with SSE2 where there is SSE2 (every
  // x86-64), the rest (or everything, elsewhere) byte by byte. The same
  // loads tell whether the text is all ASCII.
  const char* const begin = text.data();
  const std::size_t size = text.size();
  kept_starts_.reserve(size / (24 * kStride) + 2);  // .kpi lines average about 28 bytes
  std::uint32_t newlines = 0;         // so far; line n starts after the n-th newline
  std::uint32_t next_kept = kStride;  // the line whose start is kept next
  // The newlines of a block are counted without a branch per newline (on
  // .kpi text, a loop per newline mispredicts its exit in most blocks); the
  // block with the next kept line's newline is walked bit by bit.
  const auto keep = [&](std::size_t base, std::uint32_t mask, std::uint32_t before) {
    for (; mask != 0; mask &= mask - 1) {
      if (++before == next_kept) {
        kept_starts_.push_back(static_cast<std::uint32_t>(base + static_cast<std::size_t>(__builtin_ctz(mask)) + 1));
        next_kept += kStride;
      }
    }
  };
  bool ascii = true;
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i zero = _mm_setzero_si128();
  __m128i high = zero;
  for (; i + 32 <= size; i += 32) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin + i + 16));
    high = _mm_or_si128(high, _mm_or_si128(a, b));
    const __m128i is_a = _mm_cmpeq_epi8(a, newline);
    const __m128i is_b = _mm_cmpeq_epi8(b, newline);
    // Each byte 0, 1 or 2 (-(-1 + -1)), summed per half by psadbw.
    const __m128i sums = _mm_sad_epu8(_mm_sub_epi8(zero, _mm_add_epi8(is_a, is_b)), zero);
    const auto found = static_cast<std::uint32_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
    if (newlines + found >= next_kept) {
      keep(i, static_cast<std::uint32_t>(_mm_movemask_epi8(is_a)) | (static_cast<std::uint32_t>(_mm_movemask_epi8(is_b)) << 16),
           newlines);
    }
    newlines += found;
  }
  ascii = _mm_movemask_epi8(high) == 0;
#endif
  for (; i < size; ++i) {
    const auto c = static_cast<unsigned char>(begin[i]);
    ascii = ascii && c < 0x80;
    if (c == '\n') keep(i, 1, newlines++);
  }
  ascii_ = ascii;
  line_count_ = newlines + 1;
}

std::uint32_t LineIndex::line_start(std::uint32_t line) const {
  std::uint32_t rest = line % kStride;
  return static_cast<std::uint32_t>(skip_lines(text_, kept_starts_[line / kStride], text_.size(), rest));
}

Span LineIndex::line_span(std::uint32_t line) const {
  const auto size = static_cast<std::uint32_t>(text_.size());
  if (line >= line_count_) return {size, size};
  const std::uint32_t begin = line_start(line);
  const std::size_t newline = text_.find('\n', begin);
  std::uint32_t end = newline == std::string_view::npos ? size : static_cast<std::uint32_t>(newline);
  if (end > begin && text_[end - 1] == '\r') --end;
  return {begin, end};
}

std::string_view LineIndex::line_text(std::uint32_t line) const {
  const Span span = line_span(line);
  return text_.substr(span.begin, span.size());
}

LineColumn LineIndex::position(std::uint32_t offset, Encoding encoding) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto kept = std::upper_bound(kept_starts_.begin(), kept_starts_.end(), offset) - 1;
  // Every newline before `offset` from the kept line on: at most kStride - 1.
  std::uint32_t more = kStride;
  const auto begin = static_cast<std::uint32_t>(skip_lines(text_, *kept, offset, more));
  const auto line = static_cast<std::uint32_t>(kept - kept_starts_.begin()) * kStride + (kStride - more);
  if (ascii_ || encoding == Encoding::Utf8) return {line, offset - begin};
  return {line, encoded_length(text_.substr(begin, offset - begin), encoding)};
}

std::uint32_t LineIndex::offset(LineColumn position, Encoding encoding) const {
  if (position.line >= line_count_) return static_cast<std::uint32_t>(text_.size());
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

#pragma once
// Converts byte offsets to lines and columns in the unit a consumer wants:
// bytes (LSP utf-8), UTF-16 code units (LSP default) or characters (the CLI,
// JSON and SARIF). Invalid UTF-8 bytes count as one character each.
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/span.hpp"

namespace kpilint {

enum class Encoding { Utf8, Utf16, Utf32 };

struct LineColumn {
  std::uint32_t line = 0;    // 0-based
  std::uint32_t column = 0;  // 0-based, in the requested encoding's units
  friend constexpr bool operator==(LineColumn, LineColumn) = default;
};

// Keeps the start of every 16th line, not of every line: a run that reports
// on a million-line workspace indexes nearly all of it, and 4 bytes a line
// was 5 MiB of fresh memory there. A query finds the nearest kept line by
// binary search and counts at most 15 newlines from it (a few hundred
// bytes, 32 at a time).
class LineIndex {
 public:
  LineIndex() = default;
  explicit LineIndex(std::string_view text);

  LineColumn position(std::uint32_t offset, Encoding encoding) const;
  // The byte offset of a line/column; columns past the end of the line clamp
  // to the line's end, lines past the end clamp to the end of the text.
  std::uint32_t offset(LineColumn position, Encoding encoding) const;

  std::uint32_t line_count() const { return line_count_; }
  // The bytes of a line without its line terminator.
  Span line_span(std::uint32_t line) const;
  std::string_view line_text(std::uint32_t line) const;

 private:
  static constexpr std::uint32_t kStride = 16;
  std::uint32_t line_start(std::uint32_t line) const;  // line < line_count_

  std::string_view text_;
  std::vector<std::uint32_t> kept_starts_{0};  // the start of line k * kStride
  std::uint32_t line_count_ = 1;
  bool ascii_ = true;
};

// Width of text in the given encoding's units.
std::uint32_t encoded_length(std::string_view text, Encoding encoding);

}  // namespace kpilint

#include "lsp/position.hpp"

namespace kpilint::lsp {

std::string_view encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::Utf8: return "utf-8";
    case Encoding::Utf16: return "utf-16";
    case Encoding::Utf32: return "utf-32";
  }
  return "utf-16";
}

std::optional<std::uint32_t> to_offset(const LineIndex& lines, std::uint32_t text_size, Position position,
                                       Encoding encoding) {
  if (position.line >= lines.line_count()) {
    if (position.line == lines.line_count() && position.character == 0) return text_size;
    return std::nullopt;
  }
  return lines.offset({position.line, position.character}, encoding);
}

std::optional<Span> to_span(const LineIndex& lines, std::uint32_t text_size, const Range& range, Encoding encoding) {
  const auto begin = to_offset(lines, text_size, range.start, encoding);
  const auto end = to_offset(lines, text_size, range.end, encoding);
  if (!begin || !end || *begin > *end) return std::nullopt;
  return Span{*begin, *end};
}

Position to_position(const LineIndex& lines, std::uint32_t offset, Encoding encoding) {
  const LineColumn at = lines.position(offset, encoding);
  return {at.line, at.column};
}

Range to_range(const LineIndex& lines, Span span, Encoding encoding) {
  return {to_position(lines, span.begin, encoding), to_position(lines, span.end, encoding)};
}

}  // namespace kpilint::lsp

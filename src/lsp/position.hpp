#pragma once
// LSP positions ↔ byte offsets, in the negotiated encoding, through the one
// LineIndex type the renderers use too. The library keeps byte spans only.
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/line_index.hpp"
#include "base/span.hpp"
#include "lsp/protocol.hpp"

namespace kpilint::lsp {

// "utf-8", "utf-16", "utf-32".
std::string_view encoding_name(Encoding encoding);

// The byte offset of `position`, or nullopt when its line lies past the end
// of the text (one line past the last, at character 0, is the end of the text).
// A character past the end of its line means the line's end, as LSP says.
std::optional<std::uint32_t> to_offset(const LineIndex& lines, std::uint32_t text_size, Position position,
                                       Encoding encoding);
// The bytes a range covers; nullopt when a line is out of range or start > end.
std::optional<Span> to_span(const LineIndex& lines, std::uint32_t text_size, const Range& range, Encoding encoding);

Position to_position(const LineIndex& lines, std::uint32_t offset, Encoding encoding);
Range to_range(const LineIndex& lines, Span span, Encoding encoding);

}  // namespace kpilint::lsp

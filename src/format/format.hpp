#pragma once
// `kpilint fmt`: the one canonical layout of a .kpi file (SPEC §5).
//
//   use std.marketing                 `use` lines stay where they are
//
//   kpi name {                        KEYWORD NAME {, one field per line,
//    ␣␣field: value  # trailing      two-space indent, then }
//   }
//   kpi empty {}                      no fields: one line
//
// Values are re-printed token by token: numbers, strings, dates, quarters and
// @refs exactly as written, lists as `[a, b]`, words joined by one space,
// targets as `>= 18% by 2026-12-31 ± 1%` (`+-` becomes `±`). Every comment is
// kept: own-line comments before the same item, trailing comments on the same
// line (a comment after the `}` of a declaration written on one line moves to
// its header line); a list with a comment inside is kept verbatim. Comment
// text is kept byte for byte except trailing blanks. Blank lines: exactly one
// between a block declaration and its neighbours; elsewhere (between `use`
// lines, fields, comment groups) one blank line is kept where the author had
// one or more. CRLF input gives CRLF output. The formatter is idempotent and
// never changes what the file means.
#include <cstdint>
#include <string>
#include <string_view>

#include "syntax/tree.hpp"

namespace kpilint::format {

// Formats a file parsed without errors (`tree` was parsed from `text` and
// tree.errors is empty). With syntax errors it returns `text` unchanged.
std::string format_source(std::string_view text, const syntax::SyntaxTree& tree);

struct FormatResult {
  bool ok = false;       // false: syntax errors, `output` is the input unchanged
  std::string output;
  // The first syntax error when !ok (1-based line, column in characters).
  std::uint32_t error_line = 0;
  std::uint32_t error_column = 0;
  std::string error_message;
};

// Parses and formats one text.
FormatResult format_text(std::string_view text);

// A unified diff (3 lines of context) from `before` to `after`, with
// `--- old_label` / `+++ new_label` headers; empty when the texts are equal.
// Lines are compared with the Myers algorithm after trimming the common
// prefix and suffix; when the edit distance is very large it falls back to
// replacing the differing middle wholesale (still a correct diff).
std::string unified_diff(std::string_view before, std::string_view after, std::string_view old_label,
                         std::string_view new_label, int context = 3);

}  // namespace kpilint::format

// The human format, clang/rustc style:
//
//   kpis.kpi:11:5: error[KPI101]: KPI 'total_revenue' has no owner
//      |
//   11 | kpi total_revenue {
//      |     ^^^^^^^^^^^^^
//      = help: Every KPI needs one accountable owner: add `owner: @someone`.
//
// The header's columns count characters; the carets are placed by display
// width (tabs to stops of 4, wide characters such as emoji take two cells) so
// they line up under the text on a terminal. Control characters and invalid
// UTF-8 are shown as control pictures and U+FFFD, never written raw.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "base/i18n.hpp"
#include "render/common.hpp"

namespace kpilint::render::detail {

namespace {

constexpr std::uint32_t kTabStop = 4;

struct Style {
  std::string_view reset, bold, gutter, severity;
};

Style style_for(Severity severity, bool color) {
  if (!color) return {};
  const std::string_view sev = severity == Severity::Error     ? "\x1b[1;31m"
                               : severity == Severity::Warning ? "\x1b[1;33m"
                                                               : "\x1b[1;36m";
  return {"\x1b[0m", "\x1b[1m", "\x1b[1;34m", sev};
}

struct Interval {
  std::uint32_t first, last;
};

bool in(std::uint32_t cp, std::span<const Interval> table) {
  const auto it = std::upper_bound(table.begin(), table.end(), cp,
                                   [](std::uint32_t c, const Interval& i) { return c < i.first; });
  return it != table.begin() && cp <= std::prev(it)->last;
}

// Combining marks, variation selectors and other characters drawn in no cell.
constexpr Interval kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200D}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF}, {0x1F3FB, 0x1F3FF}, {0xE0000, 0xE0FFF},
};

// East Asian Wide and Fullwidth characters and emoji presentation: two cells.
constexpr Interval kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18AFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
    {0x1F300, 0x1F3FA}, {0x1F400, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F900, 0x1F9FF},
    {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

std::uint32_t cell_width(std::uint32_t cp) {
  if (in(cp, kZeroWidth)) return 0;
  if (in(cp, kWide)) return 2;
  return 1;
}

// What to show instead of a character that must not reach the terminal raw:
// C0 controls and DEL as control pictures (U+2400…), C1 controls, invalid
// UTF-8 and the invisible direction overrides ("Trojan Source") as U+FFFD.
std::optional<std::uint32_t> replacement(std::int32_t cp) {
  if (cp < 0) return 0xFFFD;
  if (cp < 0x20) return 0x2400 + static_cast<std::uint32_t>(cp);
  if (cp == 0x7F) return 0x2421;
  if (cp >= 0x80 && cp <= 0x9F) return 0xFFFD;
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
      (cp >= 0x2066 && cp <= 0x2069)) {
    return 0xFFFD;
  }
  return std::nullopt;
}

// A message, path or help line made safe for one terminal line.
std::string sanitize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const Decoded d = decode_utf8(text, i);
    if (d.code_point == '\t') {
      out += ' ';
    } else if (const auto r = replacement(d.code_point)) {
      append_utf8(out, *r);
    } else {
      out.append(text.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

// A source line as displayed, and the display column at which each byte starts
// (columns[size] is the width of the whole line).
struct DisplayLine {
  std::string text;
  std::vector<std::uint32_t> columns;
};

DisplayLine display_line(std::string_view line) {
  DisplayLine out;
  out.text.reserve(line.size());
  out.columns.resize(line.size() + 1);
  std::uint32_t column = 0;
  for (std::size_t i = 0; i < line.size();) {
    const Decoded d = decode_utf8(line, i);
    std::fill_n(out.columns.begin() + static_cast<std::ptrdiff_t>(i), d.length, column);
    if (d.code_point == '\t') {
      const std::uint32_t n = kTabStop - column % kTabStop;
      out.text.append(n, ' ');
      column += n;
    } else if (const auto r = replacement(d.code_point)) {
      append_utf8(out.text, *r);
      column += 1;
    } else {
      out.text.append(line.substr(i, d.length));
      column += cell_width(static_cast<std::uint32_t>(d.code_point));
    }
    i += d.length;
  }
  out.columns[line.size()] = column;
  return out;
}

constexpr std::uint32_t kMaxShownBytes = 240;

// The nearest UTF-8 character boundary at or before `offset`.
std::uint32_t char_boundary(std::string_view text, std::uint32_t offset) {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  while (offset > 0 && offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) --offset;
  return offset;
}

// "error", "warning", "info" in the header, in the message language (the
// machine formats keep the English words).
std::string_view severity_label(Severity severity) {
  switch (severity) {
    case Severity::Error: return i18n::text("render.severity.error");
    case Severity::Warning: return i18n::text("render.severity.warning");
    case Severity::Info: return i18n::text("render.severity.info");
  }
  return i18n::text("render.severity.error");
}

std::string location_text(const Location& location) {
  const Range r = range_of(location);
  return fmt::format("{}:{}:{}", sanitize(path_of(location)), r.start.line, r.start.column);
}

void render_one(std::string& out, const Diagnostic& d, bool color) {
  const Style s = style_for(d.severity, color);
  const Location& loc = d.location;
  const Range range = range_of(loc);

  // Header.
  if (loc.file != nullptr) out += fmt::format("{}{}:{} ", s.bold, location_text(loc), s.reset);
  out += fmt::format("{}{}", s.severity, severity_label(d.severity));
  if (!d.code.empty()) out += fmt::format("[{}]", d.code);
  out += fmt::format("{}{}: {}{}\n", s.reset, s.bold, sanitize(d.message), s.reset);

  const std::size_t width = fmt::formatted_size("{}", range.start.line);
  const std::string pad(width, ' ');

  // The source line and its caret underline.
  if (loc.file != nullptr) {
    const SourceFile& file = *loc.file;
    const std::uint32_t line = range.start.line - 1;
    Span line_span = file.lines().line_span(line);
    // A very long line (minified or generated input) is shown as a window
    // around the range, so one finding never prints megabytes.
    const bool clip_left = loc.span.begin > line_span.begin + kMaxShownBytes / 2 && line_span.size() > kMaxShownBytes;
    if (clip_left) line_span.begin = char_boundary(file.text, loc.span.begin - kMaxShownBytes / 4);
    const bool clip_right = line_span.size() > kMaxShownBytes;
    if (clip_right) line_span.end = char_boundary(file.text, line_span.begin + kMaxShownBytes);
    DisplayLine shown = display_line(file.slice(line_span));
    if (clip_left) {
      shown.text.insert(0, "\u2026");
      for (auto& c : shown.columns) ++c;
    }
    if (clip_right) shown.text += "\u2026";
    const auto column_at = [&](std::uint32_t offset) {
      const std::uint32_t relative = offset > line_span.begin ? offset - line_span.begin : 0;
      return shown.columns[std::min<std::size_t>(relative, shown.columns.size() - 1)];
    };
    const std::uint32_t start = column_at(loc.span.begin);
    // A range spanning lines (or past the window) is underlined to the end of what is shown.
    const std::uint32_t end = range.end.line == range.start.line && loc.span.end <= line_span.end
                                  ? column_at(loc.span.end)
                                  : column_at(line_span.end);
    const std::uint32_t carets = end > start ? end - start : 1;

    out += fmt::format("{}{} |{}\n", s.gutter, pad, s.reset);
    out += fmt::format("{}{} |{}", s.gutter, range.start.line, s.reset);
    if (!shown.text.empty()) out += fmt::format(" {}", shown.text);
    out += '\n';
    out += fmt::format("{}{} |{} {}{}{}{}\n", s.gutter, pad, s.reset, std::string(start, ' '), s.severity,
                       std::string(carets, '^'), s.reset);
  }

  // Help, related locations, fixes.
  const auto note = [&](std::string_view label, std::string_view text) {
    out += fmt::format("{}{} ={} {}{}{}: {}\n", s.gutter, pad, s.reset, s.bold, label, s.reset, text);
  };
  if (!d.help.empty()) note(i18n::text("render.label.help"), sanitize(d.help));
  const std::string_view note_label = i18n::text("render.label.note");
  for (const RelatedInfo& related : d.related) {
    const std::string where = related.location.file != nullptr ? location_text(related.location) : std::string();
    if (related.message.empty()) {
      note(note_label, where);
    } else if (where.empty()) {
      note(note_label, sanitize(related.message));
    } else {
      note(note_label, fmt::format("{}: {}", sanitize(related.message), where));
    }
  }
  for (const Fix& fix : d.fixes) note(i18n::text("render.label.fix"), sanitize(fix.title));
  out += '\n';
}

}  // namespace

std::string render_text(std::span<const Diagnostic> diagnostics, const Summary& summary,
                        const RenderOptions& options) {
  std::string out;
  render_each(out, diagnostics, [&](std::string& part, const Diagnostic& d) { render_one(part, d, options.color); });
  if (options.quiet) return out;
  out += summary_line(summary);
  out += '\n';
  return out;
}

}  // namespace kpilint::render::detail

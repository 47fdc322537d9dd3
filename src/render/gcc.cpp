// `--format gcc`: one line per finding, `file:line:col: severity: message [CODE]`,
// the form editors' quickfix lists (Vim's errorformat, Emacs compile mode) read.
#include <fmt/format.h>

#include "render/common.hpp"

namespace kpilint::render::detail {

namespace {

// One line: line breaks and other controls become spaces.
std::string one_line(std::string_view text) {
  std::string out = valid_utf8(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return out;
}

void render_one(std::string& out, const Diagnostic& d) {
  if (d.location.file != nullptr) {
    const Range r = range_of(d.location);
    out += fmt::format("{}:{}:{}: ", one_line(path_of(d.location)), r.start.line, r.start.column);
  } else {
    out += "kpilint: ";
  }
  out += fmt::format("{}: {}", to_string(d.severity), one_line(d.message));
  if (!d.code.empty()) out += fmt::format(" [{}]", d.code);
  out += '\n';
}

}  // namespace

std::string render_gcc(std::span<const Diagnostic> diagnostics, const Summary&, const RenderOptions&) {
  std::string out;
  render_each(out, diagnostics, render_one);
  return out;
}

}  // namespace kpilint::render::detail

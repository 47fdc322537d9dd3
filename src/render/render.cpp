#include "render/render.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>
#include <vector>

#include "base/i18n.hpp"
#include "render/common.hpp"

namespace kpilint::render {

namespace {

constexpr std::array<std::pair<std::string_view, Format>, 5> kFormats{{
    {"text", Format::Text},
    {"json", Format::Json},
    {"gcc", Format::Gcc},
    {"sarif", Format::Sarif},
    {"github", Format::Github},
}};


}  // namespace

Summary summarize(std::span<const Diagnostic> diagnostics, std::size_t files) {
  Summary summary;
  summary.files = files;
  for (const Diagnostic& d : diagnostics) {
    switch (d.severity) {
      case Severity::Error: ++summary.errors; break;
      case Severity::Warning: ++summary.warnings; break;
      case Severity::Info: ++summary.infos; break;
    }
  }
  return summary;
}

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& [text, format] : kFormats) {
    if (text == name) return format;
  }
  return std::nullopt;
}

std::string_view to_string(Format format) {
  for (const auto& [text, f] : kFormats) {
    if (f == format) return text;
  }
  return "text";
}

std::string summary_line(const Summary& summary) {
  std::vector<std::string> parts;
  if (summary.errors > 0) parts.push_back(i18n::plural(summary.errors, "render.count.errors.one", "render.count.errors.other"));
  if (summary.warnings > 0) {
    parts.push_back(i18n::plural(summary.warnings, "render.count.warnings.one", "render.count.warnings.other"));
  }
  if (summary.infos > 0) parts.push_back(i18n::plural(summary.infos, "render.count.infos.one", "render.count.infos.other"));
  const std::string files = i18n::plural(summary.files, "render.count.files.one", "render.count.files.other");
  if (parts.empty()) return i18n::format("render.summary.passed", i18n::arg("files", files));
  return i18n::format("render.summary.found", i18n::arg("list", i18n::join_and(parts)), i18n::arg("files", files));
}

std::string render(Format format, std::span<const Diagnostic> diagnostics, const Summary& summary,
                   const RenderOptions& options) {
  switch (format) {
    case Format::Text: return detail::render_text(diagnostics, summary, options);
    case Format::Json: return detail::render_json(diagnostics, summary, options);
    case Format::Gcc: return detail::render_gcc(diagnostics, summary, options);
    case Format::Sarif: return detail::render_sarif(diagnostics, summary, options);
    case Format::Github: return detail::render_github(diagnostics, summary, options);
  }
  return {};
}

}  // namespace kpilint::render

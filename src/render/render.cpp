#include "render/render.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>
#include <vector>

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

std::string count(std::size_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

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
  if (summary.errors > 0) parts.push_back(count(summary.errors, "error", "errors"));
  if (summary.warnings > 0) parts.push_back(count(summary.warnings, "warning", "warnings"));
  if (summary.infos > 0) parts.push_back(count(summary.infos, "info", "infos"));
  const std::string files = count(summary.files, "file", "files");
  if (parts.empty()) return fmt::format("All checks passed ({}).", files);
  std::string list = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) {
    list += i + 1 == parts.size() ? " and " : ", ";
    list += parts[i];
  }
  return fmt::format("Found {} in {}.", list, files);
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

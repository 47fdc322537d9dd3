#include "render/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <thread>
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

// Every renderer turns offsets into lines and columns, so every file with a
// finding needs its line index. On a large workspace that is a scan of most
// of the text: build the indexes on all cores before rendering, which then
// only looks them up.
void index_lines(std::span<const Diagnostic> diagnostics) {
  std::vector<const SourceFile*> files;
  const auto add = [&](const SourceFile* file) {
    if (file != nullptr && (files.empty() || files.back() != file)) files.push_back(file);
  };
  for (const Diagnostic& d : diagnostics) {
    add(d.location.file);
    for (const RelatedInfo& related : d.related) add(related.location.file);
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  std::size_t bytes = 0;
  for (const SourceFile* file : files) bytes += file->text.size();
  constexpr std::size_t kBytesPerWorker = 4 << 20;  // below this a thread costs more than it saves
  const auto workers = static_cast<unsigned>(
      std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), bytes / kBytesPerWorker + 1));
  if (workers < 2) return;  // each renderer builds what it needs as it goes
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) files[i]->lines();
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
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
  if (summary.errors > 0) parts.push_back(i18n::plural(summary.errors, "render.count.errors.one", "render.count.errors.other"));
  if (summary.warnings > 0) {
    parts.push_back(i18n::plural(summary.warnings, "render.count.warnings.one", "render.count.warnings.other"));
  }
  if (summary.infos > 0) parts.push_back(i18n::plural(summary.infos, "render.count.infos.one", "render.count.infos.other"));
  const std::string files = i18n::plural(summary.files, "render.count.files.one", "render.count.files.other");
  // A file that could not be read was not checked: never "all checks passed".
  if (summary.unreadable > 0) {
    const std::string unreadable = i18n::plural(summary.unreadable, "render.count.files.one", "render.count.files.other");
    if (parts.empty()) {
      return i18n::format("render.summary.unreadable", i18n::arg("files", files), i18n::arg("unreadable", unreadable));
    }
    return i18n::format("render.summary.found-unreadable", i18n::arg("list", i18n::join_and(parts)),
                        i18n::arg("files", files), i18n::arg("unreadable", unreadable));
  }
  if (parts.empty()) return i18n::format("render.summary.passed", i18n::arg("files", files));
  return i18n::format("render.summary.found", i18n::arg("list", i18n::join_and(parts)), i18n::arg("files", files));
}

std::string render(Format format, std::span<const Diagnostic> diagnostics, const Summary& summary,
                   const RenderOptions& options) {
  index_lines(diagnostics);
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

#pragma once
// Renderers: turn sorted Diagnostics into one of the `--format` outputs
// (SPEC §5). Positions are converted here, at the edge: 1-based lines, columns
// in Unicode characters, end exclusive.
//
//   auto summary = render::summarize(diagnostics, files.size());
//   std::string out = render::render(render::Format::Text, diagnostics, summary, options);
//   std::fwrite(out.data(), 1, out.size(), stdout);
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/diagnostic.hpp"
#include "rules/rule_info.hpp"

namespace kpilint::render {

struct Summary {
  std::size_t files = 0, errors = 0, warnings = 0, infos = 0;
  std::size_t unreadable = 0;  // named or found files that could not be read (text summary only)
};

// Counts diagnostics by severity; `files` is the number of files reported on.
Summary summarize(std::span<const Diagnostic> diagnostics, std::size_t files);

struct RenderOptions {
  bool color = false;                      // ANSI colours (text only)
  bool quiet = false;                      // findings only, no summary line (text only)
  std::filesystem::path cwd;               // SourceFile::path is already relative to cwd
  std::filesystem::path workspace_root;    // SARIF artifact URIs are relative to this (uriBaseId %SRCROOT%)
  std::span<const rules::RuleInfo> rules;  // SARIF tool.driver.rules (every rule, not only those that fired)
  std::string tool_version = "0.1.0";
  std::string docs_base_url;               // helpUri = docs_base_url + code when not empty
  std::string information_uri;             // SARIF tool.driver.informationUri (else docs_base_url; else omitted)
};

enum class Format { Text, Json, Gcc, Sarif, Github };

// "text", "json", "gcc", "sarif", "github" (exact, lower case).
std::optional<Format> parse_format(std::string_view name);
std::string_view to_string(Format format);

// Renders all diagnostics (already sorted: file, line, column) to one string;
// the CLI writes it with one write.
std::string render(Format format, std::span<const Diagnostic> diagnostics, const Summary& summary,
                   const RenderOptions& options);

// The text format's last line: "Found 1 error and 2 warnings in 1 file." or
// "All checks passed (3 files)." (no newline).
std::string summary_line(const Summary& summary);

}  // namespace kpilint::render

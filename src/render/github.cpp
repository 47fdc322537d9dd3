// `--format github`: GitHub Actions workflow commands, one annotation per
// finding, errors first, then warnings, then notices (stable within each):
//
//   ::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=KPI101 missing-owner::message
//
// Escaping follows @actions/core (command.ts): escapeData for the message,
// escapeProperty (which also escapes ':' and ',') for property values.
// `file=` is the path as shown (relative to the current directory): GitHub
// resolves it against the checkout, where a workflow step runs.
#include <fmt/format.h>

#include <vector>

#include "base/i18n.hpp"
#include "render/common.hpp"

namespace kpilint::render::detail {

namespace {

std::string escape_data(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : valid_utf8(text)) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_property(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : escape_data(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view command(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "notice";
  }
  return "error";
}

}  // namespace

std::string render_github(std::span<const Diagnostic> diagnostics, const Summary&, const RenderOptions&) {
  std::string out;
  for (const Severity severity : {Severity::Error, Severity::Warning, Severity::Info}) {
    for (const Diagnostic& d : diagnostics) {
      if (d.severity != severity) continue;
      std::vector<std::string> properties;
      if (d.location.file != nullptr) {
        const Range r = range_of(d.location);
        properties.push_back("file=" + escape_property(path_of(d.location)));
        properties.push_back(fmt::format("line={}", r.start.line));
        properties.push_back(fmt::format("col={}", r.start.column));
        properties.push_back(fmt::format("endLine={}", r.end.line));
        properties.push_back(fmt::format("endColumn={}", r.end.column));
      }
      std::string title = d.code;
      if (!d.rule.empty()) title += (title.empty() ? "" : " ") + d.rule;
      if (!title.empty()) properties.push_back("title=" + escape_property(title));

      std::string message = d.message;
      if (!d.help.empty()) message += fmt::format("\n{}: {}", i18n::text("render.label.help"), d.help);
      out += fmt::format("::{}{}{}::{}\n", command(severity), properties.empty() ? "" : " ",
                         fmt::join(properties, ","), escape_data(message));
    }
  }
  return out;
}

}  // namespace kpilint::render::detail

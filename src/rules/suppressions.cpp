#include "rules/suppressions.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/i18n.hpp"

namespace kpilint::rules {

namespace {

struct Directive {
  Span comment;
  bool whole_file = false;
  Span scope;  // the declaration's text, for a declaration ignore
  struct Code {
    std::string_view text;
    Span span;
    std::string_view canonical;
    bool used = false;
  };
  std::vector<Code> codes;
};

bool is_code_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Parses `# kpilint: ignore[-file] A, B -- reason` inside one comment.
bool parse_directive(std::string_view text, std::uint32_t offset, Directive& out) {
  std::size_t i = 1;  // after '#'
  const auto skip_spaces = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  skip_spaces();
  constexpr std::string_view kPrefix = "kpilint:";
  if (text.substr(i, kPrefix.size()) != kPrefix) return false;
  i += kPrefix.size();
  skip_spaces();
  if (text.substr(i, 11) == "ignore-file") {
    out.whole_file = true;
    i += 11;
  } else if (text.substr(i, 6) == "ignore") {
    i += 6;
  } else {
    return false;
  }
  if (i < text.size() && is_code_char(text[i])) return false;  // `ignored`, not a directive
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ',')) ++i;
    if (text.substr(i, 2) == "--" || (i < text.size() && text[i] == '#')) break;  // the reason
    const std::size_t begin = i;
    while (i < text.size() && is_code_char(text[i])) ++i;
    if (i == begin) {
      ++i;
      continue;
    }
    Directive::Code code;
    code.text = text.substr(begin, i - begin);
    code.span = {offset + static_cast<std::uint32_t>(begin), offset + static_cast<std::uint32_t>(i)};
    out.codes.push_back(code);
  }
  return true;
}

Diagnostic unused(const model::Document& document, Span span, std::string message) {
  Diagnostic d;
  d.location = {document.source.get(), span};
  d.severity = Severity::Warning;
  d.code = "KPI008";
  d.rule = "unused-suppression";
  d.message = std::move(message);
  d.help = i18n::text("rules.suppress.help");
  return d;
}

}  // namespace

void apply_suppressions(const model::Document& document, const SuppressionContext& context,
                        std::vector<Diagnostic>& diagnostics) {
  const SourceFile& source = *document.source;
  std::vector<Directive> directives;
  for (const auto& comment : document.tree.comments) {
    const std::string_view text = source.slice(comment.span);
    if (text.find("kpilint:") == std::string_view::npos) continue;
    Directive directive;
    directive.comment = comment.span;
    if (!parse_directive(text, comment.span.begin, directive)) continue;
    if (!directive.whole_file) {
      // The declaration that starts on the comment's line or the next one.
      const std::uint32_t line = source.lines().position(comment.span.begin, Encoding::Utf8).line;
      for (const auto& decl : document.tree.decls) {
        const std::uint32_t decl_line = source.lines().position(decl.keyword_span.begin, Encoding::Utf8).line;
        if (decl_line == line || decl_line == line + 1) {
          directive.scope = decl.span;
          break;
        }
        if (decl_line > line + 1) break;
      }
    }
    directives.push_back(std::move(directive));
  }
  if (directives.empty()) return;

  for (auto& directive : directives) {
    for (auto& code : directive.codes) code.canonical = context.canonical(code.text);
  }
  // Silence what the directives cover.
  std::erase_if(diagnostics, [&](const Diagnostic& d) {
    if (d.location.file != &source || !context.silenceable(d.code)) return false;
    for (auto& directive : directives) {
      if (!directive.whole_file && (directive.scope.empty() || !directive.scope.contains(d.location.span.begin))) continue;
      for (auto& code : directive.codes) {
        if (code.canonical == d.code) {
          code.used = true;
          return true;
        }
      }
    }
    return false;
  });
  // Report the ones that silenced nothing.
  for (const auto& directive : directives) {
    const std::string_view kind = directive.whole_file ? "ignore-file" : "ignore";
    if (directive.codes.empty()) {
      diagnostics.push_back(unused(document, directive.comment,
                                   i18n::format("rules.suppress.no-rule", i18n::arg("kind", kind))));
      continue;
    }
    if (!directive.whole_file && directive.scope.empty()) {
      diagnostics.push_back(unused(document, directive.comment,
                                   std::string(i18n::text("rules.suppress.not-on-declaration"))));
      continue;
    }
    for (const auto& code : directive.codes) {
      if (code.canonical.empty()) {
        diagnostics.push_back(unused(document, code.span, i18n::format("rules.suppress.unknown-rule", i18n::arg("rule", code.text),
                                                                       i18n::arg("kind", kind))));
      } else if (!context.silenceable(code.canonical)) {
        diagnostics.push_back(unused(document, code.span, i18n::format("rules.suppress.language-error",
                                                                       i18n::arg("code", code.canonical))));
      } else if (!code.used && context.enabled(code.canonical)) {
        diagnostics.push_back(unused(document, code.span, i18n::format("rules.suppress.unused", i18n::arg("kind", kind),
                                                                       i18n::arg("rule", code.text))));
      }
    }
  }
}

}  // namespace kpilint::rules

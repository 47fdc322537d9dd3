#include "render/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/i18n.hpp"
#include "render/common.hpp"

namespace kpilint::render {

namespace {

using model::DeclKind;
using model::Entity;
using model::FieldId;

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : detail::valid_utf8(text)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view severity_word(Severity severity) {
  switch (severity) {
    case Severity::Error: return i18n::text("render.severity.error");
    case Severity::Warning: return i18n::text("render.severity.warning");
    case Severity::Info: return i18n::text("render.severity.info");
  }
  return {};
}

constexpr std::string_view kStyle = R"(
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1d2430; }
h1 { margin-bottom: .2rem; } .counts span { margin-right: 1.2rem; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.4rem; border-left: 1px solid #d0d7de; }
ul.tree { border: 0; padding-left: 0; }
.objective > .node { font-weight: 700; font-size: 1.05rem; }
.node code { color: #57606a; font-size: .85em; margin-left: .4rem; }
.kind { font-size: .75em; text-transform: uppercase; letter-spacing: .05em; color: #57606a; margin-right: .4rem; }
.badge { display: inline-block; border-radius: .6rem; padding: 0 .5rem; margin-left: .4rem; font-size: .8em; color: #fff; }
.badge.error { background: #cf222e; } .badge.warning { background: #bf8700; } .badge.info { background: #0969da; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
td.error { color: #cf222e; } td.warning { color: #9a6700; } td.info { color: #0969da; }
.clean { color: #1a7f37; }
)";

class Report {
 public:
  Report(const model::Model& model, std::span<const Diagnostic> diagnostics) : model_(model) {
    // Findings belong to the declaration whose span holds them.
    for (const auto& entity : model.entities()) {
      if (entity->decl != nullptr && entity->document != nullptr) by_file_[entity->document->source.get()].push_back(entity);
    }
    for (const Diagnostic& d : diagnostics) {
      if (const Entity* owner = owner_of(d.location)) findings_[owner].push_back(&d);
    }
  }

  std::string tree() {
    std::string out = "<ul class=\"tree\">\n";
    for (const Entity* objective : model_.of_kind(DeclKind::Objective)) {
      if (!objective->document->reported) continue;
      out += fmt::format("<li class=\"objective\"><div class=\"node\"><span class=\"kind\">{}</span>{}</div>\n<ul>\n",
                         escape(i18n::text("render.report.kind.objective")), label(*objective));
      for (const Entity* kpi : objective->kpis()) subtree(*kpi, out);
      out += "</ul></li>\n";
    }
    out += "</ul>\n";
    return out;
  }

  // KPIs that reach no objective: no objective of their own and no parent
  // chain to a KPI that has one.
  std::string unconnected() {
    std::string out;
    for (const Entity* kpi : model_.of_kind(DeclKind::Kpi)) {
      if (!kpi->document->reported || shown_.count(kpi)) continue;
      out += fmt::format("<li><div class=\"node\">{}</div></li>\n", label(*kpi));
    }
    return out.empty() ? out : "<ul class=\"tree\">\n" + out + "</ul>\n";
  }

 private:
  void subtree(const Entity& kpi, std::string& out) {
    if (!shown_.insert(&kpi).second) return;  // a rollup cycle: each KPI once
    const std::string_view kind = model::is_business(kpi) ? "render.report.kind.business" : "render.report.kind.marketing";
    out += fmt::format("<li><div class=\"node\"><span class=\"kind\">{}</span>{}</div>", escape(i18n::text(kind)), label(kpi));
    if (!kpi.children().empty()) {
      out += "\n<ul>\n";
      for (const Entity* child : kpi.children()) subtree(*child, out);
      out += "</ul>";
    }
    out += "</li>\n";
  }

  std::string label(const Entity& e) {
    std::string out = fmt::format("{}<code>{}</code>", escape(model::title_or_name(e)), escape(e.name));
    const auto it = findings_.find(&e);
    if (it == findings_.end()) return out;
    std::size_t counts[3] = {0, 0, 0};
    for (const Diagnostic* d : it->second) ++counts[static_cast<int>(d->severity) % 3];
    for (const Severity severity : {Severity::Error, Severity::Warning, Severity::Info}) {
      const std::size_t n = counts[static_cast<int>(severity) % 3];
      if (n == 0) continue;
      std::string codes;
      for (const Diagnostic* d : it->second) {
        if (d->severity == severity) codes += (codes.empty() ? "" : ", ") + d->code;
      }
      out += fmt::format("<span class=\"badge {}\" title=\"{}\">{}</span>", to_string(severity), escape(codes), n);
    }
    return out;
  }

  const Entity* owner_of(const Location& location) const {
    const auto it = by_file_.find(location.file);
    if (it == by_file_.end()) return nullptr;
    for (const Entity* e : it->second) {
      if (e->decl->span.begin <= location.span.begin && location.span.begin < std::max(e->decl->span.end, e->decl->span.begin + 1)) return e;
    }
    return nullptr;
  }

  const model::Model& model_;
  std::unordered_map<const SourceFile*, std::vector<const Entity*>> by_file_;
  std::unordered_map<const Entity*, std::vector<const Diagnostic*>> findings_;
  std::unordered_set<const Entity*> shown_;
};

}  // namespace

std::string render_html_report(const model::Model& model, std::span<const Diagnostic> diagnostics,
                               const Summary& summary) {
  Report report(model, diagnostics);
  const std::string tree = report.tree();
  const std::string unconnected = report.unconnected();
  std::string out;
  out += fmt::format("<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
                     i18n::code(i18n::language()), escape(i18n::text("render.report.title")), kStyle);
  out += fmt::format("<h1>{}</h1>\n", escape(i18n::text("render.report.title")));
  out += fmt::format(
      "<p class=\"counts\"><span>{}</span><span>{}</span><span>{}</span><span>{}</span></p>\n",
      escape(i18n::plural(summary.files, "render.count.files.one", "render.count.files.other")),
      escape(i18n::plural(summary.errors, "render.count.errors.one", "render.count.errors.other")),
      escape(i18n::plural(summary.warnings, "render.count.warnings.one", "render.count.warnings.other")),
      escape(i18n::plural(summary.infos, "render.count.infos.one", "render.count.infos.other")));
  out += fmt::format("<h2>{}</h2>\n{}", escape(i18n::text("render.report.tree")), tree);
  if (!unconnected.empty()) out += fmt::format("<h2>{}</h2>\n{}", escape(i18n::text("render.report.unconnected")), unconnected);
  out += fmt::format("<h2>{}</h2>\n", escape(i18n::text("render.report.findings")));
  if (diagnostics.empty()) {
    out += fmt::format("<p class=\"clean\">{}</p>\n", escape(i18n::text("render.report.no-findings")));
  } else {
    out += fmt::format("<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                       escape(i18n::text("render.report.column.where")), escape(i18n::text("render.report.column.severity")),
                       escape(i18n::text("render.report.column.rule")), escape(i18n::text("render.report.column.message")));
    for (const Diagnostic& d : diagnostics) {
      const detail::Range r = detail::range_of(d.location);
      out += fmt::format("<tr><td><code>{}:{}:{}</code></td><td class=\"{}\">{}</td><td><code>{}</code> {}</td><td>{}</td></tr>\n",
                         escape(detail::path_of(d.location)), r.start.line, r.start.column, to_string(d.severity),
                         escape(severity_word(d.severity)), escape(d.code), escape(d.rule), escape(d.message));
    }
    out += "</tbody>\n</table>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace kpilint::render

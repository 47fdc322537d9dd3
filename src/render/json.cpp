// `--format json` (SPEC §5): one object, keys in a fixed order, written in one
// pass (a million-line workspace's report is thousands of findings).
#include "render/common.hpp"
#include "render/json_writer.hpp"

namespace kpilint::render::detail {

namespace {

void put_range(JsonWriter& json, const Location& location) {
  const Range r = range_of(location);
  json.member("file", path_of(location));
  json.member("line", r.start.line);
  json.member("column", r.start.column);
  json.member("end_line", r.end.line);
  json.member("end_column", r.end.column);
}

void put_diagnostic(JsonWriter& json, const Diagnostic& d) {
  json.begin_object();
  put_range(json, d.location);
  json.member("severity", to_string(d.severity));
  json.member("code", d.code);
  json.member("rule", d.rule);
  json.member("message", d.message);
  if (!d.related.empty()) {
    json.key("related");
    json.begin_array();
    for (const RelatedInfo& r : d.related) {
      json.begin_object();
      put_range(json, r.location);
      json.member("message", r.message);
      json.end_object();
    }
    json.end_array();
  }
  if (!d.help.empty()) json.member("help", d.help);
  if (!d.fixes.empty()) {
    // The format carries one fix: the first (preferred) one.
    const Fix& fix = d.fixes.front();
    json.key("fix");
    json.begin_object();
    json.member("title", fix.title);
    json.key("edits");
    json.begin_array();
    for (const TextEdit& edit : fix.edits) {
      json.begin_object();
      put_range(json, edit.location.file != nullptr ? edit.location : Location{d.location.file, edit.location.span});
      json.member("new_text", edit.new_text);
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_object();
}

}  // namespace

std::string render_json(std::span<const Diagnostic> diagnostics, const Summary& summary, const RenderOptions&) {
  std::string text;
  // A finding takes about 520 bytes, more with a fix or related places.
  // Room that is never written costs nothing (pages are only mapped on
  // first touch); a reallocation copies the whole report.
  text.reserve(1024 * diagnostics.size() + 256);  // the whole report: the second half is appended
  JsonWriter json(text);
  json.begin_object();
  json.member("version", 1);
  json.key("diagnostics");
  json.begin_array();
  // Each finding by a writer of its own, at its place in the array: a large
  // report is written in two halves at once (render_each).
  render_each(text, diagnostics, [&](std::string& part, const Diagnostic& d) {
    JsonWriter element = json.continued_in(part, static_cast<std::size_t>(&d - diagnostics.data()));
    put_diagnostic(element, d);
  });
  json.add_items(diagnostics.size());
  json.end_array();
  json.key("summary");
  json.begin_object();
  json.member("files", std::uint64_t{summary.files});
  json.member("errors", std::uint64_t{summary.errors});
  json.member("warnings", std::uint64_t{summary.warnings});
  json.member("infos", std::uint64_t{summary.infos});
  json.end_object();
  json.end_object();
  text += '\n';
  return text;
}

}  // namespace kpilint::render::detail

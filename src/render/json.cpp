// `--format json` (SPEC §5): one object, keys in a fixed order.
#include <nlohmann/json.hpp>

#include "render/common.hpp"

namespace kpilint::render::detail {

namespace {

using Json = nlohmann::ordered_json;

void put_range(Json& object, const Location& location) {
  const Range r = range_of(location);
  object["file"] = path_of(location);
  object["line"] = r.start.line;
  object["column"] = r.start.column;
  object["end_line"] = r.end.line;
  object["end_column"] = r.end.column;
}

Json diagnostic_json(const Diagnostic& d) {
  Json out = Json::object();
  put_range(out, d.location);
  out["severity"] = to_string(d.severity);
  out["code"] = d.code;
  out["rule"] = d.rule;
  out["message"] = d.message;
  if (!d.related.empty()) {
    Json related = Json::array();
    for (const RelatedInfo& r : d.related) {
      Json item = Json::object();
      put_range(item, r.location);
      item["message"] = r.message;
      related.push_back(std::move(item));
    }
    out["related"] = std::move(related);
  }
  if (!d.help.empty()) out["help"] = d.help;
  if (!d.fixes.empty()) {
    // The format carries one fix: the first (preferred) one.
    const Fix& fix = d.fixes.front();
    Json edits = Json::array();
    for (const TextEdit& edit : fix.edits) {
      Json item = Json::object();
      put_range(item, edit.location.file != nullptr ? edit.location : Location{d.location.file, edit.location.span});
      item["new_text"] = edit.new_text;
      edits.push_back(std::move(item));
    }
    out["fix"] = Json{{"title", fix.title}, {"edits", std::move(edits)}};
  }
  return out;
}

}  // namespace

std::string render_json(std::span<const Diagnostic> diagnostics, const Summary& summary, const RenderOptions&) {
  Json diagnostics_json = Json::array();
  for (const Diagnostic& d : diagnostics) diagnostics_json.push_back(diagnostic_json(d));
  Json out = Json::object();
  out["version"] = 1;
  out["diagnostics"] = std::move(diagnostics_json);
  out["summary"] = Json{{"files", summary.files},
                        {"errors", summary.errors},
                        {"warnings", summary.warnings},
                        {"infos", summary.infos}};
  // Invalid UTF-8 (in a message quoting the source) becomes U+FFFD, not an exception.
  std::string text = out.dump(2, ' ', false, Json::error_handler_t::replace);
  text += '\n';
  return text;
}

}  // namespace kpilint::render::detail

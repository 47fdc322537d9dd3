// `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.
//
// - Every rule is listed in tool.driver.rules (plus any code that fired but is
//   not in the list, so ruleIndex is always valid).
// - Artifact URIs are relative to the workspace root (uriBaseId %SRCROOT%,
//   resolved in run.originalUriBaseIds); a file outside it gets a file:// URI.
// - Columns count Unicode code points (run.columnKind).
// - partialFingerprints["kpilint/v1"] hashes the rule code, the URI and the
//   source text under the range (the declaration's name, or the bad value),
//   never the line, so a finding keeps its identity when the lines above it
//   change; nor the message, so it is the same in every --lang. ":N" counts
//   identical ones.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <vector>
#include <nlohmann/json.hpp>

#include "render/common.hpp"

namespace kpilint::render::detail {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view kBaseId = "%SRCROOT%";

std::string_view level(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "note";
  }
  return "error";
}

std::string rule_markdown(const rules::RuleInfo& rule) {
  std::string out = rule.localized_rationale().empty() ? rule.localized_summary() : rule.localized_rationale();
  for (const rules::RuleExample& example : rule.examples) {
    std::string_view text = example.text;
    while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    out += fmt::format("\n\n**{}**\n\n```\n{}\n```", example.title.empty() ? (example.fails ? "fails" : "passes")
                                                                             : example.title,
                       text);
  }
  return out;
}

Json rule_json(const rules::RuleInfo& rule, const RenderOptions& options) {
  Json out = Json::object();
  out["id"] = rule.code;
  out["name"] = rule.name;
  const std::string& summary = rule.localized_summary().empty() ? rule.name : rule.localized_summary();
  const std::string& rationale = rule.localized_rationale();
  out["shortDescription"] = Json{{"text", summary}};
  out["fullDescription"] = Json{{"text", rationale.empty() ? summary : rationale}};
  out["help"] = Json{{"text", rationale.empty() ? summary : rationale}, {"markdown", rule_markdown(rule)}};
  if (!options.docs_base_url.empty()) out["helpUri"] = options.docs_base_url + rule.code;
  out["defaultConfiguration"] = Json{{"level", level(rule.default_severity)}};
  out["properties"] = Json{{"tags", Json::array({rule.builtin_language ? "language" : "alignment"})}};
  return out;
}

// FNV-1a, 64 bits: stable across runs, platforms and versions.
std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

class Writer {
 public:
  explicit Writer(const RenderOptions& options) : options_(options) {}

  // {"uri": ..., "uriBaseId": ...} for a file.
  Json artifact_location(std::string_view path) const {
    const WorkspacePath where = workspace_path(path, options_);
    if (!where.relative) {
      std::string uri = percent_encode_path(where.path);
      if (!uri.empty() && uri.front() == '/') uri = "file://" + uri;
      return Json{{"uri", uri}};
    }
    return Json{{"uri", percent_encode_path(where.path)}, {"uriBaseId", kBaseId}};
  }

  // The root's file:// URI, when it is known as an absolute path.
  std::optional<std::string> root_uri() const {
    std::filesystem::path root = options_.workspace_root.empty() ? options_.cwd : options_.workspace_root;
    if (root.is_relative() && !options_.cwd.empty()) root = options_.cwd / root;
    root = root.lexically_normal();
    if (!root.is_absolute()) return std::nullopt;
    std::string uri = "file://" + percent_encode_path(root.generic_string());
    if (uri.back() != '/') uri += '/';
    return uri;
  }

  static Json region(const Location& location) {
    const Range r = range_of(location);
    return Json{{"startLine", r.start.line},
                {"startColumn", r.start.column},
                {"endLine", r.end.line},
                {"endColumn", r.end.column}};
  }

  Json physical_location(const Location& location) const {
    return Json{{"artifactLocation", artifact_location(path_of(location))}, {"region", region(location)}};
  }

  Json fixes(const Diagnostic& d) const {
    Json out = Json::array();
    for (const Fix& fix : d.fixes) {
      // One artifactChange per file, in order of first appearance.
      std::vector<std::pair<const SourceFile*, Json>> changes;
      for (const TextEdit& edit : fix.edits) {
        const Location at = edit.location.file != nullptr ? edit.location : Location{d.location.file, edit.location.span};
        if (at.file == nullptr) continue;
        auto it = std::find_if(changes.begin(), changes.end(), [&](const auto& c) { return c.first == at.file; });
        if (it == changes.end()) {
          changes.emplace_back(at.file, Json{{"artifactLocation", artifact_location(at.file->path)},
                                             {"replacements", Json::array()}});
          it = std::prev(changes.end());
        }
        it->second["replacements"].push_back(
            Json{{"deletedRegion", region(at)}, {"insertedContent", Json{{"text", edit.new_text}}}});
      }
      if (changes.empty()) continue;
      Json artifact_changes = Json::array();
      for (auto& change : changes) artifact_changes.push_back(std::move(change.second));
      out.push_back(Json{{"description", Json{{"text", fix.title}}}, {"artifactChanges", std::move(artifact_changes)}});
    }
    return out;
  }

  std::string fingerprint(const Diagnostic& d) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    const auto field = [&](std::string_view text) {
      hash = fnv1a(hash, text);
      hash = fnv1a(hash, std::string_view("\0", 1));
    };
    field(d.code);
    if (d.location.file != nullptr) {
      field(workspace_path(d.location.file->path, options_).path);
      field(d.location.file->slice(clamped(d.location)));
    } else {
      field("");
      field("");
    }
    const std::string key = fmt::format("{:016x}", hash);
    return fmt::format("{}:{}", key, ++occurrences_[key]);
  }

 private:
  static Span clamped(const Location& location) {
    const auto size = static_cast<std::uint32_t>(location.file->text.size());
    const std::uint32_t begin = std::min(location.span.begin, size);
    return {begin, std::clamp(location.span.end, begin, size)};
  }

  const RenderOptions& options_;
  std::map<std::string, int> occurrences_;
};

}  // namespace

std::string render_sarif(std::span<const Diagnostic> diagnostics, const Summary&, const RenderOptions& options) {
  Writer writer(options);

  Json rules = Json::array();
  std::map<std::string, std::size_t, std::less<>> rule_index;
  for (const rules::RuleInfo& rule : options.rules) {
    if (rule_index.emplace(rule.code, rules.size()).second) rules.push_back(rule_json(rule, options));
  }
  for (const Diagnostic& d : diagnostics) {
    if (rule_index.contains(d.code)) continue;
    rules::RuleInfo info;
    info.code = d.code;
    info.name = d.rule;
    info.default_severity = d.severity;
    rule_index.emplace(d.code, rules.size());
    rules.push_back(rule_json(info, options));
  }

  Json results = Json::array();
  for (const Diagnostic& d : diagnostics) {
    Json result = Json::object();
    result["ruleId"] = d.code;
    result["ruleIndex"] = rule_index.at(d.code);
    result["level"] = level(d.severity);
    result["message"] = Json{{"text", d.message}};
    if (d.location.file != nullptr) {
      result["locations"] = Json::array({Json{{"physicalLocation", writer.physical_location(d.location)}}});
    }
    Json related = Json::array();
    for (const RelatedInfo& r : d.related) {
      if (r.location.file == nullptr) continue;
      Json item = Json::object();
      item["id"] = related.size() + 1;
      item["physicalLocation"] = writer.physical_location(r.location);
      if (!r.message.empty()) item["message"] = Json{{"text", r.message}};
      related.push_back(std::move(item));
    }
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    result["partialFingerprints"] = Json{{"kpilint/v1", writer.fingerprint(d)}};
    if (Json fixes = writer.fixes(d); !fixes.empty()) result["fixes"] = std::move(fixes);
    results.push_back(std::move(result));
  }

  Json driver = Json::object();
  driver["name"] = "kpilint";
  const std::string& information_uri =
      options.information_uri.empty() ? options.docs_base_url : options.information_uri;
  if (!information_uri.empty()) driver["informationUri"] = information_uri;
  driver["version"] = options.tool_version;
  driver["semanticVersion"] = options.tool_version;
  driver["rules"] = std::move(rules);

  Json run = Json::object();
  run["tool"] = Json{{"driver", std::move(driver)}};
  if (const auto root = writer.root_uri()) run["originalUriBaseIds"] = Json{{kBaseId, Json{{"uri", *root}}}};
  run["results"] = std::move(results);
  run["columnKind"] = "unicodeCodePoints";

  Json out = Json::object();
  out["$schema"] = kSchema;
  out["version"] = "2.1.0";
  out["runs"] = Json::array({std::move(run)});
  std::string text = out.dump(2, ' ', false, Json::error_handler_t::replace);
  text += '\n';
  return text;
}

}  // namespace kpilint::render::detail

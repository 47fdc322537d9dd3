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
#include <set>

#include "base/fnv1a.hpp"
#include "render/common.hpp"
#include "render/json_writer.hpp"

namespace kpilint::render::detail {

namespace {

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

void put_text(JsonWriter& json, std::string_view key, std::string_view text) {
  json.key(key);
  json.begin_object();
  json.member("text", text);
  json.end_object();
}

void put_rule(JsonWriter& json, const rules::RuleInfo& rule, const RenderOptions& options) {
  const std::string& summary = rule.localized_summary().empty() ? rule.name : rule.localized_summary();
  const std::string& rationale = rule.localized_rationale();
  json.begin_object();
  json.member("id", rule.code);
  json.member("name", rule.name);
  put_text(json, "shortDescription", summary);
  put_text(json, "fullDescription", rationale.empty() ? summary : rationale);
  json.key("help");
  json.begin_object();
  json.member("text", rationale.empty() ? summary : rationale);
  json.member("markdown", rule_markdown(rule));
  json.end_object();
  if (!options.docs_base_url.empty()) json.member("helpUri", options.docs_base_url + rule.code);
  json.key("defaultConfiguration");
  json.begin_object();
  json.member("level", level(rule.default_severity));
  json.end_object();
  json.key("properties");
  json.begin_object();
  json.key("tags");
  json.begin_array();
  json.value(rule.builtin_language ? "language" : "alignment");
  json.end_array();
  json.end_object();
  json.end_object();
}

class Writer {
 public:
  Writer(JsonWriter& json, const RenderOptions& options) : json_(json), options_(options) {}

  // Where a file is relative to the root, worked out once per file (a path
  // computation per finding is most of the time of a large report).
  const WorkspacePath& where(std::string_view path) {
    auto it = paths_.find(path);
    if (it == paths_.end()) it = paths_.emplace(std::string(path), workspace_path(path, options_)).first;
    return it->second;
  }

  // "artifactLocation": {"uri": ..., "uriBaseId": ...} for a file.
  void artifact_location(std::string_view path) {
    const WorkspacePath& where = this->where(path);
    json_.key("artifactLocation");
    json_.begin_object();
    if (!where.relative) {
      std::string uri = percent_encode_path(where.path);
      if (!uri.empty() && uri.front() == '/') uri = "file://" + uri;
      json_.member("uri", uri);
    } else {
      json_.member("uri", percent_encode_path(where.path));
      json_.member("uriBaseId", kBaseId);
    }
    json_.end_object();
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

  void region(std::string_view key, const Location& location) {
    const Range r = range_of(location);
    json_.key(key);
    json_.begin_object();
    json_.member("startLine", r.start.line);
    json_.member("startColumn", r.start.column);
    json_.member("endLine", r.end.line);
    json_.member("endColumn", r.end.column);
    json_.end_object();
  }

  void physical_location(const Location& location) {
    json_.key("physicalLocation");
    json_.begin_object();
    artifact_location(path_of(location));
    region("region", location);
    json_.end_object();
  }

  void fixes(const Diagnostic& d) {
    // Fixes with an edit in some file; each with one artifactChange per file,
    // in order of first appearance.
    const auto located = [&](const TextEdit& edit) {
      return edit.location.file != nullptr ? edit.location : Location{d.location.file, edit.location.span};
    };
    bool any = false;
    for (const Fix& fix : d.fixes) {
      std::vector<const SourceFile*> files;
      for (const TextEdit& edit : fix.edits) {
        const Location at = located(edit);
        if (at.file != nullptr && std::find(files.begin(), files.end(), at.file) == files.end()) files.push_back(at.file);
      }
      if (files.empty()) continue;
      if (!any) {
        json_.key("fixes");
        json_.begin_array();
        any = true;
      }
      json_.begin_object();
      put_text(json_, "description", fix.title);
      json_.key("artifactChanges");
      json_.begin_array();
      for (const SourceFile* file : files) {
        json_.begin_object();
        artifact_location(file->path);
        json_.key("replacements");
        json_.begin_array();
        for (const TextEdit& edit : fix.edits) {
          const Location at = located(edit);
          if (at.file != file) continue;
          json_.begin_object();
          region("deletedRegion", at);
          put_text(json_, "insertedContent", edit.new_text);
          json_.end_object();
        }
        json_.end_array();
        json_.end_object();
      }
      json_.end_array();
      json_.end_object();
    }
    if (any) json_.end_array();
  }

  std::string fingerprint(const Diagnostic& d) {
    std::uint64_t hash = kFnv1aOffset;
    const auto field = [&](std::string_view text) {
      hash = fnv1a(text, hash);
      hash = fnv1a(std::string_view("\0", 1), hash);
    };
    field(d.code);
    if (d.location.file != nullptr) {
      field(where(d.location.file->path).path);
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

  JsonWriter& json_;
  const RenderOptions& options_;
  std::map<std::string, int> occurrences_;
  std::map<std::string, WorkspacePath, std::less<>> paths_;
};

}  // namespace

std::string render_sarif(std::span<const Diagnostic> diagnostics, const Summary&, const RenderOptions& options) {
  // The rule list: every rule, plus any code that fired but is not in it.
  std::vector<rules::RuleInfo> extra;
  std::map<std::string, std::size_t, std::less<>> rule_index;
  for (const rules::RuleInfo& rule : options.rules) rule_index.emplace(rule.code, rule_index.size());
  for (const Diagnostic& d : diagnostics) {
    if (rule_index.contains(d.code)) continue;
    rules::RuleInfo info;
    info.code = d.code;
    info.name = d.rule;
    info.default_severity = d.severity;
    rule_index.emplace(d.code, rule_index.size());
    extra.push_back(std::move(info));
  }

  std::string text;
  text.reserve(1024 * diagnostics.size() + 64 * 1024);
  JsonWriter json(text);
  Writer writer(json, options);
  json.begin_object();
  json.member("$schema", kSchema);
  json.member("version", "2.1.0");
  json.key("runs");
  json.begin_array();
  json.begin_object();

  json.key("tool");
  json.begin_object();
  json.key("driver");
  json.begin_object();
  json.member("name", "kpilint");
  const std::string& information_uri =
      options.information_uri.empty() ? options.docs_base_url : options.information_uri;
  if (!information_uri.empty()) json.member("informationUri", information_uri);
  json.member("version", options.tool_version);
  json.member("semanticVersion", options.tool_version);
  json.key("rules");
  json.begin_array();
  std::set<std::string_view> listed;
  for (const rules::RuleInfo& rule : options.rules) {
    if (listed.insert(rule.code).second) put_rule(json, rule, options);
  }
  for (const rules::RuleInfo& rule : extra) put_rule(json, rule, options);
  json.end_array();
  json.end_object();
  json.end_object();

  if (const auto root = writer.root_uri()) {
    json.key("originalUriBaseIds");
    json.begin_object();
    json.key(kBaseId);
    json.begin_object();
    json.member("uri", *root);
    json.end_object();
    json.end_object();
  }

  json.key("results");
  json.begin_array();
  for (const Diagnostic& d : diagnostics) {
    json.begin_object();
    json.member("ruleId", d.code);
    json.member("ruleIndex", std::uint64_t{rule_index.find(d.code)->second});
    json.member("level", level(d.severity));
    put_text(json, "message", d.message);
    if (d.location.file != nullptr) {
      json.key("locations");
      json.begin_array();
      json.begin_object();
      writer.physical_location(d.location);
      json.end_object();
      json.end_array();
    }
    std::uint64_t related = 0;
    for (const RelatedInfo& r : d.related) {
      if (r.location.file == nullptr) continue;
      if (related == 0) {
        json.key("relatedLocations");
        json.begin_array();
      }
      json.begin_object();
      json.member("id", ++related);
      writer.physical_location(r.location);
      if (!r.message.empty()) put_text(json, "message", r.message);
      json.end_object();
    }
    if (related > 0) json.end_array();
    json.key("partialFingerprints");
    json.begin_object();
    json.member("kpilint/v1", writer.fingerprint(d));
    json.end_object();
    writer.fixes(d);
    json.end_object();
  }
  json.end_array();
  json.member("columnKind", "unicodeCodePoints");

  json.end_object();
  json.end_array();
  json.end_object();
  text += '\n';
  return text;
}

}  // namespace kpilint::render::detail

#include "rules/linter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "base/i18n.hpp"

#include "model/suggest.hpp"
#include "rules/evaluator.hpp"
#include "rules/rule_pack.hpp"
#include "rules/suppressions.hpp"

namespace kpilint::rules {

namespace {

// KPI001–KPI005 and KPI007 are the language itself: always on, always errors.
bool is_fixed_language_code(std::string_view code) {
  return code == "KPI001" || code == "KPI002" || code == "KPI003" || code == "KPI004" || code == "KPI005" ||
         code == "KPI007";
}

std::optional<Severity> parse_level(std::string_view level) {
  if (level == "error") return Severity::Error;
  if (level == "warning") return Severity::Warning;
  if (level == "info") return Severity::Info;
  return std::nullopt;
}

// What the configuration and the command line make of each rule.
class Policy {
 public:
  Policy(const RulePack& pack, std::vector<std::string>& errors) : pack_(pack), errors_(errors) {}

  void apply(const model::Config& config, const LintSettings& settings) {
    const std::string where = config.path ? config.path->string() : std::string("kpilint.toml");
    std::vector<model::ConfigEntry> select = config.select, ignore = config.ignore;
    auto severity = config.severity;
    const auto from_cli = [](const std::string& value) { return model::ConfigEntry{value, 0, 0}; };
    if (!settings.select.empty()) {
      select.clear();
      for (const auto& s : settings.select) select.push_back(from_cli(s));
    }
    for (const auto& s : settings.ignore) ignore.push_back(from_cli(s));
    for (const auto& [code, level] : settings.severity) severity.push_back({from_cli(code), from_cli(level)});

    if (!select.empty()) {
      select_all_ = false;
      for (const auto& entry : select) {
        if (auto code = resolve(entry, where, "select")) selected_.insert(*code);
      }
    }
    for (const auto& entry : ignore) {
      auto code = resolve(entry, where, "ignore");
      if (!code) continue;
      if (is_fixed_language_code(*code)) {
        error(entry, where, i18n::format("rules.policy.cannot-ignore", i18n::arg("code", *code)));
        continue;
      }
      ignored_.insert(*code);
    }
    for (const auto& [code_entry, level_entry] : severity) {
      auto code = resolve(code_entry, where, "severity");
      if (!code) continue;
      if (is_fixed_language_code(*code)) {
        error(code_entry, where, i18n::format("rules.policy.fixed-severity", i18n::arg("code", *code)));
        continue;
      }
      if (level_entry.value == "off") {
        ignored_.insert(*code);
      } else if (auto level = parse_level(level_entry.value)) {
        severity_[*code] = *level;
      } else {
        error(level_entry, where,
              i18n::format("rules.policy.unknown-severity", i18n::arg("level", level_entry.value), i18n::arg("code", *code)));
      }
    }
  }

  bool enabled(std::string_view code) const {
    const std::string key(code);
    if (is_fixed_language_code(code)) return true;
    if (ignored_.count(key)) return false;
    return select_all_ || selected_.count(key) || selected_prefix(code);
  }

  Severity severity_of(const Diagnostic& d) const {
    const auto it = severity_.find(d.code);
    return it == severity_.end() ? d.severity : it->second;
  }

  std::string_view canonical(std::string_view code_or_name) const {
    const RuleInfo* info = pack_.find(code_or_name);
    return info ? std::string_view(info->code) : std::string_view();
  }

 private:
  bool selected_prefix(std::string_view code) const {
    for (const auto& prefix : prefixes_) {
      if (code.substr(0, prefix.size()) == prefix) return true;
    }
    return false;
  }

  // A code or rule name as written; a code prefix ("KPI1") selects a group.
  std::optional<std::string> resolve(const model::ConfigEntry& entry, const std::string& where, std::string_view key) {
    if (const RuleInfo* info = pack_.find(entry.value)) return info->code;
    if (key == "select" && entry.value.size() >= 3 && entry.value.substr(0, 3) == "KPI") {
      const bool any = std::any_of(pack_.infos().begin(), pack_.infos().end(), [&](const RuleInfo& info) {
        return std::string_view(info.code).substr(0, entry.value.size()) == entry.value;
      });
      if (any) {
        prefixes_.push_back(entry.value);
        return std::nullopt;
      }
    }
    std::vector<std::string_view> names;
    for (const auto& info : pack_.infos()) {
      names.push_back(info.code);
      names.push_back(info.name);
    }
    const auto guess = model::closest(entry.value, names);
    error(entry, where,
          i18n::format(guess ? "rules.policy.unknown-rule-suggest" : "rules.policy.unknown-rule", i18n::arg("rule", entry.value),
                       i18n::arg("key", key), i18n::arg("guess", guess.value_or(""))));
    return std::nullopt;
  }

  void error(const model::ConfigEntry& entry, const std::string& where, const std::string& message) {
    if (entry.line == 0) {
      errors_.push_back(message);
    } else {
      errors_.push_back(fmt::format("{}:{}:{}: {}", where, entry.line, entry.column, message));
    }
  }

  const RulePack& pack_;
  std::vector<std::string>& errors_;
  bool select_all_ = true;
  std::unordered_set<std::string> selected_, ignored_;
  std::vector<std::string> prefixes_;
  std::unordered_map<std::string, Severity> severity_;
};

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

Diagnostic syntax_error(const model::Document& document, const syntax::SyntaxError& error) {
  Diagnostic d;
  d.location = {document.source.get(), error.span};
  d.severity = Severity::Error;
  d.code = "KPI001";
  d.rule = "syntax-error";
  d.message = error.message;
  return d;
}

std::shared_ptr<const RulePack> rule_pack_for(const model::Config& config, std::vector<std::string>& errors) {
  const RulePack& builtin = RulePack::builtin();
  if (config.rule_files.empty()) return std::shared_ptr<const RulePack>(&builtin, [](const RulePack*) {});
  auto pack = std::make_shared<RulePack>(builtin);
  for (const auto& file : config.rule_files) {
    std::string text, error;
    std::ifstream in(file.value, std::ios::binary);
    if (!in) {
      errors.push_back(i18n::format("rules.cannot-read-rule-file", i18n::arg("path", file.value)));
      continue;
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    std::vector<Diagnostic> problems;
    if (!pack->add_file(file.value, std::move(text), problems)) {
      for (const auto& d : problems) {
        const auto at = d.location.file->lines().position(d.location.span.begin, Encoding::Utf32);
        errors.push_back(fmt::format("{}:{}:{}: {}", d.location.file->path, at.line + 1, at.column + 1, d.message));
      }
    }
  }
  return pack;
}

// Below this much reported text the line indexes are left to the renderer.
constexpr std::size_t kIndexAheadBytes = std::size_t{4} << 20;

std::size_t reported_bytes(const model::Workspace& workspace) {
  std::size_t bytes = 0;
  for (const auto& document : workspace.documents) {
    if (document->reported) bytes += document->source->text.size();
  }
  return bytes;
}

}  // namespace

LintResult lint(const model::LoadedWorkspace& loaded, const LintSettings& settings) {
  LintResult result;
  const auto pack_start = Clock::now();
  result.pack = rule_pack_for(loaded.config, result.errors);
  result.timings.pack = ms_since(pack_start);
  Policy policy(*result.pack, result.errors);
  policy.apply(loaded.config, settings);
  for (auto& problem : check_options(*result.pack, loaded.config.options)) {
    result.errors.push_back(fmt::format("{}: {}", loaded.config.path ? loaded.config.path->string() : "kpilint.toml", problem));
  }
  if (!result.errors.empty()) return result;

  const model::Workspace& workspace = *loaded.workspace;
  std::vector<Diagnostic> all;
  for (const auto& document : workspace.documents) {
    if (!document->reported) continue;
    ++result.files;
    for (const auto& error : document->tree.errors) all.push_back(syntax_error(*document, error));
  }
  if (settings.syntax_only) {
    // Only KPI001, which no comment silences: no resolution, no rules, no
    // suppression bookkeeping (a kept ignore would look unused).
    for (auto& d : all) {
      if (policy.enabled(d.code)) result.diagnostics.push_back(std::move(d));
    }
    sort_diagnostics(result.diagnostics);
    return result;
  }
  auto phase = Clock::now();
  model::BuildOptions build_options;
  build_options.references = settings.navigation;
  result.model = model::build_model(workspace, all, build_options);
  result.timings.resolve = ms_since(phase);

  EvalContext context;
  context.options = &loaded.config.options;
  context.enabled = [&](std::string_view code) { return policy.enabled(code); };
  phase = Clock::now();
  evaluate(*result.pack, *result.model, context, all);
  result.timings.rules = ms_since(phase);
  phase = Clock::now();

  // A finding's line and column come from its file's line index, built on
  // first use: on a large workspace that is a scan of most of the text when
  // the findings are rendered. The bookkeeping below runs on one core, so
  // another builds the reported files' indexes meanwhile, until it is done;
  // the renderer builds the rest (on all cores).
  std::atomic<bool> stop_indexing{false};
  std::thread index_lines;
  if (reported_bytes(workspace) >= kIndexAheadBytes && std::thread::hardware_concurrency() > 1) {
    index_lines = std::thread([&workspace, &stop_indexing] {
      for (const auto& document : workspace.documents) {
        if (stop_indexing.load(std::memory_order_relaxed)) return;
        if (document->reported) document->source->lines();
      }
    });
  }
  struct StopAndJoin {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~StopAndJoin() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  } stop_index_lines{stop_indexing, index_lines};

  // Keep what is reported and enabled, then let each file's ignores speak.
  std::unordered_map<const SourceFile*, std::vector<Diagnostic>> by_file;
  std::unordered_set<const SourceFile*> reported;
  for (const auto& document : workspace.documents) {
    if (document->reported) reported.insert(document->source.get());
  }
  for (auto& d : all) {
    if (!reported.count(d.location.file) || !policy.enabled(d.code)) continue;
    by_file[d.location.file].push_back(std::move(d));
  }
  SuppressionContext suppressions;
  suppressions.canonical = [&](std::string_view code) { return policy.canonical(code); };
  suppressions.silenceable = [](std::string_view code) { return !is_fixed_language_code(code); };
  suppressions.enabled = [&](std::string_view code) { return policy.enabled(code); };
  for (const auto& document : workspace.documents) {
    if (!document->reported) continue;
    auto& diagnostics = by_file[document->source.get()];
    apply_suppressions(*document, suppressions, diagnostics);
    for (auto& d : diagnostics) {
      if (!policy.enabled(d.code)) continue;
      d.severity = policy.severity_of(d);
      result.diagnostics.push_back(std::move(d));
    }
  }
  sort_diagnostics(result.diagnostics);
  result.timings.finish = ms_since(phase);
  return result;
}

}  // namespace kpilint::rules

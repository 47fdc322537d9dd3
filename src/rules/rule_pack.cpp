#include "rules/rule_pack.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "base/embedded.hpp"
#include "base/i18n.hpp"
#include "rules/checker.hpp"
#include "rules/pack_codec.hpp"
#include "rules/rule.hpp"
#include "rules/rule_parser.hpp"

namespace kpilint::rules {

RulePack::RulePack() = default;
RulePack::RulePack(const RulePack&) = default;
RulePack& RulePack::operator=(const RulePack&) = default;
RulePack::RulePack(RulePack&&) noexcept = default;
RulePack& RulePack::operator=(RulePack&&) noexcept = default;
RulePack::~RulePack() = default;

namespace {
// The compiled pack a binary carries ("" for none), and whether builtin() used it.
std::string_view& compiled_bytes() {
  static std::string_view bytes;
  return bytes;
}
bool used_compiled = false;
}  // namespace

void RulePack::register_compiled(std::string_view bytes) { compiled_bytes() = bytes; }

bool RulePack::precompiled() {
  builtin();
  return used_compiled;
}

RulePack RulePack::compile_builtin() {
  RulePack p;
  for (const auto& file : embedded::builtin_rule_files()) {
    std::vector<Diagnostic> errors;
    if (!p.add("rules/" + std::string(file.name), std::string(file.text), true, errors)) {
      for (const auto& d : errors) {
        const auto at = d.location.file->lines().position(d.location.span.begin, Encoding::Utf32);
        std::fprintf(stderr, "kpilint: bug: built-in rule file %s:%u:%u: %s\n", d.location.file->path.c_str(),
                     at.line + 1, at.column + 1, d.message.c_str());
      }
      std::abort();
    }
  }
  return p;
}

const RulePack& RulePack::builtin() {
  static const RulePack pack = [] {
    // Bytes that do not match this build (another version, other rule texts)
    // are ignored: parsing is always right, only slower.
    if (!compiled_bytes().empty()) {
      if (auto decoded = decode_pack(compiled_bytes())) {
        used_compiled = true;
        return std::move(*decoded);
      }
    }
    return compile_builtin();
  }();
  return pack;
}

bool RulePack::add_file(std::string display_path, std::string text, std::vector<Diagnostic>& errors) {
  return add(std::move(display_path), std::move(text), false, errors);
}

const Rule* RulePack::find_rule(std::string_view code_or_name) const {
  auto same_code = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
           });
  };
  for (const auto& rule : rules_) {
    if (same_code(rule->info.code, code_or_name) || rule->info.name == code_or_name) return rule.get();
  }
  return nullptr;
}

bool RulePack::add(std::string display_path, std::string text, bool builtin, std::vector<Diagnostic>& errors) {
  auto file = std::make_shared<const SourceFile>(std::move(display_path), std::move(text));
  files_.push_back(file);
  const std::size_t before = errors.size();
  std::vector<Rule> rules = parse_rule_file(*file, errors);
  CheckContext context;
  context.builtin = builtin;
  context.existing = [this](std::string_view key) { return find_rule(key); };
  int slots = slots_;
  check_rules(rules, context, errors, slots);
  if (errors.size() != before) return false;
  slots_ = slots;
  for (auto& rule : rules) rules_.push_back(std::make_shared<const Rule>(std::move(rule)));
  std::stable_sort(rules_.begin(), rules_.end(), [](const auto& a, const auto& b) {
    const bool a_kpi = a->info.code.rfind("KPI", 0) == 0, b_kpi = b->info.code.rfind("KPI", 0) == 0;
    if (a_kpi != b_kpi) return a_kpi;
    return a->info.code < b->info.code;
  });
  infos_.clear();
  for (const auto& rule : rules_) infos_.push_back(rule->info);
  return true;
}

const RuleInfo* RulePack::find(std::string_view code_or_name) const {
  const Rule* rule = find_rule(code_or_name);
  if (rule == nullptr) return nullptr;
  for (const auto& info : infos_) {
    if (info.code == rule->info.code) return &info;
  }
  return nullptr;
}

std::string_view RulePack::rule_source(std::string_view code) const {
  const Rule* rule = find_rule(code);
  return rule ? rule->source() : std::string_view();
}

namespace {

std::string indent(std::string_view text, std::string_view prefix) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (!line.empty()) out += prefix;
    out += line;
    out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string format_rule_list(const RulePack& pack) {
  std::size_t name_width = 4;
  for (const auto& info : pack.infos()) name_width = std::max(name_width, info.name.size());
  // Headings may be wider in another language ("SEVERIDADE"); widths count characters.
  const std::string_view severity = i18n::text("rules.list.severity");
  const auto characters = static_cast<std::size_t>(
      std::count_if(severity.begin(), severity.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  const std::size_t severity_width = std::max<std::size_t>(8, characters);
  std::string out = fmt::format("{:<7} {:<{}} {:<{}} {}\n", i18n::text("rules.list.code"), i18n::text("rules.list.name"),
                                name_width, severity, severity_width, i18n::text("rules.list.summary"));
  for (const auto& info : pack.infos()) {
    out += fmt::format("{:<7} {:<{}} {:<{}} {}\n", info.code, info.name, name_width, to_string(info.default_severity),
                       severity_width, info.localized_summary());
  }
  return out;
}

std::string format_explanation(const RulePack& pack, const RuleInfo& info) {
  std::string out = fmt::format("{} {} ({})\n\n", info.code, info.name, to_string(info.default_severity));
  if (!info.localized_summary().empty()) out += info.localized_summary() + "\n\n";
  if (info.builtin_language) {
    out += i18n::text(info.configurable ? "rules.explain.language-configurable" : "rules.explain.language-fixed");
    out += "\n\n";
  }
  if (!info.localized_rationale().empty()) {
    out += fmt::format("{}\n{}\n", i18n::text("rules.explain.why"), indent(info.localized_rationale(), "  "));
  }
  for (const auto& example : info.examples) {
    out += fmt::format("{}\n{}\n", i18n::text(example.fails ? "rules.explain.fails" : "rules.explain.passes"),
                       indent(example.text, "    "));
  }
  const Rule* rule = pack.find_rule(info.code);
  if (rule != nullptr && !info.builtin_language) {
    out += fmt::format("{}\n{}", i18n::text("rules.explain.rule"), indent(rule->logic_source(), "    "));
  }
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

std::string format_explanation(const RuleInfo& info) { return format_explanation(RulePack::builtin(), info); }

}  // namespace kpilint::rules

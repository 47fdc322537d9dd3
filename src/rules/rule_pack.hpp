#pragma once
// The rules in force: the built-in pack (rules/*.rules, embedded at build
// time) plus any rule files a workspace adds through kpilint.toml. Copying a
// pack is cheap (the compiled rules and their files are shared), so a run
// copies the built-in pack and adds its own files to the copy.
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/source.hpp"
#include "rules/rule_info.hpp"

namespace kpilint::rules {

struct Rule;

class RulePack {
 public:
  RulePack();  // empty
  RulePack(const RulePack&);
  RulePack& operator=(const RulePack&);
  RulePack(RulePack&&) noexcept;
  RulePack& operator=(RulePack&&) noexcept;
  ~RulePack();

  // The built-in pack: decoded from the bytes `kpilint-rulec` compiled at
  // build time when the binary carries them (precompiled() says whether it
  // did), else parsed once from the embedded rules. A broken built-in file
  // aborts.
  static const RulePack& builtin();
  // Parses and compiles the embedded rules (what kpilint-rulec runs).
  static RulePack compile_builtin();
  // Set once, before the first builtin(), by a binary that carries the
  // compiled pack (the generated compiled_rules.cpp does it at start-up).
  static void register_compiled(std::string_view bytes);
  static bool precompiled();

  // Parses, type-checks and compiles one more rule file. Errors are
  // Diagnostics (code "config", severity error) pointing into the file, which
  // the pack keeps alive. All or nothing: returns false and adds no rule when
  // the file has an error.
  bool add_file(std::string display_path, std::string text, std::vector<Diagnostic>& errors);

  // Every rule, the language diagnostics (KPI001–KPI008) included, built-in
  // codes first, then in code order.
  std::span<const RuleInfo> infos() const { return infos_; }
  // By code (case-insensitive) or rule name.
  const RuleInfo* find(std::string_view code_or_name) const;
  // The text of the rule's definition (`rule … { … }`), for `explain`; empty
  // when there is none.
  std::string_view rule_source(std::string_view code) const;

  // The compiled rules, in the order of infos().
  std::span<const std::shared_ptr<const Rule>> rules() const { return rules_; }
  int slot_count() const { return slots_; }
  const Rule* find_rule(std::string_view code_or_name) const;

 private:
  bool add(std::string display_path, std::string text, bool builtin, std::vector<Diagnostic>& errors);

  friend struct PackCodec;  // pack_codec.cpp: writes and reads these members

  std::vector<std::shared_ptr<const SourceFile>> files_;
  std::vector<std::shared_ptr<const Rule>> rules_;
  std::vector<RuleInfo> infos_;
  int slots_ = 0;
};

// `kpilint rules`: a table of code, name, default severity and summary.
std::string format_rule_list(const RulePack& pack);
// `kpilint explain X`: the summary, the rationale, the failing and the passing
// example, and the rule's source. The one-argument form looks the source up
// in the built-in pack.
std::string format_explanation(const RulePack& pack, const RuleInfo& info);
std::string format_explanation(const RuleInfo& info);

}  // namespace kpilint::rules

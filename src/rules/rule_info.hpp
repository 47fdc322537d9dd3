#pragma once
// What the outside world knows of a rule: for `kpilint rules`, `explain`,
// SARIF's tool.driver.rules and LSP hovers. Built-in language errors
// (KPI001–KPI008) and data rules (KPI101+) are described alike.
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/i18n.hpp"

namespace kpilint::rules {

struct RuleExample {
  std::string title;    // "fails" / "passes"
  std::string text;     // a small .kpi workspace in one file
  bool fails = false;   // expected to produce this rule's code
};

struct RuleInfo {
  std::string code;           // "KPI101"
  std::string name;           // "missing-owner"
  Severity default_severity = Severity::Error;
  std::string summary;        // one line
  std::string rationale;      // the why, a paragraph or two (from DOMAIN.md)
  std::string summary_pt;     // `summary.pt:`, `rationale.pt:` (empty: not translated)
  std::string rationale_pt;
  std::vector<RuleExample> examples;
  bool builtin_language = false;  // KPI001–KPI008: part of the language, not the rule pack
  bool configurable = true;       // KPI001–KPI005 and KPI007 are not

  // The summary and rationale in the current language (English when not translated).
  const std::string& localized_summary() const {
    return i18n::language() == i18n::Language::Pt && !summary_pt.empty() ? summary_pt : summary;
  }
  const std::string& localized_rationale() const {
    return i18n::language() == i18n::Language::Pt && !rationale_pt.empty() ? rationale_pt : rationale;
  }
};

}  // namespace kpilint::rules

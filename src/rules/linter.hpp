#pragma once
// The whole check of a loaded workspace, shared by the CLI and the language
// server: syntax errors, the model's language diagnostics, the rule pack,
// configuration (select/ignore/severity) and suppressions.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/diagnostic.hpp"
#include "model/loader.hpp"
#include "model/model.hpp"
#include "rules/rule_info.hpp"

namespace kpilint::rules {

class RulePack;

struct LintSettings {  // command-line overrides of kpilint.toml
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::vector<std::pair<std::string, std::string>> severity;  // code or name → error|warning|info|off
  bool navigation = true;
  bool syntax_only = false;  // parse and report KPI001 only (`check --syntax-only`)  // keep the model's reference index (the language server); `check` turns it off
};

// Milliseconds per phase (`check --timings`).
struct LintTimings {
  double pack = 0;  // the built-in rules (compiled once per process) and the config's rule files
  double resolve = 0, rules = 0, finish = 0;  // finish: severities, suppressions, sorting
};

struct LintResult {
  std::vector<Diagnostic> diagnostics;  // of the reported files, sorted, severities applied
  std::size_t files = 0;                // files reported on
  std::vector<std::string> errors;      // configuration errors: exit 2
  std::unique_ptr<model::Model> model;
  std::shared_ptr<const RulePack> pack;  // the rules in force (built-in plus the config's files)
  LintTimings timings;
};

LintResult lint(const model::LoadedWorkspace& loaded, const LintSettings& settings = {});

}  // namespace kpilint::rules

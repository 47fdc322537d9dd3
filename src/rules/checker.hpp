#pragma once
// The type checker: resolves the names of parsed rules against the schema
// (fields, relations, enum words, functions) and reports every error with its
// exact span in the rule file. A rule that checks is ready to evaluate.
#include <functional>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "rules/rule.hpp"

namespace kpilint::rules {

struct CheckContext {
  bool builtin = false;  // the embedded pack: KPI codes and `builtin: true` allowed
  // A rule already in the pack with this code or name, or nullptr.
  std::function<const Rule*(std::string_view code_or_name)> existing;
};

// Checks `rules` (all from one file) in place. Appends errors; returns false
// when there were any. Option and pattern slots are numbered from
// `next_slot`, which is advanced past them.
bool check_rules(std::vector<Rule>& rules, const CheckContext& context, std::vector<Diagnostic>& errors,
                 int& next_slot);

// The name of a static type for messages ("a date", "a level word").
std::string type_name(const Type& type);

}  // namespace kpilint::rules

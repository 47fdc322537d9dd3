#pragma once
// Runs the compiled rules of a pack over a resolved model.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "model/config.hpp"
#include "model/model.hpp"

namespace kpilint::rules {

class RulePack;

struct EvalContext {
  const std::map<std::string, model::OptionValue>* options = nullptr;  // [lint.options]
  std::function<bool(std::string_view code)> enabled;                   // null: every rule
};

// Evaluates every enabled rule on every checkable entity of its `for` kinds
// whose document is reported, appending one diagnostic (default severity)
// per entity where the `where` condition is true and the `require` condition
// false — never when either is unknown. Deterministic order: by declaration
// kind, then entity (path order), then rule (pack order); a large workspace is
// split over two threads and merged back into that order. An option of the wrong type or an invalid pattern option falls back
// to the rule's default (check_options reports them).
void evaluate(const RulePack& pack, const model::Model& model, const EvalContext& context,
              std::vector<Diagnostic>& out);

// Problems with [lint.options] as the pack's rules use them: a value of the
// wrong type, an invalid regular expression. Messages name the option.
std::vector<std::string> check_options(const RulePack& pack, const std::map<std::string, model::OptionValue>& options);

}  // namespace kpilint::rules

#pragma once
// `# kpilint: ignore CODES` (a declaration) and `# kpilint: ignore-file CODES`
// (the whole file). Unused, empty or unknown ignores are KPI008.
#include <functional>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "model/workspace.hpp"

namespace kpilint::rules {

struct SuppressionContext {
  // The canonical code of a code or rule name, or "" when unknown.
  std::function<std::string_view(std::string_view)> canonical;
  // Whether a code may be silenced (KPI001–KPI005 and KPI007 may not).
  std::function<bool(std::string_view)> silenceable;
  // Whether a code is enabled by the configuration (an ignore of a disabled rule is not unused).
  std::function<bool(std::string_view)> enabled;
};

// Removes the diagnostics of `document` that its ignore comments silence and
// appends KPI008 for the ignores that silence nothing or name bad codes.
void apply_suppressions(const model::Document& document, const SuppressionContext& context,
                        std::vector<Diagnostic>& diagnostics);

}  // namespace kpilint::rules

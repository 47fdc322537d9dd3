#pragma once
// Checks on single values that do not need the rest of the workspace.
#include <optional>
#include <string_view>

#include "syntax/tree.hpp"

namespace kpilint::model {

bool is_valid_date(int year, int month, int day);
// The unit a target value is written in: its unit word, "percent" for `18%`,
// or empty when it has none.
std::string_view target_unit(const syntax::Target& target);

}  // namespace kpilint::model

#pragma once
// "Did you mean" for rule files, on top of the model's suggestions: also
// accepts an abbreviation (`warn` for `warning`).
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kpilint::rules {

// The candidate closest to `word`, when it is close enough to be a typo.
std::optional<std::string_view> closest_word(std::string_view word, std::span<const std::string_view> candidates);

// " (did you mean `x`?)" or "".
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace kpilint::rules

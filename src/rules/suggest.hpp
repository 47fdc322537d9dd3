#pragma once
// "Did you mean" for rule files: the closest candidate within a small edit
// distance. Rule files are small, so a plain edit distance is fine here.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kpilint::rules {

std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, when it is close enough to be a typo.
std::optional<std::string_view> closest_word(std::string_view word, std::span<const std::string_view> candidates);

// " (did you mean `x`?)" or "".
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace kpilint::rules

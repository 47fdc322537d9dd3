#include "rules/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace kpilint::rules {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string_view> closest_word(std::string_view word, std::span<const std::string_view> candidates) {
  std::optional<std::string_view> best;
  if (word.size() >= 3) {  // an abbreviation: `warn` for `warning`
    for (std::string_view candidate : candidates) {
      if (candidate.size() > word.size() && candidate.substr(0, word.size()) == word) return candidate;
    }
  }
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (std::string_view candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  if (auto best = closest_word(word, candidates)) return " (did you mean `" + std::string(*best) + "`?)";
  return "";
}

}  // namespace kpilint::rules

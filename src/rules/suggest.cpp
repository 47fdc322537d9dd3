#include "rules/suggest.hpp"

#include "base/i18n.hpp"
#include "model/suggest.hpp"

namespace kpilint::rules {

std::optional<std::string_view> closest_word(std::string_view word, std::span<const std::string_view> candidates) {
  if (word.size() >= 3) {  // an abbreviation: `warn` for `warning`
    for (std::string_view candidate : candidates) {
      if (candidate.size() > word.size() && candidate.substr(0, word.size()) == word) return candidate;
    }
  }
  return model::closest(word, candidates);
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  if (auto best = closest_word(word, candidates)) return " " + i18n::format("rules.did-you-mean", i18n::arg("guess", *best));
  return "";
}

}  // namespace kpilint::rules

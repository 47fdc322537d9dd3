#include "model/suggest.hpp"

#include <algorithm>
#include <string>
#include <unordered_set>

namespace kpilint::model {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::size_t suggestion_limit(std::string_view word) { return word.size() <= 3 ? 1 : word.size() <= 8 ? 2 : 3; }

std::optional<std::string_view> closest(std::string_view word, std::span<const std::string_view> candidates) {
  std::optional<std::string_view> best;
  std::size_t best_distance = suggestion_limit(word) + 1;
  for (const auto candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate, best_distance - 1);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

namespace {
template <typename F>
void for_each_deletion(std::string_view word, F&& f) {
  std::string variant(word);
  f(variant);
  for (std::size_t i = 0; i < word.size(); ++i) {
    variant.assign(word.substr(0, i)).append(word.substr(i + 1));
    f(variant);
  }
}
}  // namespace

void NameIndex::add(std::string_view name, std::uint32_t id) {
  const auto index = static_cast<std::uint32_t>(entries_.size());
  entries_.push_back({name, id});
  for_each_deletion(name, [&](const std::string& variant) { deletions_.emplace(variant, index); });
}

std::optional<std::uint32_t> NameIndex::closest(std::string_view word,
                                                const std::function<bool(std::uint32_t)>& accept) const {
  // Every name within one insertion, deletion, substitution or transposition
  // of `word` shares a one-deletion variant with it.
  std::unordered_set<std::uint32_t> seen;
  std::optional<std::uint32_t> best;
  std::size_t best_distance = std::min<std::size_t>(2, suggestion_limit(word)) + 1;
  for_each_deletion(word, [&](const std::string& variant) {
    const auto [begin, end] = deletions_.equal_range(variant);
    for (auto it = begin; it != end; ++it) {
      if (!seen.insert(it->second).second) continue;
      const Entry& entry = entries_[it->second];
      if (entry.name == word || !accept(entry.id)) continue;
      const std::size_t d = edit_distance(word, entry.name, best_distance - 1);
      if (d < best_distance || (d == best_distance && best && entries_[*best].name > entry.name)) {
        best_distance = d;
        best = it->second;
      }
    }
  });
  if (!best) return std::nullopt;
  return entries_[*best].id;
}

}  // namespace kpilint::model

#pragma once
// "Did you mean" suggestions. Small candidate sets are compared directly; the
// workspace name table is indexed by one-character deletions (SymSpell), so
// hundreds of dangling names against 100,000 declarations stay linear.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kpilint::model {

// Levenshtein distance with adjacent transpositions, giving up (returning
// limit + 1) once it exceeds `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

// The largest distance worth suggesting for a word of this length.
std::size_t suggestion_limit(std::string_view word);

// The closest of `candidates` to `word`, if close enough.
std::optional<std::string_view> closest(std::string_view word, std::span<const std::string_view> candidates);

class NameIndex {
 public:
  void add(std::string_view name, std::uint32_t id);
  // The closest indexed name (distance ≤ 2) whose id passes `accept`.
  std::optional<std::uint32_t> closest(std::string_view word, const std::function<bool(std::uint32_t)>& accept) const;

 private:
  struct Entry {
    std::string_view name;
    std::uint32_t id;
  };
  std::vector<Entry> entries_;
  std::unordered_multimap<std::string, std::uint32_t> deletions_;  // variant → entry index
};

}  // namespace kpilint::model

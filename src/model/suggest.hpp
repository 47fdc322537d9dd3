#pragma once
// "Did you mean" suggestions. Small candidate sets are compared directly; the
// workspace name table is indexed by one-character deletions (SymSpell), so
// hundreds of dangling names against 100,000 declarations stay linear.
#include <cstdint>
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

// "Did you mean" for a few misspelt words against many names, in one pass
// over the names. The index holds the one-deletion variants of the *queries*
// (SymSpell turned around): a workspace with 100,000 names and no typo pays
// nothing, and one with typos pays a few hash lookups per name of a nearby
// length. Finds every name within one edit (insertion, deletion,
// substitution, adjacent transposition) and many within two.
class NearestNames {
 public:
  // A word to find a name for; only names whose `kinds` share a bit with
  // `accept_kinds` qualify. Returns the query's index.
  std::size_t add_query(std::string_view word, unsigned accept_kinds);
  bool empty() const { return queries_.empty(); }

  // Offers one candidate name to every query it is close to.
  void offer(std::string_view name, unsigned kinds, std::uint32_t id);

  // Takes `other`'s answer for each query where it is better: `other` is a
  // copy of this index, made after the queries and before any offer.
  void merge(const NearestNames& other);

  // The best candidate's id for query `q`: smallest distance, then the
  // alphabetically first name.
  std::optional<std::uint32_t> best(std::size_t q) const;

 private:
  struct Query {
    std::string_view word;
    unsigned accept_kinds;
    std::size_t best_distance;  // limit + 1 until something is found
    std::string_view best_name;
    std::optional<std::uint32_t> best_id;
  };
  // Open addressing over 64-bit hashes of the queries' variants. A hash
  // collision only costs one bounded edit-distance check, which rejects it.
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t query = 0;
    bool used = false;
  };
  void insert(std::uint64_t hash, std::uint32_t query);
  void rebuild(std::size_t capacity);
  void visit(std::string_view name, std::uint64_t hash, unsigned kinds, std::uint32_t id);

  std::vector<Query> queries_;
  unsigned accept_kinds_ = 0;  // every query's kinds: a name of no other kind is not looked at
  std::vector<Slot> table_;    // power-of-two size, at most half full
  std::vector<std::uint64_t> filter_;  // one bit per hash bucket: most probes end here, in cache
  std::size_t filled_ = 0;
  std::uint64_t lengths_ = 0;  // bit n: some query has a variant of length n (n < 64)
};

}  // namespace kpilint::model

#include "model/suggest.hpp"

#include <algorithm>
#include <string>

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
// Polynomial hashes of every one-deletion variant of a word in O(length):
// hash(w without w[i]) = prefix(i) * B^(n-i-1) + suffix(i+1).
constexpr std::uint64_t kBase = 0x100000001b3ull;

// The word itself first, then the variants from the last character's
// deletion to the first's; `prefix` is scratch of at least n + 1 entries.
// Every name of the workspace goes through here: no allocation, three
// multiplications per variant.
template <typename F>
void for_each_variant_hash(std::string_view w, std::uint64_t* prefix, F&& f) {
  const std::size_t n = w.size();
  prefix[0] = 0;
  for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] * kBase + static_cast<unsigned char>(w[i]) + 1;
  // Mix the length in, so a variant never equals a word of another length by accident.
  const auto finish = [](std::uint64_t h, std::size_t len) { return (h ^ (len * 0x9e3779b97f4a7c15ull)) * kBase; };
  f(finish(prefix[n], n), n);
  std::uint64_t suffix = 0, power = 1;  // suffix(i + 1) and kBase^(n - 1 - i)
  for (std::size_t i = n; i-- > 0;) {
    f(finish(prefix[i] * power + suffix, n - 1), n - 1);
    suffix += (static_cast<unsigned char>(w[i]) + 1) * power;
    power *= kBase;
  }
}

std::size_t slot_of(std::uint64_t hash, std::size_t mask) { return static_cast<std::size_t>(hash ^ (hash >> 29)) & mask; }
constexpr std::size_t kFilterBits = std::size_t{1} << 20;  // 128 KiB
std::size_t filter_bit(std::uint64_t hash) { return static_cast<std::size_t>(hash >> 40) & (kFilterBits - 1); }
}  // namespace

void NearestNames::rebuild(std::size_t capacity) {
  std::vector<Slot> old = std::move(table_);
  table_.assign(capacity, Slot{});
  filled_ = 0;
  for (const Slot& slot : old) {
    if (slot.used) insert(slot.hash, slot.query);
  }
}

void NearestNames::insert(std::uint64_t hash, std::uint32_t query) {
  if (filter_.empty()) filter_.assign(kFilterBits / 64, 0);
  filter_[filter_bit(hash) / 64] |= std::uint64_t{1} << (filter_bit(hash) % 64);
  if ((filled_ + 1) * 2 > table_.size()) rebuild(std::max<std::size_t>(64, table_.size() * 2));
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = slot_of(hash, mask);; i = (i + 1) & mask) {
    Slot& slot = table_[i];
    if (!slot.used) {
      slot = {hash, query, true};
      ++filled_;
      return;
    }
    if (slot.hash == hash && slot.query == query) return;  // "aa": the same variant twice
  }
}

std::size_t NearestNames::add_query(std::string_view word, unsigned accept_kinds) {
  const auto q = static_cast<std::uint32_t>(queries_.size());
  queries_.push_back({word, accept_kinds, std::min<std::size_t>(2, suggestion_limit(word)) + 1, {}, std::nullopt});
  accept_kinds_ |= accept_kinds;
  std::vector<std::uint64_t> prefix(word.size() + 1);
  for_each_variant_hash(word, prefix.data(), [&](std::uint64_t hash, std::size_t length) {
    insert(hash, q);
    if (length < 64) lengths_ |= std::uint64_t{1} << length;
  });
  return q;
}

void NearestNames::visit(std::string_view name, std::uint64_t hash, unsigned kinds, std::uint32_t id) {
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = slot_of(hash, mask); table_[i].used; i = (i + 1) & mask) {
    if (table_[i].hash != hash) continue;
    Query& query = queries_[table_[i].query];
    if ((query.accept_kinds & kinds) == 0 || name == query.word) continue;
    // Bounded at the best distance so far, not one less: a tie must be told
    // from "farther" for the alphabetical tie-break.
    const std::size_t d = edit_distance(query.word, name, query.best_distance);
    if (d < query.best_distance || (d == query.best_distance && query.best_id && name < query.best_name)) {
      query.best_distance = d;
      query.best_name = name;
      query.best_id = id;
    }
  }
}

void NearestNames::offer(std::string_view name, unsigned kinds, std::uint32_t id) {
  // A name within one edit of a query shares a variant with it: its own
  // length, or one less, is the length of some query variant.
  const std::size_t n = name.size();
  if (table_.empty() || n == 0 || n > 64 || (kinds & accept_kinds_) == 0) return;
  const bool same = n < 64 && ((lengths_ >> n) & 1u) != 0;
  const bool shorter = ((lengths_ >> (n - 1)) & 1u) != 0;
  if (!same && !shorter) return;
  std::uint64_t prefix[65];
  const std::uint64_t* filter = filter_.data();
  for_each_variant_hash(name, prefix, [&](std::uint64_t hash, std::size_t) {
    // Most probes end at the filter, in cache; only a hit looks further.
    if ((filter[filter_bit(hash) / 64] >> (filter_bit(hash) % 64)) & 1u) visit(name, hash, kinds, id);
  });
}

void NearestNames::merge(const NearestNames& other) {
  for (std::size_t q = 0; q < queries_.size() && q < other.queries_.size(); ++q) {
    Query& mine = queries_[q];
    const Query& theirs = other.queries_[q];
    if (!theirs.best_id) continue;
    if (!mine.best_id || theirs.best_distance < mine.best_distance ||
        (theirs.best_distance == mine.best_distance && theirs.best_name < mine.best_name)) {
      mine.best_distance = theirs.best_distance;
      mine.best_name = theirs.best_name;
      mine.best_id = theirs.best_id;
    }
  }
}

std::optional<std::uint32_t> NearestNames::best(std::size_t q) const { return queries_[q].best_id; }

}  // namespace kpilint::model

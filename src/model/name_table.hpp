#pragma once
// The workspace namespace: each name to its first definition. Two shards,
// chosen by the name's hash, so a large workspace is named on two cores:
// each shard still sees its names in path order, so the first definition
// wins in each, and a name's shard never depends on who inserts it.
#include <array>
#include <cstddef>
#include <string_view>

#include <absl/container/flat_hash_map.h>
#include <absl/hash/hash.h>

#include "base/huge_pages.hpp"

namespace kpilint::model {

struct Entity;

// A name with its hash, computed once: the table's hasher only hands the
// hash on, and two names are compared by hash before by text (the text of a
// stored name lies in another file, usually out of cache).
struct HashedName {
  std::string_view text;
  std::size_t hash = 0;
  friend bool operator==(const HashedName& a, const HashedName& b) { return a.hash == b.hash && a.text == b.text; }
};

class NameTable {
 public:
  static constexpr std::size_t kShards = 2;
  struct PassHash {
    std::size_t operator()(const HashedName& name) const { return name.hash; }
  };
  // Open addressing: one probe, no node per name. A large workspace's table
  // is megabytes probed at random, so it lives on huge pages (one TLB entry
  // per 2 MiB).
  using Shard = absl::flat_hash_map<HashedName, Entity*, PassHash, std::equal_to<HashedName>,
                                    HugePageAllocator<std::pair<const HashedName, Entity*>>>;

  static HashedName hashed(std::string_view name) { return {name, absl::Hash<std::string_view>{}(name)}; }
  // The top bit: the table's own probing starts from the low bits.
  static std::size_t shard_of(const HashedName& name) { return name.hash >> (sizeof(std::size_t) * 8 - 1); }

  Entity* find(std::string_view name) const {
    const HashedName key = hashed(name);
    const Shard& shard = shards_[shard_of(key)];
    const auto it = shard.find(key);
    return it == shard.end() ? nullptr : it->second;
  }

  std::size_t size() const {
    std::size_t n = 0;
    for (const Shard& shard : shards_) n += shard.size();
    return n;
  }
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const Shard& shard : shards_) {
      for (const auto& [name, entity] : shard) visit(name.text, entity);
    }
  }

  Shard& shard(std::size_t s) { return shards_[s]; }

 private:
  std::array<Shard, kShards> shards_;
};

}  // namespace kpilint::model

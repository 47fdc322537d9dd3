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

class NameTable {
 public:
  static constexpr std::size_t kShards = 2;
  // Open addressing: one probe, no node per name. A large workspace's table
  // is megabytes probed at random, so it lives on huge pages (one TLB entry
  // per 2 MiB).
  using Shard = absl::flat_hash_map<std::string_view, Entity*, absl::Hash<std::string_view>, std::equal_to<std::string_view>,
                                    HugePageAllocator<std::pair<const std::string_view, Entity*>>>;

  static std::size_t hash(std::string_view name) { return absl::Hash<std::string_view>{}(name); }
  // The top bit: the table's own probing starts from the low bits.
  static std::size_t shard_of(std::size_t hash) { return hash >> (sizeof(std::size_t) * 8 - 1); }
  static std::size_t shard_of(std::string_view name) { return shard_of(hash(name)); }

  Entity* find(std::string_view name) const {
    const std::size_t h = hash(name);
    const Shard& shard = shards_[shard_of(h)];
    const auto it = shard.find(name, h);  // the hash is not computed twice
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
      for (const auto& [name, entity] : shard) visit(name, entity);
    }
  }

  Shard& shard(std::size_t s) { return shards_[s]; }

 private:
  std::array<Shard, kShards> shards_;
};

}  // namespace kpilint::model

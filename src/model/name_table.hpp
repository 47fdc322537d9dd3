#pragma once
// The workspace namespace: each name to its first definition. Two shards,
// chosen by the name's hash, so a large workspace is named on two cores:
// each shard still sees its names in path order, so the first definition
// wins in each, and a name's shard never depends on who inserts it.
#include <array>
#include <cstddef>
#include <string_view>

#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>

#include "base/huge_pages.hpp"
#include "model/entity.hpp"

namespace kpilint::model {

// A name with its hash, computed once (while its entity is made, on all
// cores; once per reference, for the name table and the stdlib's metrics):
// the key the table is filled and searched with.
struct HashedName {
  std::string_view text;
  std::size_t hash = 0;
};

// A hasher and equality over names that take a HashedName's hash as given.
struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view name) const { return absl::Hash<std::string_view>{}(name); }
  std::size_t operator()(const HashedName& name) const { return name.hash; }
};
struct NameEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  bool operator()(std::string_view a, const HashedName& b) const { return a == b.text; }
  bool operator()(const HashedName& a, std::string_view b) const { return a.text == b; }
};

class NameTable {
 public:
  static constexpr std::size_t kShards = 2;

  // A slot is the entity alone (8 bytes): a name is compared through the
  // entity it names, which a lookup reads next anyway (its kind), and only
  // when the slot's 7 hash bits (absl's control byte) match. A 100k-name
  // table is 2 MiB instead of 8 of fresh memory, and probes touch a quarter
  // of the cache lines.
  struct Hash : NameHash {
    using NameHash::operator();
    // Only when the table grows past what was reserved.
    std::size_t operator()(const Entity* entity) const { return (*this)(entity->name); }
  };
  struct Same {
    using is_transparent = void;
    bool operator()(const Entity* a, const Entity* b) const { return a->name == b->name; }
    bool operator()(const Entity* a, const HashedName& b) const { return a->name == b.text; }
    bool operator()(const HashedName& a, const Entity* b) const { return a.text == b->name; }
  };
  // Open addressing: one probe, no node per name. A large workspace's table
  // is megabytes probed at random, so it lives on huge pages (one TLB entry
  // per 2 MiB).
  using Shard = absl::flat_hash_set<Entity*, Hash, Same, HugePageAllocator<Entity*>>;

  static std::size_t hash(std::string_view name) { return NameHash{}(name); }
  static HashedName hashed(std::string_view name) { return {name, hash(name)}; }
  // The top bit: the table's own probing starts from the low bits.
  static std::size_t shard_of(const HashedName& name) { return name.hash >> (sizeof(std::size_t) * 8 - 1); }

  // The entity `name` names, or nullptr.
  Entity* find(std::string_view name) const { return find(hashed(name)); }
  Entity* find(const HashedName& name) const {
    const Shard& shard = shards_[shard_of(name)];
    const auto it = shard.find(name);
    return it == shard.end() ? nullptr : *it;
  }
  // Names `entity`, unless its name is taken: then the first definition.
  static Entity* insert(Shard& shard, const HashedName& name, Entity* entity) {
    return *shard.lazy_emplace(name, [entity](const auto& construct) { construct(entity); });
  }

  std::size_t size() const {
    std::size_t n = 0;
    for (const Shard& shard : shards_) n += shard.size();
    return n;
  }
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const Shard& shard : shards_) {
      for (const Entity* entity : shard) visit(entity->name, entity);
    }
  }

  Shard& shard(std::size_t s) { return shards_[s]; }

 private:
  std::array<Shard, kShards> shards_;
};

}  // namespace kpilint::model

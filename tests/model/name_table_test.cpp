// The name table keeps only entities in its slots and compares names through
// them. These tests hold it to a map's behaviour: the first definition of a
// name wins, names that share hash bits stay apart, absent names are absent,
// and growing past the reservation (which rehashes through the entities)
// loses nothing.
#include <catch2/catch.hpp>

#include <deque>
#include <string>
#include <vector>

#include "model/name_table.hpp"

using kpilint::model::Entity;
using kpilint::model::NameTable;

namespace {

struct Named {
  std::deque<std::string> texts;  // stable addresses for the entities' views
  std::deque<Entity> entities;
  Entity* make(std::string name) {
    Entity& entity = entities.emplace_back();
    entity.name = texts.emplace_back(std::move(name));
    return &entity;
  }
};

// Fills the table as the model does: each name into its shard, in order.
// Returns the entities whose name was taken.
std::vector<Entity*> fill(NameTable& table, const std::vector<Entity*>& entities, std::size_t reserve) {
  std::vector<Entity*> taken;
  for (std::size_t s = 0; s < NameTable::kShards; ++s) table.shard(s).reserve(reserve);
  for (Entity* entity : entities) {
    const auto name = NameTable::hashed(entity->name);
    if (NameTable::insert(table.shard(NameTable::shard_of(name)), name, entity) != entity) taken.push_back(entity);
  }
  return taken;
}

}  // namespace

TEST_CASE("the name table maps each name to its first definition", "[model][names]") {
  Named named;
  std::vector<Entity*> entities;
  for (int i = 0; i < 20'000; ++i) entities.push_back(named.make("kpi_" + std::to_string(i)));
  Entity* again = named.make("kpi_7");
  Entity* third = named.make("kpi_7");
  entities.push_back(again);
  entities.push_back(third);

  NameTable table;
  // Reserved for a tenth: the table grows (and rehashes) many times.
  const auto taken = fill(table, entities, 1'000);
  REQUIRE(taken.size() == 2);
  CHECK(taken[0] == again);
  CHECK(taken[1] == third);
  CHECK(table.size() == 20'000);

  for (int i = 0; i < 20'000; i += 997) CHECK(table.find("kpi_" + std::to_string(i)) == entities[static_cast<std::size_t>(i)]);
  CHECK(table.find("kpi_7") == entities[7]);
  CHECK(table.find("kpi_20000") == nullptr);
  CHECK(table.find("kpi_") == nullptr);
  CHECK(table.find("") == nullptr);
  CHECK(table.find("KPI_7") == nullptr);

  std::size_t visited = 0;
  table.for_each([&](std::string_view name, const Entity* entity) {
    CHECK(name == entity->name);
    ++visited;
  });
  CHECK(visited == 20'000);
}

TEST_CASE("names whose hashes share the control bits are told apart by their text", "[model][names]") {
  // absl keeps 7 bits of each hash beside the slot; a lookup compares text
  // only where they agree. Gather names that agree with "target" in those
  // bits (the low 7) and in the shard bit, and look each one up.
  const auto bits = [](std::string_view name) {
    const std::size_t hash = NameTable::hash(name);
    return (hash & 0x7f) | (NameTable::shard_of({name, hash}) << 7);
  };
  Named named;
  Entity* target = named.make("target");
  std::vector<Entity*> alike{target};
  for (int i = 0; alike.size() < 40; ++i) {
    const std::string name = "n" + std::to_string(i);
    if (bits(name) == bits("target")) alike.push_back(named.make(name));
  }
  NameTable table;
  CHECK(fill(table, alike, 64).empty());
  for (const Entity* entity : alike) CHECK(table.find(entity->name) == entity);
  CHECK(table.find("targets") == nullptr);
}

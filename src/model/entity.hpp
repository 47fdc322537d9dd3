#pragma once
// A resolved declaration. Entities are what rules are evaluated over: each
// knows its fields by id, the declarations its references resolved to, and
// the relations other declarations have with it (kpis, children, owned).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "base/prefetch.hpp"
#include "model/schema.hpp"
#include "syntax/tree.hpp"

namespace kpilint::model {

struct Document;

// One field of an entity as it is read: the first occurrence in the
// declaration, and for Ref/AtRef fields the declaration it names when it
// resolved. A small value computed from the entity's compact tables.
struct FieldSlot {
  const syntax::Field* field = nullptr;
  const struct Entity* ref = nullptr;
};

// The single-reference fields (members are a list, kept apart), each with a
// place in Entity::refs.
constexpr int ref_index(FieldId id) {
  switch (id) {
    case FieldId::Owner: return 0;
    case FieldId::Objective: return 1;
    case FieldId::Parent: return 2;
    case FieldId::Metric: return 3;
    case FieldId::Kpi: return 4;
    default: return -1;
  }
}
inline constexpr int kRefFieldCount = 5;

// The Enum fields (each checked word kept as a number), each with a place
// in Entity::words.
constexpr int word_index(FieldId id) {
  switch (id) {
    case FieldId::Function: return 0;
    case FieldId::Review: return 1;
    case FieldId::Level: return 2;
    case FieldId::Indicator: return 3;
    case FieldId::Compare: return 4;
    case FieldId::Rollup: return 5;
    case FieldId::Category: return 6;
    default: return -1;
  }
}
inline constexpr int kWordFieldCount = 7;

struct Entity {
  // What rules read most comes first, so that reading a field of another
  // entity (a KPI's parent's level) touches one or two of its cache lines,
  // and neither its declaration nor its source text. 168 bytes: a
  // million-line workspace has over 100,000 entities, made fresh each run.
  DeclKind kind = DeclKind::Kpi;
  bool stdlib = false;
  bool duplicate = false;              // a second definition of a name (KPI002)
  bool syntax_error = false;           // decl->has_error, kept here
  std::uint32_t invalid_fields = 0;    // bit per FieldId: its value was reported (KPI003/KPI004/KPI005), reads are unknown
  static_assert(kFieldCount <= 32);
  std::string_view name;
  const syntax::Field* fields = nullptr;  // decl->fields.data(), kept here
  // An Enum field whose word was checked, at its word_index(): the word's
  // enum_word_id() + 1 (0: not checked, as in an invalid value; readers
  // then look at the value).
  std::array<std::uint8_t, kWordFieldCount> words{};
  bool in_cycle = false;               // its parent chain loops (KPI004): reads of `parent` are unknown, but it
                                       // is still its parent's child in relations (an objective's tree)
  std::uint32_t field_count = 0;       // decl->fields.size(), kept here
  std::uint32_t order = 0;             // position among the workspace's entities (path order)
  // Compact on purpose: the resolved references, and where each field sits
  // in decl->fields as one byte: 1 + its index, 0 when not set,
  // kFieldFarAway for an index past 253 (a declaration that long is found
  // by a scan; none is in practice).
  static constexpr std::uint8_t kFieldFarAway = 255;
  std::array<const Entity*, kRefFieldCount> refs{};
  std::array<std::uint8_t, kFieldCount> field_at{};
  bool members_invalid = false;        // some member did not resolve

  const syntax::Decl* decl = nullptr;
  const Document* document = nullptr;  // the file it lives in (a stdlib module for stdlib metrics)

  // Team: resolved members (unresolved ones left out), in order.
  std::span<const Entity* const> members() const { return {members_.get(), member_count_}; }
  void set_members(std::span<const Entity* const> members) {
    members_.reset(members.empty() ? nullptr : new const Entity*[members.size()]);
    std::copy(members.begin(), members.end(), members_.get());
    member_count_ = static_cast<std::uint32_t>(members.size());
  }

  // Relations, filled after resolution, in path order: views into one array
  // of the model (kpis, then children, then owned), not three vectors each.
  std::span<const Entity* const> kpis() const { return {related_, kpi_count_}; }         // objective: KPIs whose `objective` is this
  std::span<const Entity* const> children() const { return {related_ + kpi_count_, child_count_}; }  // kpi: KPIs whose `parent` is this
  std::span<const Entity* const> owned() const {                                         // person/team: KPIs whose `owner` is this
    return {related_ + kpi_count_ + child_count_, owned_count_};
  }

  void attach(const syntax::Decl& declaration) {
    decl = &declaration;
    fields = declaration.fields.data();
    field_count = static_cast<std::uint32_t>(declaration.fields.size());
    syntax_error = declaration.has_error;
  }
  std::span<const syntax::Field> all_fields() const { return {fields, field_count}; }

  // Asks the memory system for this entity's fields ahead of use: a pass
  // over many entities reads each one's fields in its own order, and every
  // first read would otherwise wait for memory.
  // The declaration's text, which starts at its name, too: rules and the
  // fields pass read the values there (100k: rules 50 -> 44 ms).
  void prefetch() const {
    constexpr std::uintptr_t kMaxLines = 32, kTextLines = 8;
    const std::uintptr_t bytes = std::uintptr_t{field_count} * sizeof(syntax::Field);
    prefetch_lines(fields, std::min<std::uintptr_t>((bytes + 63) / 64, kMaxLines));
    prefetch_lines(name.data(), kTextLines);  // may run past the text's end: a hint, harmless
  }

  FieldSlot slot(FieldId id) const {
    const std::uint8_t at = field_at[static_cast<int>(id)];
    if (at == 0) return {};
    const int r = ref_index(id);
    return {at == kFieldFarAway ? far_field(id) : &fields[at - 1], r < 0 ? nullptr : refs[static_cast<std::size_t>(r)]};
  }
  // The declaration a Ref/AtRef field resolved to (nullptr: unset or unresolved).
  const Entity* ref(FieldId id) const {
    const int r = ref_index(id);
    return r < 0 ? nullptr : refs[static_cast<std::size_t>(r)];
  }
  bool has(FieldId id) const { return field_at[static_cast<int>(id)] != 0; }
  // The first field named `id` must be at `index_in_decl` (set once per id).
  void set_field(FieldId id, std::uint32_t index_in_decl) {
    field_at[static_cast<int>(id)] =
        index_in_decl + 1 < kFieldFarAway ? static_cast<std::uint8_t>(index_in_decl + 1) : kFieldFarAway;
  }
  void set_ref(FieldId id, const Entity* target) {
    if (const int r = ref_index(id); r >= 0) refs[static_cast<std::size_t>(r)] = target;
  }
  bool invalid(FieldId id) const { return (invalid_fields >> static_cast<int>(id)) & 1u; }
  void set_invalid(FieldId id, bool value = true) {
    const std::uint32_t bit = std::uint32_t{1} << static_cast<int>(id);
    invalid_fields = value ? (invalid_fields | bit) : (invalid_fields & ~bit);
  }
  void set_word(FieldId id, std::uint8_t word_id) {
    if (const int w = word_index(id); w >= 0) words[static_cast<std::size_t>(w)] = static_cast<std::uint8_t>(word_id + 1);
  }
  // The checked word of Enum field `id` (see `words`); 0 for any other field.
  std::uint8_t word(FieldId id) const {
    const int w = word_index(id);
    return w < 0 ? 0 : words[static_cast<std::size_t>(w)];
  }
  bool has_syntax_error() const { return syntax_error; }
  // Rules run only on declarations that parsed, are not second definitions,
  // and belong to the workspace.
  bool checkable() const { return !stdlib && !duplicate && !has_syntax_error(); }

 private:
  friend class ModelBuilder;
  const syntax::Field* far_field(FieldId id) const;  // the first field named `id`, found by a scan
  std::uint32_t member_count_ = 0;
  std::uint32_t kpi_count_ = 0, child_count_ = 0, owned_count_ = 0;
  std::unique_ptr<const Entity*[]> members_;
  const Entity* const* related_ = nullptr;
};

static_assert(sizeof(void*) != 8 || sizeof(Entity) == 168, "a million-line workspace makes 100,000s of entities");

// The result of reading a field for a rule: absent, a value, or unknown
// (the value was invalid, or the read went through a reference that did not
// resolve). Rules do not fire on unknown.
enum class ReadState : unsigned char { Absent, Present, Unknown };

struct FieldRead {
  ReadState state = ReadState::Absent;
  const syntax::Field* field = nullptr;  // Present: the field (possibly the metric's)
  const Entity* ref = nullptr;           // Present Ref/AtRef: the resolved declaration
  const Entity* owner = nullptr;         // Present: the entity the field was read from
};

// Where a read of field `id` lands, with metric inheritance: a KPI without
// one of the inherited fields (unit, aggregation, indicator, category,
// vanity) takes its metric's. Present: `owner` holds a valid value.
struct FieldOwner {
  ReadState state = ReadState::Absent;
  const Entity* owner = nullptr;
};
inline FieldOwner field_owner(const Entity& entity, FieldId id) {
  if (entity.has(id)) return {entity.invalid(id) ? ReadState::Unknown : ReadState::Present, &entity};
  if (inherited_spec(entity.kind, id) == nullptr || !entity.has(FieldId::Metric)) return {ReadState::Absent};
  const Entity* metric = entity.ref(FieldId::Metric);
  if (entity.invalid(FieldId::Metric) || metric == nullptr) return {ReadState::Unknown};
  return field_owner(*metric, id);
}

// Reads a field, inheritance included.
FieldRead read_field(const Entity& entity, FieldId id);

// The same for an Enum field, from the entity alone: `word` is the checked
// word's enum_word_id() + 1, or 0 when it was not checked (then read_field).
struct WordRead {
  ReadState state = ReadState::Absent;
  std::uint8_t word = 0;
  const Entity* owner = nullptr;
};
inline WordRead read_word(const Entity& entity, FieldId id) {
  const FieldOwner at = field_owner(entity, id);
  if (at.state != ReadState::Present) return {at.state};
  return {ReadState::Present, at.owner->word(id), at.owner};
}

// A KPI whose level (its own or its metric's) is `business`.
bool is_business(const Entity& kpi);

// What a person reads for a declaration: its title string, else its name.
std::string_view title_or_name(const Entity& entity);

}  // namespace kpilint::model

#pragma once
// What each declaration may contain: its fields, each field's value type, the
// enum words it accepts, the declaration kinds a reference may name, and
// which fields a KPI inherits from its metric. The model validates against
// it (KPI005, KPI006); the rule language type-checks against it.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "syntax/tree.hpp"

namespace kpilint::model {

using syntax::DeclKind;

enum class FieldId : unsigned char {
  Name, Email, Function, Members, Title, Description, Owner, Horizon, Review, Level,
  Objective, Parent, Metric, Source, Aggregation, Unit, Indicator, Seasonal, Compare,
  SetBy, Rollup, Target, Category, Vanity, Stakeholders, Hypothesis, Kpi, Stop,
};
inline constexpr int kFieldCount = 28;

std::string_view field_name(FieldId id);
std::optional<FieldId> field_from_name(std::string_view name);

enum class FieldType : unsigned char {
  String,       // "…"
  Enum,         // one word of `enum_id`
  Bool,         // true | false
  When,         // a date or a quarter
  Unit,         // a unit word (USD, percent, count, …) or `%`
  Aggregation,  // METHOD PERIOD: `avg monthly`
  Target,       // CMP VALUE [UNIT] [by WHEN] [± VALUE]
  Ref,          // a bare name of a declaration of `ref_kinds`
  AtRef,        // @name of a declaration of `ref_kinds`
  AtRefList,    // [@a, @b]
  EnumList,     // [word, word] of `enum_id`
};

enum class EnumId : unsigned char {
  None, Function, Cadence, Level, Indicator, Compare, Rollup, Category, Stakeholder,
  AggregationMethod, Period,
  MarketingFunction,  // a KPI's `function`: demand_gen | marketing_support
};

constexpr unsigned kind_bit(DeclKind kind) { return 1u << static_cast<unsigned>(kind); }

struct FieldSpec {
  FieldId id;
  FieldType type;
  EnumId enum_id = EnumId::None;
  unsigned ref_kinds = 0;    // kind_bit()s a reference may resolve to
  bool inherited = false;    // a KPI without it takes its metric's value
};

// The spec of field `id` in declarations of `kind`, or nullptr when that
// declaration has no such field.
const FieldSpec* field_spec(DeclKind kind, FieldId id);
// The spec of a field a KPI reads from its metric when it does not set it
// (unit, aggregation, indicator, and the metric-only category and vanity),
// or nullptr.
const FieldSpec* inherited_spec(DeclKind kind, FieldId id);
// The fields of a declaration kind, in the canonical order (the formatter's).
std::span<const FieldId> fields_of(DeclKind kind);
std::span<const std::string_view> enum_words(EnumId id);
std::string_view enum_name(EnumId id);  // "function", "level", … for messages
bool is_enum_word(EnumId id, std::string_view word);
// Every enum's words numbered in one space (under 255 in all), so an entity
// can keep a checked word in a byte and a reader can compare or print it
// without going back to the source text.
std::optional<std::uint8_t> enum_word_id(EnumId id, std::string_view word);
std::string_view enum_word_text(std::uint8_t word_id);

// A currency code (`USD`, `BRL`): three upper-case letters. The unit
// `currency` accepts any of them.
bool is_currency_code(std::string_view unit);
// Whether a value in unit `a` may stand where unit `b` is expected:
// equal, or one is `currency` and the other a currency code.
bool units_compatible(std::string_view a, std::string_view b);

}  // namespace kpilint::model

#include "model/schema.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <vector>

#include "base/i18n.hpp"

namespace kpilint::model {
namespace {

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "name", "email", "function", "members", "title", "description", "owner", "horizon", "review", "level",
    "objective", "parent", "metric", "source", "aggregation", "unit", "indicator", "seasonal", "compare",
    "set_by", "rollup", "target", "category", "vanity", "stakeholders", "hypothesis", "kpi", "stop",
};

constexpr unsigned kPersonOrTeam = kind_bit(DeclKind::Person) | kind_bit(DeclKind::Team);

using F = FieldId;
using T = FieldType;
using E = EnumId;

constexpr FieldSpec kPerson[] = {
    {F::Name, T::String}, {F::Email, T::String}, {F::Function, T::Enum, E::Function}};
constexpr FieldSpec kTeam[] = {
    {F::Name, T::String}, {F::Members, T::AtRefList, E::None, kPersonOrTeam}, {F::Function, T::Enum, E::Function}};
constexpr FieldSpec kObjective[] = {
    {F::Title, T::String}, {F::Description, T::String}, {F::Owner, T::AtRef, E::None, kPersonOrTeam},
    {F::Horizon, T::When}, {F::Review, T::Enum, E::Cadence}};
constexpr FieldSpec kKpi[] = {
    {F::Title, T::String},
    {F::Description, T::String},
    {F::Level, T::Enum, E::Level},
    {F::Objective, T::Ref, E::None, kind_bit(DeclKind::Objective)},
    {F::Parent, T::Ref, E::None, kind_bit(DeclKind::Kpi)},
    {F::Metric, T::Ref, E::None, kind_bit(DeclKind::Metric)},
    {F::Owner, T::AtRef, E::None, kPersonOrTeam},
    {F::Source, T::String},
    {F::Aggregation, T::Aggregation, E::None, 0, true},
    {F::Unit, T::Unit, E::None, 0, true},
    {F::Indicator, T::Enum, E::Indicator, 0, true},
    {F::Function, T::Enum, E::MarketingFunction},
    {F::Seasonal, T::Bool},
    {F::Compare, T::Enum, E::Compare},
    {F::SetBy, T::EnumList, E::Stakeholder},
    {F::Rollup, T::Enum, E::Rollup},
    {F::Target, T::Target},
};
// Read-only for KPIs: taken from the metric, never written on a KPI.
constexpr FieldSpec kKpiInheritedOnly[] = {
    {F::Category, T::Enum, E::Category, 0, true}, {F::Vanity, T::Bool, E::None, 0, true}};
constexpr FieldSpec kMetric[] = {
    {F::Title, T::String},        {F::Description, T::String}, {F::Unit, T::Unit},
    {F::Aggregation, T::Aggregation}, {F::Indicator, T::Enum, E::Indicator}, {F::Category, T::Enum, E::Category},
    {F::Vanity, T::Bool},         {F::Stakeholders, T::EnumList, E::Stakeholder}};
constexpr FieldSpec kExperiment[] = {
    {F::Hypothesis, T::String}, {F::Kpi, T::Ref, E::None, kind_bit(DeclKind::Kpi)},
    {F::Owner, T::AtRef, E::None, kPersonOrTeam}, {F::Stop, T::String}};

std::span<const FieldSpec> specs_of(DeclKind kind) {
  switch (kind) {
    case DeclKind::Use: return {};
    case DeclKind::Person: return kPerson;
    case DeclKind::Team: return kTeam;
    case DeclKind::Objective: return kObjective;
    case DeclKind::Kpi: return kKpi;
    case DeclKind::Metric: return kMetric;
    case DeclKind::Experiment: return kExperiment;
  }
  return {};
}

template <std::size_t N>
constexpr std::array<FieldId, N> ids_of(const FieldSpec (&specs)[N]) {
  std::array<FieldId, N> ids{};
  for (std::size_t i = 0; i < N; ++i) ids[i] = specs[i].id;
  return ids;
}
constexpr auto kPersonIds = ids_of(kPerson);
constexpr auto kTeamIds = ids_of(kTeam);
constexpr auto kObjectiveIds = ids_of(kObjective);
constexpr auto kKpiIds = ids_of(kKpi);
constexpr auto kMetricIds = ids_of(kMetric);
constexpr auto kExperimentIds = ids_of(kExperiment);

constexpr std::string_view kFunctions[] = {"demand_gen", "marketing_support", "sales", "finance", "product", "executive"};
// A KPI's `function` is the marketing function it measures (§1).
constexpr std::string_view kMarketingFunctions[] = {"demand_gen", "marketing_support"};
constexpr std::string_view kCadences[] = {"weekly", "monthly", "quarterly", "yearly"};
constexpr std::string_view kLevels[] = {"business", "marketing"};
constexpr std::string_view kIndicators[] = {"leading", "lagging"};
constexpr std::string_view kCompares[] = {"mom", "qoq", "yoy"};
constexpr std::string_view kRollups[] = {"driver", "sum"};
constexpr std::string_view kCategories[] = {"outcome", "efficiency", "engagement", "leads", "qualitative"};
// Who sets targets or looks at a metric: the functions plus the broader groups
// people write in practice.
constexpr std::string_view kStakeholders[] = {
    "executive", "finance", "sales", "marketing", "demand_gen", "marketing_support", "product",
    "leadership", "operations", "customer_success", "engineering", "data", "board"};
constexpr std::string_view kMethods[] = {"sum", "avg", "min", "max", "last", "count", "ratio"};
constexpr std::string_view kPeriods[] = {"daily", "weekly", "monthly", "quarterly", "yearly"};

}  // namespace

std::string_view field_name(FieldId id) { return kFieldNames[static_cast<int>(id)]; }

namespace {

// Field names by length and first letter: at most two share both (`source`,
// `set_by`), and none is longer than 15 bytes.
constexpr std::size_t kLongestFieldName = 15;
struct FieldNameBucket {
  std::array<std::uint8_t, 2> ids{};  // FieldId + 1; 0: none
};
constexpr auto kFieldNameBuckets = [] {
  std::array<FieldNameBucket, (kLongestFieldName + 1) * 32> buckets{};
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    const std::string_view name = kFieldNames[i];
    auto& ids = buckets[name.size() * 32 + (static_cast<unsigned char>(name[0]) & 31)].ids;
    if (ids[1] != 0) throw "a third field name of this length and first letter: widen FieldNameBucket";
    (ids[0] == 0 ? ids[0] : ids[1]) = static_cast<std::uint8_t>(i + 1);
  }
  return buckets;
}();
static_assert(std::all_of(kFieldNames.begin(), kFieldNames.end(), [](std::string_view name) {
  return !name.empty() && name.size() <= kLongestFieldName;
}));

// Equal bytes, n <= 15, both readable for n bytes: two overlapping loads of
// 8, 4 or 2 bytes, inline (a call to memcmp costs more than the comparison).
bool same_short(const char* a, const char* b, std::size_t n) {
  const auto two_loads = [&]<typename Word>(Word) {
    Word a0, a1, b0, b1;
    std::memcpy(&a0, a, sizeof(Word));
    std::memcpy(&b0, b, sizeof(Word));
    std::memcpy(&a1, a + n - sizeof(Word), sizeof(Word));
    std::memcpy(&b1, b + n - sizeof(Word), sizeof(Word));
    return a0 == b0 && a1 == b1;
  };
  if (n >= 8) return two_loads(std::uint64_t{});
  if (n >= 4) return two_loads(std::uint32_t{});
  if (n >= 2) return two_loads(std::uint16_t{});
  return n == 0 || *a == *b;
}

}  // namespace

std::optional<FieldId> field_from_name(std::string_view name) {
  // Called for every field of the workspace (a million of them): one table
  // lookup, then one or two short comparisons.
  if (name.empty() || name.size() > kLongestFieldName) return std::nullopt;
  const auto& bucket = kFieldNameBuckets[name.size() * 32 + (static_cast<unsigned char>(name[0]) & 31)];
  for (const std::uint8_t id : bucket.ids) {
    if (id != 0 && same_short(name.data(), kFieldNames[id - 1u].data(), name.size())) return static_cast<FieldId>(id - 1);
  }
  return std::nullopt;
}

const FieldSpec* field_spec(DeclKind kind, FieldId id) {
  // Every field of the workspace is looked up here: a table, filled once.
  static const auto table = [] {
    std::array<std::array<const FieldSpec*, kFieldCount>, syntax::kDeclKindCount> specs{};
    for (int k = 0; k < syntax::kDeclKindCount; ++k) {
      for (const FieldSpec& spec : specs_of(static_cast<DeclKind>(k))) specs[k][static_cast<int>(spec.id)] = &spec;
    }
    return specs;
  }();
  return table[static_cast<int>(kind)][static_cast<int>(id)];
}

const FieldSpec* inherited_spec(DeclKind kind, FieldId id) {
  if (kind != DeclKind::Kpi) return nullptr;
  for (const auto& spec : kKpi) {
    if (spec.id == id && spec.inherited) return &spec;
  }
  for (const auto& spec : kKpiInheritedOnly) {
    if (spec.id == id) return &spec;
  }
  return nullptr;
}

std::span<const FieldId> fields_of(DeclKind kind) {
  switch (kind) {
    case DeclKind::Use: return {};
    case DeclKind::Person: return kPersonIds;
    case DeclKind::Team: return kTeamIds;
    case DeclKind::Objective: return kObjectiveIds;
    case DeclKind::Kpi: return kKpiIds;
    case DeclKind::Metric: return kMetricIds;
    case DeclKind::Experiment: return kExperimentIds;
  }
  return {};
}

std::span<const std::string_view> enum_words(EnumId id) {
  switch (id) {
    case EnumId::None: return {};
    case EnumId::Function: return kFunctions;
    case EnumId::Cadence: return kCadences;
    case EnumId::Level: return kLevels;
    case EnumId::Indicator: return kIndicators;
    case EnumId::Compare: return kCompares;
    case EnumId::Rollup: return kRollups;
    case EnumId::Category: return kCategories;
    case EnumId::Stakeholder: return kStakeholders;
    case EnumId::AggregationMethod: return kMethods;
    case EnumId::Period: return kPeriods;
    case EnumId::MarketingFunction: return kMarketingFunctions;
  }
  return {};
}

std::string_view enum_name(EnumId id) {
  switch (id) {
    case EnumId::None: return "";
    case EnumId::Function: return i18n::text("model.enum.function");
    case EnumId::Cadence: return i18n::text("model.enum.cadence");
    case EnumId::Level: return i18n::text("model.enum.level");
    case EnumId::Indicator: return i18n::text("model.enum.indicator");
    case EnumId::Compare: return i18n::text("model.enum.compare");
    case EnumId::Rollup: return i18n::text("model.enum.rollup");
    case EnumId::Category: return i18n::text("model.enum.category");
    case EnumId::Stakeholder: return i18n::text("model.enum.stakeholder");
    case EnumId::AggregationMethod: return i18n::text("model.enum.aggregation-method");
    case EnumId::Period: return i18n::text("model.enum.period");
    case EnumId::MarketingFunction: return i18n::text("model.enum.marketing-function");
  }
  return "";
}

bool is_enum_word(EnumId id, std::string_view word) {
  const auto words = enum_words(id);
  return std::find(words.begin(), words.end(), word) != words.end();
}

namespace {
constexpr EnumId kEnums[] = {EnumId::Function, EnumId::Cadence,  EnumId::Level,     EnumId::Indicator,
                             EnumId::Compare,  EnumId::Rollup,   EnumId::Category,  EnumId::Stakeholder,
                             EnumId::AggregationMethod, EnumId::Period, EnumId::MarketingFunction};
static_assert(std::size(kEnums) == static_cast<std::size_t>(EnumId::MarketingFunction), "every enum but None");

// Where each enum's words start in the one numbering.
struct WordNumbering {
  std::array<std::uint8_t, std::size(kEnums) + 1> first{};
  std::vector<std::string_view> text;
  WordNumbering() {
    for (const EnumId id : kEnums) {
      first[static_cast<std::size_t>(id)] = static_cast<std::uint8_t>(text.size());
      for (const std::string_view word : enum_words(id)) text.push_back(word);
    }
  }
};
const WordNumbering& numbering() {
  static const WordNumbering instance;
  return instance;
}
}  // namespace

std::optional<std::uint8_t> enum_word_id(EnumId id, std::string_view word) {
  const auto words = enum_words(id);
  const auto it = std::find(words.begin(), words.end(), word);
  if (it == words.end()) return std::nullopt;
  return static_cast<std::uint8_t>(numbering().first[static_cast<std::size_t>(id)] + (it - words.begin()));
}

std::string_view enum_word_text(std::uint8_t word_id) {
  const auto& text = numbering().text;
  return word_id < text.size() ? text[word_id] : std::string_view();
}

bool is_currency_code(std::string_view unit) {
  return unit.size() == 3 && std::all_of(unit.begin(), unit.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool units_compatible(std::string_view a, std::string_view b) {
  if (a == b) return true;
  if (a == "currency") return is_currency_code(b);
  if (b == "currency") return is_currency_code(a);
  return false;
}

}  // namespace kpilint::model

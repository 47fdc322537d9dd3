#include "rules/checker.hpp"

#include <array>
#include <span>
#include <optional>
#include <regex>
#include <string>

#include "base/i18n.hpp"
#include "rules/rule_parser.hpp"
#include "rules/suggest.hpp"

namespace kpilint::rules {

using model::DeclKind;
using model::EnumId;
using model::FieldId;
using model::FieldSpec;
using model::FieldType;
using model::kind_bit;

namespace {

constexpr std::array<DeclKind, 6> kKinds = {DeclKind::Person, DeclKind::Team, DeclKind::Objective,
                                            DeclKind::Kpi, DeclKind::Metric, DeclKind::Experiment};
constexpr std::array<std::string_view, 6> kKindWords = {"person", "team", "objective", "kpi", "metric", "experiment"};

struct RelationSpec {
  std::string_view name;
  Relation relation;
  unsigned on;  // kinds that have it
};
constexpr unsigned kPersonOrTeam = kind_bit(DeclKind::Person) | kind_bit(DeclKind::Team);
constexpr std::array<RelationSpec, 6> kRelations = {{
    {"kpis", Relation::Kpis, kind_bit(DeclKind::Objective)},
    {"tree", Relation::Tree, kind_bit(DeclKind::Objective)},
    {"children", Relation::Children, kind_bit(DeclKind::Kpi)},
    {"descendants", Relation::Descendants, kind_bit(DeclKind::Kpi)},
    {"owned", Relation::Owned, kPersonOrTeam},
    {"members", Relation::Members, kind_bit(DeclKind::Team)},
}};
constexpr std::array<std::string_view, 6> kRelationNames = {"kpis", "tree", "children", "descendants", "owned",
                                                            "members"};

struct FuncSpec {
  std::string_view name;
  Func func;
  int min_args, max_args;  // max -1: any
};
constexpr std::array<FuncSpec, 7> kFuncs = {{
    {"has", Func::Has, 1, 1},
    {"is_number", Func::IsNumber, 1, 1},
    {"matches", Func::Matches, 2, 2},
    {"same_unit", Func::SameUnit, 2, 2},
    {"option", Func::Option, 2, 2},
    {"if", Func::If, 3, 3},
    {"missing", Func::Missing, 1, -1},
}};
constexpr std::array<std::string_view, 10> kFuncNames = {"has", "is_number", "matches", "same_unit", "option",
                                                         "if", "missing", "count", "any", "all"};

// "kpi or team": the kind keywords, joined.
std::string kinds_text(unsigned kinds) {
  std::string out;
  for (std::size_t i = 0; i < kKinds.size(); ++i) {
    if (kinds & kind_bit(kKinds[i])) {
      out = out.empty() ? std::string(kKindWords[i])
                        : i18n::format("common.list.or", i18n::arg("a", out), i18n::arg("b", kKindWords[i]));
    }
  }
  return out.empty() ? std::string(i18n::text("rules.kind.declaration")) : out;
}

// "an indicator word": the type of an enum's words.
std::string_view enum_type_name(EnumId id) {
  switch (id) {
    case EnumId::None: break;
    case EnumId::Function: return i18n::text("rules.type.enum.function");
    case EnumId::Cadence: return i18n::text("rules.type.enum.cadence");
    case EnumId::Level: return i18n::text("rules.type.enum.level");
    case EnumId::Indicator: return i18n::text("rules.type.enum.indicator");
    case EnumId::Compare: return i18n::text("rules.type.enum.compare");
    case EnumId::Rollup: return i18n::text("rules.type.enum.rollup");
    case EnumId::Category: return i18n::text("rules.type.enum.category");
    case EnumId::Stakeholder: return i18n::text("rules.type.enum.stakeholder");
    case EnumId::AggregationMethod: return i18n::text("rules.type.enum.aggregation-method");
    case EnumId::Period: return i18n::text("rules.type.enum.period");
    case EnumId::MarketingFunction: return i18n::text("rules.type.enum.marketing-function");
  }
  return i18n::text("rules.type.enum.word");
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

bool valid_code(std::string_view code) {
  std::size_t i = 0;
  while (i < code.size() && is_upper(code[i])) ++i;
  if (i == 0 || i == code.size()) return false;
  for (; i < code.size(); ++i) {
    if (!is_digit(code[i])) return false;
  }
  return true;
}

bool valid_builtin_code(std::string_view code) {
  return code.size() == 6 && code.substr(0, 3) == "KPI" && is_digit(code[3]) && is_digit(code[4]) && is_digit(code[5]);
}

bool valid_name(std::string_view name) {
  if (name.empty() || !is_lower(name.front()) || name.back() == '-') return false;
  char previous = 0;
  for (char c : name) {
    if (!(is_lower(c) || is_digit(c) || c == '-')) return false;
    if (c == '-' && previous == '-') return false;
    previous = c;
  }
  return true;
}

Type make(TypeBase base) { return Type{base}; }

Type type_of_field(const FieldSpec& spec) {
  switch (spec.type) {
    case FieldType::String: return make(TypeBase::String);
    case FieldType::Enum: return Type{TypeBase::Enum, spec.enum_id};
    case FieldType::Bool: return make(TypeBase::Bool);
    case FieldType::When: return make(TypeBase::Date);
    case FieldType::Unit: return make(TypeBase::Unit);
    case FieldType::Aggregation: return make(TypeBase::Aggregation);
    case FieldType::Target: return make(TypeBase::Target);
    case FieldType::Ref:
    case FieldType::AtRef: return Type{TypeBase::Ref, EnumId::None, spec.ref_kinds};
    case FieldType::AtRefList: return Type{TypeBase::List, EnumId::None, spec.ref_kinds, true};
    case FieldType::EnumList: return Type{TypeBase::List, spec.enum_id, 0, false};
  }
  return make(TypeBase::String);
}

// The spec of a field readable on any of `kinds` (a KPI also reads its
// metric's inherited fields).
const FieldSpec* find_field(unsigned kinds, FieldId id) {
  for (DeclKind kind : kKinds) {
    if (!(kinds & kind_bit(kind))) continue;
    if (const FieldSpec* spec = model::field_spec(kind, id)) return spec;
    if (const FieldSpec* spec = model::inherited_spec(kind, id)) return spec;
  }
  return nullptr;
}

std::vector<std::string_view> field_candidates(unsigned kinds) {
  std::vector<std::string_view> out = {"name", "kind"};
  for (DeclKind kind : kKinds) {
    if (!(kinds & kind_bit(kind))) continue;
    for (FieldId id : model::fields_of(kind)) {
      if (id != FieldId::Name) out.push_back(model::field_name(id));
    }
    if (kind == DeclKind::Kpi) {
      out.push_back("category");
      out.push_back("vanity");
    }
    if (kind == DeclKind::Person || kind == DeclKind::Team) out.push_back("display_name");
  }
  return out;
}

bool is_numeric(TypeBase b) { return b == TypeBase::Number || b == TypeBase::TargetValue; }
bool is_textual(TypeBase b) { return b == TypeBase::String || b == TypeBase::Name; }

class Checker {
 public:
  Checker(const CheckContext& context, std::vector<Diagnostic>& errors, int first_slot)
      : context_(context), errors_(errors), next_slot_(first_slot) {}

  void rule(Rule& r, std::span<const Rule> earlier) {
    rule_ = &r;
    ok_ = true;
    header(r, earlier);
    if (r.info.builtin_language) {
      if (r.has_for || r.require != kNoExpr || r.message.present || r.message_pt.present || !r.at_name.empty()) {
        error(r.name_span, i18n::format("rules.check.builtin-has-logic"));
      }
      ok_rules_ = ok_rules_ && ok_;
      return;
    }
    if (!r.has_for) error(r.name_span, i18n::format("rules.check.no-for", i18n::arg("code", r.info.code)));
    if (r.require == kNoExpr) error(r.name_span, i18n::format("rules.check.no-require", i18n::arg("code", r.info.code)));
    if (!r.message.present) error(r.name_span, i18n::format("rules.check.no-message", i18n::arg("code", r.info.code)));
    if (r.help_pt.present && !r.help.present) {
      error(r.help_pt.span, i18n::format("rules.check.translation-without-original", i18n::arg("key", "help"),
                                         i18n::arg("code", r.info.code)));
    }
    unsigned kinds = 0;
    for (std::size_t i = 0; i < r.kind_names.size(); ++i) {
      const std::string_view word = r.kind_names[i];
      bool found = false;
      for (std::size_t k = 0; k < kKinds.size(); ++k) {
        if (word == kKindWords[k]) {
          kinds |= kind_bit(kKinds[k]);
          r.kinds.push_back(kKinds[k]);
          found = true;
        }
      }
      if (!found) {
        error(r.kind_spans[i], i18n::format("rules.check.unknown-kind", i18n::arg("word", word),
                                            i18n::arg("suggestion", did_you_mean(word, kKindWords))));
      }
    }
    kinds_ = kinds;
    if (kinds != 0) {
      if (r.where != kNoExpr) condition(r.where, kinds, "`where`");
      if (r.require != kNoExpr) condition(r.require, kinds, "`require`");
      if (!r.at_name.empty()) {
        const auto id = model::field_from_name(r.at_name);
        const FieldSpec* spec = id ? find_field(kinds, *id) : nullptr;
        if (spec == nullptr || r.at_name == "name") {
          auto candidates = field_candidates(kinds);
          std::erase(candidates, std::string_view("name"));
          std::erase(candidates, std::string_view("kind"));
          error(r.at_span, i18n::format("rules.check.at-not-a-field", i18n::arg("kinds", kinds_text(kinds)),
                                        i18n::arg("word", r.at_name),
                                        i18n::arg("suggestion", did_you_mean(r.at_name, candidates))));
        } else {
          r.at = *id;
        }
      }
      template_exprs(r.message, kinds);
      template_exprs(r.help, kinds);
      template_exprs(r.message_pt, kinds);
      template_exprs(r.help_pt, kinds);
    }
    ok_rules_ = ok_rules_ && ok_;
  }

  bool ok() const { return ok_rules_; }

 private:
  void error(Span at, std::string message) {
    errors_.push_back(rule_file_error(*rule_->file, at, std::move(message)));
    ok_ = false;
  }

  void header(Rule& r, std::span<const Rule> earlier) {
    const std::string& code = r.info.code;
    if (context_.builtin) {
      if (!valid_builtin_code(code)) error(r.code_span, i18n::format("rules.check.builtin-code", i18n::arg("code", code)));
    } else if (!valid_code(code)) {
      error(r.code_span, i18n::format("rules.check.malformed-code", i18n::arg("code", code)));
    } else if (code.size() >= 3 && code.substr(0, 3) == "KPI") {
      error(r.code_span, i18n::format("rules.check.reserved-code"));
    }
    if (!valid_name(r.info.name)) {
      error(r.name_span, i18n::format("rules.check.malformed-name", i18n::arg("name", r.info.name)));
    }
    auto where = [](const Rule& other) {
      const auto at = other.file->lines().position(other.code_span.begin, Encoding::Utf32);
      return other.file->path + ":" + std::to_string(at.line + 1) + ":" + std::to_string(at.column + 1);
    };
    for (const std::string* key : {&r.info.code, &r.info.name}) {
      const Rule* other = context_.existing ? context_.existing(*key) : nullptr;
      for (const Rule& e : earlier) {
        if (other == nullptr && (e.info.code == *key || e.info.name == *key)) other = &e;
      }
      if (other != nullptr) {
        const bool is_code = key == &r.info.code;
        error(is_code ? r.code_span : r.name_span,
              i18n::format(is_code ? "rules.check.duplicate-code" : "rules.check.duplicate-name", i18n::arg("key", *key),
                           i18n::arg("code", other->info.code), i18n::arg("name", other->info.name),
                           i18n::arg("where", where(*other))));
      }
    }
    if (!r.has_severity) {
      error(r.name_span, i18n::format("rules.check.no-severity", i18n::arg("code", code)));
    } else if (r.severity_name == "error") {
      r.info.default_severity = Severity::Error;
    } else if (r.severity_name == "warning") {
      r.info.default_severity = Severity::Warning;
    } else if (r.severity_name == "info") {
      r.info.default_severity = Severity::Info;
    } else {
      constexpr std::array<std::string_view, 3> levels = {"error", "warning", "info"};
      error(r.severity_span, i18n::format("rules.check.unknown-severity", i18n::arg("word", r.severity_name),
                                          i18n::arg("suggestion", did_you_mean(r.severity_name, levels))));
    }
    if (r.has_builtin_flag && !context_.builtin) {
      error(r.name_span, i18n::format("rules.check.builtin-reserved"));
    }
    if (!r.info.summary_pt.empty() && r.info.summary.empty()) {
      error(r.name_span, i18n::format("rules.check.translation-without-original", i18n::arg("key", "summary"),
                                      i18n::arg("code", code)));
    }
    if (!r.info.rationale_pt.empty() && r.info.rationale.empty()) {
      error(r.name_span, i18n::format("rules.check.translation-without-original", i18n::arg("key", "rationale"),
                                      i18n::arg("code", code)));
    }
  }

  void template_exprs(Template& t, unsigned kinds) {
    for (auto& part : t.parts) {
      if (part.expr == kNoExpr) continue;
      auto type = check(part.expr, kinds);
      if (type && type->base == TypeBase::Word) unresolved(part.expr, kinds);
    }
  }

  Expr& at(ExprId id) { return rule_->exprs[static_cast<std::size_t>(id)]; }

  void condition(ExprId id, unsigned kinds, std::string_view what) {
    auto type = check(id, kinds);
    if (!type) return;
    if (type->base == TypeBase::Word) {
      unresolved(id, kinds);
    } else if (type->base != TypeBase::Bool) {
      error(at(id).span, i18n::format("rules.check.needs-condition", i18n::arg("what", what),
                                      i18n::arg("type", type_name(*type))));
    }
  }

  // A bare word that is no field: explain what it could have been.
  void unresolved(ExprId id, unsigned kinds) {
    Expr& e = at(id);
    const std::string_view word = e.names.at(0);
    for (const auto& relation : kRelations) {
      if (relation.name == word) {
        error(e.span, i18n::format("rules.check.relation-as-value", i18n::arg("word", word)));
        return;
      }
    }
    auto candidates = field_candidates(kinds);
    error(e.span, i18n::format("rules.check.unknown-field", i18n::arg("word", word), i18n::arg("kinds", kinds_text(kinds)),
                               i18n::arg("suggestion", did_you_mean(word, candidates))));
  }

  std::optional<Type> set(ExprId id, std::optional<Type> type) {
    Expr& e = at(id);
    e.checked = true;
    if (type) e.type = *type;
    failed_[id] = !type.has_value();
    return type;
  }

  std::optional<Type> check(ExprId id, unsigned kinds) {
    if (failed_.size() < rule_->exprs.size()) failed_.resize(rule_->exprs.size(), false);
    Expr& e = at(id);
    if (e.checked) return failed_[id] ? std::nullopt : std::optional<Type>(e.type);
    return set(id, check_fresh(id, kinds));
  }

  std::optional<Type> check_fresh(ExprId id, unsigned kinds) {
    Expr& e = at(id);
    switch (e.op) {
      case ExprOp::Literal:
        if (e.has_interpolation) {
          error(e.span, i18n::format("rules.check.interpolation-outside-text"));
          return std::nullopt;
        }
        switch (e.lit) {
          case LitKind::String: return make(TypeBase::String);
          case LitKind::Number: return make(TypeBase::Number);
          case LitKind::Date: return make(TypeBase::Date);
          case LitKind::Bool: return make(TypeBase::Bool);
          case LitKind::Word: return e.type;
        }
        return std::nullopt;
      case ExprOp::Path: return path(e, kinds);
      case ExprOp::Not: {
        condition(e.args[0], kinds, "`not`");
        return make(TypeBase::Bool);
      }
      case ExprOp::And:
      case ExprOp::Or:
        for (ExprId arg : e.args) condition(arg, kinds, e.op == ExprOp::And ? "`and`" : "`or`");
        return make(TypeBase::Bool);
      case ExprOp::Compare:
        if (!compare(e.args[0], e.args[1], e.cmp, kinds)) return std::nullopt;
        return make(TypeBase::Bool);
      case ExprOp::InList: {
        if (e.args.empty()) {
          error(e.span, i18n::format("rules.check.list-outside-in"));
          return std::nullopt;
        }
        bool ok = true;
        for (std::size_t i = 1; i < e.args.size(); ++i) ok = compare(e.args[0], e.args[i], CmpOp::Eq, kinds) && ok;
        if (!ok) return std::nullopt;
        return make(TypeBase::Bool);
      }
      case ExprOp::InField: return in_field(e, kinds);
      case ExprOp::Aggregate: return aggregate(e, kinds);
      case ExprOp::Call: return call(id, kinds);
    }
    return std::nullopt;
  }

  std::optional<Type> path(Expr& e, unsigned kinds) {
    Type current;
    for (std::size_t i = 0; i < e.names.size(); ++i) {
      const std::string_view word = e.names[i];
      const Span span = e.name_spans[i];
      Step step;
      if (i == 0 || current.base == TypeBase::Ref) {
        const unsigned on = i == 0 ? kinds : current.ref_kinds;
        if (word == "name") {
          step.kind = StepKind::Name;
          current = make(TypeBase::Name);
        } else if (word == "kind") {
          step.kind = StepKind::Kind;
          current = make(TypeBase::Kind);
        } else {
          std::optional<FieldId> id = word == "display_name" ? std::optional<FieldId>(FieldId::Name)
                                      : word == "name"       ? std::nullopt
                                                             : model::field_from_name(word);
          const FieldSpec* spec = id ? find_field(on, *id) : nullptr;
          if (spec == nullptr) {
            if (i == 0 && e.names.size() == 1) return make(TypeBase::Word);  // maybe a bare word
            auto candidates = field_candidates(on);
            error(span, i18n::format("rules.check.unknown-field", i18n::arg("word", word), i18n::arg("kinds", kinds_text(on)),
                                     i18n::arg("suggestion", did_you_mean(word, candidates))));
            return std::nullopt;
          }
          step.kind = StepKind::Field;
          step.field = *id;
          step.field_type = spec->type;
          step.inheritable = model::inherited_spec(DeclKind::Kpi, *id) != nullptr;
          current = type_of_field(*spec);
        }
      } else if (current.base == TypeBase::Target) {
        constexpr std::array<std::string_view, 4> parts = {"value", "unit", "deadline", "variance"};
        if (word == "value") {
          step.kind = StepKind::TargetValue;
          current = make(TypeBase::TargetValue);
        } else if (word == "unit") {
          step.kind = StepKind::TargetUnit;
          current = make(TypeBase::Unit);
        } else if (word == "deadline") {
          step.kind = StepKind::TargetDeadline;
          current = make(TypeBase::Date);
        } else if (word == "variance") {
          step.kind = StepKind::TargetVariance;
          current = make(TypeBase::Number);
        } else {
          error(span, i18n::format("rules.check.target-part", i18n::arg("word", word),
                                   i18n::arg("suggestion", did_you_mean(word, parts))));
          return std::nullopt;
        }
      } else if (current.base == TypeBase::Aggregation) {
        constexpr std::array<std::string_view, 2> parts = {"method", "period"};
        if (word == "method") {
          step.kind = StepKind::AggMethod;
          current = Type{TypeBase::Enum, EnumId::AggregationMethod};
        } else if (word == "period") {
          step.kind = StepKind::AggPeriod;
          current = Type{TypeBase::Enum, EnumId::Period};
        } else {
          error(span, i18n::format("rules.check.aggregation-part", i18n::arg("word", word),
                                   i18n::arg("suggestion", did_you_mean(word, parts))));
          return std::nullopt;
        }
      } else {
        error(span, i18n::format("rules.check.no-such-part", i18n::arg("path", e.names[i - 1]),
                                 i18n::arg("type", type_name(current)), i18n::arg("word", word)));
        return std::nullopt;
      }
      e.steps.push_back(step);
    }
    return current;
  }

  bool is_bare(ExprId id) {
    const Expr& e = at(id);
    return e.op == ExprOp::Path && e.names.size() == 1;
  }

  // Turns a bare word into a literal compared against `other`.
  void to_word(ExprId id, const Type& other) {
    Expr& e = at(id);
    const std::string word(e.names.at(0));
    e.op = ExprOp::Literal;
    e.lit = LitKind::Word;
    e.text = word;
    e.steps.clear();
    e.type = other;
    if (e.type.base == TypeBase::List) e.type = Type{other.list_of_refs ? TypeBase::Ref : TypeBase::Enum, other.enum_id, other.ref_kinds};
    e.checked = true;
    failed_[id] = false;
  }

  // Resolves a bare word against the type on the other side. False: reported.
  bool word_against(ExprId id, const Type& other, unsigned kinds) {
    const Expr& e = at(id);
    const std::string_view word = e.names.at(0);
    TypeBase base = other.base;
    EnumId enum_id = other.enum_id;
    if (base == TypeBase::List) base = other.list_of_refs ? TypeBase::Ref : TypeBase::Enum;
    switch (base) {
      case TypeBase::Enum:
        if (!model::is_enum_word(enum_id, word)) {
          std::string all;
          for (auto w : model::enum_words(enum_id)) all += (all.empty() ? "" : ", ") + std::string(w);
          error(e.span, i18n::format("rules.check.not-enum-word", i18n::arg("word", word),
                                     i18n::arg("type", enum_type_name(enum_id)),
                                     i18n::arg("suggestion", did_you_mean(word, model::enum_words(enum_id))),
                                     i18n::arg("words", all)));
          return false;
        }
        break;
      case TypeBase::Kind: {
        bool found = false;
        for (auto k : kKindWords) found = found || k == word;
        if (!found) {
          error(e.span, i18n::format("rules.check.not-a-kind", i18n::arg("word", word),
                                     i18n::arg("suggestion", did_you_mean(word, kKindWords))));
          return false;
        }
        break;
      }
      case TypeBase::Ref:
      case TypeBase::Name:
      case TypeBase::Unit:
      case TypeBase::TargetValue: break;  // a declaration name, a unit word, a word target value
      default:
        unresolved(id, kinds);
        return false;
    }
    to_word(id, other);
    return true;
  }

  bool compare(ExprId lhs, ExprId rhs, CmpOp op, unsigned kinds) {
    auto tl = check(lhs, kinds);
    auto tr = check(rhs, kinds);
    if (!tl || !tr) return false;
    // An enum word wins over a field of the same name: `level == marketing`.
    if (tl->base == TypeBase::Enum && is_bare(rhs) && model::is_enum_word(tl->enum_id, at(rhs).names[0])) {
      to_word(rhs, *tl);
      tr = tl;
    } else if (tr->base == TypeBase::Enum && is_bare(lhs) && model::is_enum_word(tr->enum_id, at(lhs).names[0])) {
      to_word(lhs, *tr);
      tl = tr;
    }
    if (tl->base == TypeBase::Word && tr->base == TypeBase::Word) {
      unresolved(lhs, kinds);
      return false;
    }
    if (tr->base == TypeBase::Word) {
      if (!word_against(rhs, *tl, kinds)) return false;
      tr = at(rhs).type;
    } else if (tl->base == TypeBase::Word) {
      if (!word_against(lhs, *tr, kinds)) return false;
      tl = at(lhs).type;
    }
    const Type a = *tl, b = *tr;
    const Span span{at(lhs).span.begin, at(rhs).span.end};
    const bool ordered = op != CmpOp::Eq && op != CmpOp::Ne;
    if (ordered) {
      const bool numbers = is_numeric(a.base) && is_numeric(b.base);
      const bool dates = a.base == TypeBase::Date && b.base == TypeBase::Date;
      if (!numbers && !dates) {
        error(span, i18n::format("rules.check.ordered-compare", i18n::arg("a", type_name(a)), i18n::arg("b", type_name(b))));
        return false;
      }
      return true;
    }
    if (!comparable(a, b)) {
      error(span, i18n::format("rules.check.cannot-compare", i18n::arg("a", type_name(a)), i18n::arg("b", type_name(b))));
      return false;
    }
    return true;
  }

  // A KPI's function (demand_gen | marketing_support) compares with a
  // person's or team's: `function == owner.function`.
  static bool same_enum(EnumId a, EnumId b) {
    auto base = [](EnumId id) { return id == EnumId::MarketingFunction ? EnumId::Function : id; };
    return base(a) == base(b);
  }

  static bool comparable(const Type& a, const Type& b) {
    auto word_like = [](TypeBase t) {
      return t == TypeBase::Enum || t == TypeBase::Unit || t == TypeBase::Kind || t == TypeBase::String ||
             t == TypeBase::Name;
    };
    if (a.base == TypeBase::List || b.base == TypeBase::List) return false;
    if (a.base == TypeBase::Aggregation || b.base == TypeBase::Aggregation) return false;
    if (a.base == TypeBase::Target || b.base == TypeBase::Target) return false;
    if (a.base == b.base) {
      if (a.base == TypeBase::Enum) return same_enum(a.enum_id, b.enum_id);
      if (a.base == TypeBase::Ref) return (a.ref_kinds & b.ref_kinds) != 0;
      return true;
    }
    if (is_numeric(a.base) && is_numeric(b.base)) return true;
    if (a.base == TypeBase::TargetValue || b.base == TypeBase::TargetValue) {
      const TypeBase other = a.base == TypeBase::TargetValue ? b.base : a.base;
      return other == TypeBase::String || other == TypeBase::Name;
    }
    if (a.base == TypeBase::Ref || b.base == TypeBase::Ref) {
      const TypeBase other = a.base == TypeBase::Ref ? b.base : a.base;
      return other == TypeBase::Name || other == TypeBase::String;
    }
    if (a.base == TypeBase::Date || b.base == TypeBase::Date) return false;
    if (a.base == TypeBase::Enum && b.base == TypeBase::Enum) return same_enum(a.enum_id, b.enum_id);
    // Strings against words: `level == "business"`.
    return word_like(a.base) && word_like(b.base) && (a.base == TypeBase::String || b.base == TypeBase::String ||
                                                       a.base == TypeBase::Name || b.base == TypeBase::Name);
  }

  std::optional<Type> in_field(Expr& e, unsigned kinds) {
    const ExprId lhs = e.args[0], rhs = e.args[1];
    auto tr = check(rhs, kinds);
    if (!tr) return std::nullopt;
    if (tr->base == TypeBase::Word) {
      unresolved(rhs, kinds);
      return std::nullopt;
    }
    if (tr->base != TypeBase::List) {
      error(at(rhs).span, i18n::format("rules.check.in-needs-list", i18n::arg("type", type_name(*tr))));
      return std::nullopt;
    }
    const Type element = tr->list_of_refs ? Type{TypeBase::Ref, EnumId::None, tr->ref_kinds}
                                          : Type{TypeBase::Enum, tr->enum_id};
    auto tl = check(lhs, kinds);
    if (!tl) return std::nullopt;
    if (is_bare(lhs) && (tl->base == TypeBase::Word ||
                         (element.base == TypeBase::Enum && model::is_enum_word(element.enum_id, at(lhs).names[0])))) {
      if (!word_against(lhs, element, kinds)) return std::nullopt;
      return make(TypeBase::Bool);
    }
    if (!comparable(*tl, element)) {
      error(e.span, i18n::format("rules.check.cannot-look-for", i18n::arg("a", type_name(*tl)),
                                 i18n::arg("b", type_name(*tr))));
      return std::nullopt;
    }
    return make(TypeBase::Bool);
  }

  std::optional<Type> aggregate(Expr& e, unsigned kinds) {
    const RelationSpec* spec = nullptr;
    for (const auto& r : kRelations) {
      if (r.name == e.relation_name) spec = &r;
    }
    if (spec == nullptr) {
      error(e.relation_span, i18n::format("rules.check.unknown-relation", i18n::arg("word", e.relation_name),
                                          i18n::arg("suggestion", did_you_mean(e.relation_name, kRelationNames))));
      return std::nullopt;
    }
    if ((spec->on & kinds) == 0) {
      error(e.relation_span, i18n::format("rules.check.relation-of", i18n::arg("word", e.relation_name),
                                          i18n::arg("on", kinds_text(spec->on)), i18n::arg("kinds", kinds_text(kinds))));
      return std::nullopt;
    }
    e.relation = spec->relation;
    e.element_kinds = kind_bit(DeclKind::Kpi);
    if (spec->relation == Relation::Members) {
      const FieldSpec* members = model::field_spec(DeclKind::Team, FieldId::Members);
      e.element_kinds = members ? members->ref_kinds : kind_bit(DeclKind::Person);
    }
    if (!e.args.empty()) condition(e.args[0], e.element_kinds, "`where`");
    return make(e.agg == AggOp::Count ? TypeBase::Number : TypeBase::Bool);
  }

  std::optional<Type> call(ExprId id, unsigned kinds) {
    Expr& e = at(id);
    const FuncSpec* spec = nullptr;
    for (const auto& f : kFuncs) {
      if (f.name == e.func_name) spec = &f;
    }
    if (spec == nullptr) {
      error(e.func_span, i18n::format("rules.check.unknown-function", i18n::arg("word", e.func_name),
                                      i18n::arg("suggestion", did_you_mean(e.func_name, kFuncNames))));
      return std::nullopt;
    }
    e.func = spec->func;
    const int n = static_cast<int>(e.args.size());
    if (n < spec->min_args || (spec->max_args >= 0 && n > spec->max_args)) {
      const std::string expected = spec->min_args == spec->max_args
                                       ? std::to_string(spec->min_args)
                                       : i18n::format("rules.check.at-least", i18n::arg("n", spec->min_args));
      error(at(id).span, i18n::format(spec->max_args == 1 ? "rules.check.arity.one" : "rules.check.arity.other",
                                      i18n::arg("name", spec->name), i18n::arg("expected", expected), i18n::arg("n", n)));
      return std::nullopt;
    }
    switch (spec->func) {
      case Func::Has:
      case Func::Missing: {
        bool ok = true;
        for (ExprId arg : at(id).args) {
          if (at(arg).op != ExprOp::Path) {
            error(at(arg).span, i18n::format("rules.check.takes-fields", i18n::arg("name", spec->name)));
            ok = false;
            continue;
          }
          auto t = check(arg, kinds);
          if (t && t->base == TypeBase::Word) {
            unresolved(arg, kinds);
            ok = false;
          }
          ok = ok && t.has_value();
        }
        if (!ok) return std::nullopt;
        return make(spec->func == Func::Has ? TypeBase::Bool : TypeBase::String);
      }
      case Func::IsNumber: {
        auto t = check(at(id).args[0], kinds);
        if (t && t->base == TypeBase::Word) {
          unresolved(at(id).args[0], kinds);
          return std::nullopt;
        }
        if (!t) return std::nullopt;
        return make(TypeBase::Bool);
      }
      case Func::SameUnit: {
        bool ok = true;
        for (ExprId arg : at(id).args) {
          auto t = check(arg, kinds);
          if (t && t->base == TypeBase::Word) {
            unresolved(arg, kinds);
            ok = false;
          } else if (t && t->base != TypeBase::Unit) {
            error(at(arg).span, i18n::format("rules.check.same-unit", i18n::arg("type", type_name(*t))));
            ok = false;
          }
          ok = ok && t.has_value();
        }
        if (!ok) return std::nullopt;
        return make(TypeBase::Bool);
      }
      case Func::Option: return option(id);
      case Func::Matches: {
        const ExprId subject = at(id).args[0], pattern = at(id).args[1];
        auto t = check(subject, kinds);
        if (t && t->base == TypeBase::Word) {
          unresolved(subject, kinds);
          return std::nullopt;
        }
        if (!t) return std::nullopt;
        if (!(is_textual(t->base) || t->base == TypeBase::Enum || t->base == TypeBase::Unit ||
              t->base == TypeBase::Ref)) {
          error(at(subject).span, i18n::format("rules.check.matches-text", i18n::arg("type", type_name(*t))));
          return std::nullopt;
        }
        const Expr& p = at(pattern);
        const bool literal = p.op == ExprOp::Literal && p.lit == LitKind::String;
        const bool from_option = p.op == ExprOp::Call && p.func_name == "option";
        if (!literal && !from_option) {
          error(p.span, i18n::format("rules.check.matches-pattern"));
          return std::nullopt;
        }
        auto tp = check(pattern, kinds);
        if (!tp) return std::nullopt;
        if (tp->base != TypeBase::String) {
          error(p.span, i18n::format("rules.check.matches-pattern-type", i18n::arg("type", type_name(*tp))));
          return std::nullopt;
        }
        const std::string& text = literal ? p.text : at(p.args[1]).text;
        try {
          std::regex re(text, std::regex::ECMAScript);
        } catch (const std::regex_error& err) {
          error(literal ? p.span : at(p.args[1]).span,
                i18n::format("rules.check.invalid-regex", i18n::arg("what", std::string_view(err.what()))));
          return std::nullopt;
        }
        at(id).slot = next_slot_++;
        return make(TypeBase::Bool);
      }
      case Func::If: {
        condition(at(id).args[0], kinds, "`if`");
        auto a = check(at(id).args[1], kinds);
        auto b = check(at(id).args[2], kinds);
        if (!a || !b) return std::nullopt;
        if (a->base == TypeBase::Word) {
          unresolved(at(id).args[1], kinds);
          return std::nullopt;
        }
        if (b->base == TypeBase::Word) {
          unresolved(at(id).args[2], kinds);
          return std::nullopt;
        }
        if (a->base != b->base && !comparable(*a, *b)) {
          error(at(id).span, i18n::format("rules.check.if-branches", i18n::arg("a", type_name(*a)), i18n::arg("b", type_name(*b))));
          return std::nullopt;
        }
        return a;
      }
    }
    return std::nullopt;
  }

  std::optional<Type> option(ExprId id) {
    Expr& e = at(id);
    const ExprId name_id = e.args[0], default_id = e.args[1];
    Expr& name = at(name_id);
    std::string option_name;
    if (name.op == ExprOp::Path && name.names.size() == 1) {
      option_name = std::string(name.names[0]);
    } else if (name.op == ExprOp::Literal && name.lit == LitKind::String && !name.has_interpolation) {
      option_name = name.text;
    } else {
      error(name.span, i18n::format("rules.check.option-name"));
      return std::nullopt;
    }
    // The name is not a field: leave it as a word.
    name.op = ExprOp::Literal;
    name.lit = LitKind::String;
    name.text = option_name;
    name.checked = true;
    name.type = make(TypeBase::String);
    const Expr& fallback = at(default_id);
    if (fallback.op != ExprOp::Literal || fallback.lit == LitKind::Word || fallback.lit == LitKind::Date ||
        fallback.has_interpolation) {
      error(fallback.span, i18n::format("rules.check.option-default"));
      return std::nullopt;
    }
    auto t = check(default_id, 0);
    e.option_name = option_name;
    e.slot = next_slot_++;
    return t;
  }

  const CheckContext& context_;
  std::vector<Diagnostic>& errors_;
  Rule* rule_ = nullptr;
  bool ok_ = true;
  bool ok_rules_ = true;
  unsigned kinds_ = 0;
  std::vector<bool> failed_;
  int next_slot_ = 0;

 public:
  void reset_rule() { failed_.clear(); }
  int slots() const { return next_slot_; }
};

}  // namespace

std::string type_name(const Type& type) {
  switch (type.base) {
    case TypeBase::Bool: return std::string(i18n::text("rules.type.bool"));
    case TypeBase::Number: return std::string(i18n::text("rules.type.number"));
    case TypeBase::String: return std::string(i18n::text("rules.type.string"));
    case TypeBase::Name: return std::string(i18n::text("rules.type.name"));
    case TypeBase::Enum: return std::string(enum_type_name(type.enum_id));
    case TypeBase::Unit: return std::string(i18n::text("rules.type.unit"));
    case TypeBase::Kind: return std::string(i18n::text("rules.type.kind"));
    case TypeBase::Ref: return i18n::format("rules.type.ref", i18n::arg("kinds", kinds_text(type.ref_kinds)));
    case TypeBase::Date: return std::string(i18n::text("rules.type.date"));
    case TypeBase::Aggregation: return std::string(i18n::text("rules.type.aggregation"));
    case TypeBase::Target: return std::string(i18n::text("rules.type.target"));
    case TypeBase::TargetValue: return std::string(i18n::text("rules.type.target-value"));
    case TypeBase::List: return std::string(i18n::text("rules.type.list"));
    case TypeBase::Word: return std::string(i18n::text("rules.type.word"));
  }
  return std::string(i18n::text("rules.type.value"));
}

bool check_rules(std::vector<Rule>& rules, const CheckContext& context, std::vector<Diagnostic>& errors,
                 int& next_slot) {
  Checker checker(context, errors, next_slot);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    checker.reset_rule();
    checker.rule(rules[i], std::span<const Rule>(rules.data(), i));
  }
  next_slot = checker.slots();
  return checker.ok();
}

}  // namespace kpilint::rules

#pragma once
// One rule of the rule language, as parsed and then compiled: the parser fills
// the syntax (names and spans in the rule file), the type checker resolves
// every name in place (fields to FieldIds, relations, enum words, functions)
// and gives each expression its static type. The evaluator runs this form; it
// never looks at rule text again. No PEGTL here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/i18n.hpp"
#include "base/source.hpp"
#include "model/schema.hpp"
#include "rules/rule_info.hpp"

namespace kpilint::rules {

using ExprId = std::int32_t;
inline constexpr ExprId kNoExpr = -1;

enum class ExprOp : std::uint8_t {
  Literal,    // "text", 12, 12.5%, 2026-12-31, 2026-Q4, true/false, or a bare word (after checking)
  Path,       // a.b.c: a field, along references; `name`, `kind`
  Not, And, Or,
  Compare,    // args[0] cmp args[1]
  InList,     // args[0] in [args[1..]]
  InField,    // args[0] in args[1] (a list-valued field)
  Aggregate,  // count/any/all(relation [where args[0]])
  Call,       // func(args…)
};

enum class CmpOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };
enum class LitKind : std::uint8_t { String, Number, Date, Bool, Word };
enum class AggOp : std::uint8_t { Count, Any, All };
enum class Relation : std::uint8_t { Kpis, Children, Descendants, Owned, Members, Tree };
enum class Func : std::uint8_t { Has, IsNumber, Matches, SameUnit, Option, If, Missing };

// Static types of the rule language.
enum class TypeBase : std::uint8_t {
  Bool, Number, String, Name /* a declaration name */, Enum, Unit, Kind, Ref, Date,
  Aggregation, Target, TargetValue /* a number, or a word/string when not measurable */, List,
  Word /* a bare word not resolved yet */,
};

struct Type {
  TypeBase base = TypeBase::Bool;
  model::EnumId enum_id = model::EnumId::None;  // Enum, List of Enum
  unsigned ref_kinds = 0;                       // Ref, List of Ref (kind_bit()s)
  bool list_of_refs = false;                    // List
};

// One step of a path, resolved.
enum class StepKind : std::uint8_t {
  Field, Name, Kind, TargetValue, TargetUnit, TargetDeadline, TargetVariance, AggMethod, AggPeriod,
};
struct Step {
  StepKind kind = StepKind::Field;
  model::FieldId field = model::FieldId::Name;
  model::FieldType field_type = model::FieldType::String;
  bool inheritable = false;  // a KPI without it reads its metric's
};

struct Expr {
  ExprOp op = ExprOp::Literal;
  Span span;                   // bytes in the rule file
  std::vector<ExprId> args;

  // Literal
  LitKind lit = LitKind::String;
  std::string text;            // String (decoded), Word; Number/Date as written
  double number = 0;
  std::int32_t date = 0;       // yyyymmdd (a quarter: its last day)
  bool boolean = false;
  bool has_interpolation = false;  // a string literal written with {…} (an error outside templates)

  // Path (syntax), and its resolution
  std::vector<std::string_view> names;
  std::vector<Span> name_spans;
  std::vector<Step> steps;

  CmpOp cmp = CmpOp::Eq;

  // Aggregate
  AggOp agg = AggOp::Count;
  Relation relation = Relation::Kpis;
  std::string_view relation_name;
  Span relation_span;
  unsigned element_kinds = 0;  // the kinds a relation's elements have

  // Call
  std::string_view func_name;
  Span func_span;
  Func func = Func::Has;
  int slot = -1;               // Option and Matches: per-evaluation slot (option value, compiled pattern)
  std::string option_name;     // Option

  Type type;                   // after checking
  bool checked = false;
};

// A message or help text: literal pieces and interpolated expressions.
struct TemplatePart {
  std::string text;
  ExprId expr = kNoExpr;
};
struct Template {
  std::vector<TemplatePart> parts;
  Span span;
  bool present = false;
  bool has_interpolation() const {
    for (const auto& part : parts) {
      if (part.expr != kNoExpr) return true;
    }
    return false;
  }
};

struct Rule {
  RuleInfo info;
  const SourceFile* file = nullptr;  // the rule file (owned by the pack)
  Span span;                         // the whole `rule … { … }`
  Span code_span, name_span;

  bool has_severity = false;
  std::string_view severity_name;
  Span severity_span;

  std::vector<syntax::DeclKind> kinds;  // `for:`
  std::vector<Span> kind_spans;
  std::vector<std::string_view> kind_names;
  bool has_for = false;
  Span for_span;
  ExprId where = kNoExpr;
  ExprId require = kNoExpr;
  Span require_span;

  std::optional<model::FieldId> at;
  std::string_view at_name;
  Span at_span;

  Template message, help;
  Template message_pt, help_pt;  // `message.pt:`, `help.pt:` (not present: English is used)
  bool has_builtin_flag = false;

  std::vector<Expr> exprs;  // the arena every ExprId points into
  std::vector<Span> doc_spans;  // summary, rationale and example properties, and every `.pt` translation

  // The message and help in the current language (English when not translated).
  const Template& localized_message() const {
    return i18n::language() == i18n::Language::Pt && message_pt.present ? message_pt : message;
  }
  const Template& localized_help() const {
    return i18n::language() == i18n::Language::Pt && help_pt.present ? help_pt : help;
  }

  // The rule without its documentation (summary, rationale, examples): what
  // `explain` shows as "the rule".
  std::string logic_source() const;

  std::string_view source() const { return file ? file->slice(span) : std::string_view(); }
  const Expr& expr(ExprId id) const { return exprs[static_cast<std::size_t>(id)]; }
};

}  // namespace kpilint::rules

// The evaluator: a tree-walking interpreter over the compiled rules, with
// three-valued logic (true, false, unknown). Values are small structs that
// point into the model and the rule pack; evaluating a rule on an entity does
// not allocate unless it fires (the message) or uses missing().
#include "rules/evaluator.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <iterator>
#include <thread>
#include <deque>
#include <memory>
#include <regex>
#include <unordered_map>

#include "base/i18n.hpp"
#include "model/values.hpp"
#include "rules/rule.hpp"
#include "rules/rule_pack.hpp"

namespace kpilint::rules {

using model::Entity;
using model::FieldId;
using model::FieldType;
using model::ReadState;

namespace {

constexpr std::string_view kSnakeCase = "^[a-z][a-z0-9_]*$";

struct Val {
  enum class K : std::uint8_t { Absent, Unknown, Bool, Number, Text, Date, Ref, Syn };
  // 56 bytes, packed so: one is made and returned at every step of every
  // rule, and at 72 bytes each was cleared with a slow-to-start `rep stos`.
  K k = K::Absent;
  bool b = false;
  std::int32_t date = 0;
  double num = 0;
  std::string_view text;
  // Ref: the declaration. Text read by `kind`: the entity whose kind it is
  // (compares as the keyword, prints as the noun, "KPI"); else nullptr.
  const Entity* ref = nullptr;
  const syntax::Value* syn = nullptr;
  const Entity* from = nullptr;  // the entity whose document holds `syn`

  static Val of(K kind) {
    Val x;
    x.k = kind;
    return x;
  }
  static Val absent() { return {}; }
  static Val unknown() { return of(K::Unknown); }
  static Val boolean(bool v) {
    Val x = of(K::Bool);
    x.b = v;
    return x;
  }
  static Val number(double v) {
    Val x = of(K::Number);
    x.num = v;
    return x;
  }
  static Val str(std::string_view v) {
    Val x = of(K::Text);
    x.text = v;
    return x;
  }
};

enum class Tri : std::uint8_t { False, True, Unknown };

Tri truth(const Val& v) {
  switch (v.k) {
    case Val::K::Bool: return v.b ? Tri::True : Tri::False;
    case Val::K::Unknown: return Tri::Unknown;
    default: return Tri::False;
  }
}
Val from_tri(Tri t) { return t == Tri::Unknown ? Val::unknown() : Val::boolean(t == Tri::True); }

std::int32_t date_of(const syntax::Value& v) {
  if (v.kind == syntax::ValueKind::Date) return v.year() * 10000 + v.month() * 100 + v.day();
  const int q = v.quarter();
  return v.year() * 10000 + q * 3 * 100 + ((q == 1 || q == 4) ? 31 : 30);
}

std::string_view unit_word(std::string_view unit) { return unit == "%" ? std::string_view("percent") : unit; }

// `^[a-z][a-z0-9_]*$`, the default of KPI122, which every name of a
// workspace goes through: one table look-up per byte.
constexpr std::array<bool, 256> kSnakeTail = [] {
  std::array<bool, 256> table{};
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
  table['_'] = true;
  return table;
}();

bool snake_case(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  bool all = true;
  for (const char c : s.substr(1)) all &= kSnakeTail[static_cast<unsigned char>(c)];  // no early exit: names pass
  return all;
}

struct Matcher {
  enum class Mode : std::uint8_t { Snake, Regex, Invalid } mode = Mode::Snake;
  const std::regex* re = nullptr;
};

// The value of an option as the rule's default types it, or nullopt when the
// configured value has another type.
std::optional<Val> option_value(const Expr& call, const Expr& fallback,
                                const std::map<std::string, model::OptionValue>* options) {
  Val def;
  switch (fallback.lit) {
    case LitKind::Number: def = Val::number(fallback.number); break;
    case LitKind::Bool: def = Val::boolean(fallback.boolean); break;
    default: def = Val::str(fallback.text); break;
  }
  if (options == nullptr) return def;
  const auto it = options->find(call.option_name);
  if (it == options->end()) return def;
  const auto& v = it->second;
  switch (fallback.lit) {
    case LitKind::Number:
      if (const auto* i = std::get_if<std::int64_t>(&v)) return Val::number(static_cast<double>(*i));
      if (const auto* d = std::get_if<double>(&v)) return Val::number(*d);
      return std::nullopt;
    case LitKind::Bool:
      if (const auto* b = std::get_if<bool>(&v)) return Val::boolean(*b);
      return std::nullopt;
    default:
      if (const auto* s = std::get_if<std::string>(&v)) return Val::str(*s);
      return std::nullopt;
  }
}

std::string_view type_word(const model::OptionValue& v) {
  switch (v.index()) {
    case 0: return i18n::text("rules.value.integer");
    case 1: return i18n::text("rules.value.number");
    case 2: return i18n::text("rules.value.boolean");
    default: return i18n::text("rules.value.string");
  }
}

std::string format_number(double x) {
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15) return fmt::format("{}", static_cast<long long>(x));
  return fmt::format("{}", x);
}

// A declaration kind as a message reads it, in the current language:
// "KPI 'x' has no title", not the keyword "kpi".
std::string_view kind_noun(syntax::DeclKind kind) {
  switch (kind) {
    case syntax::DeclKind::Use: return i18n::text("model.kind.module");
    case syntax::DeclKind::Person: return i18n::text("model.kind.person");
    case syntax::DeclKind::Team: return i18n::text("model.kind.team");
    case syntax::DeclKind::Objective: return i18n::text("model.kind.objective");
    case syntax::DeclKind::Kpi: return i18n::text("model.kind.kpi");
    case syntax::DeclKind::Metric: return i18n::text("model.kind.metric");
    case syntax::DeclKind::Experiment: return i18n::text("model.kind.experiment");
  }
  return i18n::text("model.kind.declaration");
}

class Evaluator {
 public:
  using Outputs = std::array<std::vector<Diagnostic>, syntax::kDeclKindCount>;

  Evaluator(const RulePack& pack, const model::Model& model, const EvalContext& context)
      : pack_(pack), model_(model), context_(context) {}
  // A second worker sharing the primary's prepared options and patterns
  // (the primary must outlive it).
  Evaluator(const Evaluator& primary)
      : pack_(primary.pack_), model_(primary.model_), context_(primary.context_), options_(primary.options_),
        matchers_(primary.matchers_), by_kind_(primary.by_kind_) {}

  // Options, patterns, and the enabled rules of each kind (in pack order).
  void plan() {
    prepare();
    planned_.reserve(pack_.rules().size());  // by_kind_ points into it
    for (const auto& rule_ptr : pack_.rules()) {
      const Rule& rule = *rule_ptr;
      if (rule.info.builtin_language || rule.require == kNoExpr) continue;
      if (context_.enabled && !context_.enabled(rule.info.code)) continue;
      const Planned& planned = planned_.emplace_back(Planned{&rule, shortcuts_of(rule)});
      for (syntax::DeclKind kind : rule.kinds) {
        auto& list = by_kind_[static_cast<std::size_t>(kind)];
        if (list.empty() || list.back() != &planned) list.push_back(&planned);
      }
    }
  }

  std::size_t workload() const {
    std::size_t total = 0;
    for (std::size_t kind = 0; kind < by_kind_.size(); ++kind) {
      if (!by_kind_[kind].empty()) total += model_.of_kind(static_cast<syntax::DeclKind>(kind)).size();
    }
    return total;
  }

  // Part `part` of `parts` of the workspace, in whole files. Entity-major:
  // every rule of a kind runs on one entity before the next, so the entity
  // and its fields stay in cache; and file by file, KPIs first, so when a
  // person's `owned` or an objective's `tree` is walked, those KPIs (mostly
  // in the same file) were just read and are still in cache.
  void run_part(std::size_t part, std::size_t parts, Outputs& outputs) {
    const auto all = model_.entities();
    // Cut at a file boundary near the part's share of the entities.
    const auto boundary = [&](std::size_t k) {
      std::size_t at = all.size() * k / parts;
      while (at > 0 && at < all.size() && all[at]->document == all[at - 1]->document) ++at;
      return at;
    };
    const std::size_t begin = boundary(part), end = boundary(part + 1);
    static constexpr syntax::DeclKind kOrder[] = {syntax::DeclKind::Kpi,       syntax::DeclKind::Metric,
                                                  syntax::DeclKind::Experiment, syntax::DeclKind::Objective,
                                                  syntax::DeclKind::Team,      syntax::DeclKind::Person};
    for (std::size_t file_begin = begin; file_begin < end;) {
      std::size_t file_end = file_begin + 1;
      while (file_end < end && all[file_end]->document == all[file_begin]->document) ++file_end;
      const model::Document* document = all[file_begin]->document;
      if (document != nullptr && document->reported) {
        for (const syntax::DeclKind kind : kOrder) {
          const auto& rules = by_kind_[static_cast<std::size_t>(kind)];
          if (rules.empty()) continue;
          out_ = &outputs[static_cast<std::size_t>(kind)];
          for (std::size_t i = file_begin; i < file_end; ++i) {
            const Entity& entity = *all[i];
            if (entity.kind != kind || !entity.checkable()) continue;
            if (i + 1 < file_end) all[i + 1]->prefetch();  // its fields are read in rule order, not memory order
            for (const Planned* planned : rules) {
              rule_ = planned->rule;
              shortcuts_ = planned->shortcuts.data();
              if (rule_->where != kNoExpr && test(rule_->where, entity) != Tri::True) continue;
              if (test(rule_->require, entity) != Tri::False) continue;
              emit(entity);
            }
          }
        }
      }
      file_begin = file_end;
    }
  }

 private:
  // Option values and compiled patterns, once per run.
  void prepare() {
    options_.assign(static_cast<std::size_t>(pack_.slot_count()), Val{});
    matchers_.assign(static_cast<std::size_t>(pack_.slot_count()), Matcher{});
    for (int pass = 0; pass < 2; ++pass) {
      for (const auto& rule_ptr : pack_.rules()) {
        const Rule& rule = *rule_ptr;
        for (const Expr& e : rule.exprs) {
          if (e.op != ExprOp::Call || e.slot < 0) continue;
          const auto slot = static_cast<std::size_t>(e.slot);
          if (pass == 0 && e.func == Func::Option) {
            const Expr& fallback = rule.expr(e.args[1]);
            auto value = option_value(e, fallback, context_.options);
            options_[slot] = value ? *value : *option_value(e, fallback, nullptr);
          } else if (pass == 1 && e.func == Func::Matches) {
            const Expr& p = rule.expr(e.args[1]);
            const std::string pattern = p.op == ExprOp::Literal ? p.text
                                                                 : std::string(options_[static_cast<std::size_t>(p.slot)].text);
            matchers_[slot] = matcher(pattern);
          }
        }
      }
    }
  }

  Matcher matcher(const std::string& pattern) {
    if (pattern == kSnakeCase) return Matcher{Matcher::Mode::Snake, nullptr};
    auto it = regexes_.find(pattern);
    if (it == regexes_.end()) {
      std::unique_ptr<std::regex> re;
      try {
        re = std::make_unique<std::regex>(pattern, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error&) {
      }
      it = regexes_.emplace(pattern, std::move(re)).first;
    }
    if (!it->second) return Matcher{Matcher::Mode::Invalid, nullptr};
    return Matcher{Matcher::Mode::Regex, it->second.get()};
  }

  const Expr& at(ExprId id) const { return rule_->exprs[static_cast<std::size_t>(id)]; }

  void emit(const Entity& entity) {
    const Rule& rule = *rule_;
    Diagnostic d;
    Span span = entity.decl ? entity.decl->name_span : Span{};
    if (rule.at) {
      const auto& slot = entity.slot(*rule.at);
      if (slot.field != nullptr) span = slot.field->value.span;
    }
    d.location = Location{entity.document->source.get(), span};
    d.severity = rule.info.default_severity;
    d.code = rule.info.code;
    d.rule = rule.info.name;
    d.message = render(rule.localized_message(), entity);
    if (const Template& help = rule.localized_help(); help.present) d.help = render(help, entity);
    out_->push_back(std::move(d));
    scratch_.clear();
  }

  std::string render(const Template& t, const Entity& entity) {
    std::string out;
    for (const auto& part : t.parts) {
      if (part.expr == kNoExpr) {
        out += part.text;
      } else {
        append(out, eval(part.expr, entity));
      }
    }
    return out;
  }

  void append(std::string& out, const Val& v) {
    switch (v.k) {
      case Val::K::Absent: out += i18n::text("rules.value.none"); break;
      case Val::K::Unknown: out += "?"; break;
      case Val::K::Bool: out += v.b ? "true" : "false"; break;
      case Val::K::Number: out += format_number(v.num); break;
      case Val::K::Text: out += v.ref != nullptr ? kind_noun(v.ref->kind) : v.text; break;
      case Val::K::Ref: out += v.ref->name; break;
      case Val::K::Date:
      case Val::K::Syn:
        if (v.syn != nullptr && v.from != nullptr && v.from->document != nullptr) {
          out += v.from->document->source->slice(v.syn->span);
        } else if (v.k == Val::K::Date) {
          out += fmt::format("{:04}-{:02}-{:02}", v.date / 10000, v.date / 100 % 100, v.date % 100);
        }
        break;
    }
  }

  static Tri matches(const Matcher& m, std::string_view text) {
    switch (m.mode) {
      case Matcher::Mode::Snake: return snake_case(text) ? Tri::True : Tri::False;
      case Matcher::Mode::Invalid: return Tri::Unknown;
      case Matcher::Mode::Regex: return std::regex_search(text.begin(), text.end(), *m.re) ? Tri::True : Tri::False;
    }
    return Tri::Unknown;
  }

  // How test() answers an expression without making a Val, decided once
  // per run from its shape; the general way is the answer whenever a
  // shortcut cannot be sure (each gives exactly what eval() would).
  struct Shortcut {
    enum class Kind : std::uint8_t {
      None,
      EnumWord,    // path == word (or !=): an enum field, read through references, and a word of its enum
      Bool,        // path == true (or !=): a boolean field, read through references
      TargetPart,  // has(target.X) or is_number(target.X): X a part of the entity's own target
      NameMatches, // matches(name, pattern): the entity's own name
    };
    Kind kind = Kind::None;
    bool literal_left = false;       // EnumWord, Bool: `business == level`
    std::uint8_t word = 0;           // EnumWord: the word's id; Bool: the literal
    StepKind part = StepKind::Name;  // TargetPart: TargetValue, TargetDeadline or TargetVariance
    Func func = Func::Has;           // TargetPart: Has or IsNumber
  };

  // A rule as this run evaluates it: a shortcut per expression.
  struct Planned {
    const Rule* rule = nullptr;
    std::vector<Shortcut> shortcuts;
  };

  static std::vector<Shortcut> shortcuts_of(const Rule& rule) {
    std::vector<Shortcut> shortcuts(rule.exprs.size());
    for (std::size_t i = 0; i < rule.exprs.size(); ++i) shortcuts[i] = shortcut_of(rule, rule.exprs[i]);
    return shortcuts;
  }

  static Shortcut shortcut_of(const Rule& rule, const Expr& e) {
    Shortcut shortcut;
    if (e.op == ExprOp::Call && e.func == Func::Matches && e.slot >= 0 && e.args.size() == 2) {
      const Expr& subject = rule.expr(e.args[0]);
      if (subject.op == ExprOp::Path && subject.steps.size() == 1 && subject.steps[0].kind == StepKind::Name) {
        shortcut.kind = Shortcut::Kind::NameMatches;
      }
      return shortcut;
    }
    if (e.op == ExprOp::Call && (e.func == Func::Has || e.func == Func::IsNumber) && e.args.size() == 1) {
      const Expr& path = rule.expr(e.args[0]);
      if (path.op != ExprOp::Path || path.steps.size() != 2) return shortcut;
      const Step& target = path.steps[0];
      const StepKind part = path.steps[1].kind;
      if (target.kind != StepKind::Field || target.field_type != FieldType::Target) return shortcut;
      if (part != StepKind::TargetValue && part != StepKind::TargetDeadline && part != StepKind::TargetVariance) return shortcut;
      shortcut.kind = Shortcut::Kind::TargetPart;
      shortcut.part = part;
      shortcut.func = e.func;
      return shortcut;
    }
    if (e.op != ExprOp::Compare || (e.cmp != CmpOp::Eq && e.cmp != CmpOp::Ne) || e.args.size() != 2) return shortcut;
    for (const bool literal_left : {false, true}) {
      const Expr& path = rule.expr(e.args[literal_left ? 1 : 0]);
      const Expr& literal = rule.expr(e.args[literal_left ? 0 : 1]);
      if (path.op != ExprOp::Path || path.steps.empty() || literal.op != ExprOp::Literal) continue;
      const Step& last = path.steps.back();
      if (last.kind != StepKind::Field) continue;
      // Every step before the last must name a declaration: the last is read from it.
      bool through_refs = true;
      for (std::size_t k = 0; k + 1 < path.steps.size(); ++k) {
        const Step& step = path.steps[k];
        through_refs = through_refs && step.kind == StepKind::Field && is_ref_type(step.field_type);
      }
      if (!through_refs) continue;
      shortcut.literal_left = literal_left;
      if (last.field_type == FieldType::Enum && path.type.base == TypeBase::Enum &&
          (literal.lit == LitKind::Word || literal.lit == LitKind::String)) {
        if (const auto id = model::enum_word_id(path.type.enum_id, literal.text)) {
          shortcut.kind = Shortcut::Kind::EnumWord;
          shortcut.word = *id;
          return shortcut;
        }
      }
      if (last.field_type == FieldType::Bool && literal.lit == LitKind::Bool) {
        shortcut.kind = Shortcut::Kind::Bool;
        shortcut.word = literal.boolean ? 1 : 0;
        return shortcut;
      }
    }
    return shortcut;
  }

  // The truth of a condition: `where`, `require`, and the parts of and, or,
  // not and an aggregate's `where`. test(x) is truth(eval(x)) for every x,
  // but answers most conditions without making a Val on the way: and/or/not
  // directly, has() from the entity's slots, and the shapes a Shortcut names
  // (`level == marketing` by word id, `vanity == true`, `has(target.deadline)`,
  // `matches(name, …)`). A rule checks 100,000 KPIs some 1.5 million times.
  Tri test(ExprId id, const Entity& focus) {
    const Expr& e = at(id);
    switch (e.op) {
      case ExprOp::Not: {
        const Tri t = test(e.args[0], focus);
        return t == Tri::Unknown ? Tri::Unknown : t == Tri::True ? Tri::False : Tri::True;
      }
      case ExprOp::And: {
        bool unknown = false;
        for (ExprId arg : e.args) {
          const Tri t = test(arg, focus);
          if (t == Tri::False) return Tri::False;
          unknown = unknown || t == Tri::Unknown;
        }
        return unknown ? Tri::Unknown : Tri::True;
      }
      case ExprOp::Or: {
        bool unknown = false;
        for (ExprId arg : e.args) {
          const Tri t = test(arg, focus);
          if (t == Tri::True) return Tri::True;
          unknown = unknown || t == Tri::Unknown;
        }
        return unknown ? Tri::Unknown : Tri::False;
      }
      case ExprOp::Compare: {
        const Shortcut& shortcut = shortcuts_[static_cast<std::size_t>(id)];
        if (shortcut.kind != Shortcut::Kind::None) {
          if (const auto t = compare_field(at(e.args[shortcut.literal_left ? 1 : 0]), focus, shortcut, e.cmp)) return *t;
        }
        return compare(eval(e.args[0], focus), eval(e.args[1], focus), e.cmp);
      }
      case ExprOp::Call:
        if (const Shortcut& shortcut = shortcuts_[static_cast<std::size_t>(id)]; shortcut.kind == Shortcut::Kind::TargetPart) {
          return test_target_part(focus, at(e.args[0]).steps[0], shortcut);
        } else if (shortcut.kind == Shortcut::Kind::NameMatches) {
          return matches(matchers_[static_cast<std::size_t>(e.slot)], focus.name);
        }
        if (e.func == Func::Has) {
          const Expr& arg = at(e.args[0]);
          if (arg.op == ExprOp::Path && !arg.steps.empty()) return has(arg, focus);
        }
        return truth(call(e, focus));
      default: return truth(eval(id, focus));
    }
  }

  // `path == literal` (or !=) for an enum or boolean field read through
  // references: an enum by the checked word ids, a boolean from its word;
  // nullopt when the word was not checked and must be read as text.
  static std::optional<Tri> compare_field(const Expr& field_path, const Entity& focus, const Shortcut& shortcut, CmpOp op) {
    const Entity* current = &focus;
    const std::size_t n = field_path.steps.size();
    const Tri absent = op == CmpOp::Ne ? Tri::True : Tri::False;  // as compare() has it
    if (n > 1) {
      const Val v = path(field_path, focus, n - 1);
      if (v.k == Val::K::Unknown) return Tri::Unknown;
      if (v.k == Val::K::Absent) return absent;
      if (v.k != Val::K::Ref) return std::nullopt;
      current = v.ref;
    }
    const Step& last = field_path.steps.back();
    bool equal = false;
    if (shortcut.kind == Shortcut::Kind::EnumWord) {
      const model::WordRead read = model::read_word(*current, last.field);
      if (read.state == ReadState::Unknown) return Tri::Unknown;
      if (read.state == ReadState::Absent) return absent;
      if (read.word == 0) return std::nullopt;
      equal = read.word - 1 == shortcut.word;
    } else {
      // read() of a Bool field, without the Val.
      const model::FieldRead r = model::read_field(*current, last.field);
      if (r.state == ReadState::Absent) return absent;
      if (r.state == ReadState::Unknown || r.field == nullptr) return Tri::Unknown;
      const syntax::Value& value = r.field->value;
      if (value.kind != syntax::ValueKind::Word || (value.text() != "true" && value.text() != "false")) return Tri::Unknown;
      equal = (value.text() == "true") == (shortcut.word == 1);
    }
    return equal == (op == CmpOp::Eq) ? Tri::True : Tri::False;
  }

  // has(target.X) or is_number(target.X) on the entity's own target: what
  // path() would give for the two steps, told as a truth.
  static Tri test_target_part(const Entity& focus, const Step& target_step, const Shortcut& shortcut) {
    // read() of the Target field.
    const model::FieldRead r = model::read_field(focus, target_step.field);
    if (r.state == ReadState::Absent) return Tri::False;
    if (r.state == ReadState::Unknown || r.field == nullptr) return Tri::Unknown;
    const syntax::Target* target = r.field->value.target();
    if (r.field->value.kind != syntax::ValueKind::Target || target == nullptr) return Tri::Unknown;
    using VK = syntax::ValueKind;
    bool present = false, number = false;
    switch (shortcut.part) {
      case StepKind::TargetValue:
        present = target->value.kind != VK::Missing;
        number = target->value.kind == VK::Number;
        break;
      case StepKind::TargetDeadline:
        present = target->deadline.kind == VK::Date || target->deadline.kind == VK::Quarter;
        break;
      default:  // TargetVariance
        present = number = target->variance.kind == VK::Number;
        break;
    }
    return (shortcut.func == Func::IsNumber ? number : present) ? Tri::True : Tri::False;
  }

  Val eval(ExprId id, const Entity& focus) {
    const Expr& e = at(id);
    switch (e.op) {
      case ExprOp::Literal:
        switch (e.lit) {
          case LitKind::Number: return Val::number(e.number);
          case LitKind::Bool: return Val::boolean(e.boolean);
          case LitKind::Date: {
            Val v = Val::of(Val::K::Date);
            v.date = e.date;
            return v;
          }
          default: return Val::str(e.text);
        }
      case ExprOp::Path: return path(e, focus);
      case ExprOp::Not:
      case ExprOp::And:
      case ExprOp::Or:
      case ExprOp::Compare: return from_tri(test(id, focus));
      case ExprOp::InList: {
        const Val lhs = eval(e.args[0], focus);
        bool unknown = false;
        for (std::size_t i = 1; i < e.args.size(); ++i) {
          const Tri t = compare(lhs, eval(e.args[i], focus), CmpOp::Eq);
          if (t == Tri::True) return Val::boolean(true);
          unknown = unknown || t == Tri::Unknown;
        }
        return unknown ? Val::unknown() : Val::boolean(false);
      }
      case ExprOp::InField: {
        const Val lhs = eval(e.args[0], focus);
        const Val list = eval(e.args[1], focus);
        if (lhs.k == Val::K::Unknown || list.k == Val::K::Unknown) return Val::unknown();
        if (lhs.k == Val::K::Absent || list.k == Val::K::Absent || list.syn == nullptr) return Val::boolean(false);
        const std::string_view needle = lhs.k == Val::K::Ref ? lhs.ref->name : lhs.text;
        for (const auto& item : list.syn->items()) {
          if (item.text() == needle) return Val::boolean(true);
        }
        return Val::boolean(false);
      }
      case ExprOp::Aggregate: return aggregate(e, focus);
      case ExprOp::Call: return call(e, focus);
    }
    return Val::unknown();
  }

  static Tri compare(const Val& a, const Val& b, CmpOp op) {
    if (a.k == Val::K::Unknown || b.k == Val::K::Unknown) return Tri::Unknown;
    if (a.k == Val::K::Absent || b.k == Val::K::Absent) return op == CmpOp::Ne ? Tri::True : Tri::False;
    int order = 0;       // <0, 0, >0
    bool same = false;   // comparable at all
    auto name_of = [](const Val& v) { return v.k == Val::K::Ref ? v.ref->name : v.text; };
    if (a.k == Val::K::Ref && b.k == Val::K::Ref) {
      same = true;
      order = a.ref == b.ref ? 0 : 1;
    } else if ((a.k == Val::K::Ref || a.k == Val::K::Text) && (b.k == Val::K::Ref || b.k == Val::K::Text)) {
      same = true;
      order = name_of(a).compare(name_of(b));
    } else if (a.k == Val::K::Number && b.k == Val::K::Number) {
      same = true;
      order = a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
    } else if (a.k == Val::K::Date && b.k == Val::K::Date) {
      same = true;
      order = a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
    } else if (a.k == Val::K::Bool && b.k == Val::K::Bool) {
      same = true;
      order = a.b == b.b ? 0 : 1;
    }
    if (!same) return op == CmpOp::Ne ? Tri::True : Tri::False;
    bool result = false;
    switch (op) {
      case CmpOp::Eq: result = order == 0; break;
      case CmpOp::Ne: result = order != 0; break;
      case CmpOp::Lt: result = order < 0; break;
      case CmpOp::Le: result = order <= 0; break;
      case CmpOp::Gt: result = order > 0; break;
      case CmpOp::Ge: result = order >= 0; break;
    }
    return result ? Tri::True : Tri::False;
  }

  static Val read(const Entity& entity, const Step& step) {
    // A checked enum word is read from the entity alone: `parent.level`
    // costs a look at the parent, not at its declaration and source text.
    if (step.field_type == FieldType::Enum) {
      const model::WordRead word = model::read_word(entity, step.field);
      if (word.state == ReadState::Absent) return Val::absent();
      if (word.state == ReadState::Unknown) return Val::unknown();
      if (word.word != 0) {
        Val v = Val::str(model::enum_word_text(static_cast<std::uint8_t>(word.word - 1)));
        v.from = word.owner;
        return v;
      }
    }
    const model::FieldSlot& own = entity.slot(step.field);
    if (own.field == nullptr && (!step.inheritable || entity.kind != syntax::DeclKind::Kpi)) return Val::absent();
    const model::FieldRead r = model::read_field(entity, step.field);
    if (r.state == ReadState::Absent) return Val::absent();
    if (r.state == ReadState::Unknown || r.field == nullptr) return Val::unknown();
    const syntax::Value& value = r.field->value;
    using VK = syntax::ValueKind;
    Val v;
    v.syn = &value;
    v.from = r.owner;
    switch (step.field_type) {
      case FieldType::String:
        if (value.kind != VK::String) return Val::unknown();
        v.k = Val::K::Text;
        v.text = value.text();
        return v;
      case FieldType::Enum:
      case FieldType::Unit:
        if (value.kind != VK::Word) return Val::unknown();
        v.k = Val::K::Text;
        v.text = step.field_type == FieldType::Unit ? unit_word(value.text()) : value.text();
        return v;
      case FieldType::Bool:
        if (value.kind != VK::Word || (value.text() != "true" && value.text() != "false")) return Val::unknown();
        v.k = Val::K::Bool;
        v.b = value.text() == "true";
        return v;
      case FieldType::When:
        if (value.kind != VK::Date && value.kind != VK::Quarter) return Val::unknown();
        v.k = Val::K::Date;
        v.date = date_of(value);
        return v;
      case FieldType::Aggregation:
        if (value.kind != VK::Words) return Val::unknown();
        v.k = Val::K::Syn;
        return v;
      case FieldType::Target:
        if (value.kind != VK::Target || !value.target()) return Val::unknown();
        v.k = Val::K::Syn;
        return v;
      case FieldType::Ref:
      case FieldType::AtRef:
        if (r.ref == nullptr) return Val::unknown();
        v.k = Val::K::Ref;
        v.ref = r.ref;
        v.text = r.ref->name;
        return v;
      case FieldType::AtRefList:
      case FieldType::EnumList:
        if (value.kind != VK::List) return Val::unknown();
        v.k = Val::K::Syn;
        return v;
    }
    return Val::unknown();
  }

  static bool is_ref_type(FieldType type) { return type == FieldType::Ref || type == FieldType::AtRef; }

  // has(path) without touching the syntax tree when the slot decides it.
  static Tri has(const Expr& e, const Entity& focus) {
    const std::size_t n = e.steps.size();
    const Step& last = e.steps[n - 1];
    if (last.kind == StepKind::Field) {
      const Entity* current = &focus;
      bool direct = true;
      if (n > 1) {
        const Val v = path(e, focus, n - 1);
        if (v.k == Val::K::Absent) return Tri::False;
        if (v.k == Val::K::Unknown) return Tri::Unknown;
        if (v.k == Val::K::Ref) {
          current = v.ref;
        } else {
          direct = false;
        }
      }
      if (direct) {
        const model::FieldSlot& slot = current->slot(last.field);
        if (slot.field != nullptr) {
          if (current->invalid(last.field) || (is_ref_type(last.field_type) && slot.ref == nullptr)) return Tri::Unknown;
          return Tri::True;
        }
        if (!last.inheritable || current->kind != syntax::DeclKind::Kpi) return Tri::False;
      }
    }
    const Val v = path(e, focus, n);
    if (v.k == Val::K::Unknown) return Tri::Unknown;
    return v.k != Val::K::Absent ? Tri::True : Tri::False;
  }

  static Val path(const Expr& e, const Entity& focus) { return path(e, focus, e.steps.size()); }

  static Val path(const Expr& e, const Entity& focus, std::size_t steps) {
    const Entity* current = &focus;
    Val v;
    for (std::size_t i = 0; i < steps; ++i) {
      const Step& step = e.steps[i];
      if (i > 0) {
        if (v.k == Val::K::Absent || v.k == Val::K::Unknown) return v;
        if (v.k == Val::K::Ref) current = v.ref;
      }
      using VK = syntax::ValueKind;
      switch (step.kind) {
        case StepKind::Name: v = Val::str(current->name); break;
        case StepKind::Kind:
          v = Val::str(syntax::keyword(current->kind));
          v.ref = current;
          break;
        case StepKind::Field: v = read(*current, step); break;
        case StepKind::TargetValue:
        case StepKind::TargetUnit:
        case StepKind::TargetDeadline:
        case StepKind::TargetVariance: {
          if (v.syn == nullptr || !v.syn->target()) return Val::unknown();
          const syntax::Target& t = *v.syn->target();
          const Entity* from = v.from;
          Val out;
          out.from = from;
          if (step.kind == StepKind::TargetValue) {
            out.syn = &t.value;
            if (t.value.kind == VK::Number) {
              out.k = Val::K::Number;
              out.num = t.value.number();
            } else if (t.value.kind == VK::Missing) {
              out = Val::absent();
            } else {
              out.k = Val::K::Text;
              out.text = t.value.text();
            }
          } else if (step.kind == StepKind::TargetUnit) {
            const std::string_view unit = model::target_unit(t);
            if (unit.empty()) {
              out = Val::absent();
            } else {
              out = Val::str(unit_word(unit));
            }
          } else if (step.kind == StepKind::TargetDeadline) {
            out.syn = &t.deadline;
            if (t.deadline.kind == VK::Date || t.deadline.kind == VK::Quarter) {
              out.k = Val::K::Date;
              out.date = date_of(t.deadline);
            } else {
              out = Val::absent();
            }
          } else {
            out.syn = &t.variance;
            if (t.variance.kind == VK::Number) {
              out.k = Val::K::Number;
              out.num = t.variance.number();
            } else {
              out = Val::absent();
            }
          }
          v = out;
          break;
        }
        case StepKind::AggMethod:
        case StepKind::AggPeriod: {
          if (v.syn == nullptr) return Val::unknown();
          const std::size_t index = step.kind == StepKind::AggMethod ? 0 : 1;
          if (index >= v.syn->items().size()) return Val::absent();
          v = Val::str(v.syn->items()[index].text());
          break;
        }
      }
    }
    return v;
  }

  // Visits the elements of a relation until `visit` returns false. Returns
  // false when the relation is only partly known (a member did not resolve).
  template <typename Visit>
  bool for_each_related(const Entity& focus, Relation relation, Visit&& visit) {
    switch (relation) {
      case Relation::Kpis:
        for (const Entity* k : focus.kpis()) {
          if (!visit(*k)) break;
        }
        return true;
      case Relation::Children:
        for (const Entity* k : focus.children()) {
          if (!visit(*k)) break;
        }
        return true;
      case Relation::Owned:
        for (const Entity* k : focus.owned()) {
          if (!visit(*k)) break;
        }
        return true;
      case Relation::Members:
        for (const Entity* k : focus.members()) {
          if (!visit(*k)) break;
        }
        return !focus.members_invalid;
      case Relation::Descendants: descendants(focus, focus, nullptr, visit); return true;
      case Relation::Tree:
        for (const Entity* root : focus.kpis()) {
          if (!model::is_business(*root)) continue;
          if (!visit(*root)) return true;
          if (!descendants(*root, *root, &focus, visit)) return true;
        }
        return true;
    }
    return true;
  }

  // Depth-first over the children of `start`, on an explicit stack shared by
  // nested traversals. The parent chain is a function, so a node is reached
  // once, except `start` itself in a rollup cycle (skipped). In an objective's
  // tree, the objective's own business KPIs are skipped: they are roots.
  template <typename Visit>
  bool descendants(const Entity& start, const Entity& root, const Entity* objective, Visit& visit) {
    const std::size_t base = stack_.size();
    for (auto it = start.children().rbegin(); it != start.children().rend(); ++it) stack_.push_back(*it);
    while (stack_.size() > base) {
      const Entity* node = stack_.back();
      stack_.pop_back();
      if (node == &root) continue;
      if (objective != nullptr && node->slot(FieldId::Objective).ref == objective && model::is_business(*node)) continue;
      if (!visit(*node)) {
        stack_.resize(base);
        return false;
      }
      for (auto it = node->children().rbegin(); it != node->children().rend(); ++it) stack_.push_back(*it);
    }
    return true;
  }

  Val aggregate(const Expr& e, const Entity& focus) {
    const ExprId where = e.args.empty() ? kNoExpr : e.args[0];
    std::size_t count = 0;
    bool unknown = false, decided = false;
    const bool complete = for_each_related(focus, e.relation, [&](const Entity& element) {
      const Tri t = where == kNoExpr ? Tri::True : test(where, element);
      if (t == Tri::Unknown) {
        unknown = true;
        return true;
      }
      switch (e.agg) {
        case AggOp::Count: count += t == Tri::True; return true;
        case AggOp::Any:
          if (t == Tri::True) decided = true;
          return !decided;
        case AggOp::All:
          if (t == Tri::False) decided = true;
          return !decided;
      }
      return true;
    });
    unknown = unknown || !complete;
    switch (e.agg) {
      case AggOp::Count: return unknown && e.relation == Relation::Members ? Val::unknown() : Val::number(double(count));
      case AggOp::Any: return decided ? Val::boolean(true) : unknown ? Val::unknown() : Val::boolean(false);
      case AggOp::All: return decided ? Val::boolean(false) : unknown ? Val::unknown() : Val::boolean(true);
    }
    return Val::unknown();
  }

  Val call(const Expr& e, const Entity& focus) {
    switch (e.func) {
      case Func::Has: {
        const Expr& arg = at(e.args[0]);
        if (arg.op == ExprOp::Path && !arg.steps.empty()) return from_tri(has(arg, focus));
        const Val v = eval(e.args[0], focus);
        if (v.k == Val::K::Unknown) return Val::unknown();
        return Val::boolean(v.k != Val::K::Absent);
      }
      case Func::IsNumber: {
        const Val v = eval(e.args[0], focus);
        if (v.k == Val::K::Unknown) return Val::unknown();
        return Val::boolean(v.k == Val::K::Number);
      }
      case Func::Matches: {
        const Val v = eval(e.args[0], focus);
        if (v.k == Val::K::Unknown) return Val::unknown();
        if (v.k == Val::K::Absent) return Val::boolean(false);
        const std::string_view text = v.k == Val::K::Ref ? v.ref->name : v.text;
        return from_tri(matches(matchers_[static_cast<std::size_t>(e.slot)], text));
      }
      case Func::SameUnit: {
        const Val a = eval(e.args[0], focus), b = eval(e.args[1], focus);
        if (a.k == Val::K::Unknown || b.k == Val::K::Unknown) return Val::unknown();
        if (a.k != Val::K::Text || b.k != Val::K::Text) return Val::boolean(false);
        return Val::boolean(model::units_compatible(a.text, b.text));
      }
      case Func::Option: return options_[static_cast<std::size_t>(e.slot)];
      case Func::If: {
        const Tri t = test(e.args[0], focus);
        if (t == Tri::Unknown) return Val::unknown();
        return eval(e.args[t == Tri::True ? 1 : 2], focus);
      }
      case Func::Missing: {
        std::string names;
        for (ExprId arg : e.args) {
          if (eval(arg, focus).k != Val::K::Absent) continue;
          if (!names.empty()) names += ", ";
          names += rule_->file->slice(at(arg).span);
        }
        scratch_.push_back(std::move(names));
        return Val::str(scratch_.back());
      }
    }
    return Val::unknown();
  }

  const RulePack& pack_;
  const model::Model& model_;
  const EvalContext& context_;
  std::vector<Diagnostic>* out_ = nullptr;
  const Rule* rule_ = nullptr;
  const Shortcut* shortcuts_ = nullptr;  // the rule's Planned::shortcuts
  std::vector<Planned> planned_;         // the primary's; a second worker uses it through by_kind_
  std::vector<Val> options_;
  std::vector<Matcher> matchers_;
  std::array<std::vector<const Planned*>, syntax::kDeclKindCount> by_kind_;
  std::unordered_map<std::string, std::unique_ptr<std::regex>> regexes_;
  std::vector<const Entity*> stack_;
  std::deque<std::string> scratch_;
};

}  // namespace

void evaluate(const RulePack& pack, const model::Model& model, const EvalContext& context,
              std::vector<Diagnostic>& out) {
  Evaluator primary(pack, model, context);
  primary.plan();
  // Two workers on a large workspace; the merge keeps the sequential order.
  const std::size_t parts = primary.workload() >= 20000 && std::thread::hardware_concurrency() >= 2 ? 2 : 1;
  std::vector<Evaluator::Outputs> outputs(parts);
  if (parts == 1) {
    primary.run_part(0, 1, outputs[0]);
  } else {
    Evaluator second(primary);
    std::thread worker([&] { second.run_part(1, 2, outputs[1]); });
    primary.run_part(0, 2, outputs[0]);
    worker.join();
  }
  for (std::size_t kind = 0; kind < syntax::kDeclKindCount; ++kind) {
    for (auto& part : outputs) {
      std::move(part[kind].begin(), part[kind].end(), std::back_inserter(out));
    }
  }
}

std::vector<std::string> check_options(const RulePack& pack, const std::map<std::string, model::OptionValue>& options) {
  std::vector<std::string> problems;
  std::map<std::string, bool> reported;
  for (const auto& rule_ptr : pack.rules()) {
    const Rule& rule = *rule_ptr;
    for (const Expr& e : rule.exprs) {
      if (e.op != ExprOp::Call || e.func != Func::Option || e.slot < 0) continue;
      const Expr& fallback = rule.expr(e.args[1]);
      const auto it = options.find(e.option_name);
      if (it == options.end() || reported[e.option_name]) continue;
      if (!option_value(e, fallback, &options)) {
        reported[e.option_name] = true;
        const std::string_view wanted = fallback.lit == LitKind::Number ? i18n::text("rules.value.number")
                                        : fallback.lit == LitKind::Bool ? i18n::text("rules.value.true-or-false")
                                                                        : i18n::text("rules.value.string");
        problems.push_back(i18n::format("rules.option-type", i18n::arg("option", e.option_name), i18n::arg("wanted", wanted),
                                        i18n::arg("code", rule.info.code), i18n::arg("actual", type_word(it->second))));
        continue;
      }
      // A pattern option must be a valid regular expression.
      for (const Expr& m : rule.exprs) {
        if (m.op != ExprOp::Call || m.func != Func::Matches) continue;
        const Expr& p = rule.expr(m.args[1]);
        if (p.op != ExprOp::Call || p.option_name != e.option_name) continue;
        const auto* text = std::get_if<std::string>(&it->second);
        if (text == nullptr || *text == kSnakeCase) continue;
        try {
          std::regex re(*text, std::regex::ECMAScript);
        } catch (const std::regex_error& err) {
          reported[e.option_name] = true;
          problems.push_back(i18n::format("rules.option-regex", i18n::arg("option", e.option_name),
                                          i18n::arg("what", std::string_view(err.what()))));
        }
      }
    }
  }
  return problems;
}

}  // namespace kpilint::rules

// Name resolution and the language checks that need the whole workspace:
// KPI002 duplicates, KPI003 dangling references, KPI004 cycles, KPI005 bad
// values, KPI006 unknown fields, KPI007 unknown modules.
#include "model/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "base/embedded.hpp"
#include "base/i18n.hpp"
#include "model/suggest.hpp"
#include "model/values.hpp"

namespace kpilint::model {

using syntax::Decl;
using syntax::Field;
using syntax::Value;
using syntax::ValueKind;

namespace {

std::string_view kind_noun(DeclKind kind) {
  switch (kind) {
    case DeclKind::Use: return i18n::text("model.kind.module");
    case DeclKind::Person: return i18n::text("model.kind.person");
    case DeclKind::Team: return i18n::text("model.kind.team");
    case DeclKind::Objective: return i18n::text("model.kind.objective");
    case DeclKind::Kpi: return i18n::text("model.kind.kpi");
    case DeclKind::Metric: return i18n::text("model.kind.metric");
    case DeclKind::Experiment: return i18n::text("model.kind.experiment");
  }
  return i18n::text("model.kind.declaration");
}

// "a person", "an objective", "a KPI": the noun with its indefinite article.
std::string_view kind_with_article(DeclKind kind) {
  switch (kind) {
    case DeclKind::Use: return i18n::text("model.kind.module.a");
    case DeclKind::Person: return i18n::text("model.kind.person.a");
    case DeclKind::Team: return i18n::text("model.kind.team.a");
    case DeclKind::Objective: return i18n::text("model.kind.objective.a");
    case DeclKind::Kpi: return i18n::text("model.kind.kpi.a");
    case DeclKind::Metric: return i18n::text("model.kind.metric.a");
    case DeclKind::Experiment: return i18n::text("model.kind.experiment.a");
  }
  return i18n::text("model.kind.declaration.a");
}

// "person or team"; with `article`, "a KPI or team": the article agrees with
// the first noun.
std::string kinds_phrase(unsigned kinds, bool article = false) {
  std::vector<std::string> names;
  for (int k = 0; k < syntax::kDeclKindCount; ++k) {
    if (kinds & (1u << k)) {
      const auto kind = static_cast<DeclKind>(k);
      names.emplace_back(article && names.empty() ? kind_with_article(kind) : kind_noun(kind));
    }
  }
  return i18n::join_or(names);
}

std::string words_phrase(std::span<const std::string_view> words) {
  const std::vector<std::string> items(words.begin(), words.end());
  return i18n::join_or(items);
}

std::string_view value_kind_noun(const Value& value) {
  switch (value.kind) {
    case ValueKind::Missing: return i18n::text("model.value.nothing");
    case ValueKind::String: return i18n::text("model.value.string");
    case ValueKind::Number: return i18n::text("model.value.number");
    case ValueKind::Date: return i18n::text("model.value.date");
    case ValueKind::Quarter: return i18n::text("model.value.quarter");
    case ValueKind::Word: return i18n::text("model.value.word");
    case ValueKind::AtRef: return i18n::text("model.value.at-reference");
    case ValueKind::Words: return i18n::text("model.value.words");
    case ValueKind::List: return i18n::text("model.value.list");
    case ValueKind::Target: return i18n::text("model.value.target");
  }
  return i18n::text("model.value.value");
}

// The span of the name inside a reference token: without the '@'.
Span name_span_of(const Value& value) {
  if (value.kind == ValueKind::AtRef) return {value.span.begin + 1, value.span.end};
  return value.span;
}

}  // namespace

class ModelBuilder {
 public:
  ModelBuilder(const Workspace& workspace, std::vector<Diagnostic>& out) : workspace_(workspace), out_(out) {}

  std::unique_ptr<Model> build() {
    model_ = std::make_unique<Model>();
    declare();
    for (const Entity* entity : pending_) check_fields(const_cast<Entity&>(*entity));
    // Units are compared once every slot is filled: a KPI may inherit its
    // unit from a metric declared later in path order.
    for (const Entity* entity : pending_) {
      if (entity->kind == DeclKind::Kpi) {
        check_target_unit(const_cast<Entity&>(*entity), entity->duplicate || entity->has_syntax_error());
      }
    }
    find_cycles();
    relate();
    return std::move(model_);
  }

  // Stdlib: parse the embedded modules once, resolve their metrics among themselves.
  static void load_stdlib(Stdlib& stdlib) {
    for (const auto& file : embedded::stdlib_files()) {
      auto document = make_document(fmt::format("<stdlib>/{}", file.name), std::string(file.text), {});
      document->reported = false;
      document->stdlib = true;
      std::string_view module = file.name.substr(0, file.name.find('.'));
      // Keys must outlive the map: view into the document's own path text.
      module = std::string_view(document->source->path).substr(9, module.size());
      auto& metrics = stdlib.modules_[module];
      for (const Decl& decl : document->tree.decls) {
        if (decl.kind != DeclKind::Metric) continue;
        auto entity = std::make_unique<Entity>();
        entity->kind = decl.kind;
        entity->name = decl.name;
        entity->decl = &decl;
        entity->document = document.get();
        entity->stdlib = true;
        for (const Field& field : decl.fields) {
          if (auto id = field_from_name(field.name); id && entity->slot(*id).field == nullptr) entity->slot(*id).field = &field;
        }
        metrics.emplace(entity->name, entity.get());
        stdlib.entities_.push_back(std::move(entity));
      }
      stdlib.documents_.push_back(std::move(document));
    }
  }

 private:
  void report(const Document& doc, Span span, std::string_view code, std::string_view rule, Severity severity,
              std::string message, std::string help = {}) {
    Diagnostic d;
    d.location = {doc.source.get(), span};
    d.severity = severity;
    d.code = code;
    d.rule = rule;
    d.message = std::move(message);
    d.help = std::move(help);
    out_.push_back(std::move(d));
  }
  void invalid(const Entity& e, const Value& value, std::string message, std::string help = {}) {
    report(*e.document, value.span, "KPI005", "invalid-value", Severity::Error, std::move(message), std::move(help));
  }

  // Pass 1: every declaration into the one namespace; `use` per file.
  void declare() {
    const auto& stdlib = Stdlib::instance();
    for (const auto& doc_ptr : workspace_.documents) {
      const Document& doc = *doc_ptr;
      auto& used = uses_[&doc];
      for (const Decl& decl : doc.tree.decls) {
        if (decl.kind == DeclKind::Use) {
          const std::string_view path = decl.name;
          const bool is_std = path.substr(0, 4) == "std.";
          const std::string_view module = is_std ? path.substr(4) : path;
          if (is_std && stdlib.has_module(module)) {
            used.push_back(module);
          } else {
            const auto modules = stdlib.module_names();
            std::string list;
            for (std::size_t i = 0; i < modules.size(); ++i) list += fmt::format("{}std.{}", i ? ", " : "", modules[i]);
            std::string help = i18n::format("model.stdlib-modules", i18n::arg("modules", list));
            const auto guess = closest(module, modules);
            std::string message = guess ? i18n::format("model.unknown-module-suggest", i18n::arg("module", path),
                                                       i18n::arg("guess", *guess))
                                        : i18n::format("model.unknown-module", i18n::arg("module", path));
            report(doc, decl.name_span, "KPI007", "unknown-module", Severity::Error, std::move(message), std::move(help));
          }
          continue;
        }
        auto entity = std::make_unique<Entity>();
        entity->kind = decl.kind;
        entity->name = decl.name;
        entity->decl = &decl;
        entity->document = &doc;
        auto [it, inserted] = model_->names_.emplace(decl.name, entity.get());
        if (!inserted) {
          entity->duplicate = true;
          const Entity& first = *it->second;
          Diagnostic d;
          d.location = {doc.source.get(), decl.name_span};
          d.severity = Severity::Error;
          d.code = "KPI002";
          d.rule = "duplicate-definition";
          d.message = i18n::format("model.duplicate", i18n::arg("name", decl.name),
                                   i18n::arg("kind", kind_with_article(first.kind)),
                                   i18n::arg("path", first.document->source->path));
          d.help = i18n::text("model.duplicate.help");
          d.related.push_back({{first.document->source.get(), first.decl->name_span},
                               std::string(i18n::text("model.duplicate.first"))});
          out_.push_back(std::move(d));
        } else {
          name_index_.add(decl.name, static_cast<std::uint32_t>(model_->entities_.size()));
        }
        index_.emplace(entity.get(), model_->entities_.size());
        pending_.push_back(entity.get());
        model_->entities_.push_back(std::move(entity));
      }
    }
  }

  // Pass 2: each field checked against the schema, references resolved.
  void check_fields(Entity& e) {
    // Language checks run on declarations that parsed and are first
    // definitions; the others still resolve references for navigation.
    const bool quiet = e.duplicate || e.has_syntax_error();
    for (const Field& field : e.decl->fields) {
      const auto id = field_from_name(field.name);
      const FieldSpec* spec = id ? field_spec(e.kind, *id) : nullptr;
      if (spec == nullptr) {
        if (!quiet) unknown_field(e, field);
        continue;
      }
      FieldSlot& slot = e.slot(*id);
      if (slot.field != nullptr) {
        if (!quiet) {
          report(*e.document, field.name_span, "KPI005", "invalid-value", Severity::Error,
                 i18n::format("model.field-twice", i18n::arg("field", field.name), i18n::arg("kind", kind_noun(e.kind)),
                              i18n::arg("name", e.name)),
                 std::string(i18n::text("model.field-twice.help")));
        }
        continue;
      }
      slot.field = &field;
      slot.invalid = !check_value(e, *spec, field, slot, quiet);
    }
  }

  void unknown_field(const Entity& e, const Field& field) {
    std::vector<std::string_view> names;
    for (FieldId id : fields_of(e.kind)) names.push_back(field_name(id));
    Diagnostic d;
    d.location = {e.document->source.get(), field.name_span};
    d.severity = Severity::Warning;
    d.code = "KPI006";
    d.rule = "unknown-field";
    const auto guess = closest(field.name, names);
    d.message = i18n::format(guess ? "model.unknown-field-suggest" : "model.unknown-field",
                             i18n::arg("kind", kind_noun(e.kind)), i18n::arg("name", e.name),
                             i18n::arg("field", field.name), i18n::arg("guess", guess.value_or("")));
    if (guess) {
      d.fixes.push_back({i18n::format("model.fix-rename", i18n::arg("guess", *guess)), {{d.location, std::string(*guess)}}});
    }
    d.help = i18n::format("model.fields-of", i18n::arg("keyword", syntax::keyword(e.kind)),
                          i18n::arg("fields", words_phrase(names)));
    out_.push_back(std::move(d));
  }

  // Returns false when the value was reported (reads of it become unknown).
  bool check_value(Entity& e, const FieldSpec& spec, const Field& field, FieldSlot& slot, bool quiet) {
    const Value& v = field.value;
    const auto fail = [&](std::string message, std::string help = {}) {
      if (!quiet) invalid(e, v, std::move(message), std::move(help));
      return false;
    };
    switch (spec.type) {
      case FieldType::String:
        if (v.kind != ValueKind::String) return fail(i18n::format("model.expects-string", i18n::arg("field", field.name), i18n::arg("value", value_kind_noun(v))));
        return true;
      case FieldType::Bool:
        if (v.kind != ValueKind::Word || (v.text != "true" && v.text != "false"))
          return fail(i18n::format("model.expects-bool", i18n::arg("field", field.name), i18n::arg("value", describe(v))));
        return true;
      case FieldType::Enum:
        return check_enum_word(e, spec.enum_id, field.name, v, quiet);
      case FieldType::EnumList: {
        if (v.kind != ValueKind::List) {
          return fail(i18n::format("model.expects-enum-list", i18n::arg("field", field.name),
                                   i18n::arg("value", value_kind_noun(v))));
        }
        bool ok = true;
        for (const Value& item : v.items) ok = check_enum_word(e, spec.enum_id, field.name, item, quiet) && ok;
        return ok;
      }
      case FieldType::When:
        return check_when(e, field.name, v, quiet);
      case FieldType::Unit:
        if (v.kind != ValueKind::Word) {
          return fail(i18n::format("model.expects-unit", i18n::arg("field", field.name), i18n::arg("value", value_kind_noun(v))));
        }
        return true;
      case FieldType::Aggregation:
        return check_aggregation(e, v, quiet);
      case FieldType::Target:
        return check_target(e, v, quiet);
      case FieldType::Ref:
      case FieldType::AtRef:
        return resolve(e, spec, field.name, v, slot.ref, quiet);
      case FieldType::AtRefList: {
        if (v.kind != ValueKind::List) {
          return fail(i18n::format("model.expects-at-list", i18n::arg("field", field.name),
                                   i18n::arg("value", value_kind_noun(v))));
        }
        bool ok = true;
        for (const Value& item : v.items) {
          const Entity* target = nullptr;
          if (resolve(e, spec, field.name, item, target, quiet)) {
            e.members.push_back(target);
          } else {
            ok = false;
          }
        }
        e.members_invalid = !ok;
        return true;  // the list stays readable; bad members were reported
      }
    }
    return true;
  }

  static std::string describe(const Value& v) {
    if (v.kind == ValueKind::Word) return fmt::format("'{}'", v.text);
    return std::string(value_kind_noun(v));
  }

  bool check_enum_word(const Entity& e, EnumId id, std::string_view field, const Value& v, bool quiet) {
    const auto words = enum_words(id);
    if (v.kind == ValueKind::Word && is_enum_word(id, v.text)) return true;
    if (quiet) return false;
    Diagnostic d;
    d.location = {e.document->source.get(), v.span};
    d.severity = Severity::Error;
    d.code = "KPI005";
    d.rule = "invalid-value";
    if (v.kind == ValueKind::Word) {
      const auto guess = closest(v.text, words);
      d.message = i18n::format(guess ? "model.unknown-enum-word-suggest" : "model.unknown-enum-word",
                               i18n::arg("enum", enum_name(id)), i18n::arg("word", v.text), i18n::arg("field", field),
                               i18n::arg("guess", guess.value_or("")));
      if (guess) {
        d.fixes.push_back({i18n::format("model.fix-replace", i18n::arg("guess", *guess)), {{d.location, std::string(*guess)}}});
      }
    } else {
      d.message = i18n::format("model.expects-one-of", i18n::arg("field", field), i18n::arg("words", words_phrase(words)),
                               i18n::arg("value", value_kind_noun(v)));
    }
    d.help = i18n::format("model.expected-one-of", i18n::arg("words", words_phrase(words)));
    out_.push_back(std::move(d));
    return false;
  }

  bool check_when(const Entity& e, std::string_view field, const Value& v, bool quiet) {
    if (v.kind == ValueKind::Date) {
      if (is_valid_date(v.year, v.month, v.day)) return true;
      if (!quiet) {
        invalid(e, v, i18n::format("model.invalid-date", i18n::arg("value", v.text)),
                std::string(i18n::text("model.invalid-date.help")));
      }
      return false;
    }
    if (v.kind == ValueKind::Quarter) {
      if (v.quarter >= 1 && v.quarter <= 4) return true;
      if (!quiet) {
        invalid(e, v, i18n::format("model.invalid-quarter", i18n::arg("value", v.text)),
                std::string(i18n::text("model.invalid-quarter.help")));
      }
      return false;
    }
    if (!quiet) {
      invalid(e, v, i18n::format("model.expects-when", i18n::arg("field", field), i18n::arg("value", value_kind_noun(v))));
    }
    return false;
  }

  bool check_aggregation(const Entity& e, const Value& v, bool quiet) {
    const auto methods = enum_words(EnumId::AggregationMethod);
    const auto periods = enum_words(EnumId::Period);
    if (v.kind == ValueKind::Word && is_enum_word(EnumId::AggregationMethod, v.text)) {
      if (!quiet) {
        invalid(e, v, i18n::format("model.aggregation-no-period", i18n::arg("method", v.text)),
                i18n::format("model.aggregation-no-period.help", i18n::arg("method", v.text),
                             i18n::arg("periods", words_phrase(periods))));
      }
      return false;
    }
    if (v.kind == ValueKind::Words && v.items.size() == 2) {
      bool ok = check_enum_word(e, EnumId::AggregationMethod, "aggregation", v.items[0], quiet);
      ok = check_enum_word(e, EnumId::Period, "aggregation", v.items[1], quiet) && ok;
      return ok;
    }
    if (v.kind == ValueKind::Word) return check_enum_word(e, EnumId::AggregationMethod, "aggregation", v, quiet) && false;
    if (!quiet) {
      invalid(e, v, std::string(i18n::text("model.aggregation-expected")),
              i18n::format("model.aggregation-expected.help", i18n::arg("methods", words_phrase(methods)),
                           i18n::arg("periods", words_phrase(periods))));
    }
    return false;
  }

  bool check_target(const Entity& e, const Value& v, bool quiet) {
    if (v.kind != ValueKind::Target || !v.target) {
      if (!quiet) {
        const std::string_view example = v.kind == ValueKind::Missing ? "100" : e.document->source->slice(v.span);
        invalid(e, v, i18n::format("model.target-expected", i18n::arg("example", example)),
                std::string(i18n::text("model.target-expected.help")));
      }
      return false;
    }
    bool ok = true;
    const syntax::Target& t = *v.target;
    if (t.deadline.kind != ValueKind::Missing) ok = check_when(e, "by", t.deadline, quiet) && ok;
    return ok;
  }

  // A target written in a unit that contradicts the KPI's (own or its metric's).
  void check_target_unit(Entity& e, bool quiet) {
    FieldSlot& slot = e.slot(FieldId::Target);
    if (slot.field == nullptr || slot.invalid || !slot.field->value.target) return;
    const syntax::Target& t = *slot.field->value.target;
    const std::string_view written = target_unit(t);
    if (written.empty()) return;
    const FieldRead unit = read_field(e, FieldId::Unit);
    if (unit.state != ReadState::Present) return;
    const std::string_view expected = unit.field->value.text;
    if (units_compatible(written, expected)) return;
    slot.invalid = true;
    if (quiet) return;
    const Value& at = t.unit.kind == ValueKind::Word ? t.unit : t.value;
    const bool inherited = unit.owner != &e;
    invalid(e, at,
            i18n::format(inherited ? "model.target-unit-inherited" : "model.target-unit", i18n::arg("written", written),
                         i18n::arg("name", e.name), i18n::arg("unit", expected),
                         i18n::arg("metric", inherited ? unit.owner->name : std::string_view())),
            i18n::format("model.target-unit.help", i18n::arg("unit", expected)));
  }

  bool resolve(const Entity& e, const FieldSpec& spec, std::string_view field, const Value& v, const Entity*& out,
               bool quiet) {
    const bool wants_at = spec.type != FieldType::Ref;
    if (v.kind != ValueKind::Word && v.kind != ValueKind::AtRef) {
      if (!quiet) {
        invalid(e, v, i18n::format(wants_at ? "model.expects-at-ref" : "model.expects-ref", i18n::arg("field", field),
                                   i18n::arg("kinds", kinds_phrase(spec.ref_kinds, true)),
                                   i18n::arg("value", value_kind_noun(v))));
      }
      return false;
    }
    const Entity* target = lookup(e, spec, v.text);
    model_->references_.push_back({e.document, name_span_of(v), target, spec.id});
    if (target == nullptr) {
      if (!quiet) dangling(e, spec, field, v);
      return false;
    }
    if ((kind_bit(target->kind) & spec.ref_kinds) == 0) {
      if (!quiet) {
        invalid(e, v, i18n::format("model.wrong-kind", i18n::arg("field", field),
                                   i18n::arg("kinds", kinds_phrase(spec.ref_kinds, true)), i18n::arg("name", v.text),
                                   i18n::arg("kind", kind_with_article(target->kind))));
      }
      return false;
    }
    if (wants_at != (v.kind == ValueKind::AtRef)) {
      if (!quiet) {
        Diagnostic d;
        d.location = {e.document->source.get(), v.span};
        d.severity = Severity::Error;
        d.code = "KPI005";
        d.rule = "invalid-value";
        d.message = i18n::format(wants_at ? "model.needs-at" : "model.no-at", i18n::arg("field", field),
                                 i18n::arg("kinds", kinds_phrase(spec.ref_kinds, true)), i18n::arg("name", v.text));
        d.fixes.push_back({std::string(i18n::text("model.fix-reference")),
                           {{d.location, wants_at ? fmt::format("@{}", v.text) : std::string(v.text)}}});
        out_.push_back(std::move(d));
      }
      return false;
    }
    out = target;
    return true;
  }

  const Entity* lookup(const Entity& e, const FieldSpec& spec, std::string_view name) const {
    if (auto it = model_->names_.find(name); it != model_->names_.end()) {
      // A metric reference prefers a workspace metric, then the file's modules,
      // so a KPI may share its name with a stdlib metric.
      if (spec.id != FieldId::Metric || it->second->kind == DeclKind::Metric) return it->second;
    }
    if (spec.id == FieldId::Metric) {
      const auto uses = uses_.find(e.document);
      if (uses != uses_.end()) {
        for (std::string_view module : uses->second) {
          if (const Entity* metric = Stdlib::instance().find(module, name)) return metric;
        }
      }
      if (auto it = model_->names_.find(name); it != model_->names_.end()) return it->second;  // wrong kind: KPI005
    }
    return nullptr;
  }

  void dangling(const Entity& e, const FieldSpec& spec, std::string_view field, const Value& v) {
    Diagnostic d;
    d.location = {e.document->source.get(), v.span};
    d.severity = Severity::Error;
    d.code = "KPI003";
    d.rule = "unresolved-reference";
    std::optional<std::string_view> guess;
    if (auto id = name_index_.closest(v.text, [&](std::uint32_t i) {
          return (kind_bit(model_->entities_[i]->kind) & spec.ref_kinds) != 0;
        })) {
      guess = model_->entities_[*id]->name;
    }
    if (!guess && spec.id == FieldId::Metric) guess = closest_stdlib_metric(e, v.text, d.help);
    d.message = i18n::format(guess ? "model.no-such-name-suggest" : "model.no-such-name",
                             i18n::arg("kinds", kinds_phrase(spec.ref_kinds)), i18n::arg("name", v.text),
                             i18n::arg("guess", guess.value_or("")));
    if (guess) {
      const Location name_at{e.document->source.get(), name_span_of(v)};
      d.fixes.push_back({i18n::format("model.fix-replace", i18n::arg("guess", *guess)), {{name_at, std::string(*guess)}}});
    } else if (d.help.empty()) {
      d.help = i18n::format("model.no-such-name.help", i18n::arg("field", field));
    }
    out_.push_back(std::move(d));
  }

  // Metrics of the file's modules, and a hint when the metric exists in a
  // module the file does not `use`.
  std::optional<std::string_view> closest_stdlib_metric(const Entity& e, std::string_view name, std::string& help) const {
    const auto& stdlib = Stdlib::instance();
    for (std::string_view module : stdlib.module_names()) {
      if (stdlib.find(module, name) != nullptr) {
        help = i18n::format("model.metric-needs-use", i18n::arg("name", name), i18n::arg("module", module));
        return std::nullopt;
      }
    }
    std::vector<std::string_view> candidates;
    if (auto uses = uses_.find(e.document); uses != uses_.end()) {
      for (std::string_view module : uses->second) {
        for (const auto& [metric, entity] : stdlib.modules_.at(module)) candidates.push_back(metric);
      }
    }
    std::sort(candidates.begin(), candidates.end());
    return closest(name, candidates);
  }

  // KPI004: parent chains that loop. One finding per cycle, at the member that
  // comes first in path order, with the whole cycle as related locations.
  void find_cycles() {
    enum : unsigned char { White, Gray, Black };
    std::unordered_map<const Entity*, unsigned char> color;
    for (const auto& start : model_->entities_) {
      if (start->kind != DeclKind::Kpi || color[start.get()] != White) continue;
      std::vector<const Entity*> path;
      const Entity* at = start.get();
      while (at != nullptr && color[at] == White) {
        color[at] = Gray;
        path.push_back(at);
        const FieldSlot& parent = at->slot(FieldId::Parent);
        at = parent.invalid ? nullptr : parent.ref;
      }
      if (at != nullptr && color[at] == Gray) {
        const auto first = std::find(path.begin(), path.end(), at);
        report_cycle(std::vector<const Entity*>(first, path.end()));
      }
      for (const Entity* e : path) color[e] = Black;
    }
  }

  void report_cycle(std::vector<const Entity*> cycle) {
    // Rotate so the cycle starts at its first member in path order.
    const auto first = std::min_element(cycle.begin(), cycle.end(), [&](const Entity* a, const Entity* b) {
      return index_of(a) < index_of(b);
    });
    std::rotate(cycle.begin(), first, cycle.end());
    std::string chain;
    for (const Entity* e : cycle) chain += fmt::format("{} → ", e->name);
    chain += cycle.front()->name;
    for (const Entity* e : cycle) const_cast<Entity*>(e)->slot(FieldId::Parent).invalid = true;
    const Entity& head = *cycle.front();
    if (head.duplicate || head.has_syntax_error()) return;
    Diagnostic d;
    d.location = {head.document->source.get(), head.slot(FieldId::Parent).field->value.span};
    d.severity = Severity::Error;
    d.code = "KPI004";
    d.rule = "rollup-cycle";
    d.message = cycle.size() == 1 ? i18n::format("model.own-parent", i18n::arg("name", head.name))
                                  : i18n::format("model.rollup-cycle", i18n::arg("chain", chain));
    d.help = i18n::text("model.rollup-cycle.help");
    for (std::size_t i = 1; i < cycle.size(); ++i) {
      const Entity& e = *cycle[i];
      const Entity& next = *cycle[(i + 1) % cycle.size()];
      d.related.push_back({{e.document->source.get(), e.slot(FieldId::Parent).field->value.span},
                           i18n::format("model.rolls-up-into", i18n::arg("name", e.name), i18n::arg("parent", next.name))});
    }
    out_.push_back(std::move(d));
  }

  std::size_t index_of(const Entity* e) const {
    if (auto it = index_.find(e); it != index_.end()) return it->second;
    return 0;
  }

  // Relations and the per-kind lists rules iterate over.
  void relate() {
    for (const auto& e : model_->entities_) {
      if (!e->checkable()) continue;
      model_->by_kind_[static_cast<int>(e->kind)].push_back(e.get());
      if (e->kind != DeclKind::Kpi) continue;
      const auto link = [&](FieldId id, auto member) {
        const FieldSlot& slot = e->slot(id);
        if (slot.field != nullptr && !slot.invalid && slot.ref != nullptr) (const_cast<Entity*>(slot.ref)->*member).push_back(e.get());
      };
      link(FieldId::Objective, &Entity::kpis);
      link(FieldId::Parent, &Entity::children);
      link(FieldId::Owner, &Entity::owned);
    }
  }

  const Workspace& workspace_;
  std::vector<Diagnostic>& out_;
  std::unique_ptr<Model> model_;
  std::vector<const Entity*> pending_;
  std::unordered_map<const Document*, std::vector<std::string_view>> uses_;
  std::unordered_map<const Entity*, std::size_t> index_;
  NameIndex name_index_;
};

Stdlib::Stdlib() { ModelBuilder::load_stdlib(*this); }

const Stdlib& Stdlib::instance() {
  static const Stdlib stdlib;
  return stdlib;
}

const Entity* Stdlib::find(std::string_view module, std::string_view name) const {
  const auto it = modules_.find(module);
  if (it == modules_.end()) return nullptr;
  const auto metric = it->second.find(name);
  return metric == it->second.end() ? nullptr : metric->second;
}

bool Stdlib::has_module(std::string_view module) const { return modules_.count(module) != 0; }

std::vector<std::string_view> Stdlib::module_names() const {
  std::vector<std::string_view> names;
  for (const auto& [name, metrics] : modules_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

const Entity* Model::find(std::string_view name) const {
  const auto it = names_.find(name);
  return it == names_.end() ? nullptr : it->second;
}

std::vector<std::string_view> Model::names() const {
  std::vector<std::string_view> names;
  names.reserve(names_.size());
  for (const auto& [name, entity] : names_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

std::unique_ptr<Model> build_model(const Workspace& workspace, std::vector<Diagnostic>& diagnostics) {
  return ModelBuilder(workspace, diagnostics).build();
}

}  // namespace kpilint::model
